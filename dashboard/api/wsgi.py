"""Stand-alone WSGI app serving only the API: ``gunicorn 'dashboard.api.wsgi:create_app()'``.

Used by the benchmark and handy for API-only deployments; the dashboard mounts the same API
through ``dashboard.api.init_app`` on the Dash server.
"""

from __future__ import annotations

from flask import Flask

from dashboard.api import init_app


def create_app() -> Flask:
    """A bare Flask app with the API on the release of ``$RELEASE_PATH``."""
    app = Flask("registre_api")
    init_app(app)
    return app
