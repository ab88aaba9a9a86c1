"""The Dash application factory."""

from __future__ import annotations

import inspect
from pathlib import Path

from dash import Dash, dcc, html

from dashboard.cache import init_cache
from dashboard.web import queries, routing, service
from dashboard.web.layout import INDEX_STRING, META_TAGS
from dashboard.web.precompress import warm_page_bundles
from dashboard.web.server import init_server

ASSETS = Path(__file__).resolve().parents[2] / "assets"
# Scripts served from the package with a fingerprint (immutable), loaded with the page before
# the renderer starts: plotly.js's partial "geo" bundle (choropleth, scatter, scattergeo: every
# trace type the site draws; 1.4 MB instead of 4.8 MB, npm plotly.js-geo-dist-min, same
# version as the plotly package's full bundle) and the data-table component. dcc.Graph uses
# the ``window.Plotly`` it defines and never fetches the full bundle.
SCRIPTS = ("web/static/plotly-geo.min.js", "web/static/datatable.js")


def create_app(release_path: str | Path | None = None) -> Dash:
    """Build the dashboard (and the analyst API when installed) on one Flask server."""
    queries.use_release(release_path)
    app = Dash(__name__, assets_folder=str(ASSETS), suppress_callback_exceptions=True,
               serve_locally=True, title="Les cancers en France", update_title=None,
               meta_tags=META_TAGS, compress=False)
    app.index_string = INDEX_STRING
    for script in SCRIPTS:
        app.scripts.append_script({"relative_package_path": script, "namespace": "dashboard"})
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
