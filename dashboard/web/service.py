"""The production layers of the dashboard's server, installed by ``create_app``.

Release hot swap (one release per request), ``/healthz`` and ``/readyz``, callback guard
(``400`` for malformed callbacks, a notice for pages of another release), security headers,
a cache that survives Redis outages, rate limits, and, outermost, request ids, JSON access logs
and metrics. See ``docs/deployment.md``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

from dash import Dash
from flask import Response, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from dashboard import cache_fallback, health, observability, ratelimit, release_watch
from dashboard.web import callback_guard, queries, routing, security
from dashboard.web.i18n import LANGS, accepted_lang, t

API_PREFIX = "/api/v1/"
GEO_PATH = re.compile(r"^/geo/([^/]+)/")
MAX_BODY = 256 * 1024
MAX_REQUEST_LINE = 4096
WSGIApp = Callable[[dict[str, Any], Any], Iterable[bytes]]


def install(app: Dash) -> None:
    """Install every layer on ``app`` (after its callbacks, the API and other WSGI wrappers)."""
    server = app.server
    if server.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default: no limit
        server.config["MAX_CONTENT_LENGTH"] = MAX_BODY  # behind the proxy's own limit
    release_watch.init_app(server)

    @server.before_request
    def _refuse_large_bodies() -> None:
        limit = server.config["MAX_CONTENT_LENGTH"]
        if request.content_length is not None and request.content_length > limit:
            raise RequestEntityTooLarge()

    @server.errorhandler(RequestEntityTooLarge)
    def _too_large(_exc: RequestEntityTooLarge) -> Response:
        limit = server.config["MAX_CONTENT_LENGTH"] // 1024
        lang = accepted_lang(request.headers.get("Accept-Language"))
        response = jsonify(error=t("api_err_too_large", lang, limit=limit))
        response.status_code = 413
        response.headers["Content-Language"] = lang
        return response

    @server.before_request
    def _geometry_of_its_release() -> None:
        """``/geo/<release id>/…`` of the previous release is still served (stale pages)."""
        match = GEO_PATH.match(request.path)
        if match:
            queries.release().pin_id(match.group(1))

    cache_fallback.resilient(server)
    health.init_app(server, queries.release)
    callback_guard.init_app(app)
    security.init_app(app)
    # (a view drawn ahead of a click costs what the router's callback does: the same limit)
    callback_paths = (app.config.routes_pathname_prefix + "_dash-update-component",
                      routing.WARM_PATH)
    server.wsgi_app = ratelimit.from_settings(  # type: ignore[method-assign]
        server.wsgi_app, API_PREFIX, callback_paths, server.config)
    server.wsgi_app = limit_request_line(server.wsgi_app)  # type: ignore[method-assign]
    observability.init_app(server)


def request_line_length(environ: dict[str, Any]) -> int:
    """Length in bytes of the request line (``GET /path?query HTTP/1.1``)."""
    uri = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if not uri:
        query = environ.get("QUERY_STRING", "")
        uri = quote(environ.get("PATH_INFO", ""), safe="/;=,@:+$!*'()~") + (
            f"?{query}" if query else "")
    return len(environ.get("REQUEST_METHOD", "GET")) + len(uri.encode("latin-1", "replace")) \
        + len(environ.get("SERVER_PROTOCOL", "HTTP/1.1")) + 2


def limit_request_line(app: WSGIApp, limit: int = MAX_REQUEST_LINE) -> WSGIApp:
    """Answer a request line longer than ``limit`` bytes with a JSON ``414`` (every error of
    the service is JSON; gunicorn's own limit is set above this one, see deploy/)."""
    bodies = {lang: json.dumps({"error": t("api_err_too_long", lang, limit=limit)},
                               ensure_ascii=False).encode() for lang in LANGS}

    def wrapped(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if request_line_length(environ) > limit:
            lang = accepted_lang(environ.get("HTTP_ACCEPT_LANGUAGE"))
            body = bodies[lang]
            start_response("414 URI Too Long", [("Content-Type", "application/json"),
                                                ("Content-Language", lang),
                                                ("Content-Length", str(len(body))),
                                                ("Cache-Control", "no-store")])
            return [body]
        return app(environ, start_response)

    return wrapped


def layout_additions() -> list:
    """Components of the root layout the layers need (the stale-release notice)."""
    return [callback_guard.notice_component()]
