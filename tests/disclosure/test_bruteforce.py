"""The LP attacker is never more optimistic than the integer truth (tiny tables, enumeration)."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from dashboard.disclosure import audit

from .helpers import base_frame, make_cells

DEP_REGION = {"01": "R1", "02": "R1", "03": "R2"}


def _integer_interval(base: pd.DataFrame, cells: pd.DataFrame) -> dict[int, tuple[int, int]]:
    """Enumerate integer base tables consistent with every published cell."""
    # every base row the attacker does not know, present in `base` or not
    keys = [(d, 0, s, 2010) for d in sorted(DEP_REGION) for s in ("female", "male")]
    members = []
    for c in cells.to_dict("records"):
        m = [i for i, (d, q, s, y) in enumerate(keys)
             if (c["level"] == "country" or (c["level"] == "region"
                                             and DEP_REGION[d] == c["geo_code"])
                 or (c["level"] == "department" and d == c["geo_code"]))
             and (c["sex"] == "all" or c["sex"] == s)
             and c["year_start"] <= y <= c["year_end"]
             and (pd.isna(c["quintile"]) or c["quintile"] == q)]
        members.append(m)
    pub = [i for i, s in enumerate(cells["status"]) if s == "published"]
    hidden = [i for i, s in enumerate(cells["status"]) if s == "suppressed"]
    cases = cells["cases"].tolist()
    total = int(base["count"].sum())
    bound = [min([cases[i] for i in pub if j in members[i]], default=total)
             for j in range(len(keys))]
    out: dict[int, tuple[int, int]] = {}
    for x in itertools.product(*(range(b + 1) for b in bound)):
        if all(sum(x[j] for j in members[i]) == cases[i] for i in pub):
            for i in hidden:
                v = sum(x[j] for j in members[i])
                lo, hi = out.get(i, (v, v))
                out[i] = (min(lo, v), max(hi, v))
    return out


@pytest.mark.parametrize("counts,hidden_levels", [
    ((2, 3, 4, 1), ("department",)),
    ((1, 0, 2, 3), ("department", "region")),
    ((3, 3, 0, 2), ("department",)),
])
def test_lp_interval_contains_integer_interval(counts, hidden_levels) -> None:
    rows = [("01", 0, "male", 2010, counts[0]), ("02", 0, "male", 2010, counts[1]),
            ("01", 0, "female", 2010, counts[2]), ("03", 0, "female", 2010, counts[3])]
    base = base_frame(rows)
    cells = make_cells(base, DEP_REGION, [(2010, 2010)])
    hide = cells["level"].isin(hidden_levels) & cells["sex"].ne("all")
    cells["status"] = hide.map({True: "suppressed", False: "published"})
    cells["reason"] = None
    truth = _integer_interval(base, cells)
    report = audit(base, cells, DEP_REGION, threshold=100, n_jobs=1)
    fails = report.failures
    keyed = {(r.level, r.geo_code, r.sex): (r.attacker_min, r.attacker_max)
             for r in fails.itertuples(index=False)}
    checked = 0
    for i, (lo, hi) in truth.items():
        c = cells.iloc[i]
        if c["cases"] == 0 or (c["level"], c["geo_code"], c["sex"]) not in keyed:
            continue
        lp_lo, lp_hi = keyed[(c["level"], c["geo_code"], c["sex"])]
        assert lp_lo <= lo + 1e-6 and lp_hi >= hi - 1e-6
        # here the constraint matrix is a network matrix: the LP bounds are integral and tight
        assert lp_lo == pytest.approx(lo, abs=1e-6) and lp_hi == pytest.approx(hi, abs=1e-6)
        checked += 1
    assert checked > 0
