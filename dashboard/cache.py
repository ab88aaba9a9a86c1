"""Server-side cache shared by the dashboard callbacks and the API.

``FileSystemCache`` by default (shared by the workers of one machine), Redis when ``REDIS_URL``
is set. Cached values are keyed by the release id (see ``release_key``), so a new release never
serves stale figures.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from flask import Flask
from flask_caching import Cache

cache = Cache()


def cache_config() -> dict[str, object]:
    """flask-caching configuration from the environment."""
    timeout = int(os.environ.get("CACHE_TIMEOUT", "3600"))
    if os.environ.get("REDIS_URL"):
        return {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": os.environ["REDIS_URL"],
                "CACHE_DEFAULT_TIMEOUT": timeout, "CACHE_KEY_PREFIX": "registre-cancers:"}
    directory = os.environ.get("CACHE_DIR") or str(
        Path(tempfile.gettempdir()) / f"registre-cancers-cache-{os.getuid()}")
    return {"CACHE_TYPE": "FileSystemCache", "CACHE_DIR": directory,
            "CACHE_DEFAULT_TIMEOUT": timeout, "CACHE_THRESHOLD": 5000}


def init_cache(server: Flask) -> Cache:
    """Attach the shared cache to the Flask server."""
    cache.init_app(server, config=cache_config())
    return cache
