"""The Dash application factory."""

from __future__ import annotations

import inspect
from pathlib import Path

from dash import Dash, dcc, html
from flask import has_request_context, request

from dashboard.cache import init_cache
from dashboard.web import queries, routing, service
from dashboard.web.layout import INDEX_STRING, META_TAGS
from dashboard.web.precompress import warm_page_bundles
from dashboard.web.server import PLOTLY_PRELOAD, init_server

ASSETS = Path(__file__).resolve().parents[2] / "assets"
# The site's own scripts, served from the package with a fingerprint (immutable) before the
# renderer starts: the data-table component. (plotly.js: see ``server.PLOTLY_JS``.)
SCRIPTS = ("web/static/datatable.js",)


def create_app(release_path: str | Path | None = None) -> Dash:
    """Build the dashboard (and the analyst API when installed) on one Flask server."""
    queries.use_release(release_path)
    app = Dash(__name__, assets_folder=str(ASSETS), suppress_callback_exceptions=True,
               serve_locally=True, title="Les cancers en France", update_title=None,
               meta_tags=META_TAGS, compress=False)
    app.index_string = INDEX_STRING
    for script in SCRIPTS:
        app.scripts.append_script({"relative_package_path": script, "namespace": "dashboard"})
    _preload_plotly_on_chart_pages(app)
    app.layout = html.Div([
        dcc.Location(id="url", refresh=False),
        dcc.Store(id="page-meta"),
        dcc.Store(id="page-lang"),
        html.Div(id="page", className="page"),
        *service.layout_additions(),
    ])
    init_cache(app.server)
    init_server(app.server, routing.is_known_path)
    routing.register(app)
    _init_api(app, release_path)
    service.install(app)
    with app.server.test_request_context("/"):
        warm_page_bundles(app.server, app.index())
    return app


def _preload_plotly_on_chart_pages(app: Dash) -> None:
    """Pages with charts fetch plotly.js from their <head>, with the other bundles, instead of
    when the first graph mounts; the other pages don't load it at all."""
    base = app.interpolate_index

    def interpolate_index(**kwargs: str) -> str:
        if has_request_context() and routing.draws_charts(request.path):
            kwargs["metas"] = kwargs.get("metas", "") + PLOTLY_PRELOAD
        return base(**kwargs)

    app.interpolate_index = interpolate_index  # type: ignore[method-assign]


def _init_api(app: Dash, release_path: str | Path | None) -> None:
    """Mount the analyst API (``/api/v1``) when the package provides it, on the same release."""
    try:
        import dashboard.api as api
    except ImportError:
        return
    if not hasattr(api, "init_app"):
        return
    if "release" in inspect.signature(api.init_app).parameters:  # the live (hot-swapped) one
        api.init_app(app.server, release=queries.release())
    else:
        api.init_app(app.server)
