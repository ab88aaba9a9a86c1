"""Randomised hierarchical tables: protect() always yields a pattern the audit accepts."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.disclosure import audit, protect

from .helpers import base_frame, make_cells

YEARS = (2010, 2011, 2012)
SPANS = [(y, y) for y in YEARS] + [(2010, 2011), (2011, 2012)]


@st.composite
def tables(draw):
    n_regions = draw(st.integers(1, 3))
    dep_region = {}
    for r in range(n_regions):
        for d in range(draw(st.integers(1, 3))):
            dep_region[f"{r}{d}"] = f"R{r}"
    sexes = draw(st.sampled_from([("male",), ("male", "female")]))
    count = st.one_of(st.integers(0, 3), st.integers(0, 15), st.integers(10, 60))
    rows = [(d, q, s, y, draw(count)) for d in sorted(dep_region) for q in (0, 1, 2)
            for s in sexes for y in YEARS]
    with_quintiles = draw(st.booleans())
    base = base_frame(rows)
    cells = make_cells(
        base, dep_region, SPANS,
        sexes=[*sexes, "all"] if len(sexes) == 2 else sexes,
        quintiles=(1, 2) if with_quintiles else (),
        quintile_levels=("country", "region"),
    )
    return base, cells, dep_region


@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(tables())
def test_protect_then_audit_passes(table) -> None:
    base, cells, dep_region = table
    out = protect(base, cells, dep_region, n_jobs=1)
    assert list(out.index) == list(cells.index)
    sens = out["cases"].between(1, 10)
    assert out.loc[sens, "status"].eq("suppressed").all()
    assert out.loc[sens, "reason"].eq("primary").all()
    assert not out.loc[out["cases"].eq(0), "reason"].eq("primary").any()
    assert set(out["status"]) <= {"published", "suppressed"}
    report = audit(base, out, dep_region, n_jobs=1)
    assert report.passed, report.failures
    assert report.n_primary == int(sens.sum())
    again = protect(base, cells, dep_region, n_jobs=1)
    assert again["status"].equals(out["status"])  # deterministic


@settings(max_examples=15, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(11, 80), min_size=4, max_size=4))
def test_no_sensitive_cells_nothing_suppressed(counts) -> None:
    dep_region = {"01": "R1", "02": "R1"}
    rows = [(d, 1, "male", 2010, c) for d, c in zip(("01", "02"), counts[:2], strict=True)]
    rows += [(d, 1, "female", 2010, c) for d, c in zip(("01", "02"), counts[2:], strict=True)]
    base = base_frame(rows)
    cells = make_cells(base, dep_region, [(2010, 2010)])
    out = protect(base, cells, dep_region, n_jobs=1)
    assert out["status"].eq("published").all()
    assert audit(base, out, dep_region, n_jobs=1).passed
