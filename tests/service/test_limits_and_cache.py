"""Rate limits (429 JSON, Redis or per process) and the cache that survives a Redis outage."""

from __future__ import annotations

import json
from typing import Any

from limits import parse

from dashboard.cache_fallback import Resilient
from dashboard.ratelimit import RateLimited, from_settings

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def ok_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


def call(app: Any, path: str, client: str = "203.0.113.7") -> tuple[str, dict[str, str], bytes]:
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen.update(status=status, headers=dict(headers))

    body = b"".join(app({"PATH_INFO": path, "REQUEST_METHOD": "GET",
                         "HTTP_X_FORWARDED_FOR": f"198.51.100.1, {client}"}, start_response))
    return seen["status"], seen["headers"], body


def test_limit_per_client_with_a_json_429() -> None:
    app = RateLimited(ok_app, {"/api/v1/": parse("2/minute")})
    assert [call(app, "/api/v1/x")[0][:3] for _ in range(2)] == ["200", "200"]
    status, headers, body = call(app, "/api/v1/x")
    assert status.startswith("429") and int(headers["Retry-After"]) > 0
    assert "trop de requêtes" in json.loads(body)["error"]  # French unless asked otherwise
    assert call(app, "/api/v1/x", client="203.0.113.8")[0].startswith("200")  # another client
    assert call(app, "/carte")[0].startswith("200")  # pages are not limited here


def test_limits_follow_the_settings() -> None:
    assert from_settings(ok_app, "/api/v1/", "/_dash-update-component",
                         {"API_RATE_LIMIT": "off", "CALLBACK_RATE_LIMIT": "off"}) is ok_app
    app = from_settings(ok_app, "/api/v1/", "/_dash-update-component",
                        {"API_RATE_LIMIT": "1/second", "CALLBACK_RATE_LIMIT": "off",
                         "RATELIMIT_STORAGE_URI": UNREACHABLE_REDIS})
    assert call(app, "/api/v1/x")[0].startswith("200")  # Redis down: counted per process
    assert call(app, "/api/v1/x")[0].startswith("429")


def test_views_drawn_ahead_count_like_callbacks() -> None:
    """``/_warm`` draws a page as the router's callback does: the callbacks' limit, its own
    count."""
    app = from_settings(ok_app, "/api/v1/", ("/_dash-update-component", "/_warm"),
                        {"API_RATE_LIMIT": "off", "CALLBACK_RATE_LIMIT": "1/minute"})
    assert call(app, "/_warm")[0].startswith("200")
    assert call(app, "/_warm")[0].startswith("429")
    assert call(app, "/_dash-update-component")[0].startswith("200")
    assert call(app, "/_dash-update-component")[0].startswith("429")
    assert call(app, "/api/v1/x")[0].startswith("200")


class Broken:
    def get(self, key: str) -> Any:
        raise ConnectionError("redis is down")

    def set(self, key: str, value: Any, timeout: int | None = None) -> bool:
        raise ConnectionError("redis is down")


def test_cache_misses_while_redis_is_down() -> None:
    cache = Resilient(Broken())
    assert cache.get("k") is None and cache.set("k", 1) is False
    assert cache.get("k") is None  # no new attempt for a few seconds
