"""Request ids, JSON access logs and Prometheus metrics, around the whole WSGI application.

``Observed`` wraps the outermost WSGI app (outside the API micro-cache, so replayed responses
count too). Each request gets an id (the proxy's ``X-Request-Id`` when it sends a sane one, else
a new one), returned in ``X-Request-Id`` and written in one JSON access-log line on the
``dashboard.access`` logger (method, path, route, status, bytes, duration, release id). Counts
and latency per route go to Prometheus (``http_requests_total``,
``http_request_duration_seconds``), served apart from the site: on ``METRICS_PORT`` by the
gunicorn master (``deploy/gunicorn.conf.py``, multiprocess mode), never through the proxy.
``LOG_FORMAT=json`` makes every log line JSON, with the request id of the request being served.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import re
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from flask import Flask
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, make_wsgi_app
from werkzeug.exceptions import HTTPException

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0)
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
access_log = logging.getLogger("dashboard.access")

REQUESTS = Counter("http_requests_total", "HTTP requests answered, by route, method and status",
                   ["route", "method", "status"])
LATENCY = Histogram("http_request_duration_seconds",
                    "Time from the request to the last byte of the response, by route",
                    ["route", "method"], buckets=BUCKETS)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(), "logger": record.name,
            "msg": record.getMessage()}
        rid = getattr(record, "request_id", None) or request_id_var.get()
        if rid:
            entry["request_id"] = rid
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(stream: Any = None) -> None:
    """JSON lines on stderr for every logger (``LOG_FORMAT=json``); access log at INFO."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(os.environ.get("LOG_LEVEL", "INFO").upper())
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


class Observed:
    """WSGI middleware: request id, access log line and metrics for every request."""

    def __init__(self, app: WSGIApp, route_of: Callable[[dict[str, Any]], str]) -> None:
        self.app = app
        self.route_of = route_of

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any],
                 ) -> Iterable[bytes]:
        began = time.perf_counter()
        given = environ.get("HTTP_X_REQUEST_ID", "")
        rid = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        environ["HTTP_X_REQUEST_ID"] = rid
        token = request_id_var.set(rid)
        seen: dict[str, Any] = {"status": "500", "headers": []}

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            headers = [(k, v) for k, v in headers if k.lower() != "x-request-id"]
            headers.append(("X-Request-Id", rid))
            seen.update(status=status.split(" ", 1)[0], headers=headers)
            return start_response(status, headers, exc_info)

        try:
            body = self.app(environ, start)
        except BaseException:
            self._record(environ, seen, began, 0)
            raise
        finally:
            request_id_var.reset(token)
        return self._closing(body, environ, seen, began)

    def _closing(self, body: Iterable[bytes], environ: dict[str, Any], seen: dict[str, Any],
                 start: float) -> Iterable[bytes]:
        return _RecordedBody(body, lambda size: self._record(environ, seen, start, size))

    def _record(self, environ: dict[str, Any], seen: dict[str, Any], start: float,
                size: int) -> None:
        elapsed = time.perf_counter() - start
        route = self.route_of(environ)
        method = environ.get("REQUEST_METHOD", "")
        REQUESTS.labels(route, method, seen["status"]).inc()
        LATENCY.labels(route, method).observe(elapsed)
        headers = {k.lower(): v for k, v in seen["headers"]}
        forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
        fields = {"method": method, "path": environ.get("PATH_INFO", ""),
                  "query": environ.get("QUERY_STRING", "")[:300], "route": route,
                  "status": int(seen["status"]), "bytes": size,
                  "duration_ms": round(elapsed * 1000, 2),
                  "client": forwarded.split(",")[-1].strip() or environ.get("REMOTE_ADDR"),
                  "release_id": headers.get("x-release-id")}
        access_log.info("%s %s %s", method, fields["path"], seen["status"],
                        extra={"fields": fields, "request_id": environ["HTTP_X_REQUEST_ID"]})


class _RecordedBody:
    """A response body that counts its bytes and records the request once: when it has been
    sent in full or when the server closes it (WSGI calls ``close()``). Not a generator: a
    generator's ``finally`` also runs when the garbage collector drops an unfinished one, at
    any allocation, possibly inside the metrics' own (non-reentrant) lock, which then waited
    for itself."""

    def __init__(self, body: Iterable[bytes], record: Callable[[int], None]) -> None:
        self.body = body
        self.record: Callable[[int], None] | None = record
        self.size = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.body:
            self.size += len(chunk)
            yield chunk
        self._once()  # sent in full (not reached when a dropped iterator is collected)

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self._once()

    def _once(self) -> None:
        record, self.record = self.record, None
        if record is not None:
            record(self.size)


def route_namer(server: Flask) -> Callable[[dict[str, Any]], str]:
    """The URL rule of a request (bounded label values for metrics)."""

    def route_of(environ: dict[str, Any]) -> str:
        try:
            rule, _args = server.url_map.bind_to_environ(environ).match(return_rule=True)
        except HTTPException:
            return "unmatched"
        return rule.rule

    return route_of


def metrics_registry() -> CollectorRegistry:
    """Every gunicorn worker's metrics when ``PROMETHEUS_MULTIPROC_DIR`` is set, else ours."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


def metrics_app() -> WSGIApp:
    """The Prometheus exposition as a WSGI app."""
    return make_wsgi_app(metrics_registry())


def init_app(server: Flask) -> None:
    """Wrap ``server.wsgi_app`` (call last: after any other WSGI wrapper)."""
    if os.environ.get("LOG_FORMAT") == "json":
        configure_logging()
    server.wsgi_app = Observed(server.wsgi_app, route_namer(server))  # type: ignore[method-assign]
