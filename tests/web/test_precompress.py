"""Background brotli-11 precompression of large bundles."""

from __future__ import annotations

import time
from pathlib import Path

import brotli

from dashboard.web.precompress import Precompressor

RENDERER = "/_dash-component-suites/dash/dash-renderer/build/dash_renderer.v9_9_9m1.min.js"


def test_precompressed_once_then_served(tmp_path: Path) -> None:
    pre = Precompressor(tmp_path)
    assert pre.response(RENDERER) is None  # not ready yet: compression starts
    deadline = time.monotonic() + 60
    resp = None
    while resp is None and time.monotonic() < deadline:
        time.sleep(0.2)
        resp = pre.response(RENDERER)
    assert resp is not None and resp.headers["Content-Encoding"] == "br"
    body = brotli.decompress(resp.get_data())
    assert b"dash" in body and len(resp.get_data()) < len(body) / 3
    assert list(tmp_path.glob("*.br"))  # shared with other workers through the disk
    again = Precompressor(tmp_path)
    again.response(RENDERER)
    time.sleep(0.5)
    assert again.response(RENDERER) is not None


def test_ineligible_paths(tmp_path: Path) -> None:
    pre = Precompressor(tmp_path)
    assert pre.response("/_dash-component-suites/os/../../etc/passwd.js") is None
    assert pre.response("/_dash-component-suites/dash/deps/react@18.v1m1.3.1.min.js") is None
    assert not pre.pending
