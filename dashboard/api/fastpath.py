"""WSGI fast path of the data endpoints: a filtered body answered without entering Flask.

A request nobody asked before (so the micro-cache misses) spent about half of its time in the
process in Flask and werkzeug: request context, routing, the response object and its header
checks, the after-request hooks. For a ``GET`` or ``HEAD`` of a data endpoint
(``/api/v1/indicators``…) without ``If-None-Match`` nor request body, this layer does the
view's work itself (:func:`dashboard.api.routes.data_view`: the same validation, ETag, body
cache, in-memory index and CSV lines, flask-compress's choice and coding) and answers with the
headers of a **template**: the complete header list of a response Flask gave for the same
release, mount point, endpoint, method, format and content coding, in which only ``ETag`` and
``Content-Length`` vary with the query. A template is learnt from the first such request Flask
answers, and only if that answer is exactly the one this layer computed (status, ETag, length
and body), so whatever Flask's hooks add to a data response (the dashboard's security headers,
``Vary``…) is replayed as is. Everything else goes to Flask untouched: errors (a bad parameter
is validated again there and answered as JSON), conditional requests, bodies over one batch of
rows (streamed) and formats not in the body cache, a template not learnt yet.

It assumes what holds for the data endpoints: Flask's ``before_request`` hooks don't concern
them, and no hook adds a header that depends on the query string or request headers other than
``Accept-Encoding`` (request ids, rate limits and logs are WSGI layers outside this one).
``tests/api/test_api_fastpath.py`` checks the answers against Flask's, on the bare API and on
the dashboard's server.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

# flask-compress is pinned (pyproject): its own choice of coding and compressor, so a body
# coded here is the one its after-request hook would have produced.
from flask_compress.flask_compress import _choose_algorithm, _compress_data, _uncompress_data
from werkzeug.http import quote_etag
from werkzeug.wrappers import Request

from dashboard.api.formats import DIALECTS, FORMATS
from dashboard.api.microcache import WSGIApp, call_capturing, read_all
from dashboard.api.params import ENDPOINTS, Endpoint, codebook, validate
from dashboard.api.responses import etag_for
from dashboard.catalogue import Catalogue, catalogue

if TYPE_CHECKING:
    from dashboard.api.routes import ApiState

MAX_TEMPLATES = 256
_VARYING = ("etag", "content-length")


class _Template:
    """The status and headers of a data response; ``ETag`` and ``Content-Length`` filled in."""

    def __init__(self, status: str, headers: list[tuple[str, str]]) -> None:
        self.status = status
        self.headers = headers
        self.slots = [i for i, (name, _) in enumerate(headers) if name.lower() in _VARYING]

    def fill(self, etag: str, length: int) -> list[tuple[str, str]]:
        headers = self.headers.copy()
        for i in self.slots:
            name = headers[i][0]
            headers[i] = (name, etag if name.lower() == "etag" else str(length))
        return headers


class FastData:
    """Wraps the Flask app's ``wsgi_app`` (inside the micro-cache, see ``init_app``)."""

    def __init__(self, app: WSGIApp, state: ApiState, prefix: str) -> None:
        self.app = app
        self.state = state
        self.endpoints = {f"{prefix}/{name}": e for name, e in ENDPOINTS.items()}
        config = state.compressor.app.config
        self.compress_app = state.compressor.app
        self.algorithms = state.compressor.enabled_algorithms
        self.compress_types = state.compressor.compress_mimetypes_set
        self.min_size = config["COMPRESS_MIN_SIZE"]
        self._templates: dict[tuple[str, ...], _Template | None] = {}
        self._books: tuple[Catalogue, dict[str, dict[str, tuple[Any, ...]]]] | None = None
        self._lock = threading.Lock()
        self.hits = 0  # answered here (tests)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any],
                 ) -> Iterable[bytes]:
        endpoint = self.endpoints.get(environ.get("PATH_INFO", ""))
        method = environ.get("REQUEST_METHOD")
        if (endpoint is None or method not in ("GET", "HEAD")
                or "HTTP_IF_NONE_MATCH" in environ or "HTTP_TRANSFER_ENCODING" in environ
                or environ.get("CONTENT_LENGTH") not in (None, "", "0")):
            return self.app(environ, start_response)
        try:
            answer = self._answer(environ, endpoint)
        except Exception:  # any failure: Flask answers (JSON 4xx/5xx, logs)
            answer = None
        if answer is None:
            return self.app(environ, start_response)
        key, etag, body, plain = answer
        template = self._templates.get(key)
        if template is None:
            if key in self._templates:  # Flask's answer differed once: always Flask
                return self.app(environ, start_response)
            return self._learn(environ, start_response, key, etag, body, plain)
        self.hits += 1
        start_response(template.status, template.fill(etag, len(body)))
        return [] if method == "HEAD" else [body]

    def _answer(self, environ: dict[str, Any], endpoint: Endpoint,
                ) -> tuple[tuple[str, ...], str, bytes, bytes] | None:
        """(template key, quoted ETag, body, body before its content coding) as ``data_view``
        would answer; None: ask Flask."""
        st = self.state
        with st.current_release().pinned() as release:
            release_id = release.release_id
            cat = catalogue(release)
            selection = validate(endpoint, Request(environ).args, self._book(cat, endpoint),
                                 cat)
            fmt = selection.fmt
            etag = etag_for(release_id, endpoint.name, selection.query_string())
            cached = st.bodies.get(etag)
            if cached is not None:
                body = cached[0]
            else:
                dialect = DIALECTS.get(fmt)
                index = st.index.get(release, endpoint) if dialect is not None else None
                if index is None:
                    return None
                rows = index.rows(selection)
                if len(rows) > st.batch_rows:
                    return None  # streamed by Flask
                body = index.csv(rows, dialect)
                st.bodies.put(etag, body, FORMATS[fmt].media_type)
        plain = body
        coding = self._coding(environ.get("HTTP_ACCEPT_ENCODING", ""), fmt, len(body))
        if coding is not None:
            body = _compress_data(self.compress_app, body, coding)
        key = (release_id, environ.get("SCRIPT_NAME", ""), environ["PATH_INFO"],
               environ["REQUEST_METHOD"], fmt, coding or "")
        return key, quote_etag(etag, weak=True), body, plain

    def _coding(self, accept_encoding: str, fmt: str, size: int) -> str | None:
        """The content coding flask-compress would apply to this body (None: identity)."""
        if size < self.min_size:
            return None
        if FORMATS[fmt].media_type.split(";")[0] not in self.compress_types:
            return None
        return _choose_algorithm(self.algorithms, accept_encoding)

    def _book(self, cat: Catalogue, endpoint: Endpoint) -> dict[str, tuple[Any, ...]]:
        """The endpoint's code book, computed once per catalogue (that is, per release)."""
        books = self._books
        if books is None or books[0] is not cat:
            books = self._books = (cat, {})
        book = books[1].get(endpoint.name)
        if book is None:
            book = books[1][endpoint.name] = codebook(cat, endpoint)
        return book

    def _learn(self, environ: dict[str, Any], start_response: Callable[..., Any],
               key: tuple[str, ...], etag: str, body: bytes, plain: bytes) -> Iterable[bytes]:
        """Let Flask answer; keep its status and headers as the key's template if its answer
        is the one computed here (the same bytes once decoded: gzip stamps the time)."""
        result, captured = call_capturing(self.app, environ, start_response)
        flask_body = read_all(result)
        headers = {name.lower(): value for name, value in captured.get("headers", [])}
        if not captured.get("status", "").startswith("200 "):
            return [flask_body]  # an error (a release being switched, say): learn later
        coding = headers.get("content-encoding")
        same = (headers.get("etag") == etag
                and headers.get("content-length") == str(len(body))
                and coding == (key[-1] or None)
                and "set-cookie" not in headers
                and (flask_body == b"" if environ["REQUEST_METHOD"] == "HEAD" else
                     (_uncompress_data(flask_body, coding) if coding else flask_body) == plain))
        with self._lock:
            if len(self._templates) >= MAX_TEMPLATES:  # old releases, other mount points
                self._templates.clear()
            self._templates[key] = (_Template(captured["status"], captured["headers"])
                                    if same else None)
        return [flask_body]
