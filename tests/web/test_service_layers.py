"""The production layers on the dashboard: callback guard, stale pages, headers, health, logs."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from dash import Dash
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.web.devserver import callback_payload, find_dependency
from dashboard.web.security import content_security_policy, hsts_value

RELEASE = "20260101-fixture0"
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=3),
    max_leaves=8)


def post(dash_app: Dash, body: Any) -> Any:
    return dash_app.server.test_client().post("/_dash-update-component", json=body)


@pytest.fixture(scope="module")
def deps(dash_app: Dash) -> list[dict[str, Any]]:
    return dash_app.server.test_client().get("/_dash-dependencies").get_json()


@pytest.mark.parametrize(("output", "inputs", "state"), [
    ("page.children", ["/territoire/departement/999", None], [""]),
    ("page.children", [12, None], [""]),
    ("evolution-graph.data", ["mortality", "lung", "male", "asr_europe", "quinquennal",
                                {"region": "84"}, "aucun", "aucun"], ["?lang=fr"]),
    ("territoire-trend_fig.data", ["incidence", "lung", "female", "2021"],
     [{"level": "department", "code": "999"}, "?lang=fr"]),
])
def test_hand_built_callbacks_get_a_4xx(dash_app: Dash, deps: list[dict[str, Any]],
                                        output: str, inputs: list[Any],
                                        state: list[Any]) -> None:
    r = post(dash_app, callback_payload(find_dependency(deps, output), inputs, state))
    assert r.status_code < 500, r.get_data(as_text=True)[:300]
    if output != "page.children" or inputs[0] == 12:
        assert r.status_code == 400 and "error" in r.get_json()


@pytest.mark.parametrize("body", [None, [], "x", {"output": "nope"}, {"output": 3},
                                  {"output": "..page.children...page-meta.data..",
                                   "inputs": "x"}])
def test_malformed_bodies_get_a_400(dash_app: Dash, body: Any) -> None:
    assert post(dash_app, body).status_code == 400


def test_oversized_callback_gets_a_json_413(dash_app: Dash) -> None:
    client = dash_app.server.test_client()
    r = client.post("/_dash-update-component", data=b"x" * 300_000,
                    content_type="application/json", headers={"Accept-Language": "en"})
    assert r.status_code == 413 and "too large" in r.get_json()["error"]
    r = client.post("/_dash-update-component", data=b"x" * 300_000,
                    content_type="application/json")  # French by default
    assert r.status_code == 413 and "trop volumineuse" in r.get_json()["error"]


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_fuzzed_callbacks_never_answer_5xx(dash_app: Dash, deps: list[dict[str, Any]],
                                           data: st.DataObject) -> None:
    """Payloads built from the app's own callback map, with any JSON in any value."""
    server_deps = [d for d in deps if d.get("clientside_function") is None]
    dep = data.draw(st.sampled_from(server_deps))
    inputs = data.draw(st.lists(JSON_VALUES, min_size=len(dep["inputs"]),
                                max_size=len(dep["inputs"])))
    state = data.draw(st.lists(JSON_VALUES, min_size=len(dep["state"]),
                               max_size=len(dep["state"])))
    body = callback_payload(dep, inputs, state)
    mutation = data.draw(st.sampled_from(["none", "drop", "extra", "release"]))
    if mutation == "drop":
        body.pop(data.draw(st.sampled_from(sorted(body))))
    elif mutation == "extra":
        body["inputs"].append({"id": "x", "property": "value", "value": 1})
    elif mutation == "release":
        body["release"] = data.draw(JSON_VALUES)
    r = post(dash_app, body)
    assert r.status_code < 500, (body, r.get_data(as_text=True)[:300])


def test_callbacks_name_their_release_and_stale_pages_get_a_notice(
        dash_app: Dash, deps: list[dict[str, Any]]) -> None:
    dep = find_dependency(deps, "carte-ranking.data")
    body = callback_payload(dep, ["incidence", "lung", "all", "department", "2019-2023",
                                  "asr_world"], ["?lang=fr"])
    r = post(dash_app, {**body, "release": RELEASE})
    assert r.status_code == 200 and r.headers["X-Release-Id"] == RELEASE
    r = post(dash_app, {**body, "release": "20250101-older"})
    assert r.status_code == 200 and r.headers["X-Release-Stale"] == "1"
    out = r.get_json()
    assert out["response"] == {}
    notice = json.dumps(out["sideUpdate"]["release-notice"], ensure_ascii=False)
    assert "Nouvelle version des données publiée" in notice and "rechargez" in notice


def test_pages_carry_their_release_for_the_renderer(dash_app: Dash,
                                                    deps: list[dict[str, Any]]) -> None:
    r = post(dash_app, callback_payload(find_dependency(deps, "page.children"), ["/carte", None],
                                        ["?lang=fr"]))
    assert f'"data-release":"{RELEASE}"' in r.get_data(as_text=True).replace(" ", "")
    assert "payload.release" in dash_app.renderer


def test_security_headers(dash_app: Dash) -> None:
    r = dash_app.server.test_client().get("/carte")
    csp = r.headers["Content-Security-Policy"]
    script_src = next(p for p in csp.split("; ") if p.startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert all(h in script_src for h in dash_app.csp_hashes())
    assert "frame-ancestors 'none'" in csp and r.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in r.headers  # off unless HSTS_MAX_AGE is set
    assert hsts_value(0) is None and hsts_value(31536000).startswith("max-age=31536000")
    assert content_security_policy(["'sha256-x'"]).count("'sha256-x'") == 1


def test_health_and_readiness(dash_app: Dash) -> None:
    client = dash_app.server.test_client()
    assert client.get("/healthz").get_json() == {"status": "ok"}
    r = client.get("/readyz")
    assert r.status_code == 200 and r.get_json()["release_id"] == RELEASE
    assert r.headers["Cache-Control"] == "no-store"


def test_request_id_and_json_access_log(dash_app: Dash, caplog: pytest.LogCaptureFixture,
                                        ) -> None:
    from dashboard.observability import JsonFormatter

    client = dash_app.server.test_client()
    with caplog.at_level(logging.INFO, logger="dashboard.access"):
        r = client.get("/api/v1/release", headers={"X-Request-Id": "abcdef0123456789"})
        fresh = client.get("/healthz", headers={"X-Request-Id": "bad id!"})
        r.get_data(), fresh.get_data()  # the line is written when the body has been sent
    assert r.headers["X-Request-Id"] == "abcdef0123456789"
    assert fresh.headers["X-Request-Id"] != "bad id!"
    assert len(fresh.headers["X-Request-Id"]) == 32
    line = json.loads(JsonFormatter().format(caplog.records[0]))
    assert line["request_id"] == "abcdef0123456789" and line["route"] == "/api/v1/release"
    assert line["status"] == 200 and line["release_id"] == RELEASE and "duration_ms" in line


def test_metrics_count_requests_per_route(dash_app: Dash) -> None:
    from dashboard.observability import metrics_app

    dash_app.server.test_client().get("/healthz")
    seen: dict[str, Any] = {}
    body = b"".join(metrics_app()({"REQUEST_METHOD": "GET", "PATH_INFO": "/metrics"},
                                  lambda status, headers: seen.update(status=status)))
    assert seen["status"].startswith("200")
    assert b'http_requests_total{method="GET",route="/healthz",status="200"}' in body
    assert b"http_request_duration_seconds_bucket" in body


def test_long_request_line_is_a_json_414(dash_app) -> None:
    client = dash_app.server.test_client()
    url = "/api/v1/indicators?geo=" + ",".join(["FR"] * 1500)
    response = client.get(url, headers={"Accept-Language": "en-GB"})
    assert response.status_code == 414 and response.is_json
    assert "too long" in response.get_json()["error"]
    assert "trop longue" in client.get(url).get_json()["error"]
    assert client.get("/api/v1/indicators?geo=" + ",".join(["FR"] * 900)).status_code == 200


def test_bulk_without_slash_answers_json(dash_app) -> None:
    response = dash_app.server.test_client().get("/api/v1/bulk")
    assert response.status_code == 200 and response.is_json


def test_bulk_csv_names_its_charset_once(dash_app) -> None:
    response = dash_app.server.test_client().get("/api/v1/bulk/site.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
