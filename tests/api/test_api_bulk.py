"""Bulk files, datapackage.json (validated with frictionless) and the download page."""

from __future__ import annotations

import hashlib
import io
import re
import threading
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from dashboard.api import bulk
from dashboard.data_access import Release
from dashboard.release_schema import CONTRACT, PUBLIC_TABLES, columns


@pytest.fixture(scope="module")
def bulk_dir(client_module) -> Path:
    client_module.get("/api/v1/bulk/datapackage.json")
    app = client_module.application
    release = app.extensions["registre_api"].release
    return bulk.directory_for(release, app.extensions["registre_api"].download_dir)


@pytest.fixture(scope="module")
def client_module(api_app):
    with api_app.test_client() as client:
        yield client


def test_datapackage_validates_with_frictionless(bulk_dir):
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(bulk_dir / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:10]


def test_datapackage_content(client_module, release):
    package = client_module.get("/api/v1/bulk/datapackage.json").get_json()
    assert package["id"] == release.release_id
    assert package["licenses"][0]["title"] == "Licence Ouverte / Etalab 2.0"
    assert package["release"]["data_kind"] == "simulated"
    for key in ("standards", "interval_methods", "suppression_rule", "citation"):
        assert package["release"][key]
    assert [r["title"] for r in package["resources"]] == list(PUBLIC_TABLES)
    indicator = next(r for r in package["resources"] if r["title"] == "indicator")
    fields = {f["name"]: f for f in indicator["schema"]["fields"]}
    assert list(fields) == [c for c, _ in columns("indicator")]
    assert fields["cases"]["type"] == "integer" and fields["crude_rate"]["type"] == "number"
    assert fields["crude_rate"]["unit"] == "per 100,000 person-years"
    assert "Garwood" in fields["crude_rate_low"]["description"]
    assert indicator["schema"]["primaryKey"][:3] == ["measure", "level", "geo_code"]


def test_checksums_and_sizes_match_files(client_module, bulk_dir):
    package = client_module.get("/api/v1/bulk/datapackage.json").get_json()
    for resource in package["resources"]:
        for entry in (resource, resource["parquet"]):
            body = client_module.get(f"/api/v1/bulk/{entry['path']}").data
            assert len(body) == entry["bytes"], entry["path"]
            assert f"sha256:{hashlib.sha256(body).hexdigest()}" == entry["hash"]
            assert (bulk_dir / entry["path"]).read_bytes() == body


@pytest.mark.parametrize("table", PUBLIC_TABLES)
def test_bulk_files_equal_tables(client_module, release, table):
    expected = release.query(f"SELECT * FROM {table}")
    parquet = client_module.get(f"/api/v1/bulk/{table}.parquet")
    assert parquet.headers["X-Release-Id"] == release.release_id
    assert "attachment" in parquet.headers["Content-Disposition"]
    frame = pd.read_parquet(io.BytesIO(parquet.data))
    assert len(frame) == len(expected) and list(frame.columns) == list(expected.columns)
    meta = pq.read_schema(io.BytesIO(parquet.data)).metadata
    assert meta[b"release_id"].decode() == release.release_id
    csv = pd.read_csv(io.BytesIO(client_module.get(f"/api/v1/bulk/{table}.csv").data))
    assert len(csv) == len(expected)


def test_concurrent_first_requests_build_once(fixture_release, tmp_path):
    release = Release(fixture_release)
    results: list[Path] = []
    threads = [threading.Thread(target=lambda: results.append(bulk.ensure(release, tmp_path)))
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 1
    assert sorted(p.name for p in results[0].iterdir()) == sorted(bulk.file_names())
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")] == [
        release.release_id]


def test_download_page(client_module, bulk_dir):
    page = client_module.get("/telechargements")
    assert page.status_code == 200
    html = page.data.decode()
    assert '<html lang="fr">' in html and "<script" not in html
    assert "Données simulées" in html
    for name in bulk.file_names():
        assert f'href="/api/v1/bulk/{name}"' in html, name
    assert re.search(r"\d+(,\d)?\u202f(octets|ko|Mo)", html)  # French notation
    assert "Licence Ouverte / Etalab 2.0" in html


def test_every_public_column_is_described():
    for table in PUBLIC_TABLES:
        for column in CONTRACT[table].columns:
            assert column.en and column.fr, f"{table}.{column.name}"
    assert CONTRACT["indicator"].column("asr_world_high").unit == "per 100,000 person-years"


def test_export_bulk_script(fixture_release, tmp_path, monkeypatch, capsys):
    import runpy

    monkeypatch.setattr("sys.argv", ["export_bulk.py", str(fixture_release), "--dir",
                                     str(tmp_path)])
    script = Path(__file__).resolve().parents[2] / "scripts" / "export_bulk.py"
    runpy.run_path(str(script), run_name="__main__")
    out = capsys.readouterr().out
    assert "datapackage.json" in out and "indicator.parquet" in out
    release_id = Release(fixture_release).release_id
    assert (tmp_path / release_id / "datapackage.json").exists()


def test_web_requests_never_write_bulk_files(fixture_release, tmp_path):
    import flask

    from dashboard.api import init_app

    app = flask.Flask("no-bulk")
    app.config["API_DOWNLOAD_DIR"] = str(tmp_path / "empty")
    init_app(app, Release(fixture_release))
    with app.test_client() as client:
        for path in ("/api/v1/bulk/", "/api/v1/bulk/site.csv", "/telechargements"):
            assert client.get(path).status_code == 503, path
        assert client.get("/api/v1/bulk/").is_json
    assert not (tmp_path / "empty").exists()


def test_bulk_files_of_a_release_given_by_a_relative_path(fixture_release, monkeypatch):
    import flask

    from dashboard.api import init_app

    monkeypatch.chdir(fixture_release.parent)
    app = flask.Flask("relative")
    init_app(app, Release(Path(fixture_release.name)))
    with app.test_client() as client:
        response = client.get("/api/v1/bulk/site.csv")
        assert response.status_code == 200 and response.data.startswith(b"site_code")
