"""Flask-level concerns: compression, cache headers, the map geometry route, HTTP 404 status."""

from __future__ import annotations

import pkgutil
from collections.abc import Callable, Mapping
from functools import cache

from dash.fingerprint import check_fingerprint
from flask import Flask, Response, abort, request, send_from_directory
from flask_compress import Compress

from dashboard.data_access import ReleaseNotFound
from dashboard.web import queries, vendor
from dashboard.web.precompress import accepts_br, init_precompression

# dcc.Graph loads plotly.js from this URL when its first graph mounts (``window.Plotly``
# missing); the site answers with plotly.js's partial "basic" bundle (npm
# plotly.js-basic-dist-min, the same version as the plotly package's full bundle: scatter, bar
# and pie; the funnel, the site's only plotly chart, is scatter traces; 329 KB brotli instead
# of 1.11 MB). The pages leading to a funnel fetch it when idle (``routing.prefetch_urls``).
PLOTLY_JS = "/_dash-component-suites/plotly/package_data/plotly.min.js"
PLOTLY_PARTIAL = vendor.SCRIPT  # fetched at set-up; without it plotly's full bundle is served
LONG_CACHE = "public, max-age=31536000, immutable"
DAY_CACHE = "public, max-age=86400"
STATIC_PREFIXES = ("/_dash-component-suites/", "/assets/")
COMPRESS_MIMETYPES = ["text/html", "text/css", "text/plain", "application/javascript",
                      "text/javascript", "application/json", "application/geo+json",
                      "image/svg+xml"]


def geometry_url(level: str) -> str:
    """URL of the map of a level (SVG paths, ``queries.map_shapes``) of the current release
    (immutable: keyed by release id)."""
    return f"/geo/{queries.release().release_id}/{level}.json"


@cache
def plotly_bundle() -> bytes:
    """The partial plotly.js bundle the site serves."""
    data = pkgutil.get_data("dashboard", PLOTLY_PARTIAL)
    if data is None:
        raise FileNotFoundError(PLOTLY_PARTIAL)
    return data


def static_cache_control(path: str, args: Mapping[str, str]) -> str:
    """Versioned URLs (fingerprint or ``?v=``/``?m=``) are immutable; others keep a day."""
    if "v" in args or "m" in args:
        return LONG_CACHE
    if path.startswith("/_dash-component-suites/"):
        _, has_fingerprint = check_fingerprint(path)
        if has_fingerprint:
            return LONG_CACHE
    return DAY_CACHE


def init_server(server: Flask, is_page: Callable[[str], bool]) -> None:
    """Compression, cache headers, geometry route and a 404 status for unknown pages."""
    server.config.update(COMPRESS_MIMETYPES=COMPRESS_MIMETYPES, COMPRESS_LEVEL=6,
                         COMPRESS_BR_LEVEL=5, COMPRESS_MIN_SIZE=500,
                         COMPRESS_ALGORITHM=["br", "gzip"])
    Compress(server)

    @server.before_request
    def partial_plotly() -> Response | None:
        if request.path != PLOTLY_JS or not vendor.available():
            return None
        pre = server.extensions.get("precompressor")
        packed = pre.get(plotly_bundle()) if pre is not None and accepts_br() else None
        resp = Response(packed or plotly_bundle(), mimetype="application/javascript")
        if packed:
            resp.headers["Content-Encoding"] = "br"
        resp.headers["Vary"] = "Accept-Encoding"
        return resp

    pre = init_precompression(server)
    if pre is not None and vendor.available():
        pre.get(plotly_bundle())  # start its brotli-11 version at start-up

    @server.route("/geo/<release_id>/<level>.json")
    def geometry(release_id: str, level: str) -> Response:
        try:
            current = queries.release().release_id
        except ReleaseNotFound:
            abort(503)
        if release_id != current:
            abort(404)
        try:
            body = queries.map_shapes(level)
        except (ValueError, LookupError):
            abort(404)
        data = body.encode("utf-8")
        packed = pre.get(data) if pre is not None else None
        if packed is not None and accepts_br():
            resp = Response(packed, mimetype="application/json")
            resp.headers["Content-Encoding"] = "br"
        else:
            resp = Response(data, mimetype="application/json")
        resp.headers["Vary"] = "Accept-Encoding"
        resp.headers["Cache-Control"] = LONG_CACHE
        return resp

    @server.route("/favicon.ico")
    def favicon() -> Response:
        """The site's icon at the address browsers and crawlers ask for first."""
        resp = send_from_directory(server.config["ASSETS_FOLDER"], "favicon.ico",
                                   mimetype="image/vnd.microsoft.icon")
        resp.headers["Cache-Control"] = DAY_CACHE
        return resp

    @server.after_request
    def headers(resp: Response) -> Response:
        path = request.path
        if path.startswith(STATIC_PREFIXES) and resp.status_code == 200:
            resp.headers["Cache-Control"] = static_cache_control(path, request.args)
        elif (resp.mimetype == "text/html" and request.method == "GET"
              and resp.status_code == 200 and not is_page(path)
              and request.blueprint is None):  # pages of the API blueprint are its own
            resp.status_code = 404  # the Dash page still renders the friendly « introuvable »
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        return resp
