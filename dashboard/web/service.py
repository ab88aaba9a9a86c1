"""The production layers of the dashboard's server, installed by ``create_app``.

Release hot swap (one release per request), ``/healthz`` and ``/readyz``, callback guard
(``400`` for malformed callbacks, a notice for pages of another release), security headers,
a cache that survives Redis outages, rate limits, and, outermost, request ids, JSON access logs
and metrics. See ``docs/deployment.md``.
"""

from __future__ import annotations

import re

from dash import Dash
from flask import request

from dashboard import cache_fallback, health, observability, ratelimit, release_watch
from dashboard.web import callback_guard, queries, security

API_PREFIX = "/api/v1/"
GEO_PATH = re.compile(r"^/geo/([^/]+)/")


def install(app: Dash) -> None:
    """Install every layer on ``app`` (after its callbacks, the API and other WSGI wrappers)."""
    server = app.server
    release_watch.init_app(server)

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
    callback_path = app.config.routes_pathname_prefix + "_dash-update-component"
    server.wsgi_app = ratelimit.from_settings(  # type: ignore[method-assign]
        server.wsgi_app, API_PREFIX, callback_path, server.config)
    observability.init_app(server)


def layout_additions() -> list:
    """Components of the root layout the layers need (the stale-release notice)."""
    return [callback_guard.notice_component()]
