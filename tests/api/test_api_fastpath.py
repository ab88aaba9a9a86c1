"""The data endpoints' WSGI fast path answers exactly what Flask answers, byte for byte."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import flask
import pytest
from flask_compress.flask_compress import _uncompress_data
from werkzeug.test import EnvironBuilder

from dashboard.api.fastpath import FastData
from dashboard.data_access import Release

from .test_api_memindex import _queries, _views

ENCODINGS = ("identity", "gzip, deflate, br, zstd", "br;q=0.5, gzip", "")


def _fast_layer(server: flask.Flask) -> FastData:
    layer: Any = server.wsgi_app
    while not isinstance(layer, FastData):  # the micro-cache, the dashboard's WSGI layers
        if hasattr(layer, "app"):
            layer = layer.app
        else:  # a closure over the next layer (service.limit_request_line)
            names = layer.__code__.co_freevars
            layer = layer.__closure__[names.index("app")].cell_contents
    return layer


def _call(app: Any, url: str, method: str, encoding: str,
          headers: Iterable[tuple[str, str]] = ()) -> tuple[str, list, bytes]:
    env = EnvironBuilder(path=url, method=method,
                         headers=[("Accept-Encoding", encoding), *headers]).get_environ()
    out: dict[str, Any] = {}
    result = app(env, lambda status, hdrs, exc_info=None: out.update(status=status, hdrs=hdrs))
    body = b"".join(result)
    getattr(result, "close", lambda: None)()
    coding = dict(out["hdrs"]).get("Content-Encoding")
    if coding and body:  # decoded: gzip stamps the time of day
        body = _uncompress_data(body, coding)
    return out["status"], list(out["hdrs"]), body


def _same_answers(server: flask.Flask, urls: list[str]) -> FastData:
    fast = _fast_layer(server)
    for url in urls:
        for encoding in ENCODINGS:
            for method in ("GET", "HEAD"):
                expected = _call(fast.app, url, method, encoding)  # Flask alone
                for _ in range(2):  # the first one teaches the template, the second uses it
                    assert _call(fast, url, method, encoding) == expected, (url, method,
                                                                            encoding)
    return fast


def test_bare_api(app_factory, fixture_release: Path) -> None:
    urls = list(_queries(Release(fixture_release))) + list(_views(Release(fixture_release)))
    fast = _same_answers(app_factory(), urls)
    assert fast.hits > 200


def test_dashboard_server(fixture_release: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On the dashboard's server, Flask's hooks add their headers (security, Vary…) to data
    responses: the templates replay them."""
    from dashboard.web.app import create_app

    monkeypatch.setenv("DASHBOARD_PRECOMPRESS", "0")
    server = create_app(fixture_release).server
    urls = list(_views(Release(fixture_release)))
    fast = _same_answers(server, urls)
    assert fast.hits > 100
    _, headers, _ = _call(fast, urls[0], "GET", "identity")
    assert "Content-Security-Policy" in dict(headers)


def test_conditional_and_bad_requests_go_to_flask(app_factory) -> None:
    fast = _fast_layer(app_factory())
    url = "/api/v1/indicators?measure=incidence&level=region&format=csv"
    status, headers, _ = _call(fast, url, "GET", "identity")
    etag = dict(headers)["ETag"]
    hits = fast.hits
    assert _call(fast, url, "GET", "identity", [("If-None-Match", etag)])[0].startswith("304")
    status, _, body = _call(fast, "/api/v1/indicators?measure=nope", "GET", "identity")
    assert status.startswith("400") and b'"parameter":"measure"' in body
    assert fast.hits == hits
