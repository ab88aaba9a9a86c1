"""Independent audit of a suppression pattern.

Rebuilds the attacker's knowledge from scratch (pandas joins, not `protect`'s matrices), then
for every block solves its own linear programmes over all published cells at once and checks
(1) no published cell is sensitive and (2) every sensitive cell's interval [min, max] obtained
by the attacker has max − min ≥ threshold (with a 1e-4 tolerance for LP round-off).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor

import highspy
import numpy as np
import pandas as pd
from scipy import sparse

from dashboard.disclosure.report import AuditReport, share_table
from dashboard.disclosure.solver import quiet_highs

TOL = 1e-4
KEYS = ["measure", "site_code"]
CELL_COLS = ["table", "measure", "level", "geo_code", "sex", "site_code", "year_start",
             "year_end", "quintile"]


def _members(cells: pd.DataFrame, dep_region: Mapping[str, str], deps: list[str],
             years: list[int], quintiles: list[int]) -> pd.DataFrame:
    """(cell, department, sex, year, quintile) for every member of every cell."""
    c = pd.DataFrame({
        "cell": np.arange(len(cells)), "level": cells["level"].to_numpy(),
        "geo_code": cells["geo_code"].astype(str).to_numpy(), "sex": cells["sex"].to_numpy(),
        "year_start": cells["year_start"].astype(int).to_numpy(),
        "year_end": cells["year_end"].astype(int).to_numpy(),
        "quintile": cells["quintile"].astype("Int64").fillna(-1).astype(int).to_numpy(),
    })
    geo = pd.concat([
        pd.DataFrame({"level": "country", "geo_code": "FR", "department": deps}),
        pd.DataFrame({"level": "region", "geo_code": [str(dep_region[d]) for d in deps],
                      "department": deps}),
        pd.DataFrame({"level": "department", "geo_code": deps, "department": deps}),
    ])
    sexes = pd.DataFrame({"sex": ["male", "female", "all", "all"],
                          "member_sex": ["male", "female", "male", "female"]})
    yrs = pd.DataFrame({"year": years})
    qs = pd.DataFrame({"quintile": [-1] * len(quintiles) + quintiles,
                       "member_q": quintiles + quintiles})
    m = c.merge(geo, on=["level", "geo_code"]).merge(sexes, on="sex")
    m = m.merge(qs, on="quintile")
    m = m.merge(yrs, how="cross")
    m = m[(m["year"] >= m["year_start"]) & (m["year"] <= m["year_end"])]
    return m[["cell", "department", "member_sex", "year", "member_q"]]


def _variables(base: pd.DataFrame, cells: pd.DataFrame, dep_region: Mapping[str, str]):
    """Cell × variable incidence, true variable values and extra rows (≤ 0) for one block."""
    deps = sorted({str(d) for d in dep_region} | set(base["department"].astype(str)))
    years = sorted(
        set(base["year"].astype(int))
        | {y for a, b in zip(cells["year_start"], cells["year_end"], strict=True)
           for y in range(int(a), int(b) + 1)}
    )
    q_cells = sorted({int(q) for q in cells["quintile"].dropna()})
    quintiles = sorted({0, *q_cells, *base["quintile"].astype(int)})
    mem = _members(cells, dep_region, deps, years, quintiles)
    b = base.assign(department=base["department"].astype(str),
                    quintile=base["quintile"].astype(int), year=base["year"].astype(int))
    dep_quintile_cells = cells["quintile"].notna() & cells["level"].eq("department")
    reduce = bool(q_cells) and not dep_quintile_cells.any()
    if not reduce:  # finest rows as unknowns
        key_m = mem[["department", "member_sex", "year", "member_q"]].astype(str).agg("|".join,
                                                                                     axis=1)
        key_b = b[["department", "sex", "year", "quintile"]].astype(str).agg("|".join, axis=1)
        codes, uniq = pd.factorize(pd.concat([key_m, key_b], ignore_index=True))
        n_var = len(uniq)
        var = codes[: len(mem)]
        values = np.bincount(codes[len(mem):], weights=b["count"].to_numpy(float),
                             minlength=n_var)
        extra = sparse.csr_matrix((0, n_var))
        return mem["cell"].to_numpy(), var, n_var, values, extra, []
    # department totals D(d, s, y) and regional quintile counts R(r, q, s, y)
    region = {str(d): str(r) for d, r in dep_region.items()}
    is_q = cells["quintile"].notna().to_numpy()[mem["cell"].to_numpy()]
    mem = mem.assign(region=mem["department"].map(region))
    d_key = mem["department"] + "|" + mem["member_sex"] + "|" + mem["year"].astype(str)
    r_key = (mem["region"] + "|" + mem["member_q"].astype(str) + "|" + mem["member_sex"] + "|"
             + mem["year"].astype(str))
    key = np.where(is_q, "R|" + r_key, "D|" + d_key)
    b = b.assign(region=b["department"].map(region))
    bd = "D|" + b["department"] + "|" + b["sex"] + "|" + b["year"].astype(str)
    br = ("R|" + b["region"] + "|" + b["quintile"].astype(str) + "|" + b["sex"] + "|"
          + b["year"].astype(str))
    br = br.where(b["quintile"].isin(q_cells), None)
    # coupling groups: every D and R variable of the same region, sex and year
    all_d = pd.MultiIndex.from_product([deps, ["male", "female"], years]).to_frame(index=False)
    all_d.columns = ["department", "sex", "year"]
    all_d["region"] = all_d["department"].map(region)
    dk = "D|" + all_d["department"] + "|" + all_d["sex"] + "|" + all_d["year"].astype(str)
    all_r = pd.MultiIndex.from_product(
        [sorted(set(region.values())), q_cells, ["male", "female"], years]).to_frame(index=False)
    all_r.columns = ["region", "q", "sex", "year"]
    rk = ("R|" + all_r["region"] + "|" + all_r["q"].astype(str) + "|" + all_r["sex"] + "|"
          + all_r["year"].astype(str))
    codes, uniq = pd.factorize(pd.concat([pd.Series(key), dk, rk], ignore_index=True))
    n_var = len(uniq)
    lookup = pd.Series(np.arange(n_var), index=uniq)
    var = codes[: len(mem)]
    values = np.zeros(n_var)
    np.add.at(values, lookup[bd].to_numpy(), b["count"].to_numpy(float))
    has_r = br.notna().to_numpy()
    np.add.at(values, lookup[br[has_r]].to_numpy(), b["count"].to_numpy(float)[has_r])
    grp_d = all_d["region"] + "|" + all_d["sex"] + "|" + all_d["year"].astype(str)
    grp_r = all_r["region"] + "|" + all_r["sex"] + "|" + all_r["year"].astype(str)
    g_codes, _ = pd.factorize(pd.concat([grp_d, grp_r], ignore_index=True))
    cols = lookup[pd.concat([dk, rk], ignore_index=True)].to_numpy()
    sign = np.r_[-np.ones(len(dk)), np.ones(len(rk))]
    extra = sparse.csr_matrix((sign, (g_codes, cols)), shape=(g_codes.max() + 1, n_var))
    notes = []
    if set(q_cells) >= set(quintiles):
        extra = sparse.vstack([extra, -extra]).tocsr()
        notes.append("all quintiles published: regional quintiles sum to departments")
    return mem["cell"].to_numpy(), var, n_var, values, extra, notes


def _lp(inc: sparse.csr_matrix, extra: sparse.csr_matrix, fixed: np.ndarray,
        rhs: np.ndarray) -> highspy.Highs:
    a = sparse.vstack([inc[fixed], extra]).tocsc()
    n_fix = int(fixed.sum())
    lp = highspy.HighsLp()
    lp.num_col_ = a.shape[1]
    lp.num_row_ = a.shape[0]
    lp.col_cost_ = np.zeros(a.shape[1])
    lp.col_lower_ = np.zeros(a.shape[1])
    lp.col_upper_ = np.full(a.shape[1], highspy.kHighsInf)
    lp.row_lower_ = np.r_[rhs[fixed], np.full(extra.shape[0], -highspy.kHighsInf)]
    lp.row_upper_ = np.r_[rhs[fixed], np.zeros(extra.shape[0])]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data
    h = quiet_highs(seed=1)
    h.passModel(lp)
    del n_fix
    return h


def audit_block(base: pd.DataFrame, cells: pd.DataFrame, dep_region: Mapping[str, str],
                threshold: int) -> tuple[pd.DataFrame, int, list[str]]:
    """Under-protected cells of one block, number of LPs solved, notes."""
    cells = cells.reset_index(drop=True)
    cell_idx, var, n_var, values, extra, notes = _variables(base, cells, dep_region)
    inc = sparse.csr_matrix((np.ones(len(var)), (cell_idx, var)), shape=(len(cells), n_var))
    inc.sum_duplicates()
    inc.data[:] = 1.0
    truth = np.asarray(inc @ values).ravel()
    published = cells["status"].eq("published").to_numpy()
    sens = (truth >= 1) & (truth < threshold)
    fails: list[dict] = []
    for i in np.flatnonzero(published & sens):
        fails.append({"row": i, "problem": "sensitive cell published", "attacker_min": truth[i],
                      "attacker_max": truth[i]})
    todo = np.flatnonzero(~published & sens)
    solves = 0
    if len(todo):
        h = _lp(inc, extra, published, truth)
        cols = np.arange(n_var, dtype=np.int32)
        lo, hi = truth.copy(), truth.copy()
        first = True

        def solve(weights: np.ndarray, maximize: bool) -> None:
            nonlocal first, solves
            h.changeColsCost(n_var, cols, np.asarray(inc.T @ weights).ravel())
            h.changeObjectiveSense(highspy.ObjSense.kMaximize if maximize
                                   else highspy.ObjSense.kMinimize)
            h.run()
            solves += 1
            status = h.getModelStatus()
            if status == highspy.HighsModelStatus.kUnbounded and maximize:
                if np.count_nonzero(weights) == 1:  # this cell can grow without limit
                    hi[weights != 0] = np.inf
                return
            if status != highspy.HighsModelStatus.kOptimal:
                raise RuntimeError("audit LP not optimal: " + h.modelStatusToString(status))
            if first:
                h.setOptionValue("presolve", "off")
                h.setOptionValue("simplex_strategy", 4)
                first = False
            v = np.asarray(inc @ np.asarray(h.getSolution().col_value)).ravel()
            np.minimum(lo, v, out=lo)
            np.maximum(hi, v, out=hi)

        rng = np.random.default_rng(12345)
        for _ in range(3):
            open_ = todo[hi[todo] - lo[todo] < threshold - TOL]
            if len(open_) < 20:
                break
            for maximize in (False, True):
                w = np.zeros(len(cells))
                w[open_] = rng.uniform(0.5, 1.5, size=len(open_))
                solve(w, maximize)
        for i in todo:
            if hi[i] - lo[i] >= threshold - TOL:
                continue
            e = np.zeros(len(cells))
            e[i] = 1.0
            solve(e, False)
            solve(e, True)
            if hi[i] - lo[i] < threshold - TOL:
                fails.append({"row": i, "problem": "interval too narrow",
                              "attacker_min": round(lo[i], 6), "attacker_max": round(hi[i], 6)})
    out = pd.DataFrame(fails, columns=["row", "problem", "attacker_min", "attacker_max"])
    if len(out):
        rows = out["row"].to_numpy()
        detail = cells.iloc[rows][CELL_COLS].reset_index(drop=True)
        detail["true_count"] = truth[rows]
        out = pd.concat([detail, out.drop(columns="row").reset_index(drop=True)], axis=1)
    else:
        out = pd.DataFrame(columns=[*CELL_COLS, "true_count", "problem", "attacker_min",
                                    "attacker_max"])
    return out, solves, notes


def _run(args: tuple) -> tuple[pd.DataFrame, int, list[str]]:
    return audit_block(*args)


def audit(
    base: pd.DataFrame,
    cells_with_status: pd.DataFrame,
    dep_region: Mapping[str, str],
    threshold: int = 11,
    *,
    n_jobs: int | None = None,
) -> AuditReport:
    """Check a suppression pattern against the attacker's linear programme, block by block."""
    start = time.perf_counter()
    cells = cells_with_status
    groups = dict(tuple(base.groupby(KEYS, sort=False)))
    tasks = []
    for key, pos in sorted(cells.groupby(KEYS, sort=True).indices.items()):
        tasks.append((groups.get(key, base.iloc[0:0]), cells.iloc[pos], dict(dep_region),
                      threshold))
    jobs = min(2, len(tasks)) if n_jobs is None else max(1, n_jobs)
    if jobs > 1 and len(tasks) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_run, tasks))
    else:
        results = [_run(t) for t in tasks]
    frames = [r[0] for r in results if len(r[0])]
    failures = (pd.concat(frames, ignore_index=True) if frames
                else results[0][0] if results else pd.DataFrame())
    cases = cells["cases"].to_numpy()
    sens = (cases >= 1) & (cases < threshold)
    supp = cells["status"].eq("suppressed").to_numpy()
    reason = cells["reason"] if "reason" in cells else pd.Series(None, index=cells.index)
    notes = sorted({n for r in results for n in r[2]})
    return AuditReport(
        passed=len(failures) == 0,
        threshold=threshold,
        n_cells=len(cells),
        n_sensitive=int(sens.sum()),
        n_published=int((~supp).sum()),
        n_suppressed=int(supp.sum()),
        n_primary=int(reason.eq("primary").sum()),
        n_complementary=int(reason.eq("complementary").sum()),
        cases_suppressed=int(cases[supp].sum()),
        shares=share_table(cells.assign(reason=reason)),
        failures=failures,
        seconds=time.perf_counter() - start,
        n_solves=sum(r[1] for r in results),
        notes=notes,
    )
