"""The Dash application factory."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from importlib import resources
from pathlib import Path

from dash import Dash, dcc, html
from flask import request

from dashboard.cache import init_cache
from dashboard.web import collation, queries, routing, service
from dashboard.web.components import PageMeta
from dashboard.web.head import entry_summary, page_head
from dashboard.web.i18n import t
from dashboard.web.layout import INDEX_STRING, META_TAGS
from dashboard.web.meta_tags import head_tags
from dashboard.web.precompress import warm_page_bundles
from dashboard.web.server import init_server

# Package data (a real folder in a checkout and in an installed wheel alike).
ASSETS = Path(str(resources.files("dashboard.web").joinpath("assets")))
# The site's own scripts, served from the package with a fingerprint (immutable) before the
# renderer starts: the data-table component, what the SVG charts share, the ranking, quintile
# chart, map and plain-part components, in-page links, the
# idle-time prefetch, charts redrawn when in view, the page's metadata applied; then what
# changes plotly.js's behaviour once it arrives: charts redrawn for a resize only when resized.
# (plotly.js: see ``server.PLOTLY_JS``.)
SCRIPTS = ("web/static/datatable.js", "web/static/svg_chart.js", "web/static/ranking.js",
           "web/static/quintile_chart.js", "web/static/trend_chart.js", "web/static/area_map.js",
           "web/static/static_tree.js", "web/static/navigation.js", "web/static/prefetch.js",
           "web/static/figures_in_view.js", "web/static/page_meta.js", "web/static/on_plotly.js",
           "web/static/resize_if_resized.js")


def create_app(release_path: str | Path | None = None) -> Dash:
    """Build the dashboard (and the analyst API when installed) on one Flask server."""
    queries.use_release(release_path)
    app = Dash(__name__, assets_folder=str(ASSETS), suppress_callback_exceptions=True,
               serve_locally=True, title="Les cancers en France", update_title=None,
               meta_tags=META_TAGS, compress=False)
    app.index_string = INDEX_STRING
    app.interpolate_index = _page_document(app)
    for script in SCRIPTS:
        app.scripts.append_script({"relative_package_path": script, "namespace": "dashboard"})
    app.layout = html.Div([
        dcc.Location(id="url", refresh=False),
        PageMeta(id="page-meta"),  # title, lang, focus... of the page drawn (page_meta.js)
        dcc.Store(id="view-request"),
        html.Div(id="page", className="page"),
        *service.layout_additions(),
    ])
    app.server.config["ASSETS_FOLDER"] = str(ASSETS)
    init_cache(app.server)
    init_server(app.server, routing.is_known_path)
    routing.register(app)
    _init_api(app)
    service.install(app)
    with app.server.test_request_context("/"):
        warm_page_bundles(app.server, app.index())
    queries.warm()
    collation.warm()
    return app


def _page_document(app: Dash) -> Callable[..., str]:
    """Dash's page document, with the language, title and metadata of the requested URL."""

    def interpolate(**parts: str) -> str:
        qs = request.query_string.decode("utf-8", "replace")
        head = page_head(request.path, "?" + qs if qs else "")
        parts["title"] = escape(head.title)
        parts["metas"] += "\n" + head_tags(head, request.host_url.rstrip("/"), request.path)
        # (the map fetches its geometry with fetch(): CORS mode, same-origin credentials)
        parts["metas"] += "".join(
            f'<link rel="preload" href="{escape(url)}" as="fetch" crossorigin="anonymous">'
            for url in routing.preload_urls(request.path, "?" + qs))
        parts["app_entry"] = re.sub(r'<div class="_dash-loading">.*?</div>', entry_summary(head),
                                    parts["app_entry"], flags=re.S)
        document = Dash.interpolate_index(app, **parts)
        return (document.replace("{%lang%}", head.lang)
                .replace("{%noscript%}", escape(t("noscript", head.lang))))

    return interpolate


def _init_api(app: Dash) -> None:
    """Mount the analyst API (``/api/v1``) on the dashboard's (hot-swapped) release."""
    from dashboard import api

    api.init_app(app.server, release=queries.release())
