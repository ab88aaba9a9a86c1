"""Territoire: an area's profile against its region and France."""

from __future__ import annotations

from typing import Any

from dash import Dash, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from dashboard.web import queries
from dashboard.web.components import (
    DataTable,
    TrendChart,
    common_controls,
    controls_panel,
    data_table,
    download_links,
    figure_block,
    graph,
    key_figure,
    scroll_box,
)
from dashboard.web.formatting import fmt_int, fmt_interval, fmt_number, in_sentence
from dashboard.web.i18n import t
from dashboard.web.indicators import INDICATORS, flag_label
from dashboard.web.pages import introuvable
from dashboard.web.pages.inegalites import funnel_outputs
from dashboard.web.pages.shared import (
    address_output,
    control_inputs,
    figure_output,
    lang_of,
    memo_view,
    page_heading,
    register_address,
    register_figure_in_view,
    register_sex_options,
    state_from_controls,
)
from dashboard.web.state import Parsed, parse_period, serialise
from dashboard.web.trendview import Area, trend_view

PAGE = "territoire"


def chain(level: str, code: str, lang: str) -> list[Area]:
    """The area, its region (for a department) and France."""
    cat = queries.catalog()
    out = [Area(level, code, cat.area_name(level, code))]
    parent = cat.area_parent(level, code)
    if level == "department" and parent:
        out.append(Area("region", parent, cat.area_name("region", parent)))
    out.append(Area("country", "FR", t("france", lang)))
    return out


def key_figures(area: Area, state: dict[str, str], lang: str) -> list[Any]:
    """Cases, world-standardised rate and SIR of the area."""
    ys, ye = parse_period(state["periode"])
    row = queries.cell(state["mesure"], state["localisation"], state["sexe"], ys, ye,
                       area.level, area.code) or {}
    if row.get("status") != "published":
        # "Non diffusable" only for a suppressed cell; an absent cell is simply not published.
        key = "suppressed" if row.get("status") == "suppressed" else "not_published_here"
        return [html.P(t(key, lang).capitalize() + ".")]
    cases = t("deaths" if state["mesure"] == "mortality" else "cases", lang)
    if ye > ys:  # a total over the period, not a yearly figure
        cases = t("summed_over_years", lang, what=cases, years=ye - ys + 1)
    asr = INDICATORS["asr_world"]
    flag = row.get("sir_flag")
    sir_detail = " · ".join(filter(None, [
        fmt_interval(row.get("sir_low"), row.get("sir_high"), lang, 2),
        t(f"flag_long_{flag}", lang) if flag in ("higher", "lower", "not_different") else ""]))
    return [key_figure(fmt_int(row.get("cases"), lang), cases),
            key_figure(fmt_number(row.get("asr_world"), lang, 1),
                       f"{asr.label(lang)}, {asr.unit(lang)}",
                       fmt_interval(row.get("asr_world_low"), row.get("asr_world_high"), lang)),
            key_figure(fmt_number(row.get("sir"), lang, 2),
                       f"{t('ind_sir', lang)} — {t('unit_ratio', lang)}", sir_detail)]


def comparison_table(areas: list[Area], state: dict[str, str], lang: str) -> DataTable:
    """Area, region and France side by side."""
    ys, ye = parse_period(state["periode"])
    rows = []
    for a in areas:
        r = queries.cell(state["mesure"], state["localisation"], state["sexe"], ys, ye,
                         a.level, a.code) or {}
        if r.get("status") != "published":
            key = "suppressed" if r.get("status") == "suppressed" else "not_published_here"
            rows.append([a.name, t(key, lang), "", "", ""])
            continue
        rows.append([a.name, fmt_int(r.get("cases"), lang),
                     fmt_number(r.get("asr_world"), lang, 1),
                     fmt_interval(r.get("asr_world_low"), r.get("asr_world_high"), lang),
                     fmt_number(r.get("sir"), lang, 2) if a.level != "country" else "1"])
    cases = t("deaths" if state["mesure"] == "mortality" else "cases", lang)
    rate = f"{t('asr_world_short', lang)} ({t('unit_rate_short', lang)})"
    return data_table([t("area", lang), cases, rate, t("interval", lang), "SIR"], rows,
                      t("vs_france", lang), stack=True)


def sites_table(area: Area, state: dict[str, str], lang: str) -> DataTable:
    """Sites of the area ranked by number of cases."""
    ys, ye = parse_period(state["periode"])
    df = queries.sites_of_area(state["mesure"], state["sexe"], ys, ye, area.level, area.code)
    label = "label_fr" if lang == "fr" else "label_en"
    rows = []
    for r in df.to_dict("records"):
        published = r["status"] == "published"
        rows.append([r[label], fmt_int(r["cases"], lang) if published else t("suppressed", lang),
                     fmt_number(r["asr_world"], lang, 1) if published else "",
                     fmt_number(r["sir"], lang, 2) if published else "",
                     flag_label(r["sir_flag"], lang) if published else ""])
    cases = t("deaths" if state["mesure"] == "mortality" else "cases", lang)
    return data_table([t("site", lang), cases, t("asr_world_short", lang), "SIR",
                       t("vs_france", lang)], rows,
                      t("profile_sites", lang, sex=t(f"sex_{state['sexe']}", lang).lower(),
                        period=state["periode"].replace("-", "–")))


def view_words(state: dict[str, str], lang: str) -> tuple[str, str]:
    """The site and sex of a view as words inside a heading."""
    site = in_sentence(queries.catalog().site_label(state["localisation"], lang))
    return site, t(f"sex_{state['sexe']}", lang).lower()


@memo_view
def trend_outputs(level: str, code: str, state: dict[str, str], lang: str) -> dict[str, Any]:
    """The trend part of a profile (its own callback: computed beside the rest)."""
    areas = chain(level, code, lang)
    site, sex = view_words(state, lang)
    title = t("profile_trends", lang, site=site, sex=sex)
    tv = trend_view(areas, state["mesure"], state["localisation"], state["sexe"], "asr_world",
                    False, lang, title)
    return {"trend_title": title, "trend_fig": tv.chart,
            "trend_summary": [html.P(s) for s in tv.summary],
            "trend_table": [scroll_box(tv.trend_table, lang, title), tv.data_table]}


@memo_view
def profile_outputs(level: str, code: str, state: dict[str, str], lang: str) -> dict[str, Any]:
    """Every data-dependent part of a profile but its trend (:func:`trend_outputs`)."""
    areas = chain(level, code, lang)
    cat = queries.catalog()
    site, sex = view_words(state, lang)
    period = state["periode"].replace("-", "–")
    ffig, ftext, ftable, _ = funnel_outputs({**state, "niveau": level}, lang, code)
    ys, ye = parse_period(state["periode"])
    shown = [row for a in areas if (row := queries.cell(state["mesure"], state["localisation"],
                                                       state["sexe"], ys, ye, a.level, a.code))]
    links = download_links(cat, "indicator", shown, lang)
    return {
        "key_title": t("profile_key", lang, site=site, sex=sex, period=period),
        "key": key_figures(areas[0], state, lang),
        "compare": scroll_box(comparison_table(areas, state, lang), lang,
                              t("profile_key", lang, site=site, sex=sex, period=period)),
        "sites_title": t("profile_sites", lang, sex=sex, period=period),
        "sites": scroll_box(sites_table(areas[0], state, lang), lang,
                            t("profile_sites", lang, sex=sex, period=period)),
        "funnel_title": t("profile_funnel", lang, areas=t(f"areas_{level}", lang), site=site,
                          sex=sex, period=period),
        "funnel_fig": ffig, "funnel_text": ftext, "funnel_table": ftable,
        "downloads": links,
    }


ORDER = ["key_title", "key", "compare", "sites_title", "sites", "funnel_title", "funnel_fig",
         "funnel_text", "funnel_table", "downloads"]
TREND = ["trend_title", "trend_fig", "trend_summary", "trend_table"]
FIGURES = ("funnel_fig",)  # plotly, below the key figures: drawn when in view


def render(parsed: Parsed, args: dict[str, str]) -> tuple[list[Any], str]:
    state, lang = parsed.state, parsed.lang
    level, code = args["level"], args["code"].upper()
    cat = queries.catalog()
    if code not in cat.codes_of(level):
        return introuvable.content(lang, t("unknown_area", lang)), t("title_not_found", lang)
    name = cat.area_name(level, code)
    parent = cat.area_parent(level, code)
    parent_link: Any = t("france", lang)
    if level == "department" and parent:
        parent_link = dcc.Link(cat.area_name("region", parent),
                               href=f"/territoire/region/{parent}" + serialise(PAGE, state, lang))
    out = {**profile_outputs(level, code, state, lang), **trend_outputs(level, code, state, lang)}
    map_state = {**state, "niveau": level}
    content = [
        *page_heading(name, None, parsed),
        html.P([t(f"level1_{level}", lang), f" {code} — ", parent_link, " · ",
                dcc.Link(t("profile_map_link", lang),
                         href="/carte" + serialise("carte", {**map_state,
                                                             "indicateur": "asr_world"}, lang))],
               className="lead"),
        controls_panel(common_controls(PAGE, cat, state, lang), lang),
        html.H2(out["key_title"], id="territoire-key_title"),
        html.Div(out["key"], id="territoire-key", className="key-figures"),
        html.Div(out["compare"], id="territoire-compare"),
        html.H2(out["sites_title"], id="territoire-sites_title"),
        html.Div(out["sites"], id="territoire-sites"),
        html.H2(out["trend_title"], id="territoire-trend_title"),
        figure_block(TrendChart(out["trend_fig"], id="territoire-trend_fig",
                                className="trend-chart"), out["trend_title"],
                     out["trend_summary"], out["trend_table"],
                     summary_id="territoire-trend_summary", table_id="territoire-trend_table",
                     draw_in_view=True),
        html.H2(out["funnel_title"], id="territoire-funnel_title"),
        figure_block(graph("territoire-funnel_fig", lang, out["funnel_fig"]),
                     t("funnel_graph_label", lang), out["funnel_text"], out["funnel_table"],
                     summary_id="territoire-funnel_text", table_id="territoire-funnel_table",
                     draw_in_view=True),
        html.Div(out["downloads"], id="territoire-downloads"),
        dcc.Store(id="territoire-area", data={"level": level, "code": code}),
    ]
    return content, t("title_profile", lang, name=name)


def register(app: Dash) -> None:
    register_sex_options(app, PAGE)
    register_address(app, PAGE)
    for key in FIGURES:
        register_figure_in_view(app, f"{PAGE}-{key}")

    def outputs(keys: list[str]) -> list[Output]:
        return [figure_output(f"{PAGE}-{k}") if k in FIGURES
                else Output(f"{PAGE}-{k}", "data") if k == "trend_fig"
                else Output(f"{PAGE}-{k}", "children") for k in keys]

    def view(values: list[Any], area: dict[str, str] | None,
             search: str | None) -> tuple[dict[str, str], str]:
        if not area:
            raise PreventUpdate
        lang = lang_of(search)
        context = {"niveau": area["level"]}
        return state_from_controls(PAGE, values, lang, context=context).state, lang

    # Two callbacks, computed side by side: the trend, and the rest.
    @app.callback(*outputs(ORDER), address_output(PAGE), *control_inputs(PAGE),
                  State("territoire-area", "data"), State("url", "search"),
                  prevent_initial_call=True)
    def update(*args: Any) -> tuple[Any, ...]:
        *values, area, search = args
        state, lang = view(values, area, search)
        out = profile_outputs(area["level"], area["code"], state, lang)
        return (*[out[k] for k in ORDER], serialise(PAGE, state, lang))

    @app.callback(*outputs(TREND), *control_inputs(PAGE), State("territoire-area", "data"),
                  State("url", "search"), prevent_initial_call=True)
    def update_trend(*args: Any) -> tuple[Any, ...]:
        *values, area, search = args
        state, lang = view(values, area, search)
        out = trend_outputs(area["level"], area["code"], state, lang)
        return tuple(out[k] for k in TREND)
