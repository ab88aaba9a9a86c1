"""Carte: choropleth of departments or regions, ranking, summary, table, downloads."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from dash import Dash, Output, State, html

from dashboard.web import queries
from dashboard.web.components import (
    AreaMap,
    Ranking,
    common_controls,
    controls_panel,
    data_table,
    download_links,
    figure_block,
    level_options,
    scroll_box,
    select,
    table_details,
)
from dashboard.web.figures.map import make_classes, map_paint
from dashboard.web.figures.ranking import RankingText, ranked, ranking_data
from dashboard.web.formatting import fmt_interval, fmt_number, in_sentence
from dashboard.web.i18n import t
from dashboard.web.indicators import INDICATORS, flag_label
from dashboard.web.pages.shared import (
    address_output,
    control_inputs,
    lang_of,
    memo_view,
    page_heading,
    register_address,
    register_period_options,
    register_sex_options,
    state_from_controls,
)
from dashboard.web.server import geometry_url
from dashboard.web.state import MAP_INDICATORS, Parsed, parse_period, serialise
from dashboard.web.static_tree import static
from dashboard.web.summaries import map_summary

PAGE = "carte"
LEVEL_SLUG = {"department": "departement", "region": "region"}


@dataclass(frozen=True)
class MapView:
    """Everything a filter change sends for the map (cached per state and language)."""

    paint: dict[str, Any]  # names, fills and hover texts by area code
    unit: str
    legend: dict[str, Any]  # {"items": [[colour, label], ...], "kind": ..., "suppressed": ...}
    summary: list[str]
    title: str


def _key(state: dict[str, str]) -> tuple[str, str, str, int, int, str]:
    ys, ye = parse_period(state["periode"])
    return state["mesure"], state["localisation"], state["sexe"], ys, ye, state["niveau"]


def view_title(state: dict[str, str], lang: str) -> str:
    """« Taux standardisé (population mondiale) : incidence, poumon, hommes, 2019–2023 »."""
    cat = queries.catalog()
    ind = INDICATORS[state["indicateur"]]
    ys, ye = parse_period(state["periode"])
    return t("map_heading", lang, indicator=ind.label(lang, state["mesure"]),
             measure=t(f"measure_{state['mesure']}_short", lang),
             site=in_sentence(cat.site_label(state["localisation"], lang)),
             sex=t(f"sex_{state['sexe']}", lang).lower(),
             period=str(ys) if ys == ye else f"{ys}–{ye}")


@queries.cached
def map_view(_rid: str, state_items: tuple[tuple[str, str], ...], lang: str) -> MapView:
    """Classes, colours, hover texts, legend and summary of a map state."""
    state = dict(state_items)
    measure, site, sex, ys, ye, level = _key(state)
    ind = INDICATORS[state["indicateur"]]
    df = queries.level_values(measure, site, sex, ys, ye, level)
    codes = queries.catalog().codes_of(level)
    names = queries.catalog().names_of(level)
    df = df.set_index("geo_code").reindex(codes).reset_index()
    values = df[ind.code].astype(float).to_numpy()
    classes = make_classes(ind.code, values, ind.decimals)
    ci = df[[ind.low, ind.high]].astype(float).to_numpy() if ind.low else None
    paint = map_paint(codes, names, values, ci, classes, t("suppressed", lang), lang)
    templates = {"below": t("legend_below", lang), "from_to": t("legend_from_to", lang),
                 "above": t("legend_above", lang), "all": ind.label(lang, measure)}
    items = [[c, label] for c, label in
             zip(classes.colours, classes.labels(lang, templates), strict=True)]
    france = queries.cell(measure, site, sex, ys, ye, "country", "FR")
    summary = map_summary(df, ind, level, measure, lang, france)
    kind = t("legend_fixed_sir" if classes.kind == "fixed_sir" else "legend_quantiles", lang)
    legend = {"items": items, "kind": kind, "suppressed": t("legend_suppressed", lang)}
    return MapView(paint, ind.unit(lang, measure), legend, summary, view_title(state, lang))


def legend_list(legend: dict[str, Any]) -> html.Ul:
    """One swatch per class, then the suppressed swatch."""
    items = [html.Li([html.Span(className="swatch", style={"background": c}), label])
             for c, label in legend["items"]]
    items.append(html.Li([html.Span(className="swatch swatch-suppressed"),
                          legend["suppressed"]]))
    return html.Ul(items, className="legend-list")


def legend_block(view: MapView, lang: str) -> list[Any]:
    """The legend: swatches and how the classes are chosen."""
    return [html.H2(t("legend_title", lang), className="legend-title"),
            html.Div(legend_list(view.legend), id="carte-legend"),
            html.P(view.legend["kind"], id="carte-legend-kind", className="legend-kind")]


@memo_view
def side_outputs(state: dict[str, str], lang: str) -> tuple[dict[str, Any], Any, Any]:
    """Ranking data, table of values and download links of a map state."""
    measure, site, sex, ys, ye, level = _key(state)
    ind = INDICATORS[state["indicateur"]]
    df = queries.level_values(measure, site, sex, ys, ye, level)
    france = queries.cell(measure, site, sex, ys, ye, "country", "FR")
    reference = 1.0 if ind.is_ratio else (france or {}).get(ind.code)
    if ind.code == "cases":
        reference = None
    text = RankingText(ind.axis_title(lang, measure),
                       {f: t(f"flag_{f}", lang) for f in ("higher", "lower", "not_different")},
                       t("france", lang), t("ranking_suppressed", lang), t("ranking_label", lang))
    records = ranked(df, ind.code).to_dict("records")  # once: slow on Arrow-backed columns
    ranking = ranking_data(records, ind.code, ind.low, ind.high, reference, text, lang,
                           ind.decimals)
    rows, profiles = [], []
    prefix, search = profile_link(state, lang)
    for r in records:
        profiles.append(f"{prefix}{r['geo_code']}{search}")
        published = r["status"] == "published"
        rows.append([r["name"],
                     fmt_number(r[ind.code], lang, ind.decimals) if published
                     else t("suppressed", lang),
                     fmt_interval(r.get(ind.low), r.get(ind.high), lang, ind.decimals)
                     if ind.low else "",
                     fmt_number(r["cases"], lang, 0) if published else "",
                     flag_label(r["sir_flag"], lang)])
    cases_label = t("deaths" if measure == "mortality" else "cases", lang)
    table = data_table([t("area", lang), f"{ind.label(lang, measure)} ({ind.unit(lang, measure)})",
                        t("interval", lang), cases_label, t("vs_france", lang)],
                       rows, view_title(state, lang), [False, True, True, True, False],
                       links=profiles)
    links = download_links(queries.catalog(), "indicator", records, lang)
    return ranking, table_details(table, lang), links


def map_view_props(state: dict[str, str], lang: str, view: MapView) -> dict[str, Any]:
    """The map's ``view``: colours and hover texts, its label, the inset's label and where a
    click on an area goes (its profile: path prefix, then the view's query string)."""
    return {**view.paint, "unit": view.unit, "label": t("map_graph_label", lang, title=view.title),
            "inset": t("paris_zoom", lang) if state["niveau"] == "department" else None,
            "link": list(profile_link(state, lang))}


def geometry_urls(level: str) -> list[str]:
    """The geometry a first map of ``level`` fetches (the page's ``<head>`` preloads it, so
    that it downloads with the bundles)."""
    return [geometry_url(level)]


def render(parsed: Parsed, args: dict[str, str]) -> tuple[list[Any], str]:
    """The Carte page for a parsed state (values included: one round trip)."""
    state, lang = parsed.state, parsed.lang
    cat = queries.catalog()
    view = map_view(tuple(state.items()), lang)
    ranking, table, links = side_outputs(state, lang)
    controls = controls_panel([
        *common_controls(PAGE, cat, state, lang),
        select(f"{PAGE}-indicateur", t("ctl_indicator", lang),
               [(i, INDICATORS[i].label(lang, state["mesure"])) for i in MAP_INDICATORS],
               state["indicateur"]),
        select(f"{PAGE}-niveau", t("ctl_level", lang), level_options(lang), state["niveau"]),
    ], lang)
    content = [
        *page_heading(t("title_map", lang), None, parsed),
        controls,
        html.H2(view.title, id="carte-title", className="view-title", **{"aria-live": "polite"}),
        html.Div(className="map-layout", children=[
            html.Div(className="map-main", children=[
                figure_block(AreaMap(geometry_url(state["niveau"]),
                                     map_view_props(state, lang, view), id="carte-map",
                                     className="area-map",
                                     style={"height": "min(540px, max(320px, 80vw))"}),
                             t("map_graph_label", lang, title=view.title),
                             html.P(t("map_click_hint", lang), className="hint"), None),
                html.Div(legend_block(view, lang), className="legend"),
            ]),
            html.Div(className="map-side", children=[
                html.H2(t("summary_title", lang)),
                html.P(summary_text(view), id="carte-summary", className="summary",
                       **{"aria-live": "polite"}),
                html.H2(t("ranking_title", lang)),
                scroll_box(Ranking(ranking, id="carte-ranking", className="ranking"), lang,
                           t("ranking_label", lang), "ranking-scroll"),
            ]),
        ]),
        html.Div(table, id="carte-table"),
        html.Div(links, id="carte-downloads"),
        html.P(t("copy_link_hint", lang), className="hint"),
    ]
    return content, t("title_map", lang)


def register(app: Dash) -> None:
    """Filter changes send the map's colours; the ranking and table follow separately."""
    register_sex_options(app, PAGE)
    register_address(app, PAGE)
    register_period_options(app, PAGE)
    # (the legend comes with the map's answer: a clientside rendering of it from data was one
    # more callback round after plotly's drawing)
    @app.callback(Output("carte-map", "view"), Output("carte-map", "shapes"),
                  Output("carte-legend", "children"), Output("carte-legend-kind", "children"),
                  Output("carte-summary", "children"), Output("carte-title", "children"),
                  address_output(PAGE),
                  *control_inputs(PAGE), State("url", "search"),
                  prevent_initial_call=True)
    def update_map(*args: Any) -> tuple[Any, ...]:
        *values, search = args
        return map_update(tuple(values), lang_of(search))

    @app.callback(Output("carte-ranking", "data"), Output("carte-table", "children"),
                  Output("carte-downloads", "children"), *control_inputs(PAGE),
                  State("url", "search"), prevent_initial_call=True)
    def update_side(*args: Any) -> tuple[Any, ...]:
        *values, search = args
        lang = lang_of(search)
        state = state_from_controls(PAGE, list(values), lang).state
        return side_outputs(state, lang)


def profile_link(state: dict[str, str], lang: str) -> tuple[str, str]:
    """An area's profile address for a map state: path prefix (the area code follows) and
    query string (the map and its table link to the same pages)."""
    return f"/territoire/{LEVEL_SLUG[state['niveau']]}/", profile_search(state, lang)


def profile_search(state: dict[str, str], lang: str) -> str:
    """The query string of an area's profile for a map state (same measure, site, sex and
    period, same language)."""
    keep = {k: state[k] for k in ("mesure", "localisation", "sexe", "periode")}
    return serialise("territoire", keep, lang)


@queries.local_cached
def map_update(values: tuple[str, ...], lang: str) -> tuple[Any, ...]:
    """Outputs of a filter change (memoised: a repeated change costs a dictionary lookup)."""
    state = state_from_controls(PAGE, list(values), lang).state
    view = map_view(tuple(state.items()), lang)
    # The legend goes out in its wire form (plain values: Dash's JSON encoder, orjson, writes
    # the response in one pass instead of walking Dash components in Python).
    return (map_view_props(state, lang, view), geometry_url(state["niveau"]),
            static(legend_list(view.legend)).to_plotly_json(), view.legend["kind"],
            summary_text(view), view.title, serialise(PAGE, state, lang))


def summary_text(view: MapView) -> list[str]:
    """The summary sentences as one paragraph's text (cheap to send)."""
    return list(itertools.chain.from_iterable((s, " ") for s in view.summary))[:-1]
