"""Évolution: time series of France and chosen areas, confidence bands, joinpoint trends."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, html

from dashboard.web import queries
from dashboard.web.components import (
    TrendChart,
    common_controls,
    controls_panel,
    download_links,
    figure_block,
    scroll_box,
    select,
)
from dashboard.web.formatting import in_sentence
from dashboard.web.i18n import t
from dashboard.web.indicators import INDICATORS
from dashboard.web.pages.shared import (
    address_output,
    lang_of,
    page_heading,
    register_address,
    register_sex_options,
    state_from_controls,
)
from dashboard.web.state import (
    MAX_COMPARE,
    RHYTHMS,
    TREND_INDICATORS,
    Parsed,
    area_key,
    parse_area,
    serialise,
)
from dashboard.web.trendview import Area, trend_view

PAGE = "evolution"
SIMPLE_KEYS = ["mesure", "localisation", "sexe", "indicateur", "rythme"]
NONE = "aucun"  # value of the empty choice (an empty value would show a blank select)


def compare_options(lang: str) -> list[tuple[str, str]]:
    """Every region then every department, labelled with its level."""
    cat = queries.catalog()
    out = [(NONE, t("ctl_none", lang))]
    for level in ("region", "department"):
        prefix = t(f"level1_{level}", lang)
        for code, name in zip(cat.codes_of(level), cat.names_of(level), strict=True):
            label = f"{prefix} — {name}" if level == "region" else f"{prefix} — {code} {name}"
            out.append((area_key(level, code), label))
    return out


def areas_of(state: dict[str, str], lang: str) -> list[Area]:
    """France then the compared areas."""
    cat = queries.catalog()
    out = [Area("country", "FR", t("france", lang))]
    for token in filter(None, state.get("comparer", "").split(",")):
        level, code = parse_area(token)
        out.append(Area(level, code, cat.area_name(level, code)))
    return out


def view_outputs(state: dict[str, str], lang: str) -> tuple[Any, ...]:
    """Chart, summary, trend table, data table and downloads of a state."""
    cat = queries.catalog()
    pooled = state["rythme"] == "quinquennal"
    ind = INDICATORS[state["indicateur"]]
    measure, sex = state["mesure"], state["sexe"]
    caption = (f"{ind.label(lang, measure)} — {in_sentence(t('measure_' + measure, lang))}, "
               f"{in_sentence(cat.site_label(state['localisation'], lang))}, "
               f"{t('sex_' + sex, lang).lower()}")
    areas = areas_of(state, lang)
    view = trend_view(areas, state["mesure"], state["localisation"], state["sexe"],
                      state["indicateur"], pooled, lang, caption)
    summary = [html.P(s) for s in view.summary]
    if state["indicateur"] != "asr_world" or pooled:
        summary.append(html.P(t("trend_only_world", lang), className="hint"))
    if not pooled and any(a.level == "department" for a in areas):
        summary.append(html.P(t("departments_pooled_only", lang), className="note"))
    links = html.Div([download_links(cat, "indicator", view.rates, lang, "downloads_rates"),
                      download_links(cat, "trend", view.trends, lang, "downloads_trends")])
    return view.chart, summary, view.trend_table, view.data_table, links, caption


def render(parsed: Parsed, args: dict[str, str]) -> tuple[list[Any], str]:
    state, lang = parsed.state, parsed.lang
    cat = queries.catalog()
    chart, summary, ttable, dtable, links, caption = view_outputs(state, lang)
    chosen = [t for t in state.get("comparer", "").split(",") if t]
    chosen += [NONE] * (MAX_COMPARE - len(chosen))
    options = compare_options(lang)
    controls = controls_panel([
        *common_controls(PAGE, cat, state, lang, with_period=False),
        select(f"{PAGE}-indicateur", t("ctl_indicator", lang),
               [(i, INDICATORS[i].label(lang, state["mesure"])) for i in TREND_INDICATORS],
               state["indicateur"]),
        select(f"{PAGE}-rythme", t("ctl_rhythm", lang),
               [(r, t("rhythm_year" if r == "annuel" else "rhythm_period", lang))
                for r in RHYTHMS], state["rythme"]),
        *[select(f"{PAGE}-comparer-{i + 1}", t("ctl_compare_n", lang, n=i + 1), options, v)
          for i, v in enumerate(chosen)],
    ], lang)
    content = [
        *page_heading(t("title_trends", lang), t("trends_lead", lang), parsed),
        controls,
        html.H2(caption, id="evolution-title", className="view-title"),
        figure_block(TrendChart(chart, id="evolution-graph", className="trend-chart"),
                     t("trends_graph_label", lang, title=caption),
                     summary, dtable, summary_id="evolution-summary",
                     table_id="evolution-data"),
        html.H2(t("trend_table_title", lang)),
        html.Div(scroll_box(ttable, lang), id="evolution-trends"),
        html.Div(links, id="evolution-downloads"),
    ]
    return content, t("title_trends", lang)


def register(app: Dash) -> None:
    register_sex_options(app, PAGE)
    register_address(app, PAGE)
    inputs = [Input(f"{PAGE}-{k}", "value") for k in SIMPLE_KEYS]
    inputs += [Input(f"{PAGE}-comparer-{i + 1}", "value") for i in range(MAX_COMPARE)]

    @app.callback(Output("evolution-graph", "data"), Output("evolution-summary", "children"),
                  Output("evolution-trends", "children"), Output("evolution-data", "children"),
                  Output("evolution-downloads", "children"), Output("evolution-title", "children"),
                  address_output(PAGE), *inputs, State("url", "search"),
                  prevent_initial_call=True)
    def update(*args: Any) -> tuple[Any, ...]:
        *values, search = args
        simple, compare = values[:len(SIMPLE_KEYS)], values[len(SIMPLE_KEYS):]
        lang = lang_of(search)
        compared = ",".join(dict.fromkeys(v for v in compare if v and v != NONE))
        state = state_from_controls(PAGE, [*simple, compared], lang,
                                    [*SIMPLE_KEYS, "comparer"]).state
        chart, summary, ttable, dtable, links, caption = view_outputs(state, lang)
        return (chart, summary, scroll_box(ttable, lang), dtable, links,
                caption, serialise(PAGE, state, lang))
