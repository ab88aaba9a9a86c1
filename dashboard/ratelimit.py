"""The app's own rate limits per client (``429`` JSON), shared by every instance through Redis.

The proxy limits first (``deploy/nginx``); these limits hold for an instance reached directly
too. ``API_RATE_LIMIT`` (``/api/v1``) and ``CALLBACK_RATE_LIMIT`` (Dash callbacks) take the
``limits`` notation (``300/minute``; ``off`` disables). Counters live in Redis when
``REDIS_URL`` is set (one budget per client across instances), else in the process. When Redis
does not answer, the process counts alone for ``RETRY_SECONDS`` and then tries Redis again:
a Redis outage never fails a request. The client is the last address of ``X-Forwarded-For``
(the one the proxy saw; a client can only prepend to it), else the peer address.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Iterable
from typing import Any

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from dashboard.web.i18n import accepted_lang, t

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
DEFAULTS = {"API_RATE_LIMIT": "300/minute", "CALLBACK_RATE_LIMIT": "600/minute"}
RETRY_SECONDS = 5.0
log = logging.getLogger(__name__)


def _limit(text: str) -> RateLimitItem | None:
    return None if text.strip().lower() in ("", "0", "off", "none") else parse(text)


class RateLimited:
    """WSGI middleware applying one limit per path prefix and client."""

    def __init__(self, app: WSGIApp, limits: dict[str, RateLimitItem],
                 storage_uri: str | None = None) -> None:
        self.app = app
        self.limits = limits
        self.local = FixedWindowRateLimiter(MemoryStorage())
        self.shared: FixedWindowRateLimiter | None = None
        if storage_uri:
            storage: Storage = storage_from_string(storage_uri, socket_timeout=0.2,
                                                   socket_connect_timeout=0.2)
            self.shared = FixedWindowRateLimiter(storage)
        self.shared_down_until = 0.0

    def _limiter(self) -> FixedWindowRateLimiter:
        if self.shared is not None and time.monotonic() >= self.shared_down_until:
            return self.shared
        return self.local

    def _allowed(self, item: RateLimitItem, prefix: str, client: str) -> bool:
        limiter = self._limiter()
        try:
            return limiter.hit(item, prefix, client)
        except Exception as exc:  # the shared store is down: count locally for a while
            if limiter is self.local:
                raise
            self.shared_down_until = time.monotonic() + RETRY_SECONDS
            log.warning("rate-limit store unavailable (%s): counting per process for %.0f s",
                        type(exc).__name__, RETRY_SECONDS)
            return self.local.hit(item, prefix, client)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any],
                 ) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        for prefix, item in self.limits.items():
            if path.startswith(prefix):
                client = (environ.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
                          or environ.get("REMOTE_ADDR", ""))
                if not self._allowed(item, prefix, client):
                    return self._too_many(item, environ, start_response)
                break
        return self.app(environ, start_response)

    @staticmethod
    def _too_many(item: RateLimitItem, environ: dict[str, Any],
                  start_response: Callable[..., Any]) -> list[bytes]:
        retry = item.get_expiry()
        lang = accepted_lang(environ.get("HTTP_ACCEPT_LANGUAGE"))
        body = json.dumps({"error": t("api_err_rate", lang, amount=item.amount, seconds=retry),
                           "retry_after": retry}, ensure_ascii=False).encode()
        start_response("429 TOO MANY REQUESTS", [
            ("Content-Type", "application/json"), ("Content-Language", lang),
            ("Content-Length", str(len(body))),
            ("Retry-After", str(retry)), ("Cache-Control", "no-store")])
        return [body]


def from_settings(app: WSGIApp, api_prefix: str, callback_paths: str | tuple[str, ...],
                  config: dict[str, Any] | None = None) -> WSGIApp:
    """Wrap ``app`` with the limits set in ``config`` or the environment (unchanged if none):
    the API's under ``api_prefix``, the callbacks' on each of ``callback_paths`` (one count
    per path)."""
    config = config or {}

    def setting(name: str) -> str:
        return str(config.get(name, os.environ.get(name, DEFAULTS[name])))

    if isinstance(callback_paths, str):
        callback_paths = (callback_paths,)
    callback_limit = _limit(setting("CALLBACK_RATE_LIMIT"))
    limits = {prefix: item for prefix, item in (
        (api_prefix, _limit(setting("API_RATE_LIMIT"))),
        *((path, callback_limit) for path in callback_paths)) if item is not None}
    if not limits:
        return app
    uri = config.get("RATELIMIT_STORAGE_URI", os.environ.get("REDIS_URL"))
    return RateLimited(app, limits, uri)
