"""Round trips: a download parsed by pandas equals the release rows for the same filters."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import orjson
import pandas as pd
import pyarrow.parquet as pq
import pytest

from dashboard.data_access import Release

# Test oracle, written independently of dashboard.release_reads: parameter → SQL expression.
COLUMN = {"geo": "geo_code", "site": "site_code", "period_length": "year_end - year_start + 1"}
BOUND = {"year_start": ">=", "year_end": "<="}
TABLE = {"indicators": "indicator", "inequalities": "inequality",
         "inequality-summary": "inequality_summary", "trends": "trend",
         "trend-segments": "trend_segment", "trend-fitted": "trend_fitted",
         "geographies": "geo", "sites": "site"}
INTEGERS = {"year_start", "year_end", "period_length", "quintile"}
FIXTURES = Path(__file__).parent / "fixtures"

CASES = [
    ("indicators", {"measure": "incidence", "site": "lung", "geo": "FR,84"}),
    ("indicators", {"level": "region", "period_length": "5", "status": "suppressed"}),
    ("indicators", {"sex": "female", "year_start": "2020", "year_end": "2020",
                    "level": "region"}),
    ("indicators", {"geo": "FR,11", "year_start": "2020", "year_end": "2022",
                    "period_length": "1", "site": "breast"}),
    ("indicators", {"year_start": "2019", "year_end": "2023", "period_length": "5",
                    "level": "region", "measure": "mortality"}),
    ("indicators", {"year_start": "2021"}),
    ("indicators", {"geo": ["2A", "971"], "site": "lung"}),
    ("indicators", {}),
    ("inequalities", {"level": "country", "quintile": "1,5", "site": "all"}),
    ("inequality-summary", {"statistic": "sii", "measure": "mortality"}),
    ("trends", {"level": "region", "sex": "all"}),
    ("trend-segments", {"site": "breast"}),
    ("trend-fitted", {"geo": "FR"}),
    ("geographies", {"level": "region"}),
    ("sites", {}),
]


def expected_rows(release: Release, endpoint: str, filters: dict) -> pd.DataFrame:
    """The rows of the release for these filters, straight from DuckDB."""
    clauses, params = [], []
    for name, raw in filters.items():
        values = raw if isinstance(raw, list) else raw.split(",")
        column = "code" if endpoint == "geographies" and name == "geo" else COLUMN.get(name, name)
        if name in BOUND:
            clauses.append(f"{column} {BOUND[name]} ?")
        else:
            clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
        params += [int(v) if name in INTEGERS else v for v in values]
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    return release.query(f"SELECT * FROM {TABLE[endpoint]}{where}", params)


def normalise(frame: pd.DataFrame, like: pd.DataFrame) -> pd.DataFrame:
    """Comparable columns: numbers as float64, everything else as text or None."""
    out = {}
    for col in like.columns:
        if pd.api.types.is_numeric_dtype(like[col]) and not pd.api.types.is_bool_dtype(like[col]):
            out[col] = pd.to_numeric(frame[col]).astype("float64")
        else:
            out[col] = frame[col].astype(object).where(frame[col].notna(), None).map(
                lambda v: None if v is None else str(v).lower())
    return pd.DataFrame(out).reset_index(drop=True)


def parse(body: bytes, fmt: str) -> pd.DataFrame:
    if fmt == "csv":
        return pd.read_csv(io.BytesIO(body), keep_default_na=False, na_values=[""],
                           dtype={"geo_code": str, "code": str, "parent_code": str})
    if fmt == "csv-excel":
        return pd.read_csv(io.BytesIO(body), sep=";", decimal=",", encoding="utf-8-sig",
                           keep_default_na=False, na_values=[""],
                           dtype={"geo_code": str, "code": str, "parent_code": str})
    if fmt == "parquet":
        return pd.read_parquet(io.BytesIO(body))
    return pd.DataFrame(orjson.loads(body))


def query_of(filters: dict) -> list[tuple[str, str]]:
    return [(k, v) for k, raw in filters.items() for v in (raw if isinstance(raw, list) else [raw])]


@pytest.mark.parametrize("fmt", ["csv", "csv-excel", "parquet", "json"])
@pytest.mark.parametrize(("endpoint", "filters"), CASES)
def test_download_equals_release_rows(client, release, endpoint, filters, fmt):
    response = client.get(f"/api/v1/{endpoint}", query_string=[*query_of(filters),
                                                               ("format", fmt)])
    assert response.status_code == 200, response.data[:300]
    expected = expected_rows(release, endpoint, filters)
    got = parse(response.data, fmt)
    if expected.empty:
        assert got.empty
        return
    assert list(got.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(normalise(got, expected), normalise(expected, expected),
                                  check_exact=True)
    assert response.headers["X-Release-Id"] == release.release_id
    assert response.headers["X-Data-Kind"] == "simulated"
    assert "datapackage.json" in response.headers["Link"]


def test_suppressed_cells_are_empty_with_status(client):
    body = client.get("/api/v1/indicators?status=suppressed&level=department&site=lung"
                      "&sex=male&geo=2A").data.decode()
    lines = body.splitlines()
    assert len(lines) > 1
    header = lines[0].split(",")
    for line in lines[1:]:
        row = dict(zip(header, line.split(","), strict=True))
        assert row["status"] == "suppressed"
        assert row["cases"] == row["crude_rate"] == row["sir"] == ""
        assert row["population"] != ""


def test_french_excel_csv_is_byte_exact(client):
    # One suppressed row (empty values) and one published row (decimal commas).
    response = client.get("/api/v1/indicators?measure=incidence&level=department&geo=2A,10"
                          "&site=lung&sex=female&year_start=2019&year_end=2023&format=csv-excel")
    expected = (FIXTURES / "indicators_2A_10_lung_female_excel.csv").read_bytes()
    assert response.data == expected
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert response.headers["Content-Disposition"].endswith('_excel.csv"')


def test_csv_is_rfc4180(client):
    body = client.get("/api/v1/sites?format=csv").data
    assert not body.startswith(b"\xef\xbb\xbf")
    assert body.count(b"\r\n") == body.count(b"\n")
    # Quoted only when needed: a comma in RFC 4180, a semicolon for Excel.
    assert b'lung,"Poumon, bronches, trach\xc3\xa9e",' in body
    assert b",C64-C66;C68," in body
    excel = client.get("/api/v1/sites?format=csv-excel").data
    assert b"lung;Poumon, bronches, trach\xc3\xa9e;" in excel
    assert b';"C64-C66;C68";' in excel


def test_parquet_carries_release_metadata(client, release):
    body = client.get("/api/v1/indicators?geo=FR&format=parquet").data
    schema = pq.read_schema(io.BytesIO(body))
    meta = {k.decode(): v.decode() for k, v in schema.metadata.items()}
    assert meta["release_id"] == release.release_id
    assert meta["data_kind"] == "simulated"
    assert {"citation", "standards", "interval_methods", "suppression_rule"} <= set(meta)
    assert b"description" in schema.field("sir").metadata


def test_large_csv_is_streamed_and_compressible(app_factory, release):
    app = app_factory(API_BATCH_ROWS=500)
    with app.test_client() as client:
        plain = client.get("/api/v1/indicators", headers={"Accept-Encoding": "identity"})
        assert plain.is_streamed or plain.headers.get("Content-Length") is None
        assert len(parse(plain.data, "csv")) == len(release.query("SELECT * FROM indicator"))
        packed = client.get("/api/v1/indicators", headers={"Accept-Encoding": "gzip"})
        assert packed.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(packed.data) == plain.data
        assert packed.headers["ETag"] == plain.headers["ETag"]
        streamed_json = client.get("/api/v1/indicators?format=json&site=lung")
        assert len(orjson.loads(streamed_json.data)) == len(
            release.query("SELECT * FROM indicator WHERE site_code = 'lung'"))


def test_empty_selection_has_header_only(client):
    body = client.get("/api/v1/indicators?level=country&geo=84").data
    assert body.count(b"\r\n") == 1 and body.startswith(b"measure,level,geo_code")
    assert client.get("/api/v1/indicators?level=country&geo=84&format=json").data == b"[]"
    empty = client.get("/api/v1/indicators?level=country&geo=84&format=parquet").data
    assert pq.read_table(io.BytesIO(empty)).num_rows == 0
