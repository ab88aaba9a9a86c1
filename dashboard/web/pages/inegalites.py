"""Inégalités: rates by deprivation quintile (social) and the funnel plot of SIRs (territorial)."""

from __future__ import annotations

from typing import Any

import numpy as np
from dash import Dash, Output, State, html

from dashboard.row_filter import key_columns
from dashboard.web import queries
from dashboard.web.components import (
    QuintileChart,
    TrendChart,
    common_controls,
    controls_panel,
    data_table,
    download_links,
    figure_block,
    graph,
    level_options,
    scroll_box,
    select,
    table_details,
)
from dashboard.web.figures.common import empty_figure
from dashboard.web.figures.funnel import FunnelPoints, funnel_figure, outside, with_highlight
from dashboard.web.figures.inequality import quintile_chart, statistic_over_time_chart
from dashboard.web.formatting import fmt_int, fmt_interval, fmt_number
from dashboard.web.i18n import count_areas, t
from dashboard.web.indicators import INDICATORS
from dashboard.web.pages.shared import (
    address_output,
    control_inputs,
    figure_output,
    lang_of,
    memo_view,
    page_heading,
    register_address,
    register_figure_in_view,
    register_period_options,
    register_sex_options,
    state_from_controls,
)
from dashboard.web.state import INEQ_INDICATORS, Parsed, parse_period, serialise
from dashboard.web.summaries import inequality_summary

PAGE = "inegalites"
STATISTICS = ("rate_ratio", "rate_difference", "sii", "rii")


def quintile_labels(lang: str) -> list[str]:
    return [t("quintile_1", lang), *[t("quintile_n", lang, n=i) for i in (2, 3, 4)],
            t("quintile_5", lang)]


@memo_view
def social_outputs(state: dict[str, str], lang: str) -> tuple[Any, ...]:
    """Quintile chart, summary, statistics table, data table, downloads, gap over time."""
    measure, site, sex = state["mesure"], state["localisation"], state["sexe"]
    ys, ye = parse_period(state["periode"])
    zone = state["zone"]
    level = "country" if zone == "FR" else "region"
    ind = INDICATORS[state["indicateur"]]
    q = queries.quintiles(measure, site, sex, ys, ye, level, zone) if _has(zone) else []
    stats = queries.inequality_stats(measure, site, sex, ys, ye, level, zone) \
        if _has(zone) else []
    labels = quintile_labels(lang)
    y_title = ind.axis_title(lang, measure)
    chart = quintile_chart(q, ind.code, labels, y_title, t("ineq_graph_label", lang),
                           t("no_data", lang), lang)
    sentence = inequality_summary(stats, lang)
    summary = [html.P(sentence)] if sentence else [html.P(t("no_data", lang))]
    rows = []
    for r in q:
        published = r["status"] == "published"
        rows.append([labels[int(r["quintile"]) - 1],
                     fmt_number(r[ind.code], lang, 1) if published else t("suppressed", lang),
                     fmt_interval(r[ind.low], r[ind.high], lang, 1) if published else "",
                     fmt_int(r["cases"], lang) if published else ""])
    cases = t("deaths" if measure == "mortality" else "cases", lang)
    qtable = table_details(data_table([t("quintile", lang), y_title, t("interval", lang), cases],
                                      rows, t("ineq_graph_label", lang)), lang)
    stat_rows = []
    by_stat = {r["statistic"]: r for r in stats}
    for s in STATISTICS:
        r = by_stat.get(s)
        if r is not None and r["status"] == "published":
            dec = 2 if s in ("rate_ratio", "rii") else 1
            stat_rows.append([t(f"stat_{s}", lang), fmt_number(r["value"], lang, dec),
                              fmt_interval(r["low"], r["high"], lang, dec)])
        elif r is not None:
            stat_rows.append([t(f"stat_{s}", lang), t("ineq_withheld", lang), ""])
    stable = data_table([t("statistic", lang), t("value", lang), t("interval", lang)], stat_rows,
                        t("ineq_indices", lang), [False, True, True])
    over = queries.inequality_over_time(measure, site, sex, "rate_ratio")
    over_chart = statistic_over_time_chart(over, t("stat_rate_ratio", lang),
                                           t("stat_rate_ratio", lang),
                                           t("ineq_over_time_label", lang), t("no_data", lang),
                                           1.0, lang)
    over_rows = [[str(int(r["year"])), fmt_number(r["value"], lang, 2),
                  fmt_interval(r["low"], r["high"], lang, 2)] for r in over]
    over_table = table_details(data_table([t("year", lang), t("stat_rate_ratio", lang),
                                           t("interval", lang)], over_rows,
                                          t("ineq_over_time_label", lang)), lang)
    links = download_links(queries.catalog(), "inequality", q, lang)
    return chart, summary, stable, qtable, links, over_chart, over_table


def _has(zone: str) -> bool:
    return zone in queries.inequality_zones()


def _level_columns(state: dict[str, str]) -> dict[str, np.ndarray]:
    ys, ye = parse_period(state["periode"])
    return queries.level_columns(state["mesure"], state["localisation"], state["sexe"], ys, ye,
                                 state["niveau"])


def funnel_outputs(state: dict[str, str], lang: str,
                   highlight: str | None = None) -> tuple[Any, ...]:
    """Funnel figure, dispersion text, table and downloads for the areas of a level; area
    ``highlight`` marked (the figure of the view is computed once for all its areas)."""
    fig, *rest = _funnel_view(state, lang)
    if highlight is not None:
        fig = with_highlight(fig, FunnelPoints.of(_level_columns(state)), highlight,
                             t("highlighted", lang), lang)
    return (fig, *rest)


@memo_view
def _funnel_view(state: dict[str, str], lang: str) -> tuple[Any, ...]:
    level = state["niveau"]
    columns = _level_columns(state)
    labels = {k: t(k, lang) for k in ("limit_95", "limit_998", "expected", "highlighted")}
    labels["areas"] = t(f"level_{level}", lang)
    pub = FunnelPoints.of(columns)
    fig = funnel_figure(pub, labels, lang) if len(pub) else empty_figure(t("no_data", lang))
    quartile1 = np.percentile(pub.sir, 25) if len(pub) >= 4 else float("nan")
    iqr = np.percentile(pub.sir, 75) / quartile1 if quartile1 > 0 else float("nan")
    text = t("dispersion_text", lang, areas=count_areas(len(pub), level, lang),
             out95=outside(pub, 0.95), exp95=fmt_number(0.05 * len(pub), lang, 1),
             out998=outside(pub, 0.998), iqr=fmt_number(iqr, lang, 2))
    rows = [[pub.name[i], fmt_number(pub.expected[i], lang, 1), fmt_number(pub.sir[i], lang, 2),
             fmt_interval(pub.sir_low[i], pub.sir_high[i], lang, 2)] for i in pub.by_sir()]
    table = table_details(data_table([t("area", lang), t("expected", lang), "SIR",
                                      t("interval", lang)], rows,
                                     t("funnel_graph_label", lang)), lang)
    keys = key_columns("indicator")
    shown = [dict(zip(keys, values, strict=True)) for values in
             zip(*(columns[k][pub.rows].tolist() for k in keys), strict=True)]
    links = download_links(queries.catalog(), "indicator", shown, lang)
    return fig, [html.P(text)], table, links


def render(parsed: Parsed, args: dict[str, str]) -> tuple[list[Any], str]:
    state, lang = parsed.state, parsed.lang
    cat = queries.catalog()
    chart, summary, stable, qtable, links, over_chart, over_table = social_outputs(state, lang)
    ffig, ftext, ftable, flinks = funnel_outputs(state, lang)
    zones = [("FR", t("france", lang))] + [
        (c, cat.area_name("region", c)) for c in queries.inequality_zones() if c != "FR"]
    controls = controls_panel([
        *common_controls(PAGE, cat, state, lang),
        select(f"{PAGE}-indicateur", t("ctl_indicator", lang),
               [(i, INDICATORS[i].label(lang, state["mesure"])) for i in INEQ_INDICATORS],
               state["indicateur"]),
        select(f"{PAGE}-zone", t("ctl_zone", lang), zones, state["zone"]),
        select(f"{PAGE}-niveau", t("ctl_level", lang), level_options(lang), state["niveau"]),
    ], lang)
    content = [
        *page_heading(t("title_inequalities", lang), None, parsed),
        controls,
        html.H2(t("ineq_social", lang)),
        html.P(t("ineq_social_lead", lang), className="prose"),
        html.Div(className="two-cols", children=[
            figure_block(QuintileChart(chart, id="inegalites-quintiles",
                                       className="quintile-chart"),
                         t("ineq_graph_label", lang), summary, qtable,
                         summary_id="inegalites-summary", table_id="inegalites-qtable"),
            html.Div([scroll_box(stable, lang, id="inegalites-stats"),
                      html.Div(links, id="inegalites-downloads")]),
        ]),
        html.H3(t("ineq_over_time", lang)),
        figure_block(TrendChart(over_chart, id="inegalites-over-time", className="trend-chart"),
                     t("ineq_over_time_label", lang),
                     None, over_table, table_id="inegalites-over-table", draw_in_view=True),
        html.H2(t("ineq_territorial", lang)),
        html.P(t("funnel_lead", lang), className="prose"),
        figure_block(graph("inegalites-funnel", lang, ffig), t("funnel_graph_label", lang),
                     ftext, ftable, summary_id="inegalites-dispersion",
                     table_id="inegalites-ftable", draw_in_view=True),
        html.Div(flinks, id="inegalites-fdownloads"),
    ]
    return content, t("title_inequalities", lang)


def register(app: Dash) -> None:
    register_sex_options(app, PAGE)
    register_address(app, PAGE)
    register_figure_in_view(app, f"{PAGE}-funnel")
    register_period_options(app, PAGE)

    @app.callback(Output("inegalites-quintiles", "data"),
                  Output("inegalites-summary", "children"), Output("inegalites-stats", "children"),
                  Output("inegalites-qtable", "children"),
                  Output("inegalites-downloads", "children"),
                  Output("inegalites-over-time", "data"),
                  Output("inegalites-over-table", "children"),
                  address_output(PAGE),
                  *control_inputs(PAGE), State("url", "search"), prevent_initial_call=True)
    def update_social(*args: Any) -> tuple[Any, ...]:
        *values, search = args
        lang = lang_of(search)
        state = state_from_controls(PAGE, list(values), lang).state
        return (*social_outputs(state, lang), serialise(PAGE, state, lang))

    @app.callback(figure_output("inegalites-funnel"),
                  Output("inegalites-dispersion", "children"),
                  Output("inegalites-ftable", "children"),
                  Output("inegalites-fdownloads", "children"),
                  *control_inputs(PAGE), State("url", "search"), prevent_initial_call=True)
    def update_funnel(*args: Any) -> tuple[Any, ...]:
        *values, search = args
        lang = lang_of(search)
        state = state_from_controls(PAGE, list(values), lang).state
        return funnel_outputs(state, lang)
