"""An attacker recovers cells hidden by primary suppression alone, not after protect()."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.disclosure import audit, protect

from .helpers import base_frame, find, make_cells, primary_only

DEP_REGION = {"01": "R1", "02": "R1", "03": "R2", "04": "R2", "05": "R3"}


def _check(base: pd.DataFrame, cells: pd.DataFrame, hidden: dict, exact: bool) -> None:
    naive = audit(base, primary_only(cells), DEP_REGION)
    assert not naive.passed
    row = find(naive.failures, **hidden)
    assert len(row) == 1, naive.failures
    rec = row.iloc[0]
    if exact:  # recovered exactly
        assert rec["attacker_min"] == pytest.approx(rec["true_count"], abs=1e-6)
        assert rec["attacker_max"] == pytest.approx(rec["true_count"], abs=1e-6)
    else:
        assert rec["attacker_max"] - rec["attacker_min"] < 11
    protected = protect(base, cells, DEP_REGION)
    report = audit(base, protected, DEP_REGION)
    assert report.passed, report.failures
    assert report.n_complementary > 0
    assert set(protected["status"]) <= {"published", "suppressed"}


def _regular(count: int = 40) -> list[tuple[str, int, str, int, int]]:
    return [(d, q, s, y, count) for d in DEP_REGION for q in (1, 2) for s in ("male", "female")
            for y in (2010, 2011)]


def test_national_minus_other_regions() -> None:
    rows = [r for r in _regular() if r[0] != "05"] + [("05", 1, "male", 2010, 5)]
    base = base_frame(rows)
    cells = make_cells(base, DEP_REGION, [(2010, 2010)], sexes=["male"],
                       levels=["country", "region"])
    _check(base, cells, {"level": "region", "geo_code": "R3", "sex": "male"}, exact=True)


def test_all_minus_men() -> None:
    rows = [r for r in _regular() if not (r[0] == "01" and r[2] == "female")]
    rows.append(("01", 1, "female", 2010, 4))
    base = base_frame(rows)
    cells = make_cells(base, DEP_REGION, [(2010, 2010)], levels=["department"])
    _check(base, cells, {"level": "department", "geo_code": "01", "sex": "female"}, exact=True)


def test_period_minus_single_years() -> None:
    years = range(2010, 2015)
    rows = [("01", 1, "male", y, 30) for y in years if y != 2012] + [("01", 1, "male", 2012, 3)]
    base = base_frame(rows)
    cells = make_cells(base, {"01": "R1"}, [(y, y) for y in years] + [(2010, 2014)],
                       sexes=["male"], levels=["department"])
    dep = {"01": "R1"}
    naive = audit(base, primary_only(cells), dep)
    rec = find(naive.failures, year_start=2012).iloc[0]
    assert rec["attacker_min"] == pytest.approx(3) and rec["attacker_max"] == pytest.approx(3)
    report = audit(base, protect(base, cells, dep), dep)
    assert report.passed, report.failures


def test_quintile_minus_total() -> None:
    rows = [(d, q, "male", 2010, 30) for d in DEP_REGION for q in (1, 2, 4, 5)]
    rows.append(("01", 3, "male", 2010, 6))
    base = base_frame(rows)
    cells = make_cells(base, DEP_REGION, [(2010, 2010)], sexes=["male"],
                       levels=["country"], quintiles=[1, 2, 3, 4, 5])
    # the unknown quintile is unpublished: the attacker gets [0, 6], too narrow
    _check(base, cells, {"table": "inequality", "quintile": 3}, exact=False)


def test_published_zero_forces_members() -> None:
    rows = [("01", 1, "male", 2010, 7), ("02", 1, "male", 2010, 0), ("03", 1, "male", 2010, 50)]
    base = base_frame(rows)
    dep = {"01": "R1", "02": "R1", "03": "R2"}
    cells = make_cells(base, dep, [(2010, 2010)], sexes=["male"])
    out = protect(base, cells, dep)
    report = audit(base, out, dep)
    assert report.passed, report.failures
    # department 01 equals its region once 02 is a published zero: both must stay hidden
    assert find(out, level="region", geo_code="R1")["status"].eq("suppressed").all()


def test_sensitive_cell_published_is_reported() -> None:
    base = base_frame([("01", 1, "male", 2010, 3)])
    dep = {"01": "R1"}
    cells = make_cells(base, dep, [(2010, 2010)], sexes=["male"], levels=["department"])
    cells["status"], cells["reason"] = "published", None
    report = audit(base, cells, dep)
    assert not report.passed
    assert report.failures["problem"].iloc[0] == "sensitive cell published"
    assert "FAILED" in report.to_markdown()
