"""Figure builders (plain dicts), map classes, summaries and messages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.web import queries
from dashboard.web.figures.funnel import (
    FunnelPoints,
    funnel_figure,
    funnel_limits,
    outside,
    with_highlight,
)
from dashboard.web.figures.inequality import quintile_chart
from dashboard.web.figures.map import (
    DIVERGING,
    SIR_BREAKS,
    SUPPRESSED,
    Classes,
    make_classes,
    map_paint,
)
from dashboard.web.figures.ranking import RankingText, label_margin, ranked, ranking_data
from dashboard.web.i18n import count_areas, t
from dashboard.web.indicators import INDICATORS
from dashboard.web.summaries import map_summary

TEMPLATES = {"below": "< {high}", "from_to": "{low}–{high}", "above": "≥ {low}", "all": "all"}


def test_quantile_classes_cover_values() -> None:
    values = np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, np.nan])
    c = make_classes("asr_world", values, 1)
    assert c.kind == "quantile" and len(c.colours) == len(c.breaks) + 1 == 5
    z = c.classify(values)
    assert z[-1] is None and z[0] == 0 and z[-2] == 4
    assert [int(np.sum(np.array(z[:-1]) == k)) for k in range(5)] == [2, 2, 2, 2, 2]
    assert c.labels("en", TEMPLATES)[0] == "< 2.8"


def test_sir_classes_are_fixed_and_centred_on_one() -> None:
    c = make_classes("sir_smoothed", np.array([0.5, 1.0, 2.0]), 2)
    assert c.breaks == SIR_BREAKS and c.colours == DIVERGING and c.kind == "fixed_sir"
    assert c.classify(np.array([1.0]))[0] == len(DIVERGING) // 2  # 1 is in the middle class


def test_constant_values_give_one_class() -> None:
    c = make_classes("cases", np.array([5.0, 5.0, 5.0]), 0)
    assert len(c.colours) == len(c.breaks) + 1


def test_map_paint_colours_and_texts() -> None:
    """Each area's class colour and hover text; grey and « secret » where suppressed."""
    codes, names = ["75", "13", "92"], ["Paris", "Bouches-du-Rhône", "Hauts-de-Seine"]
    values = np.array([10.04, np.nan, 30.0])
    ci = np.array([[9.0, 11.0], [np.nan, np.nan], [28.0, 32.0]])
    c = Classes([20.0], ["#aaaaaa", "#bbbbbb"], "quantile", 1)
    paint = map_paint(codes, names, values, ci, c, "secret", "fr")
    assert paint["names"] == dict(zip(codes, names, strict=True))
    assert paint["fills"] == {"75": "#aaaaaa", "13": SUPPRESSED, "92": "#bbbbbb"}
    nnbsp = "\u202f"
    assert paint["texts"] == {"75": f"10,0 (IC 95{nnbsp}%{nnbsp}: 9,0 à 11,0)", "13": "secret",
                              "92": f"30,0 (IC 95{nnbsp}%{nnbsp}: 28,0 à 32,0)"}
    english = map_paint(codes, names, values, None, c, "not published", "en")
    assert english["texts"] == {"75": "10.0", "13": "not published", "92": "30.0"}


def test_map_paint_classes_the_value_as_displayed() -> None:
    """2.76 reads « 2.8 »: it takes the colour of « 2.8 or more », not of « under 2.8 »."""
    c = Classes([2.8], ["#low", "#high"], "quantile", 1)
    paint = map_paint(["a", "b"], ["A", "B"], np.array([2.76, 2.74]), None, c, "-", "en")
    assert paint["fills"] == {"a": "#high", "b": "#low"}
    assert paint["texts"] == {"a": "2.8", "b": "2.7"}


RANKING_TEXT = RankingText("x", {"higher": "H", "lower": "L", "not_different": "N"}, "France",
                           "n.p.", "ranking")


def test_ranking_data() -> None:
    df = pd.DataFrame({"name": ["a", "b", "c"], "v": [1.25, 1234.5, np.nan],
                       "lo": [0.5, 1200, np.nan], "hi": [1.5, 1300.25, np.nan],
                       "sir_flag": ["lower", "higher", "lower"]})  # c: a flag, no value
    records = ranked(df, "v").to_dict("records")
    data = ranking_data(records, "v", "lo", "hi", 2.0, RANKING_TEXT, "fr")
    assert data["rows"] == [
        ["b", 1234.5, 1200.0, 1300.25, "higher",
         "b\u202f: 1\u202f234,5 (IC 95\u202f%\u202f: 1\u202f200,0 à 1\u202f300,2) — H",
         "1\u202f234,5"],
        ["a", 1.25, 0.5, 1.5, "lower", "a\u202f: 1,2 (IC 95\u202f%\u202f: 0,5 à 1,5) — L", "1,2"],
        ["c", None, None, None, None, "c\u202f: n.p.", ""]]
    # the legend names the flags shown, in a fixed order, then the reference line
    assert data["legend"] == [["higher", "H"], ["lower", "L"], ["reference", "France"]]
    assert data["reference"] == 2.0 and data["separators"] == ",\u202f"
    en = ranking_data(records, "v", None, None, None, RANKING_TEXT, "en", decimals=0)
    assert en["rows"][0][5:] == ["b: 1,234 — H", "1,234"]  # half-even, as in the table
    assert en["reference"] is None and en["legend"][-1] == ["lower", "L"]
    assert en["separators"] == ".,"


def test_ranking_order_breaks_ties_alphabetically() -> None:
    """Equal values in the reader's alphabetical order (accents with their letter), areas
    without a value last: the ranking and its table list areas alike at every refresh."""
    df = pd.DataFrame({"name": ["Val-d'Oise", "Éure", "Ain", "Zz", "Aube"],
                       "v": [2.0, 2.0, np.nan, 3.0, np.nan]})
    assert ranked(df, "v").name.tolist() == ["Zz", "Éure", "Val-d'Oise", "Ain", "Aube"]


def test_funnel_limits_are_exact_poisson() -> None:
    lim = funnel_limits(50.0, 100.0)
    assert np.all(lim["low998"] < lim["low95"]) and np.all(lim["low95"] < 1)
    assert np.all(lim["high998"] > lim["high95"]) and np.all(lim["high95"] > 1)
    assert np.all(np.diff(lim["high95"]) < 0)  # the funnel narrows as E grows
    df = pd.DataFrame({"geo_code": ["a", "b"], "name": ["A", "B"], "expected": [100.0, 100.0],
                       "sir": [1.0, 2.0], "sir_flag": ["not_different", "higher"]})
    assert outside(FunnelPoints.of(df), 0.95) == 1
    withheld = pd.DataFrame({"expected": pd.array([100.0, 100.0, None], dtype="Float64"),
                             "sir": pd.array([2.0, None, 3.0], dtype="Float64")})
    # areas without a SIR or an expected count: not counted
    assert outside(FunnelPoints.of(withheld), 0.95) == 1
    assert outside(FunnelPoints.of(withheld.iloc[1:2]), 0.95) == 0
    labels = {k: k for k in ("limit_95", "limit_998", "expected", "highlighted", "areas")}
    points = FunnelPoints.of(df)
    fig = funnel_figure(points, labels, "en", highlight="b")
    assert fig["data"][-1]["text"] == ["B"]
    assert fig["layout"]["xaxis"]["type"] == "log"
    # the highlight is added to the view's figure, which stays as it is (it is shared)
    plain = funnel_figure(points, labels, "en")
    kept = [dict(tr) for tr in plain["data"]]
    assert with_highlight(plain, points, "b", "highlighted", "en") == fig
    assert plain["data"] == kept and len(kept) == len(fig["data"]) - 1
    assert with_highlight(plain, points, "zz", "highlighted", "en") is plain  # not an area of it


def test_funnel_points_in_sir_order_equal_sirs_alphabetical() -> None:
    """The funnel's areas (those with a SIR and an expected count), highest SIR first, equal
    SIRs in the reader's alphabetical order: its table lists them alike at every refresh; the
    same from a frame or from plain columns."""
    df = pd.DataFrame({"geo_code": list("abcdef"),
                       "name": ["Val-d'Oise", "Éure", "Ain", "Zz", "Aube", "Cher"],
                       "expected": [10.0, 20.0, 30.0, 40.0, None, 60.0],
                       "sir": [1.2, 1.2, 0.9, 1.5, 2.0, None],
                       "sir_flag": ["higher", "higher", None, "higher", None, None]})
    points = FunnelPoints.of(df)
    assert points.code.tolist() == ["a", "b", "c", "d"]  # e and f not published
    assert points.name[points.by_sir()].tolist() == ["Zz", "Éure", "Val-d'Oise", "Ain"]
    columns = {k: np.array(df[k].tolist(), dtype=object) for k in df.columns}
    labels = {k: k for k in ("limit_95", "limit_998", "expected", "highlighted", "areas")}
    from_columns = FunnelPoints.of(columns)
    assert funnel_figure(from_columns, labels, "fr", "b") == funnel_figure(points, labels, "fr",
                                                                            "b")
    assert outside(from_columns, 0.95) == outside(points, 0.95)


def test_quintile_chart_points() -> None:
    """A point per published rate, in quintile order whatever the rows' order, values to 2
    decimals, texts in the page's language; a suppressed rate is not drawn, an interval
    missing leaves the point without bars."""
    rows = [{"quintile": q, "asr_world": v, "asr_world_low": lo, "asr_world_high": hi}
            for q, v, lo, hi in [(2, 1234.5678, 1200.0, 1270.04), (1, float("nan"), None, None),
                                 (3, 98.765, None, None), (5, 12.0, 11.5, 12.5),
                                 (4, None, None, None)]]
    labels = ["Q1 (a)", "Q2", "Q3", "Q4", "Q5 (b)"]
    d = quintile_chart(rows, "asr_world", labels, "Taux", "Taux par quintile", "Rien", "fr")
    assert d["points"] == [
        ["Q2", 1234.57, 1200.0, 1270.04, "1\u202f234,6",
         "Q2\u202f: 1\u202f234,6 (IC 95\u202f%\u202f: 1\u202f200,0 à 1\u202f270,0)"],
        ["Q3", 98.77, None, None, "98,8", "Q3\u202f: 98,8"],
        ["Q5 (b)", 12.0, 11.5, 12.5, "12,0",
         "Q5 (b)\u202f: 12,0 (IC 95\u202f%\u202f: 11,5 à 12,5)"]]
    assert d["categories"] == labels and d["separators"] == ",\u202f"
    assert (d["axisTitle"], d["label"], d["empty"]) == ("Taux", "Taux par quintile", "Rien")
    english = quintile_chart(rows[:1], "asr_world", labels, "Rate", "", "None", "en")
    assert english["points"][0][4:] == ["1,234.6", "Q2: 1,234.6 (95% CI: 1,200.0 to 1,270.0)"]
    assert quintile_chart([], "asr_world", labels, "", "", "", "fr")["points"] == []


def test_map_summary(ctx: None) -> None:
    df = queries.level_values("incidence", "lung", "all", 2019, 2023, "department")
    france = queries.cell("incidence", "lung", "all", 2019, 2023, "country", "FR")
    text = " ".join(map_summary(df, INDICATORS["asr_world"], "department", "incidence", "fr",
                                france))
    top = df.loc[df.asr_world.idxmax(), "name"]
    assert top in text and "France entière" in text
    assert "Données non diffusées" in text or (df.status == "published").all()
    en = " ".join(map_summary(df, INDICATORS["sir"], "department", "incidence", "en", france))
    assert "Highest" in en and "France as a whole" not in en


@pytest.mark.parametrize(("n", "lang", "expected"), [
    (0, "fr", "0 département"), (1, "fr", "1 département"), (2, "fr", "2 départements"),
    (0, "en", "0 departments"), (1, "en", "1 department"),
])
def test_count_areas(n: int, lang: str, expected: str) -> None:
    assert count_areas(n, "department", lang) == expected


def test_t_fills_placeholders_and_typography() -> None:
    assert t("footer_licence", "en", licence="X") == "Data under X."
    assert "\u202f:" in t("simulated_banner", "fr")


def test_download_filters_never_mix_department_and_region_codes() -> None:
    from dashboard.row_filter import cover

    def keys(*areas: tuple[str, str]) -> list[dict[str, object]]:
        return [{"measure": "incidence", "level": lv, "geo_code": code, "sex": "all",
                 "site_code": "all", "year_start": 2019, "year_end": 2023} for lv, code in areas]

    def queries(*areas: tuple[str, str]) -> list[dict[str, set[str]]]:
        every = {"country": ["FR"], "region": ["84", "93"], "department": ["84", "13"]}
        return [{k: set(v.split(",")) for k, v in f.query()}
                for _split, f in cover("indicator", keys(*areas), areas=every)]

    fr, reg, dep, dep13 = (("country", "FR"), ("region", "84"), ("department", "84"),
                           ("department", "13"))
    assert [(q["level"], q["geo"]) for q in queries(fr, reg)] == [
        ({"country", "region"}, {"FR", "84"})]
    assert [(q["level"], q["geo"]) for q in queries(fr, reg, dep)] == [
        ({"country", "region", "department"}, {"FR", "84"})]  # exactly these three areas
    # Region 84 and department 84 share a code: FR, region 84 and department 13 must not be
    # "level=country,region,department&geo=FR,84,13", which would add department 84.
    found = queries(fr, reg, dep13)
    assert len(found) == 2 and all(not ("84" in q.get("geo", ()) and "department" in q["level"])
                                  for q in found)
    assert queries(fr)[0]["period_length"] == {"5"}


def test_funnel_log_ticks_are_written_out() -> None:
    from dashboard.web.figures.funnel import log_ticks

    ticks = log_ticks(800.0, 95_000.0, "fr")
    assert ticks["tickvals"] == [1000, 2000, 5000, 10_000, 20_000, 50_000]
    assert ticks["ticktext"][3] == "10\u202f000"
    assert log_ticks(3.0, 40.0, "en")["ticktext"] == ["5", "10", "20"]


def test_ranking_frame_is_the_same_for_every_view_of_a_level() -> None:
    """The name column's width comes from the level's areas, not the ones shown: a change of
    site or sex hiding the longest name does not move the chart."""
    names = ["Ain", "Alpes-de-Haute-Provence", "Var"]
    widths = []
    for values in ([1.0, 2.0, 3.0], [1.0, None, 3.0]):  # the long name suppressed
        df = pd.DataFrame({"name": names, "v": values, "sir_flag": ["higher"] * 3})
        data = ranking_data(ranked(df, "v").to_dict("records"), "v", None, None, 2.0,
                            RANKING_TEXT, "fr")
        widths.append((data["labelWidth"], len(data["rows"])))
    assert widths[0] == widths[1] == (183, 3)
    assert label_margin(pd.Series(names)) == 183  # 23 characters × 7.4 px + 12


def _period_rows() -> list[dict[str, object]]:
    """Three periods of an area: the middle one suppressed (no value, no limits)."""
    return [
        {"year_start": 2015, "year_end": 2019, "status": "published", "asr_world": 310.04,
         "asr_world_low": 301.2, "asr_world_high": 318.9},
        {"year_start": 2016, "year_end": 2020, "status": "suppressed", "asr_world": None,
         "asr_world_low": float("nan"), "asr_world_high": None},
        {"year_start": 2017, "year_end": 2021, "status": "published", "asr_world": 322.5,
         "asr_world_low": 313.7, "asr_world_high": 331.6},
    ]


def test_trend_series_places_the_published_periods_at_their_middle() -> None:
    from dashboard.web.figures.trends import trend_series

    got = trend_series(_period_rows(), "asr_world", "Rhône", "#d55e00", True,
                       [(2019, 300.0)], "fr")
    assert got == {"name": "Rhône", "colour": "#d55e00", "fitted": [],  # pooled: no fit
                   "points": [[2017.0, 310.04, 301.2, 318.9, "2015–2019\u202f: 310,0"],
                              [2019.0, 322.5, 313.7, 331.6, "2017–2021\u202f: 322,5"]]}


def test_trend_series_keeps_the_fitted_line_of_single_years() -> None:
    from dashboard.web.figures.trends import trend_series

    rows = [{"year_start": y, "year_end": y, "status": "published", "asr_world": v}
            for y, v in [(2020, 10.0), (2021, 11.456), (2022, None)]]
    got = trend_series(rows, "asr_world", "France", "#000091", False,
                       [(2020, 10.123), (2021, 11.0)], "en", decimals=2)
    assert got["points"] == [[2020, 10.0, None, None, "2020: 10.00"],  # no limits: no band
                             [2021, 11.46, None, None, "2021: 11.46"]]
    assert got["fitted"] == [[2020, 10.12], [2021, 11.0]]


def test_trend_chart_keeps_areas_without_values_for_the_legend() -> None:
    from dashboard.web.figures.trends import trend_chart, trend_series

    rows = _period_rows()
    series = [trend_series(rows, "asr_world", "France", "#000091", True, [], "fr"),
              trend_series(rows[1:2], "asr_world", "Corse-du-Sud", "#d55e00", True, [], "fr")]
    texts = {"empty": "Aucune donnée", "fittedLabel": "tendance", "legendLabel": "Séries",
             "noValue": "aucune valeur"}
    got = trend_chart(series, "Taux", "Évolution", texts, "fr")
    assert [s["name"] for s in got["series"]] == ["France", "Corse-du-Sud"]
    assert got["series"][1]["points"] == []
    assert got["separators"] == ",\u202f" and got["axisTitle"] == "Taux"
    assert {k: got[k] for k in texts} == texts and got["label"] == "Évolution"


def test_statistic_over_time_chart_is_one_series_around_its_reference() -> None:
    from dashboard.web.figures.inequality import statistic_over_time_chart

    rows = [{"year": 2021, "value": 1.1234, "low": 1.08, "high": 1.17},
            {"year": 2022, "value": None, "low": None, "high": None},
            {"year": 2023, "value": 1.2, "low": float("nan"), "high": 1.3}]
    got = statistic_over_time_chart(rows, "Rapport Q5/Q1", "Rapport", "Rapport par année",
                                    "Aucune donnée", 1.0, "fr")
    assert got["series"] == [{"name": "Rapport Q5/Q1", "colour": "#000091", "fitted": [],
                              "points": [[2021, 1.12, 1.08, 1.17, "2021\u202f: 1,12"],
                                         [2023, 1.2, None, 1.3, "2023\u202f: 1,20"]]}]
    assert (got["reference"], got["fromZero"], got["legend"], got["height"]) == \
        (1.0, False, False, 300)
    assert got["empty"] == "Aucune donnée" and got["axisTitle"] == "Rapport"


def test_trend_summary_names_the_first_and_last_published_periods() -> None:
    from dashboard.web.summaries import trend_summary

    text = trend_summary("Rhône", _period_rows(), "asr_world", "Taux standardisé", "fr")
    assert text is not None
    assert "2015–2019" in text and "2017–2021" in text
    assert "310,0" in text and "322,5" in text
    assert trend_summary("Rhône", _period_rows()[1:2], "asr_world", "Taux", "fr") is None
