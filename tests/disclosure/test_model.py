"""The compact attacker model gives the same intervals as one unknown per finest base row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from dashboard.disclosure import audit
from dashboard.disclosure.model import build_block, build_model

from .helpers import base_frame, make_cells

DEP_REGION = {"01": "R1", "02": "R1", "03": "R2"}
YEARS = (2010, 2011)


def _table(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    rows = [(d, q, s, y, int(rng.integers(0, 9))) for d in DEP_REGION for q in (0, 1, 2)
            for s in ("male", "female") for y in YEARS]
    base = base_frame(rows)
    cells = make_cells(base, DEP_REGION, [(2010, 2010), (2011, 2011), (2010, 2011)],
                       quintiles=(1, 2), quintile_levels=("country", "region"))
    hide = rng.random(len(cells)) < 0.35
    cells["status"] = np.where(hide, "suppressed", "published")
    cells["reason"] = None
    return base, cells


def _row_lp_intervals(base: pd.DataFrame, cells: pd.DataFrame) -> dict[int, tuple[float, float]]:
    """Plain LP: one unknown per department × quintile × sex × year."""
    keys = [(d, q, s, y) for d in DEP_REGION for q in (0, 1, 2) for s in ("male", "female")
            for y in YEARS]
    a = np.zeros((len(cells), len(keys)))
    for i, c in enumerate(cells.to_dict("records")):
        for j, (d, q, s, y) in enumerate(keys):
            geo_ok = (c["level"] == "country" or (c["level"] == "region"
                                                  and DEP_REGION[d] == c["geo_code"])
                      or (c["level"] == "department" and c["geo_code"] == d))
            if (geo_ok and c["sex"] in ("all", s) and c["year_start"] <= y <= c["year_end"]
                    and (pd.isna(c["quintile"]) or c["quintile"] == q)):
                a[i, j] = 1
    pub = cells["status"].eq("published").to_numpy()
    out = {}
    for i in np.flatnonzero(~pub):
        bounds = []
        for sign in (1, -1):
            res = linprog(sign * a[i], A_eq=a[pub], b_eq=cells["cases"].to_numpy()[pub],
                          bounds=(0, None), method="highs")
            bounds.append(sign * res.fun if res.status == 0 else np.inf)
        out[int(i)] = (bounds[0], bounds[1])
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_compact_model_matches_row_model(seed: int) -> None:
    base, cells = _table(seed)
    truth = _row_lp_intervals(base, cells)
    report = audit(base, cells, DEP_REGION, threshold=10**6, n_jobs=1)
    fails = report.failures[report.failures["problem"].eq("interval too narrow")]
    got = {}
    for r in fails.itertuples(index=False):
        match = cells[(cells["table"] == r.table) & (cells["level"] == r.level)
                      & (cells["geo_code"] == r.geo_code) & (cells["sex"] == r.sex)
                      & (cells["year_start"] == r.year_start) & (cells["year_end"] == r.year_end)
                      & (cells["quintile"].astype("Int64").fillna(-1)
                         == (-1 if pd.isna(r.quintile) else r.quintile))]
        got[int(match.index[0])] = (r.attacker_min, r.attacker_max)
    sens = cells["cases"].ge(1) & cells["status"].eq("suppressed")
    for i in np.flatnonzero(sens.to_numpy()):
        lo, hi = truth[int(i)]
        if np.isinf(hi):
            assert int(i) not in got
            continue
        assert got[int(i)] == pytest.approx((lo, hi), abs=1e-6)


@pytest.mark.parametrize("seed", [4, 5])
def test_protect_models_agree_on_cases(seed: int) -> None:
    base, cells = _table(seed)
    compact = build_model(base, cells, DEP_REGION)
    atoms = build_block(base, cells, DEP_REGION)
    assert np.allclose(compact.cases, cells["cases"].to_numpy())
    assert np.allclose(atoms.cases, cells["cases"].to_numpy())
    assert compact.incidence.shape[1] <= atoms.incidence.shape[1]
