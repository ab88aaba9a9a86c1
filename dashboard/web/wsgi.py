"""WSGI entry point inside the package: ``gunicorn dashboard.web.wsgi:server``.

``python -m dashboard.web.wsgi`` runs the development server (``HOST``, ``PORT``).
"""

from __future__ import annotations

import os

from dashboard.web.app import create_app

app = create_app()
server = app.server

if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "8050")))
