"""Serve the dashboard on a free loopback port in a background thread (tests, benchmark)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from werkzeug.serving import make_server


@contextmanager
def serve(server: Flask, host: str = "127.0.0.1") -> Iterator[str]:
    """Run ``server`` (threaded werkzeug) until the block ends; yields its base URL."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    httpd = make_server(host, 0, server, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, name="dashboard-server", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(timeout=10)
