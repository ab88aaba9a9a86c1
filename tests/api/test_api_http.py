"""HTTP behaviour: 400 naming the bad parameter, 404/405 JSON, size limit, 304, 503, links."""

from __future__ import annotations

import dash
import flask
import pytest

from dashboard.api import download_url, init_app
from dashboard.api.params import ENDPOINTS
from dashboard.data_access import Release

BAD_VALUE = {"string": "zz-not-a-code", "integer": "abc"}


@pytest.mark.parametrize(("endpoint", "param"), [
    (e.name, p) for e in ENDPOINTS.values() for p in e.params])
def test_each_bad_parameter_gives_400_naming_it(client, endpoint, param):
    response = client.get(f"/api/v1/{endpoint}", query_string={param.name: BAD_VALUE[param.kind]})
    assert response.status_code == 400
    body = response.get_json()
    assert body["parameter"] == param.name
    assert body["allowed"], body
    assert param.name in body["error"]
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("query", ["year_start=2019.0", "year_start=%202019", "geo=", "geo=FR,",
                                   "quintile=1_0", "year_end=٢٠١٩"])
def test_malformed_values_are_rejected(client, query):
    endpoint = "inequalities" if "quintile" in query else "indicators"
    assert client.get(f"/api/v1/{endpoint}?{query}").status_code == 400


def test_unknown_and_repeated_parameters(client):
    body = client.get("/api/v1/indicators?geo_code=FR").get_json()
    assert body["parameter"] == "geo_code" and "geo" in body["allowed"]
    body = client.get("/api/v1/indicators?year_start=2019&year_start=2020").get_json()
    assert body["parameter"] == "year_start"
    assert client.get("/api/v1/indicators?year_end=2019,2020").get_json()["parameter"] == (
        "year_end")
    body = client.get("/api/v1/indicators?format=csv&format=json").get_json()
    assert body["parameter"] == "format" and body["allowed"] == ["csv", "csv-excel", "parquet",
                                                                  "json"]
    assert client.get("/api/v1/release?x=1").get_json()["parameter"] == "x"
    assert client.get("/api/v1/trends?year_start=2019").get_json()["parameter"] == "year_start"


def test_repeated_and_comma_lists_are_equivalent(client):
    a = client.get("/api/v1/indicators?geo=FR&geo=84&site=lung")
    b = client.get("/api/v1/indicators?geo=84,FR&site=lung")
    assert a.data == b.data and a.headers["ETag"] == b.headers["ETag"]


def test_404_and_405_are_json(client):
    for path in ("/api/v1/nope", "/api/v1/indicators/extra", "/api/v1/bulk/nope.csv"):
        response = client.get(path)
        assert response.status_code == 404 and response.is_json, path
    response = client.post("/api/v1/nope")
    assert response.status_code == 404 and response.is_json
    for path in ("/api/v1/indicators", "/api/v1/release", "/api/v1/"):
        response = client.post(path)
        assert response.status_code == 405 and response.is_json, path
        assert "GET" in response.headers["Allow"]
    assert client.delete("/api/v1/openapi.json").status_code == 405


def test_size_limit_for_json_and_parquet(app_factory):
    with app_factory(API_MAX_ROWS=100).test_client() as client:
        for fmt in ("json", "parquet"):
            response = client.get(f"/api/v1/indicators?format={fmt}")
            assert response.status_code == 413
            body = response.get_json()
            assert body["parameter"] == "format" and "csv" in body["allowed"]
            assert body["limit"] == 100 and body["rows"] > 100
        assert client.get("/api/v1/indicators?format=csv").status_code == 200
        assert client.get("/api/v1/indicators?format=json&geo=FR&site=lung").status_code == 200


def test_etag_and_conditional_requests(client, release):
    first = client.get("/api/v1/indicators?site=lung&geo=FR")
    etag = first.headers["ETag"]
    assert release.release_id in etag
    assert "max-age" in first.headers["Cache-Control"]
    again = client.get("/api/v1/indicators?site=lung&geo=FR",
                       headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    other = client.get("/api/v1/indicators?site=lung&geo=FR&format=json")
    assert other.headers["ETag"] != etag
    compressed = client.get("/api/v1/indicators?site=lung&geo=FR",
                            headers={"If-None-Match": etag, "Accept-Encoding": "br"})
    assert compressed.status_code == 304
    for path in ("/api/v1/release", "/api/v1/openapi.json", "/api/v1/bulk/site.csv"):
        tag = client.get(path).headers["ETag"]
        assert client.get(path, headers={"If-None-Match": tag}).status_code == 304, path


def test_compression_of_small_bodies(client):
    response = client.get("/api/v1/indicators?site=lung", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]


def test_missing_release_gives_503(tmp_path, monkeypatch):
    app = flask.Flask("missing")
    app.config["API_DOWNLOAD_DIR"] = str(tmp_path / "dl")
    init_app(app, Release(tmp_path / "absent.duckdb"))
    with app.test_client() as client:
        for path in ("/api/v1/indicators", "/api/v1/release", "/api/v1/openapi.json",
                     "/api/v1/bulk/datapackage.json", "/api/v1/docs", "/api/v1/bulk/"):
            response = client.get(path)
            assert response.status_code == 503, path
            assert "release" in response.get_json()["error"]
        page = client.get("/telechargements")
        assert page.status_code == 503 and b'lang="fr"' in page.data
    monkeypatch.setenv("RELEASE_PATH", str(tmp_path / "also-absent.duckdb"))
    app = flask.Flask("missing-env")
    init_app(app)
    with app.test_client() as client:
        assert client.get("/api/v1/sites").status_code == 503


def test_default_release_from_environment(fixture_release, monkeypatch, tmp_path):
    monkeypatch.setenv("RELEASE_PATH", str(fixture_release))
    app = flask.Flask("env")
    app.config["API_DOWNLOAD_DIR"] = str(tmp_path)
    init_app(app)
    with app.test_client() as client:
        assert client.get("/api/v1/sites?site=lung").status_code == 200


def test_mounted_on_dash_keeps_dash_routes(fixture_release, tmp_path):
    app = dash.Dash(__name__)
    app.layout = dash.html.Div("tableau de bord")
    app.server.config["API_DOWNLOAD_DIR"] = str(tmp_path)
    init_app(app.server, Release(fixture_release))
    with app.server.test_client() as client:
        assert client.get("/").status_code == 200
        assert client.get("/_dash-layout").status_code == 200
        assert client.get("/une-page-dash").status_code == 200  # Dash's catch-all still works
        missing = client.get("/api/v1/nope")
        assert missing.status_code == 404 and missing.is_json
        assert client.get("/api/v1/sites?site=lung").status_code == 200


def test_download_url():
    assert download_url("indicators", "csv", measure="incidence", site="lung") == (
        "/api/v1/indicators?measure=incidence&site=lung&format=csv")
    assert download_url("indicator", "csv-excel", site_code="lung", geo_code=["FR", "84"],
                        sex=None) == "/api/v1/indicators?geo=FR,84&site=lung&format=csv-excel"
    assert download_url("trend_fitted", "json") == "/api/v1/trend-fitted?format=json"
    assert download_url("indicators", "csv", year_start=2015, year_end=2023, period_length=1) == (
        "/api/v1/indicators?year_start=2015&year_end=2023&period_length=1&format=csv")
    for bad in ({"table": "nope"}, {"fmt": "xlsx"}, {"quintile": 1}, {"year_start": [1, 2]}):
        kwargs = {"table": "indicators", "fmt": "csv", **bad}
        with pytest.raises(ValueError):
            download_url(**kwargs)


def test_download_url_is_accepted(client):
    url = download_url("inequalities", "json", measure="incidence", quintile=[1, 5],
                       level="country")
    assert client.get(url).status_code == 200


def test_index_and_release_sidecar(client, release):
    index = client.get("/api/v1/").get_json()
    assert index["links"]["openapi"] == "/api/v1/openapi.json"
    meta = client.get("/api/v1/release").get_json()
    for key in ("release_id", "data_kind", "standards", "interval_methods", "suppression_rule",
                "citation", "licence", "sources"):
        assert meta[key], key
    assert meta["release_id"] == release.release_id
