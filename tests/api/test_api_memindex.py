"""The in-memory index answers exactly what DuckDB answers, for every endpoint and format."""

from __future__ import annotations

import random
from collections.abc import Iterator

import flask
import pytest

from dashboard.api.memindex import MemoryIndex
from dashboard.api.params import ENDPOINTS, codebook
from dashboard.catalogue import catalogue
from dashboard.data_access import Release


def _queries(release: Release, seed: int = 12) -> Iterator[str]:
    """Random filtered queries of every endpoint (some matching nothing), every format."""
    rng = random.Random(seed)
    cat = catalogue(release)
    for name, endpoint in ENDPOINTS.items():
        book = codebook(cat, endpoint)
        filters = [p for p in endpoint.params if p.sql is not None]
        for _ in range(12):
            args = []
            for p in rng.sample(filters, k=rng.randint(0, min(4, len(filters)))):
                allowed = list(book[p.source])
                values = rng.sample(allowed, k=1 if not p.multi else rng.randint(1, 3)
                                    if len(allowed) >= 3 else 1)
                args.append(f"{p.name}={','.join(str(v) for v in values)}")
            fmt = rng.choice(["csv", "csv-excel", "json", "parquet"])
            yield f"/api/v1/{name}?{'&'.join([*args, f'format={fmt}'])}"


def _views(release: Release, seed: int = 5) -> Iterator[str]:
    """Map views and series of the cell endpoints: every series filter given (one value or a
    few), with period bounds, some with ``status`` (rows no longer consecutive)."""
    rng = random.Random(seed)
    cat = catalogue(release)
    for name in ("indicators", "inequalities", "inequality-summary", "trends"):
        book = codebook(cat, ENDPOINTS[name])
        for _ in range(10):
            args = [f"{key}={','.join(rng.sample(list(book[source]), k=rng.choice((1, 1, 2))))}"
                    for key, source in (("measure", "measure"), ("site", "site_code"),
                                        ("sex", "sex"), ("level", "level"))]
            if book.get("year_start"):
                args.append(f"year_start={rng.choice(book['year_start'])}")
            if rng.random() < 0.5:
                args.append(f"status={rng.choice(book['status'])}")
            yield f"/api/v1/{name}?{'&'.join(args)}&format={rng.choice(['csv', 'csv-excel'])}"


@pytest.mark.parametrize("max_runs", [256, 1])  # row runs sliced, or gathered by Arrow
def test_index_and_duckdb_give_the_same_bytes(app_factory, fixture_release, max_runs: int,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("dashboard.api.memindex.MAX_RUNS", max_runs)
    indexed: flask.Flask = app_factory()
    plain: flask.Flask = app_factory()
    monkeypatch.setattr(plain.extensions["registre_api"], "index", _NoIndex())
    urls = list(_queries(Release(fixture_release))) + list(_views(Release(fixture_release)))
    assert len(urls) > 120
    a, b = indexed.test_client(), plain.test_client()
    statuses, rows = set(), 0
    for url in urls:
        ra, rb = a.get(url), b.get(url)
        assert ra.status_code == rb.status_code, url
        assert ra.get_data() == rb.get_data(), url
        statuses.add(ra.status_code)
        rows += ra.status_code == 200 and len(ra.get_data()) > 2000
    assert 200 in statuses and rows > 20


def test_too_big_tables_stay_in_duckdb(fixture_release, monkeypatch: pytest.MonkeyPatch) -> None:
    release = Release(fixture_release)
    assert MemoryIndex().get(release, ENDPOINTS["indicators"]) is not None
    monkeypatch.setattr("dashboard.api.memindex.MAX_ROWS", 10)
    assert MemoryIndex().get(release, ENDPOINTS["indicators"]) is None


class _NoIndex(MemoryIndex):
    def get(self, release, endpoint):  # type: ignore[override]
        return None
