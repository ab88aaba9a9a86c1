"""The shared cache keeps serving when Redis stops: no cache for a while, then Redis again.

``resilient(server)`` wraps the flask-caching backend of ``server``: a Redis error makes every
call a miss (``get`` → ``None``, ``set`` → ``False``) for ``RETRY_SECONDS``, logged once, then
Redis is tried again (redis-py reconnects by itself). Requests never fail because of the cache.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Flask

from dashboard.cache import cache

RETRY_SECONDS = 5.0
MISS: dict[str, Any] = {"get": None, "get_many": None, "set": False, "add": False,
                        "set_many": [], "delete": False, "delete_many": [], "has": False,
                        "clear": False, "inc": None, "dec": None}
log = logging.getLogger(__name__)


class Resilient:
    """A cache backend proxy that answers "miss" while the backend is failing."""

    def __init__(self, backend: Any) -> None:
        self._backend = backend
        self._down_until = 0.0

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._backend, name)
        if name not in MISS or not callable(attr):
            return attr

        def guarded(*args: Any, **kwargs: Any) -> Any:
            if time.monotonic() < self._down_until:
                return _miss(name, args)
            try:
                return attr(*args, **kwargs)
            except Exception as exc:  # redis.ConnectionError, TimeoutError, …
                self._down_until = time.monotonic() + RETRY_SECONDS
                log.warning("cache unavailable (%s): running without it for %.0f s",
                            type(exc).__name__, RETRY_SECONDS)
                return _miss(name, args)

        return guarded


def _miss(name: str, args: tuple[Any, ...]) -> Any:
    if name == "get_many":
        return [None] * len(args)
    return MISS[name]


def resilient(server: Flask) -> None:
    """Wrap the Redis backend of the shared cache on ``server`` (a file cache is left alone)."""
    backends = server.extensions.get("cache", {})
    backend = backends.get(cache)
    if backend is not None and type(backend).__name__.startswith("Redis"):
        clients = {id(c): c for c in (getattr(backend, "_write_client", None),
                                      getattr(backend, "_read_client", None)) if c is not None}
        for client in clients.values():  # fail fast rather than hang a request on a dead Redis
            client.connection_pool.connection_kwargs.update(socket_timeout=0.5,
                                                            socket_connect_timeout=0.5)
        backends[cache] = Resilient(backend)
