"""WSGI entry point of a checkout: ``gunicorn app:server`` (see ``dashboard/web/wsgi.py``)."""
from dashboard.web.wsgi import app, server  # noqa: F401
