"""WSGI entry point: ``gunicorn app:server`` (or ``python app.py`` for development)."""

from dashboard.web.app import create_app

app = create_app()
server = app.server

if __name__ == "__main__":
    import os

    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "8050")))
