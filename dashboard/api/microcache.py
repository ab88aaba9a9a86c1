"""WSGI micro-cache: repeated small API responses are replayed without entering Flask.

A response is kept when it is a ``200`` to a ``GET`` under ``/api/v1`` (bulk files excluded),
carries ``Content-Length`` ≤ ``max_body``, ``Cache-Control: public`` and no ``Set-Cookie``. The key
is the release id, the raw path and query string and the ``Accept-Encoding`` header, so a new
release or another content coding never hits a stale entry. ``If-None-Match`` is answered with
``304`` from the stored ETag. Everything else goes to Flask untouched.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.http import parse_etags, unquote_etag

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_NOT_MODIFIED_HEADERS = {"etag", "cache-control", "vary", "x-release-id", "x-data-kind", "link",
                         "access-control-allow-origin", "access-control-expose-headers"}


def call_capturing(app: WSGIApp, environ: dict[str, Any], start_response: Callable[..., Any],
                   ) -> tuple[Iterable[bytes], dict[str, Any]]:
    """Call ``app``; also returns the status and headers it starts its response with (filled
    in once the app has called ``start_response``: at the latest, when ``result`` is read)."""
    captured: dict[str, Any] = {}

    def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        captured.update(status=status, headers=list(headers))
        return start_response(status, headers, exc_info)

    return app(environ, capture), captured


def read_all(result: Iterable[bytes]) -> bytes:
    """A WSGI response body as bytes (the iterable closed however reading ends)."""
    try:
        return b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()


class MicroCache:
    """Wraps a WSGI app (``server.wsgi_app``); ``release_id()`` returns None when unavailable."""

    def __init__(self, app: WSGIApp, release_id: Callable[[], str | None], prefix: str,
                 max_items: int = 1024, max_body: int = 256 * 1024) -> None:
        self.app = app
        self.release_id = release_id
        self.prefix = prefix + "/"
        self.skip = prefix + "/bulk/"
        self.max_items = max_items
        self.max_body = max_body
        self._items: OrderedDict[tuple[str, ...], tuple[str, list[tuple[str, str]], bytes]] = (
            OrderedDict())
        self._lock = threading.Lock()

    def _key(self, environ: dict[str, Any]) -> tuple[str, ...] | None:
        path = environ.get("PATH_INFO", "")
        if (environ.get("REQUEST_METHOD") not in ("GET", "HEAD")
                or not path.startswith(self.prefix) or path.startswith(self.skip)):
            return None
        release_id = self.release_id()
        if release_id is None:
            return None
        return (release_id, environ.get("SCRIPT_NAME", ""), path,
                environ.get("QUERY_STRING", ""), environ.get("HTTP_ACCEPT_ENCODING", ""))

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any],
                 ) -> Iterable[bytes]:
        key = self._key(environ)
        if key is None:
            return self.app(environ, start_response)
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
        if hit is not None:
            return self._replay(environ, start_response, *hit)
        result, captured = call_capturing(self.app, environ, start_response)
        if not self._cacheable(captured):
            return result
        body = read_all(result)
        if environ["REQUEST_METHOD"] == "GET" and len(body) <= self.max_body:
            with self._lock:
                self._items[key] = (captured["status"], list(captured["headers"]), body)
                while len(self._items) > self.max_items:
                    self._items.popitem(last=False)
        return [body]

    def _cacheable(self, captured: dict[str, Any]) -> bool:
        if not captured.get("status", "").startswith("200"):
            return False
        headers = {name.lower(): value for name, value in captured["headers"]}
        length = headers.get("content-length")
        return (length is not None and int(length) <= self.max_body
                and "public" in headers.get("cache-control", "")
                and "set-cookie" not in headers)

    @staticmethod
    def _replay(environ: dict[str, Any], start_response: Callable[..., Any], status: str,
                headers: list[tuple[str, str]], body: bytes) -> Iterable[bytes]:
        etag = next((v for n, v in headers if n.lower() == "etag"), None)
        condition = environ.get("HTTP_IF_NONE_MATCH")
        if etag and condition and parse_etags(condition).contains_weak(unquote_etag(etag)[0]):
            start_response("304 NOT MODIFIED",
                           [(n, v) for n, v in headers if n.lower() in _NOT_MODIFIED_HEADERS])
            return []
        start_response(status, headers)
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [body]
