"""Manual routing: ``dcc.Location`` path -> page module; state from the query string."""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from dash import Dash, Input, Output, State, clientside_callback, html
from dash.exceptions import PreventUpdate
from flask import Response, request
from plotly.io.json import to_json_plotly

from dashboard.data_access import ReleaseNotFound
from dashboard.web import queries
from dashboard.web.i18n import t
from dashboard.web.layout import shell
from dashboard.web.pages import (
    accueil,
    carte,
    evolution,
    inegalites,
    introuvable,
    methodes,
    territoire,
)
from dashboard.web.server import PLOTLY_JS, geometry_url
from dashboard.web.state import LEVELS, Parsed, parse, serialise
from dashboard.web.static_tree import plain_parts

LEVEL_SLUGS = {"departement": "department", "region": "region"}
ROUTES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^/$"), "accueil"),
    (re.compile(r"^/carte/?$"), "carte"),
    (re.compile(r"^/evolution/?$"), "evolution"),
    (re.compile(r"^/inegalites/?$"), "inegalites"),
    (re.compile(r"^/methodes/?$"), "methodes"),
    (re.compile(r"^/territoire/(?P<level>departement|region)/(?P<code>[0-9A-Za-z]{1,3})/?$"),
     "territoire"),
]
PAGES: dict[str, ModuleType] = {
    "accueil": accueil, "carte": carte, "evolution": evolution, "inegalites": inegalites,
    "methodes": methodes, "territoire": territoire, "introuvable": introuvable}
SITE_NAME = {"fr": "Les cancers en France", "en": "Cancer in France"}


@dataclass(frozen=True)
class Route:
    page: str
    args: dict[str, str]


def resolve(path: str | None) -> Route:
    """The page (and path arguments) of a path; ``introuvable`` when unknown."""
    path = path or "/"
    for pattern, page in ROUTES:
        m = pattern.match(path)
        if m:
            args = m.groupdict()
            if "level" in args:
                args["level"] = LEVEL_SLUGS[args["level"]]
            return Route(page, args)
    return Route("introuvable", {})


def is_known_path(path: str) -> bool:
    """True for the dashboard's page paths (used to answer unknown paths with HTTP 404)."""
    route = resolve(path)
    if route.page == "territoire":
        try:
            return route.args["code"].upper() in queries.catalog().codes_of(route.args["level"])
        except ReleaseNotFound:
            return True
    return route.page != "introuvable"


def prefetch_urls(page: str, state: dict[str, str]) -> list[str]:
    """What the likely next view of a page needs, for the browser to fetch when idle
    (``static/prefetch.js``; fetched, not evaluated): from the home page, the map's geometry
    and plotly.js (the funnel of `/inegalites` and of the profiles, the site's only plotly
    chart); on the map, the geometry of the other level (a level change then waits for no
    download) and plotly.js (a click on an area opens a profile); on the pages with a funnel,
    below the fold, plotly.js (evaluated when the reader nears it, ``figures_in_view.js``)."""
    if page == "accueil":
        return [geometry_url("department"), PLOTLY_JS]
    if page == "carte":
        other = [geometry_url(level) for level in LEVELS if level != state.get("niveau")]
        return [*other, PLOTLY_JS]
    if page in ("inegalites", "territoire"):
        return [PLOTLY_JS]
    return []


def preload_urls(path: str, search: str) -> list[str]:
    """What the first drawing of a page fetches once its scripts run, for its ``<head>`` to
    preload: the map's geometry (in the level of the address)."""
    if resolve(path).page != "carte":
        return []
    try:
        return carte.geometry_urls(parse("carte", search, queries.catalog()).state["niveau"])
    except ReleaseNotFound:  # the page says so; nothing to preload
        return []


def render(pathname: str | None, search: str | None) -> tuple[list[Any], dict[str, Any]]:
    """The page for a URL, and its metadata (title, language, canonical query string).

    A canonical address (nothing corrected) is drawn once per release for every worker
    (:func:`drawn`); an address with stale parameters is drawn each time: its notice names
    what was asked."""
    path = pathname or "/"
    route = resolve(path)
    parsed = _parsed(route, search)
    if parsed.notes or not is_known_path(path):  # (no cache entry per bad path)
        return _draw(path, route, parsed)
    return drawn(path, serialise(route.page, parsed.state, parsed.lang))


def _parsed(route: Route, search: str | None) -> Parsed:
    context = {"niveau": route.args["level"]} if "level" in route.args else None
    return parse(route.page, search, queries.catalog(), context)


@queries.cached
def drawn(_rid: str, path: str, search: str) -> tuple[Any, dict[str, Any]]:
    """The page at a canonical address as the router sends it (plain JSON values: they go in
    the shared cache, so a view drawn by one worker costs the others a lookup, the language
    switch and an area's profile included once anyone has seen them)."""
    route = resolve(path)
    content, meta = _draw(path, route, _parsed(route, search))
    return json.loads(to_json_plotly(content)), meta


def _draw(path: str, route: Route, parsed: Parsed) -> tuple[list[Any], dict[str, Any]]:
    module = PAGES[route.page]
    content, title = module.render(parsed, route.args)
    content = plain_parts(content)
    info = queries.release().info
    meta = {"title": f"{title} — {SITE_NAME[parsed.lang]}", "lang": parsed.lang,
            "search": serialise(route.page, parsed.state, parsed.lang)}
    other = serialise(route.page, parsed.state, "en" if parsed.lang == "fr" else "fr")
    prefetch = prefetch_urls(route.page, parsed.state)
    return shell(path, parsed.lang, info, content, other, prefetch), meta


WARM_PATH = "/_warm"


def warm_view() -> Response:
    """``GET /_warm?to=<path and query string>``: draw that view now, ahead of the click a
    visitor is about to make (``static/navigation.js``: a pointer resting on a link or an area
    of the map, a finger on it, the keyboard's focus), so the router finds it drawn. 204, no
    body; 404 for anything but a page of the site."""
    target = request.args.get("to", "")
    parts = urlsplit(target)
    if (not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc
            or not is_known_path(parts.path)):
        return Response(status=404)
    with contextlib.suppress(ReleaseNotFound):  # the router says so when asked
        render(parts.path, f"?{parts.query}" if parts.query else "")
    return Response(status=204, headers={"Cache-Control": "no-store"})


def register(app: Dash) -> None:
    """The router callback, the page callbacks and the document-level clientside helpers."""
    app.server.add_url_rule(WARM_PATH, "warm_view", warm_view)

    @app.callback(Output("page", "children"), Output("page-meta", "data"),
                  Input("url", "pathname"), Input("view-request", "data"),
                  State("url", "search"))
    def route(pathname: str | None, _request: dict[str, Any] | None,
              search: str | None) -> tuple[list[Any], dict[str, Any]]:
        if pathname is None:
            raise PreventUpdate
        try:
            return render(pathname, search)
        except ReleaseNotFound:  # no release file yet: say so, politely (no server path)
            lang = "en" if "lang=en" in (search or "") else "fr"
            content = [html.Main(id="contenu", className="main", children=[
                html.H1(t("title_unavailable", lang)), html.P(t("release_unavailable", lang))])]
            return content, {"title": t("title_unavailable", lang), "lang": lang}

    # An address that is not the view on screen (the language switch, the browser's back and
    # forward buttons) draws the page again; the addresses the page's own callbacks write
    # (window._dashboardView, see pages.shared.ADDRESS_JS) are the view already.
    clientside_callback(
        """function(search) {
            if (search === window._dashboardView) { return window.dash_clientside.no_update; }
            // the view asked for: back to the one on screen before its answer arrives must
            // ask for that one again (Dash drops the superseded answer)
            window._dashboardView = search;
            return {search: search, at: Date.now()};
        }""",
        Output("view-request", "data"), Input("url", "search"), prevent_initial_call=True)

    for module in PAGES.values():
        module.register(app)
