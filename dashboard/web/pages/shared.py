"""Helpers shared by the pages: headings, state from controls, common callbacks."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from dash import Dash, Input, Output, State, html, no_update

from dashboard.web import queries
from dashboard.web.components import notes_box, period_options, sex_options
from dashboard.web.i18n import normalise_lang
from dashboard.web.state import PAGES, Parsed, parse, serialise


def lang_of(search: str | None) -> str:
    """The language of a query string."""
    values = parse_qs((search or "").lstrip("?")).get("lang")
    return normalise_lang(values[-1] if values else None)


def page_heading(title: str, lead: str | None, parsed: Parsed) -> list[Any]:
    """H1, lead paragraph and the corrected-parameters notice."""
    out: list[Any] = [html.H1(title)]
    if lead:
        out.append(html.P(lead, className="lead"))
    box = notes_box(parsed.notes, parsed.lang)
    if box is not None:
        out.append(box)
    return out


def control_inputs(page: str, keys: list[str] | None = None) -> list[Input]:
    """One ``Input`` per state parameter of a page (control ids ``{page}-{key}``)."""
    keys = keys or [p.key for p in PAGES[page]]
    return [Input(f"{page}-{k}", "value") for k in keys]


def state_from_controls(page: str, values: list[Any], lang: str,
                        keys: list[str] | None = None) -> Parsed:
    """Validated state of a page from its control values (through the URL parser)."""
    keys = keys or [p.key for p in PAGES[page]]
    raw = {k: ("" if v is None else str(v)) for k, v in zip(keys, values, strict=True)}
    query = serialise(page, raw, lang)
    return parse(page, query, queries.catalog())


def register_period_options(app: Dash, page: str) -> None:
    """Offer only the periods published at the chosen level (departments: 5-year periods)."""

    @app.callback(Output(f"{page}-periode", "options"), Output(f"{page}-periode", "value"),
                  Input(f"{page}-niveau", "value"), State(f"{page}-periode", "value"),
                  State("url", "search"), prevent_initial_call=True)
    def periods(level: str, period: str, search: str) -> tuple[Any, Any]:
        cat = queries.catalog()
        options = period_options(cat, lang_of(search), level)
        values = [v for v, _ in options]
        return ([{"label": lab, "value": v} for v, lab in options],
                no_update if period in values else values[0])


def register_sex_options(app: Dash, page: str) -> None:
    """Offer only the sexes a site is published for (e.g. prostate: men)."""

    @app.callback(Output(f"{page}-sexe", "options"), Output(f"{page}-sexe", "value"),
                  Input(f"{page}-localisation", "value"), State(f"{page}-sexe", "value"),
                  State("url", "search"), prevent_initial_call=True)
    def sexes(site: str, sex: str, search: str) -> tuple[Any, Any]:
        cat = queries.catalog()
        lang = lang_of(search)
        opts = [{"label": lab, "value": v} for v, lab in sex_options(cat, site, lang)]
        allowed = cat.site_sexes(site)
        return opts, (no_update if sex in allowed else allowed[0])
