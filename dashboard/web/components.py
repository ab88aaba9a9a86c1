"""Reusable page pieces: labelled native selects, data tables, download links, figures."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html
from dash.development.base_component import Component

from dashboard.catalogue import Catalogue
from dashboard.row_filter import cover
from dashboard.web.collation import by_label
from dashboard.web.figures.common import CONFIG
from dashboard.web.formatting import period_label
from dashboard.web.i18n import t
from dashboard.web.state import LEVELS, period_key

DOWNLOAD_FORMATS = ("csv", "csv-excel", "parquet", "json")
PLOTLY_LOCALE = {"fr": "fr", "en": "en-US"}  # en-US: plotly's built-in locale


def select(id_: str, label: str, options: Sequence[tuple[str, str]], value: str) -> html.Div:
    """A native ``<select>`` with its visible ``<label>`` (axe-clean, keyboard-friendly)."""
    return html.Div(className="control", children=[
        html.Label(label, htmlFor=id_),
        dbc.Select(id=id_, options=[{"label": lab, "value": val} for val, lab in options],
                   value=value, className="select"),
    ])


def measure_options(cat: Catalogue, lang: str) -> list[tuple[str, str]]:
    return [(m, t(f"measure_{m}", lang)) for m in cat.measures]


def site_options(cat: Catalogue, lang: str) -> list[tuple[str, str]]:
    """All cancers first, then the sites in the language's alphabetical order."""
    return by_label(((code, fr if lang == "fr" else en) for code, fr, en, _s in cat.sites),
                    first=("all",))


def sex_options(cat: Catalogue, site: str, lang: str) -> list[tuple[str, str]]:
    return [(s, t(f"sex_{s}", lang)) for s in cat.site_sexes(site)]


def period_options(cat: Catalogue, lang: str, level: str | None = None) -> list[tuple[str, str]]:
    """5-year periods first (most recent first), then single years (none for departments,
    which are published for 5-year periods only)."""
    available = cat.periods_of("indicator", level) if level else cat.periods
    pooled = [p for p in available if p[0] != p[1]]
    singles = [p for p in available if p[0] == p[1]]
    periods = list(reversed(pooled)) + list(reversed(singles))
    return [(period_key(p), period_label(p)) for p in periods]


def level_options(lang: str) -> list[tuple[str, str]]:
    return [(lv, t(f"level_{lv}", lang)) for lv in LEVELS]


def common_controls(page: str, cat: Catalogue, state: dict[str, str], lang: str,
                    with_period: bool = True) -> list[Any]:
    """Measure, site, sex (and period) selects of a page (ids ``{page}-{key}``), the choices
    of the dependent selects (sexes by site, periods by level when the page has one) and the
    page's address store (``{page}-address``, see :func:`pages.shared.register_address`)."""
    out: list[Any] = [
        dcc.Store(id=f"{page}-address"),
        select(f"{page}-mesure", t("ctl_measure", lang), measure_options(cat, lang),
               state["mesure"]),
        select(f"{page}-localisation", t("ctl_site", lang), site_options(cat, lang),
               state["localisation"]),
        select(f"{page}-sexe", t("ctl_sex", lang),
               sex_options(cat, state["localisation"], lang), state["sexe"]),
        dcc.Store(id=f"{page}-sexe-choices",
                  data={site: sex_options(cat, site, lang) for site, *_ in cat.sites})]
    if with_period:
        out.append(select(f"{page}-periode", t("ctl_period", lang),
                          period_options(cat, lang, state.get("niveau")), state["periode"]))
        if "niveau" in state:
            out.append(dcc.Store(id=f"{page}-periode-choices", data={
                level: period_options(cat, lang, level) for level in LEVELS}))
    return out


def controls_panel(children: list[Any], lang: str) -> html.Form:
    """The filter bar (a form that never submits: changes apply at once)."""
    return html.Form(className="controls", role="search", **{"aria-label": t("filters", lang)},
                     children=children)


class BrowserComponent(Component):
    """A Dash component drawn by the site's own script (``static/``, namespace ``dashboard``):
    subclasses name their type and props."""

    _namespace = "dashboard"
    _children_props: ClassVar[list[str]] = []
    _base_nodes: ClassVar[list[str]] = ["children"]
    _valid_wildcard_attributes: ClassVar[list[str]] = []
    available_wildcard_properties: ClassVar[list[str]] = []


class PageMeta(BrowserComponent):
    """The page's metadata (``data``: title, language, canonical query string), applied in the
    browser by ``static/page_meta.js`` when the router draws a page; renders nothing."""

    _type = "PageMeta"
    _prop_names: ClassVar[list[str]] = ["id", "data"]
    available_properties: ClassVar[list[str]] = _prop_names


class DataTable(BrowserComponent):
    """An accessible table drawn in the browser by ``static/datatable.js``: one component.

    Caption, column headers (``scope="col"``), the first cell of each row as its row header
    (``scope="row"``), a link there when ``links`` gives the row one (an in-site page, followed
    in the page), numeric columns right-aligned (class ``num``). As plain Dash components
    a 100-row table is ~600 of them, and dash-renderer's bookkeeping of each one, at every
    render and store update, is what made control changes slow; here it is one.
    """

    _type = "DataTable"
    _prop_names: ClassVar[list[str]] = ["id", "className", "caption", "columns", "rows",
                                        "numeric", "links"]
    available_properties: ClassVar[list[str]] = _prop_names

    def __init__(self, columns: Sequence[str], rows: list[list[str]], caption: str,
                 numeric: Sequence[bool], **kwargs: Any) -> None:
        super().__init__(columns=list(columns), rows=rows, caption=caption,
                         numeric=list(numeric), **kwargs)


class DataChart(BrowserComponent):
    """A chart drawn as SVG by the site's script from ``data`` the server computes: a filter
    change sends values, not a plotly figure."""

    _prop_names: ClassVar[list[str]] = ["id", "className", "data"]
    available_properties: ClassVar[list[str]] = _prop_names

    def __init__(self, data: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(data=data, **kwargs)


class Ranking(DataChart):
    """The map page's ranking chart (``static/ranking.js``, data from
    :func:`figures.ranking.ranking_data`)."""

    _type = "Ranking"


class QuintileChart(DataChart):
    """The rates by deprivation quintile (``static/quintile_chart.js``, data from
    :func:`figures.inequality.quintile_chart`): five points."""

    _type = "QuintileChart"


class TrendChart(DataChart):
    """Areas' series over time: bands, lines, fitted trends, a legend whose buttons hide or
    show a series (``static/trend_chart.js``, data from :func:`figures.trends.trend_chart`)."""

    _type = "TrendChart"
    HEIGHT = 360  # px of the drawing, unless the data say (trend_chart.js)
    LEGEND = 44  # px of a one-line legend

    def box_height(self) -> int:
        """Height of the chart's box before it is drawn: its drawing and legend."""
        data = self.data  # type: ignore[attr-defined]
        legend = self.LEGEND if data.get("legend", True) else 0
        return (data.get("height") or self.HEIGHT) + legend


class AreaMap(BrowserComponent):
    """The map page's choropleth, drawn as SVG by ``static/area_map.js``: the areas' paths
    from ``shapes`` (a URL, :mod:`map_shapes`), their colours and hover texts from ``view``
    (:func:`figures.map.map_paint`): a filter change sends colours, not a figure."""

    _type = "AreaMap"
    _prop_names: ClassVar[list[str]] = ["id", "className", "style", "shapes", "view"]
    available_properties: ClassVar[list[str]] = _prop_names

    def __init__(self, shapes: str, view: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(shapes=shapes, view=view, **kwargs)


class InView(BrowserComponent):
    """Its children mounted once the box comes near the view (within a quarter of the
    window's height, or when the page is printed), an empty box of ``style`` until then
    (``static/figures_in_view.js``): a chart below the fold costs no drawing, not even of an
    empty frame, before the reader scrolls to it. ``plotly``: the children are a plotly chart
    (plotly.js is then evaluated when the browser is idle, and the chart mounted once it is)."""

    _type = "InView"
    _prop_names: ClassVar[list[str]] = ["id", "className", "style", "children", "plotly"]
    available_properties: ClassVar[list[str]] = _prop_names

    def __init__(self, children: Any, **kwargs: Any) -> None:
        super().__init__(children=children, **kwargs)


def data_table(columns: Sequence[str], rows: Iterable[Sequence[Any]], caption: str,
               numeric: Sequence[bool] | None = None, stack: bool = False,
               links: Sequence[str | None] | None = None) -> DataTable:
    """An accessible table: caption, column headers, first cell of each row as row header
    (a link to ``links[i]``, an in-site address, when given for the row).

    ``stack``: on a phone each row is shown as a card, every cell labelled with its column
    (for a few rows of long texts, e.g. trend segments); the table keeps its roles.
    """
    numeric = numeric or [False] + [True] * (len(columns) - 1)
    rows = [["" if v is None else str(v) for v in row] for row in rows]
    if any(len(r) != len(columns) for r in [numeric, *rows]):
        raise ValueError("every row and the numeric flags need one value per column")
    extra: dict[str, Any] = {}
    if links is not None:
        if len(links) != len(rows):
            raise ValueError("links need one address (or None) per row")
        extra["links"] = list(links)
    return DataTable(columns, rows, caption, numeric,
                     className="data-table stack" if stack else "data-table", **extra)


def table_details(table: DataTable, lang: str, open_: bool = False) -> html.Details:
    """A data table folded in a ``<details>`` element."""
    return html.Details(className="table-details", open=open_, children=[
        html.Summary(t("show_table", lang)), scroll_box(table, lang)])


def scroll_box(child: Any, lang: str, label: str | None = None,
               class_name: str = "table-scroll", **kwargs: Any) -> html.Div:
    """A scrollable region reachable with the keyboard (axe ``scrollable-region-focusable``)."""
    return html.Div(child, className=class_name, tabIndex="0", role="region",
                    **{"aria-label": label or t("data_table", lang)}, **kwargs)


def download_links(cat: Catalogue, table: str, rows: pd.DataFrame | Sequence[Mapping[str, Any]],
                   lang: str, title_key: str = "downloads") -> html.Div:
    """« Télécharger les données » links, one per format, returning exactly ``rows``.

    The links are built from the keys of the rows the view displays (:func:`row_filter.cover`):
    one group of links per filter when the rows are not one product of values (e.g. the sites
    of France, each with its own sex), each group named by what sets it apart.
    """
    records = rows.to_dict("records") if isinstance(rows, pd.DataFrame) else list(rows)
    areas = {lv: cat.codes_of(lv) for lv in ("country", "region", "department")}
    groups = []
    for split, row_filter in cover(table, records, cat.periods_of(table), areas):
        suffix = f" ({', '.join(_split_label(cat, c, v, lang) for c, v in split)})" \
            if split else ""
        links = []
        for fmt in DOWNLOAD_FORMATS:
            label = t(f"download_{fmt.replace('-', '_')}", lang)
            links.append(html.Li(html.A(label, href=row_filter.href(fmt), className="download",
                                        **{"aria-label": t("download_label", lang, fmt=label)
                                           + suffix})))
        groups.append(html.Div(className="downloads", children=[
            html.Span(t(title_key, lang) + suffix, className="downloads-title"),
            html.Ul(links)]))
    return html.Div(groups)


def _split_label(cat: Catalogue, column: str, value: Any, lang: str) -> str:
    if column == "areas":  # merged groups: each part's label
        return t("and", lang).join(_split_label(cat, c, v, lang) for c, v in value)
    if column == "period":
        return period_label(value)
    if column == "geo_code":
        return next((n for lv, c, n, _p in cat.areas if c == value), str(value))
    if column == "sex":
        return t(f"sex_{value}", lang).lower()
    if column == "level":  # « France » keeps its capital, « régions » has none
        return t(f"group_{value}", lang)
    return cat.label(column, str(value), lang)


def graph(id_: str, lang: str, figure: dict[str, Any],
          extra_config: dict[str, Any] | None = None, class_name: str = "",
          style: dict[str, str] | None = None) -> dcc.Graph:
    """A ``dcc.Graph`` with the site's configuration, its toolbar in the page's language
    (``assets/plotly-locale-fr.js``); plotly never leaves the site."""
    config = {**CONFIG, "locale": PLOTLY_LOCALE[lang], **(extra_config or {})}
    return dcc.Graph(id=id_, figure=figure, config=config, responsive=True,
                     style=style or graph_style(figure), className=f"graph {class_name}".strip())


def graph_style(figure: dict[str, Any]) -> dict[str, str]:
    """Container height of a responsive graph (the figure's own height, if it has one)."""
    height = figure.get("layout", {}).get("height")
    return {"height": f"{height}px"} if height else {}


def figure_block(graph_: Component, label: str, summary: Any, table: Any,
                 summary_id: str | None = None, table_id: str | None = None,
                 draw_in_view: bool = False) -> html.Figure:
    """A chart with its text alternative: a generated summary and the data table, and, for a
    plotly chart, the store of its next figure (see :func:`pages.shared.register_figure_in_view`);
    ``draw_in_view``: the chart is mounted, and drawn, when it comes near the view (a chart
    below the fold, :class:`InView`)."""
    caption_kw = {"id": summary_id} if summary_id else {}
    table_kw = {"id": table_id} if table_id else {}
    plotly = isinstance(graph_, dcc.Graph)
    shown: Any = graph_
    if draw_in_view:
        style = graph_.style if plotly else {"minHeight": f"{graph_.box_height()}px"}
        shown = InView(graph_, id=f"{graph_.id}-box", className="in-view", style=style,
                       plotly=plotly)
    return html.Figure(className="chart", **{"aria-label": label}, children=[
        shown,
        dcc.Store(id=f"{graph_.id}-next") if plotly else None,
        html.Figcaption(className="chart-summary", children=summary, **caption_kw),
        html.Div(children=table, **table_kw),
    ])


def notes_box(notes: list[tuple[str, str, str]], lang: str) -> html.Div | None:
    """Visible notice of URL parameters that were replaced by defaults."""
    if not notes:
        return None
    return html.Div(className="notice notice-info", role="status", children=[
        html.P(html.Strong(t("notes_title", lang))),
        html.Ul([html.Li(t("note_bad_param", lang, key=k, value=v, default=d))
                 for k, v, d in notes])])


def key_figure(value: str, label: str, detail: str | None = None) -> html.Div:
    """A big number with its label."""
    return html.Div(className="key-figure", children=[
        html.P(value, className="key-value"), html.P(label, className="key-label"),
        html.P(detail, className="key-detail") if detail else None])


def section(title: str, children: list[Any], id_: str | None = None,
            level: int = 2) -> html.Section:
    """A titled section."""
    heading = html.H2 if level == 2 else html.H3
    kwargs = {"id": id_} if id_ else {}
    return html.Section(className="section", children=[heading(title), *children], **kwargs)
