"""``/healthz`` (the process answers) and ``/readyz`` (the release is open and readable).

``/readyz`` answers ``200`` with the release id in force, else ``503`` « données
indisponibles » with the reason (never a server path). A load balancer or orchestrator takes
an instance out of rotation while ``/readyz`` fails.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb
from flask import Blueprint, Flask, Response, jsonify

from dashboard.data_access import ReleaseNotFound

UNAVAILABLE = "données indisponibles"


def _no_store(resp: Response) -> Response:
    resp.headers["Cache-Control"] = "no-store"
    return resp


def init_app(server: Flask, release: Callable[[], Any]) -> None:
    """Register the endpoints; ``release()`` gives the release in force."""
    bp = Blueprint("health", __name__)

    @bp.route("/healthz", methods=["GET", "HEAD"])
    def healthz() -> Response:
        return _no_store(jsonify(status="ok"))

    def release_id() -> str:
        return str(release().release_id)

    @bp.route("/readyz", methods=["GET", "HEAD"])
    def readyz() -> Response:
        try:
            rid = release_id()
        except (ReleaseNotFound, duckdb.Error) as exc:
            resp = jsonify(status="unavailable", error=UNAVAILABLE, reason=str(exc).split(":")[0])
            resp.status_code = 503
            resp.headers["Retry-After"] = "30"
            return _no_store(resp)
        resp = jsonify(status="ready", release_id=rid)
        resp.headers["X-Release-Id"] = rid
        return _no_store(resp)

    server.register_blueprint(bp)
