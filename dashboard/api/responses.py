"""HTTP plumbing shared by the API views: JSON errors, ETags, caching headers, a body cache."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import orjson
from flask import Response, request

NO_STORE = "no-store"


def json_response(payload: Any, status: int = 200, headers: dict[str, str] | None = None,
                  ) -> Response:
    """A JSON response (orjson: fast, ISO dates)."""
    response = Response(orjson.dumps(payload), status=status, content_type="application/json")
    response.headers.update(headers or {})
    return response


def json_error(status: int, message: str, cache_control: str = NO_STORE, **extra: Any,
               ) -> Response:
    """``{"error": message, ...extra}`` with ``status`` (never cached)."""
    response = json_response({"error": message, **extra}, status=status)
    response.headers["Cache-Control"] = cache_control
    return response


def etag_for(release_id: str, *parts: str) -> str:
    """Weak-comparable entity tag tied to the release and the normalised request."""
    digest = hashlib.sha256("\x1f".join((release_id, *parts)).encode()).hexdigest()[:20]
    return f"{release_id}-{digest}"


def cache_headers(response: Response, etag: str, max_age: int) -> Response:
    """Weak ETag (identical across content codings) and public caching for ``max_age`` seconds.

    A weak validator lets flask-compress leave the tag untouched, so one tag serves the
    identity, gzip, brotli and zstd representations of the same data.
    """
    response.set_etag(etag, weak=True)
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    return response


def not_modified(etag: str) -> bool:
    """True when the request's ``If-None-Match`` matches ``etag``."""
    return request.if_none_match.contains_weak(etag)


def not_modified_response(etag: str, max_age: int, headers: dict[str, str]) -> Response:
    """``304 Not Modified`` carrying the validators and metadata headers."""
    response = Response(status=304)
    response.headers.update(headers)
    return cache_headers(response, etag, max_age)


@dataclass
class BodyCache:
    """A small thread-safe LRU of encoded response bodies (per process), keyed by ETag."""

    max_items: int = 512
    max_body: int = 1 << 20
    _items: OrderedDict[str, tuple[bytes, str]] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, key: str) -> tuple[bytes, str] | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key: str, body: bytes, content_type: str) -> None:
        if len(body) > self.max_body:
            return
        with self._lock:
            self._items[key] = (body, content_type)
            self._items.move_to_end(key)
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)
