"""The Dash application factory."""

from __future__ import annotations

from pathlib import Path

from dash import Dash, dcc, html

from dashboard.cache import init_cache
from dashboard.web import queries, routing
from dashboard.web.layout import INDEX_STRING, META_TAGS
from dashboard.web.server import init_server

ASSETS = Path(__file__).resolve().parents[2] / "assets"


def create_app(release_path: str | Path | None = None) -> Dash:
    """Build the dashboard (and the analyst API when installed) on one Flask server."""
    queries.use_release(release_path)
    app = Dash(__name__, assets_folder=str(ASSETS), suppress_callback_exceptions=True,
               serve_locally=True, title="Les cancers en France", update_title=None,
               meta_tags=META_TAGS, compress=False)
    app.index_string = INDEX_STRING
    app.layout = html.Div([
        dcc.Location(id="url", refresh=False),
        dcc.Store(id="page-meta"),
        dcc.Store(id="page-lang"),
        html.Div(id="page", className="page"),
    ])
    init_cache(app.server)
    init_server(app.server, routing.is_known_path)
    routing.register(app)
    try:
        from dashboard.api import init_app as init_api
    except ImportError:
        init_api = None
    if init_api is not None and callable(init_api):
        init_api(app.server)
    return app
