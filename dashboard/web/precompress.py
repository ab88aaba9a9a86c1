"""Brotli at maximum quality for the big JavaScript bundles, computed once in the background.

flask-compress compresses every response on the fly at a moderate level (plotly.min.js: 4.8 MB
-> 1.29 MB at brotli 5). Quality 11 gives 1.11 MB but takes ~25 s of CPU, so it is done once
per file and process in a background thread, kept in memory and on disk (shared by the workers
and restarts) by one background thread; until it is ready, the on-the-fly response is served.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pkgutil
import queue
import re
import tempfile
import threading
from pathlib import Path

import brotli
from dash.fingerprint import check_fingerprint
from flask import Flask, Response, request

log = logging.getLogger(__name__)

PREFIX = "/_dash-component-suites/"
PACKAGES = ("dash", "plotly", "dash_bootstrap_components", "dashboard")
MIN_SIZE = 50_000
QUALITY = 11
_SAFE = re.compile(r"^[A-Za-z0-9_.@/-]+\.js$")


class Precompressor:
    """Serve brotli-11 versions of large component-suite scripts once they are ready."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.ready: dict[str, bytes] = {}
        self.pending: set[str] = set()
        self.lock = threading.Lock()
        self.queue: queue.Queue[tuple[str, bytes]] = queue.Queue()
        self.worker: threading.Thread | None = None

    def _work(self) -> None:
        """One background thread compresses the queued files one after the other."""
        while True:
            key, data = self.queue.get()
            self._compress(key, data)

    def _source(self, path: str) -> tuple[str, bytes] | None:
        """(path in package, uncompressed bytes) of a component-suite URL path, if eligible."""
        package, _, rest = path[len(PREFIX):].partition("/")
        if package not in PACKAGES or ".." in rest or not _SAFE.match(rest):
            return None
        real, _ = check_fingerprint(rest)
        try:
            data = pkgutil.get_data(package, real)
        except (OSError, ValueError):
            return None
        if data is None or len(data) < MIN_SIZE:
            return None
        return real, data

    def _compress(self, key: str, data: bytes) -> None:
        target = self.directory / f"{key}.br"
        try:
            if target.exists():
                body = target.read_bytes()
            else:
                body = brotli.compress(data, quality=QUALITY)
                self.directory.mkdir(parents=True, exist_ok=True)
                tmp = target.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_bytes(body)
                tmp.replace(target)
            with self.lock:
                self.ready[key] = body
        except OSError as exc:  # a read-only disk only costs the better compression
            log.warning("precompression of %s failed: %s", key, exc)
        finally:
            with self.lock:
                self.pending.discard(key)

    def get(self, data: bytes) -> bytes | None:
        """The brotli-11 bytes of ``data`` if ready; otherwise start compressing them."""
        key = hashlib.sha256(data).hexdigest()[:24]
        with self.lock:
            body = self.ready.get(key)
            if body is not None or key in self.pending:
                return body
            self.pending.add(key)
            if self.worker is None:
                self.worker = threading.Thread(target=self._work, daemon=True,
                                               name="precompress-worker")
                self.worker.start()
        self.queue.put((key, data))
        return None

    def schedule(self, path: str) -> None:
        """Start compressing the file behind a component-suite path (if eligible)."""
        source = self._source(path)
        if source is not None:
            self.get(source[1])

    def response(self, path: str) -> Response | None:
        """The precompressed response for ``path``, or ``None`` (then schedule it)."""
        source = self._source(path)
        if source is None:
            return None
        body = self.get(source[1])
        if body is None:
            return None
        resp = Response(body, mimetype="application/javascript")
        resp.headers["Content-Encoding"] = "br"
        resp.headers["Vary"] = "Accept-Encoding"
        return resp


def init_precompression(server: Flask, warm: tuple[str, ...] = ()) -> Precompressor | None:
    """Answer ``br`` requests for big bundles with the precompressed bytes when ready."""
    if os.environ.get("DASHBOARD_PRECOMPRESS", "1") == "0":
        return None
    base = os.environ.get("CACHE_DIR") or str(
        Path(tempfile.gettempdir()) / f"registre-cancers-cache-{os.getuid()}")
    pre = Precompressor(Path(base) / "static-br")

    @server.before_request
    def precompressed() -> Response | None:
        if not request.path.startswith(PREFIX):
            return None
        if not accepts_br():
            return None
        return pre.response(request.path)

    for path in warm:
        pre.schedule(path)
    server.extensions["precompressor"] = pre
    return pre


def warm_page_bundles(server: Flask, index_html: str) -> None:
    """Start precompressing every script an index page loads (at start-up)."""
    pre = server.extensions.get("precompressor")
    if pre is None:
        return
    for src in re.findall(r'<script[^>]+src="([^"?]+)', index_html):
        pre.schedule(src)


def accepts_br() -> bool:
    """Whether the current request accepts brotli."""
    return "br" in request.headers.get("Accept-Encoding", "")
