"""Helpers shared by the pages: headings, state from controls, common callbacks."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import parse_qs

from dash import Dash, Input, Output, State, clientside_callback, html

from dashboard.web import queries
from dashboard.web.components import (
    level_options,
    measure_options,
    notes_box,
    period_options,
    site_options,
)
from dashboard.web.i18n import normalise_lang, t
from dashboard.web.indicators import INDICATORS
from dashboard.web.state import PAGES, Parsed, parse, parse_area, serialise
from dashboard.web.static_tree import plain_parts

T = TypeVar("T")
_STATE = "__state__"


def _freeze(value: Any) -> Any:
    return (_STATE, tuple(sorted(value.items()))) if isinstance(value, dict) else value


def _thaw(value: Any) -> Any:
    return dict(value[1]) if isinstance(value, tuple) and value[:1] == (_STATE,) else value


def _plain_outputs(outputs: Any) -> Any:
    """Each output (of a tuple or a dict of outputs) with its plain parts as single components
    (:func:`static_tree.plain_parts`), as the router does for a page: a callback's new links or
    texts mount as one component instead of one per element."""
    if isinstance(outputs, dict):
        return {k: plain_parts(v) for k, v in outputs.items()}
    if isinstance(outputs, tuple):
        return tuple(plain_parts(v) for v in outputs)
    return plain_parts(outputs)


def memo_view(fn: Callable[..., T]) -> Callable[..., T]:
    """Memoise a page's outputs for a state (positional arguments, dicts included) in this
    process, per release: a view seen again (back and forth between two choices) costs a
    lookup. Plain parts of the outputs become single components (:func:`_plain_outputs`).
    Callers must not mutate the returned components."""

    @queries.local_cached
    @wraps(fn)
    def cached(*args: Any) -> T:
        return _plain_outputs(fn(*map(_thaw, args)))

    @wraps(fn)
    def wrapper(*args: Any) -> T:
        return cached(*map(_freeze, args))

    return wrapper


def lang_of(search: str | None) -> str:
    """The language of a query string."""
    values = parse_qs((search or "").lstrip("?")).get("lang")
    return normalise_lang(values[-1] if values else None)


def page_heading(title: str, lead: str | None, parsed: Parsed) -> list[Any]:
    """H1, lead paragraph and the corrected-parameters notice."""
    out: list[Any] = [html.H1(title)]
    if lead:
        out.append(html.P(lead, className="lead"))
    lang = parsed.lang
    box = notes_box([(k, v, value_label(k, d, parsed.state, lang))
                     for k, v, d in parsed.notes], lang)
    if box is not None:
        out.append(box)
    return out


def value_label(key: str, value: str, state: dict[str, str], lang: str) -> str:
    """What a reader calls the value ``value`` of URL parameter ``key`` (never an internal
    code): « Tous cancers », « Hommes », « 2019–2023 »…; empty choices say so."""
    if not value:
        return t("param_none", lang)
    cat = queries.catalog()
    measure = state.get("mesure", "incidence")
    labels: dict[str, Callable[[], dict[str, str]]] = {
        "mesure": lambda: dict(measure_options(cat, lang)),
        "localisation": lambda: dict(site_options(cat, lang)),
        "sexe": lambda: {s: t(f"sex_{s}", lang) for s in ("all", "male", "female")},
        "niveau": lambda: dict(level_options(lang)),
        "periode": lambda: dict(period_options(cat, lang)),
        "indicateur": lambda: {i: ind.label(lang, measure) for i, ind in INDICATORS.items()},
        "rythme": lambda: {"annuel": t("rhythm_year", lang),
                           "quinquennal": t("rhythm_period", lang)},
    }
    if key in labels:
        return labels[key]().get(value, value)
    if key == "zone":
        return t("france", lang) if value == "FR" else cat.area_name("region", value)
    if key == "comparer":
        return ", ".join(cat.area_name(*parse_area(token)) for token in value.split(","))
    return value


def control_inputs(page: str, keys: list[str] | None = None) -> list[Input]:
    """One ``Input`` per state parameter of a page (control ids ``{page}-{key}``)."""
    keys = keys or [p.key for p in PAGES[page]]
    return [Input(f"{page}-{k}", "value") for k in keys]


def state_from_controls(page: str, values: list[Any], lang: str,
                        keys: list[str] | None = None,
                        context: dict[str, str] | None = None) -> Parsed:
    """Validated state of a page from its control values (through the URL parser)."""
    keys = keys or [p.key for p in PAGES[page]]
    raw = {k: ("" if v is None else str(v)) for k, v in zip(keys, values, strict=True)}
    query = serialise(page, raw, lang)
    return parse(page, query, queries.catalog(), context)


# The page callbacks write the view's canonical address into the store ``{page}-address`` (a
# query string, or a path and query string to open another page) and this moves the browser
# there (``showAddress``, ``static/navigation.js``). Had they written ``url`` themselves, Dash
# would run them once more after every page render (a callback whose inputs are inserted into
# the page without its outputs runs even with prevent_initial_call): one more round trip and a
# second draw of every chart of the page.
ADDRESS_JS = """function(address) { window.dashboard.showAddress(address); }"""


def address_output(page: str, duplicate: bool = False) -> Output:
    """The output through which a page callback changes the browser's address."""
    return Output(f"{page}-address", "data", allow_duplicate=duplicate)


def register_address(app: Dash, page: str) -> None:
    """Move the browser to the address the page's callbacks write (see ``ADDRESS_JS``)."""
    clientside_callback(ADDRESS_JS, Input(f"{page}-address", "data"), prevent_initial_call=True)


def figure_output(graph_id: str) -> Output:
    """The output through which a page callback gives a chart its new figure: drawn at once
    when the chart is in or near view, else when it comes into view (``figures_in_view.js``):
    a filter change redraws only the charts the reader sees."""
    return Output(f"{graph_id}-next", "data")


def register_figure_in_view(app: Dash, graph_id: str) -> None:
    """Draw the figures written through :func:`figure_output` when the chart is in view (a
    chart not mounted yet, see :class:`components.InView`, takes it at once). Not run when a
    page is drawn (the page has drawn its figure; the figures still waiting from before are
    forgotten then, see ``routing.py``): no callback round after every page drawn."""
    clientside_callback(
        f"function(figure) {{ return window.dashboard.figureWhenVisible('{graph_id}', figure); }}",
        Output(graph_id, "figure"), Input(f"{graph_id}-next", "data"), prevent_initial_call=True)


# Options of a dependent select from its source's value, in the browser: the choices of every
# source value are in the page (a store), so a change costs no server round trip before the
# page's own callbacks run (they wait for this one, since they take the dependent value too).
DEPENDENT_OPTIONS_JS = """function(chosen, choices, current) {
    const pairs = (choices || {})[chosen] || [];
    const values = pairs.map(function(p) { return p[0]; });
    const options = pairs.map(function(p) { return {label: p[1], value: p[0]}; });
    return [options, values.indexOf(current) >= 0 ? window.dash_clientside.no_update
                                                  : values[0]];
}"""


def register_dependent_options(app: Dash, page: str, target: str, source: str) -> None:
    """Offer in select ``target`` only the options valid for the value of ``source`` (from the
    store ``{page}-{target}-choices``, see :func:`components.common_controls`); keep the
    current value when it stays valid, else take the first option."""
    clientside_callback(DEPENDENT_OPTIONS_JS, Output(f"{page}-{target}", "options"),
                        Output(f"{page}-{target}", "value"), Input(f"{page}-{source}", "value"),
                        State(f"{page}-{target}-choices", "data"),
                        State(f"{page}-{target}", "value"), prevent_initial_call=True)


def register_period_options(app: Dash, page: str) -> None:
    """Offer only the periods published at the chosen level (departments: 5-year periods)."""
    register_dependent_options(app, page, "periode", "niveau")


def register_sex_options(app: Dash, page: str) -> None:
    """Offer only the sexes a site is published for (e.g. prostate: men)."""
    register_dependent_options(app, page, "sexe", "localisation")
