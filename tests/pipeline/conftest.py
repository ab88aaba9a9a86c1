"""A small simulated registry built once, shared by the end-to-end tests."""

from __future__ import annotations

import json

import duckdb
import pytest

from dashboard.demo.generator import write_demo_sources
from dashboard.pipeline.aggregate import aggregate
from dashboard.pipeline.build import BuildOptions, build_release
from dashboard.pipeline.ingest import ingest

YEARS = range(2019, 2024)
SITES = ["all", "lung", "prostate", "thyroid"]


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("e2e")
    sources = root / "sources"
    write_demo_sources(sources, seed=7, scale=0.5, first_year=2019, last_year=2023)
    (sources / "SOURCE.json").write_text(json.dumps({"data_kind": "simulated",
                                                     "description": "test registry"}))
    out = root / "indicators.duckdb"
    report = build_release(BuildOptions(sources=sources, out=out, years=YEARS,
                                        progress=False, sites=SITES))
    con = duckdb.connect(str(out), read_only=True)
    yield {"root": root, "sources": sources, "out": out, "report": report, "con": con}
    con.close()



@pytest.fixture(scope="session")
def truth(built) -> object:
    """The aggregates of the sources: the true counts, as on the secure side."""
    return aggregate(ingest(built["sources"], YEARS))
