"""End to end: a small simulated registry through the whole build, then checks of the release
as a user and as an attacker would make them."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from dashboard.cli import main as cli
from dashboard.disclosure import audit
from dashboard.pipeline import published_cells
from dashboard.pipeline.aggregate import MEASURES, aggregate
from dashboard.pipeline.ingest import ingest
from dashboard.reference_data import dep_region
from dashboard.release_schema import TABLES, columns

YEARS = range(2019, 2024)
SITES = ["all", "lung", "prostate", "thyroid"]
VALUE_COLUMNS = ["cases", "crude_rate", "asr_world", "asr_europe", "sir", "sir_smoothed",
                 "sir_prob_above", "crude_rate_low", "asr_world_high", "sir_low"]


def table(built, name: str) -> pd.DataFrame:
    return built["con"].execute(f"SELECT * FROM {name}").df()


def test_every_row_is_accounted_for(built):
    report = json.loads((built["sources"] / "reports" / "rejections.json").read_text())
    for name in ("cases", "deaths", "deprivation"):
        r = report["sources"][name]
        assert r["accepted"] + r["rejected"] == r["read"] > 0
        assert sum(r["by_reason"].values()) == r["rejected"]
    assert report["sources"]["cases"]["rejected"] > 0  # the demo injects defects


def test_release_follows_the_contract(built):
    for name in TABLES:
        got = built["con"].execute(f"DESCRIBE {name}").df()["column_name"].tolist()
        assert got == [c for c, _ in columns(name)], name
    release = table(built, "release").iloc[0]
    assert release.data_kind == "simulated" and bool(release.audit_passed)
    assert (release.first_year, release.last_year) == (2019, 2023)
    assert set(table(built, "site").site_code) == set(SITES)
    assert set(table(built, "geometry").level) == {"department", "region", "paris_zoom"}


def test_no_small_count_is_published(built):
    for name in ("indicator", "inequality"):
        t = table(built, name)
        published = t[t.status == "published"]
        assert not published.cases.between(1, 10).any(), name
        assert set(t.status) <= {"published", "suppressed"}


def test_suppressed_rows_carry_no_value(built):
    ind = table(built, "indicator")
    hidden = ind[ind.status == "suppressed"]
    assert len(hidden) > 0
    assert hidden[VALUE_COLUMNS].isna().all().all()
    assert hidden.population.notna().all()
    summ = table(built, "inequality_summary")
    assert summ[summ.status == "suppressed"][["value", "low", "high"]].isna().all().all()


def test_published_numbers_are_consistent(built):
    ind = table(built, "indicator")
    pub = ind[ind.status == "published"]
    assert np.allclose(pub.crude_rate, pub.cases / pub.population * 1e5, atol=0.05 + 1e-9)
    assert (pub.crude_rate_low <= pub.crude_rate).all()
    assert (pub.crude_rate <= pub.crude_rate_high).all()
    rated = pub[pub.asr_status == "published"]
    assert (rated.asr_world_low <= rated.asr_world + 1e-9).all()
    # France = sum of its departments wherever all departments are published.
    keys = ["measure", "sex", "site_code", "year_start", "year_end"]
    dep = ind[ind.level == "department"].groupby(keys).agg(
        cases=("cases", "sum"), hidden=("status", lambda s: (s != "published").sum()))
    fr = ind[ind.level == "country"].set_index(keys).cases
    full = dep[dep.hidden == 0]
    assert len(full) > 0
    assert (fr.reindex(full.index) == full.cases).all()
    # Pooled 5-year counts are the sums of their single years where all are published.
    fr_all = ind[(ind.level == "country")].set_index(
        ["measure", "sex", "site_code", "year_start", "year_end"]).cases
    checked = 0
    for (measure, sex, site), _ in fr_all.groupby(level=[0, 1, 2]):
        parts = [fr_all[(measure, sex, site, y, y)] for y in YEARS]
        pooled = fr_all[(measure, sex, site, 2019, 2023)]
        if pd.isna(pooled) or any(pd.isna(p) for p in parts):
            continue
        assert pooled == sum(parts)
        checked += 1
    assert checked > 10


def test_sir_is_one_for_france_as_a_whole(built):
    ind = table(built, "indicator")
    reg = ind[(ind.level == "region") & (ind.status == "published")]
    keys = ["measure", "sex", "site_code", "year_start", "year_end"]
    complete = reg.groupby(keys).filter(lambda g: len(g) == 18)
    sums = complete.groupby(keys)[["cases", "expected"]].sum()
    assert np.allclose(sums.cases, sums.expected, atol=18 * 0.05 + 1e-6)


def test_trends_only_on_fully_published_series(built):
    trend = table(built, "trend")
    ind = table(built, "indicator")
    singles = ind[ind.year_start == ind.year_end]
    keys = ["measure", "level", "geo_code", "sex", "site_code"]
    complete = singles.groupby(keys).status.apply(lambda s: (s == "published").all())
    published = trend[trend.status == "published"].set_index(keys)
    assert complete.reindex(published.index).all()
    assert set(published.label) <= {"rising", "stable", "falling"}


def test_an_attacker_using_every_published_number_learns_nothing_precise(built):
    """Re-derive the finest counts from the sources and audit the release's own statuses."""
    sources = ingest(built["sources"], YEARS)
    agg = aggregate(sources)
    base = pd.concat([published_cells.disclosure_base(agg, m, SITES) for m in MEASURES],
                     ignore_index=True)
    frames = []
    for name in ("indicator", "inequality"):
        t = table(built, name)
        t["table"] = name
        if "quintile" not in t:
            t["quintile"] = pd.array([pd.NA] * len(t), dtype="Int64")
        t["quintile"] = t["quintile"].astype("Int64")
        frames.append(t)
    cells = pd.concat(frames, ignore_index=True)
    # True counts from the secure side (suppressed cells are NULL in the release).
    truth = []
    for m in MEASURES:
        for make in (published_cells.indicator_cells, published_cells.inequality_cells):
            ct = make(agg, m, SITES)
            k = ct.keys.copy()
            k["cases_true"] = ct.cases
            truth.append(k)
    truth = pd.concat(truth, ignore_index=True)
    truth["quintile"] = truth.get("quintile", pd.Series(dtype="Int64")).astype("Int64")
    keys = ["measure", "level", "geo_code", "sex", "site_code", "year_start", "year_end",
            "quintile"]
    cells = cells.merge(truth[[*keys, "cases_true"]], on=keys, how="left", validate="1:1")
    cells["cases"] = cells["cases_true"]
    result = audit(base, cells[[*keys, "table", "cases", "status"]], dep_region(), 11)
    assert result.passed, result.to_markdown()
    assert result.n_sensitive > 0


def test_cli_errors_are_one_line(tmp_path, capsys):
    assert cli(["build", "--sources", str(tmp_path / "missing"), "--out",
                str(tmp_path / "x.duckdb"), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: source folder not found")


def test_rejection_threshold_stops_the_build(built, tmp_path, capsys):
    sources = tmp_path / "bad"
    sources.mkdir()
    for f in built["sources"].glob("*.csv"):
        (sources / f.name).write_bytes(f.read_bytes())
    cases = pd.read_csv(sources / "cases.csv", dtype=str)
    cases.loc[: len(cases) // 10, "sex"] = "9"
    cases.to_csv(sources / "cases.csv", index=False)
    code = cli(["build", "--sources", str(sources), "--out", str(tmp_path / "x.duckdb"),
                "--first-year", "2019", "--last-year", "2023", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "rows rejected" in err and "above the limit" in err
    assert not (tmp_path / "x.duckdb").exists()
