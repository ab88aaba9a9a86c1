"""The WSGI micro-cache replays small public API responses and nothing else."""

from __future__ import annotations

from werkzeug.test import Client
from werkzeug.wrappers import Response

from dashboard.api.microcache import MicroCache


def counting_app(calls: list[str], **headers: str):
    def app(environ, start_response):
        calls.append(environ["PATH_INFO"])
        status = 404 if environ["PATH_INFO"].endswith("missing") else 200
        response = Response(b"body", status=status, headers={"Cache-Control": "public",
                                                             "ETag": 'W/"r1-x"', **headers})
        return response(environ, start_response)

    return app


def test_replays_small_public_responses_keyed_by_release():
    calls: list[str] = []
    release = ["r1"]
    client = Client(MicroCache(counting_app(calls), lambda: release[0], "/api/v1"))
    for _ in range(3):
        assert client.get("/api/v1/indicators?a=1").data == b"body"
    assert calls == ["/api/v1/indicators"]
    client.get("/api/v1/indicators?a=2")
    client.get("/api/v1/indicators?a=1", headers={"Accept-Encoding": "gzip"})
    assert len(calls) == 3
    release[0] = "r2"
    client.get("/api/v1/indicators?a=1")
    assert len(calls) == 4
    head = client.head("/api/v1/indicators?a=1")
    assert head.status_code == 200 and head.data == b""
    cached = client.get("/api/v1/indicators?a=1", headers={"If-None-Match": 'W/"r1-x"'})
    assert cached.status_code == 304 and cached.headers["ETag"] == 'W/"r1-x"'


def test_does_not_cache_errors_other_paths_cookies_or_unavailable_release():
    calls: list[str] = []
    client = Client(MicroCache(counting_app(calls), lambda: "r1", "/api/v1"))
    for path in ("/api/v1/missing", "/dash-page", "/api/v1/bulk/site.csv"):
        client.get(path)
        client.get(path)
    assert len(calls) == 6
    client.post("/api/v1/indicators")
    client.post("/api/v1/indicators")
    assert len(calls) == 8
    cookies: list[str] = []
    cookie_client = Client(MicroCache(counting_app(cookies, **{"Set-Cookie": "s=1"}),
                                      lambda: "r1", "/api/v1"))
    cookie_client.get("/api/v1/sites")
    cookie_client.get("/api/v1/sites")
    assert len(cookies) == 2
    missing: list[str] = []
    unavailable = Client(MicroCache(counting_app(missing), lambda: None, "/api/v1"))
    unavailable.get("/api/v1/sites")
    unavailable.get("/api/v1/sites")
    assert len(missing) == 2


def test_cached_api_response_is_identical(client):
    url = "/api/v1/indicators?site=lung&geo=FR&sex=all"
    first, second = client.get(url), client.get(url)
    assert first.data == second.data
    assert dict(first.headers) == dict(second.headers)
