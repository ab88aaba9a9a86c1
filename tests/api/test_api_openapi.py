"""The OpenAPI description: generated from the parameter definitions, fuzzed with schemathesis."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from dashboard.api.params import ENDPOINTS
from dashboard.web.i18n import LANGS, t

schemathesis = pytest.importorskip("schemathesis")
acceptance = pytest.importorskip("schemathesis.specs.openapi.checks").positive_data_acceptance


def _cross_parameter_400(response) -> bool:
    if response.status_code != 400:
        return False
    body = response.json()
    fixed = [t(key, lang).split("{")[0] for key in ("api_err_periods", "api_err_bounds")
             for lang in LANGS]
    return body.get("parameter") in ("year_start", "period_length") and any(
        body["error"].startswith(text) for text in fixed)


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_api_conforms_to_its_openapi_description(api_app, mode):
    """Bounded, deterministic fuzzing of every operation: no 5xx, responses as documented."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_app)
    strategy = schema.as_strategy(generation_mode=schemathesis.GenerationMode(mode))

    @given(case=strategy)
    @settings(max_examples=150, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case: schemathesis.Case) -> None:
        # The WSGI transport does not decode content codings: ask for identity bodies.
        headers = {"Accept-Encoding": "identity"}
        response = case.call(headers=headers)
        # Rules across parameters (bounds in order, a level's published periods) cannot be
        # said in OpenAPI: a schema-valid request they reject gets a documented 400 naming the
        # parameter; every other check still applies to it.
        excluded = [acceptance] if _cross_parameter_400(response) else []
        case.validate_response(response, headers=headers, excluded_checks=excluded)

    check()


def test_spec_parameters_are_the_validated_ones(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    for endpoint in ENDPOINTS.values():
        op = spec["paths"][f"/api/v1/{endpoint.name}"]["get"]
        assert [p["name"] for p in op["parameters"]] == [p.name for p in endpoint.params]
    sex = next(p for p in spec["paths"]["/api/v1/indicators"]["get"]["parameters"]
               if p["name"] == "sex")
    assert sorted(sex["schema"]["items"]["enum"]) == ["all", "female", "male"]


def test_docs_page(client):
    page = client.get("/api/v1/docs")
    html = page.data.decode()
    assert page.status_code == 200 and '<html lang="fr">' in html
    assert "<script" not in html and "cdn" not in html.lower()
    for endpoint in ENDPOINTS:
        assert f"/api/v1/{endpoint}" in html
    assert "period_length" in html and "csv-excel" in html
