"""Each endpoint advertises and accepts only what its table holds, and says what exists."""

from __future__ import annotations

import pytest

SERIES_ENDPOINTS = ["trends", "trend-segments", "trend-fitted", "inequalities",
                    "inequality-summary"]


def _params(spec: dict, endpoint: str) -> dict[str, dict]:
    op = spec["paths"][f"/api/v1/{endpoint}"]["get"]
    return {p["name"]: p["schema"] for p in op["parameters"]}


def _enum(schema: dict) -> list:
    return schema["items"]["enum"] if schema.get("type") == "array" else schema["enum"]


@pytest.mark.parametrize("endpoint", SERIES_ENDPOINTS)
def test_series_endpoints_do_not_offer_departments(client, endpoint):
    spec = client.get("/api/v1/openapi.json").get_json()
    params = _params(spec, endpoint)
    assert "department" not in _enum(params["level"])
    assert "69" not in _enum(params["geo"])  # a department code, and no region's
    response = client.get(f"/api/v1/{endpoint}?level=department")
    assert response.status_code == 400 and response.is_json
    body = response.get_json()
    assert body["parameter"] == "level" and "department" not in body["allowed"]
    assert "country" in body["error"]  # says what exists


def test_every_enum_is_free_of_duplicates(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path, item in spec["paths"].items():
        for param in item.get("get", {}).get("parameters", []):
            values = _enum(param["schema"]) if "enum" in str(param["schema"]) else []
            assert len(values) == len(set(values)), (path, param["name"])


def test_geographies_codes_are_listed_once(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    codes = _enum(_params(spec, "geographies")["geo"])
    assert len(codes) == len(set(codes)) and "84" in codes


def test_reversed_year_bounds_are_a_400(client):
    response = client.get("/api/v1/indicators?year_start=2023&year_end=2019")
    assert response.status_code == 400
    assert "year_end" in response.get_json()["error"]


def test_departments_single_year_says_which_periods_exist(client):
    """The message says what exists, in French by default and in English on request."""
    url = "/api/v1/indicators?level=department&period_length=1"
    response = client.get(url, headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert response.status_code == 400
    assert ("departments are published for 5-year periods: 2019-2023"
            in response.get_json()["error"])
    french = client.get(url).get_json()["error"]
    assert ("pour les départements, publication par périodes de 5\u202fans\u202f: 2019-2023"
            in french), french
    response = client.get("/api/v1/indicators?level=department&year_start=2021&year_end=2021")
    assert response.status_code == 400
    assert response.get_json()["allowed"] == ["2019-2023"]
    ok = client.get("/api/v1/indicators?level=department,region&period_length=1&geo=84")
    assert ok.status_code == 200  # regions have single years: the request can return rows


@pytest.mark.parametrize("value", ["C34,C50", "2019", "-1", "a~b.c_d-e", "", "é,x", "a b",
                                   "x&y=z", "50%", "a,,b"])
def test_canonical_query_string_quotes_as_urlencode(value):
    """The ETag and cache key keep the bytes ``urlencode`` gave, whatever a value holds."""
    from urllib.parse import urlencode

    from dashboard.api.params import ENDPOINTS, Selection

    endpoint = ENDPOINTS["indicators"]
    param = endpoint.params[0]
    selection = Selection(endpoint, ((param, (value,)),), "csv")
    assert selection.query_string() == urlencode([(param.name, value), ("format", "csv")])
