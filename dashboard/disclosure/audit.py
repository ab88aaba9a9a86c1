"""Independent audit of a suppression pattern.

Rebuilds the attacker's knowledge from scratch (pandas joins, not `protect`'s matrices), then
for every block solves its own linear programmes over all published cells at once and checks
(1) no published cell is sensitive and (2) every sensitive cell's interval [min, max] obtained
by the attacker has max − min ≥ threshold (with a 1e-4 tolerance for LP round-off).
"""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import highspy
import numpy as np
import pandas as pd
from scipy import sparse

from dashboard.disclosure.crosssite import group_remainder
from dashboard.disclosure.rates import (
    RATE_MIN_CASES,
    Certificates,
    published_rates,
    rate_rows,
    rate_terms,
)
from dashboard.disclosure.report import AuditReport, share_table
from dashboard.disclosure.solver import Residuals, polish, quiet_highs, run

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


@dataclass
class Unknowns:
    """The attacker's unknowns of one block: cell × variable incidence, true values, extra
    rows (lower ≤ rows @ v ≤ upper), variable names (``D|dep|sex|year``,
    ``R|region|quintile|sex|year``, or finest rows) and the published quintiles."""

    incidence: sparse.csr_matrix
    values: np.ndarray
    extra: sparse.csr_matrix
    lower: np.ndarray
    upper: np.ndarray
    names: pd.Index
    q_cells: list[int]
    notes: list[str]


def _variables(base: pd.DataFrame, cells: pd.DataFrame, dep_region: Mapping[str, str],
               empty: frozenset[tuple[str, int]] = frozenset()) -> Unknowns:
    """The attacker's unknowns of one block (see ``Unknowns``). Units without person-years
    (`empty`) hold no case."""
    deps = sorted({str(d) for d in dep_region} | set(base["department"].astype(str)))
    years = sorted(
        set(base["year"].astype(int))
        | {y for a, b in zip(cells["year_start"], cells["year_end"], strict=True)
           for y in range(int(a), int(b) + 1)}
    )
    q_cells = sorted({int(q) for q in cells["quintile"].dropna()})
    quintiles = sorted({0, *q_cells, *base["quintile"].astype(int)})
    mem = _members(cells, dep_region, deps, years, quintiles)
    if empty:
        unit = pd.Series(list(zip(mem["department"], mem["member_q"], strict=True)))
        mem = mem[~unit.isin(empty).to_numpy()]
    b = base.assign(department=base["department"].astype(str),
                    quintile=base["quintile"].astype(int), year=base["year"].astype(int))
    dep_quintile_cells = cells["quintile"].notna() & cells["level"].eq("department")
    reduce = not dep_quintile_cells.any()
    if not reduce:  # finest rows as unknowns
        key_m = mem[["department", "member_sex", "year", "member_q"]].astype(str).agg("|".join,
                                                                                     axis=1)
        key_b = b[["department", "sex", "year", "quintile"]].astype(str).agg("|".join, axis=1)
        codes, uniq = pd.factorize(pd.concat([key_m, key_b], ignore_index=True))
        n_var = len(uniq)
        var = codes[: len(mem)]
        values = np.bincount(codes[len(mem):], weights=b["count"].to_numpy(float),
                             minlength=n_var)
        return _unknowns(mem["cell"].to_numpy(), var, len(cells), values,
                         sparse.csr_matrix((0, n_var)), np.zeros(0), uniq, q_cells, [])
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
    g_region = pd.concat([all_d["region"], all_r["region"]], ignore_index=True)
    region_of_group = pd.Series(g_region.to_numpy()).groupby(g_codes).first()
    unpublished = set(quintiles) - set(q_cells)
    no_case = {r for r in set(region.values())
               if all((d, q) in empty for d in deps if region[d] == r for q in unpublished)}
    exact = region_of_group.isin(no_case).to_numpy()
    if exact.any():
        notes.append("unpublished quintiles without person-years: regional quintiles sum "
                     f"to departments in {int(pd.Series(sorted(no_case)).size)} region(s)")
    lower = np.where(exact, 0.0, -np.inf)
    return _unknowns(mem["cell"].to_numpy(), var, len(cells), values, extra, lower, uniq,
                     q_cells, notes)


def _unknowns(cell_idx: np.ndarray, var: np.ndarray, n_cells: int, values: np.ndarray,
              extra: sparse.csr_matrix, lower: np.ndarray, names: pd.Index, q_cells: list[int],
              notes: list[str]) -> Unknowns:
    inc = sparse.csr_matrix((np.ones(len(var)), (cell_idx, var)),
                            shape=(n_cells, len(values)))
    inc.sum_duplicates()
    inc.data[:] = 1.0
    return Unknowns(inc, values, extra, lower, np.zeros(len(lower)), pd.Index(names), q_cells,
                    notes)


def _lp(inc: sparse.csr_matrix, extra: sparse.csr_matrix, extra_lower: np.ndarray,
        extra_upper: np.ndarray, fixed: np.ndarray, rhs: np.ndarray,
        bounds: tuple[np.ndarray, np.ndarray] | None = None
        ) -> tuple[highspy.Highs, Residuals]:
    a = sparse.vstack([inc[fixed], extra]).tocsc()
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_ = a.shape[1]
    lp.num_row_ = a.shape[0]
    lp.col_cost_ = np.zeros(a.shape[1])
    lo, hi = bounds if bounds is not None else (np.zeros(a.shape[1]), np.full(a.shape[1], inf))
    lp.col_lower_ = np.asarray(lo, dtype=float)
    lp.col_upper_ = np.where(np.isfinite(hi), hi, inf)
    # known rows loosened by a relative 1e-9 against round-off in their computation
    e_lo = extra_lower - 1e-9 * (1 + np.abs(extra_lower))
    e_hi = extra_upper + 1e-9 * (1 + np.abs(extra_upper))
    lp.row_lower_ = np.r_[rhs[fixed], np.where(np.isfinite(e_lo), e_lo, -inf)]
    lp.row_upper_ = np.r_[rhs[fixed], np.where(np.isfinite(e_hi), e_hi, inf)]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data
    h = quiet_highs(seed=1)
    h.passModel(lp)
    return h, Residuals(a, np.asarray(lp.row_lower_), np.asarray(lp.row_upper_))


def _intervals(inc: sparse.csr_matrix, extra: sparse.csr_matrix, lower: np.ndarray,
               upper: np.ndarray, published: np.ndarray, truth: np.ndarray,
               todo: np.ndarray, threshold: int,
               bounds: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[list[dict], int]:
    """Attacker intervals of the cells `todo`; failures (rows) and the number of LPs."""
    fails: list[dict] = []
    if not len(todo):
        return fails, 0
    n_var = inc.shape[1]
    h, check = _lp(inc, extra, lower, upper, published, truth, bounds)
    cols = np.arange(n_var, dtype=np.int32)
    lo, hi = truth.copy(), truth.copy()
    first = True
    solves = 0

    def solve(weights: np.ndarray, maximize: bool) -> None:
        nonlocal first, solves
        h.changeColsCost(n_var, cols, np.asarray(inc.T @ weights).ravel())
        h.changeObjectiveSense(highspy.ObjSense.kMaximize if maximize
                               else highspy.ObjSense.kMinimize)
        status = run(h)
        solves += 1
        if status == highspy.HighsModelStatus.kUnbounded and maximize:
            if np.count_nonzero(weights) == 1:  # this cell can grow without limit
                hi[weights != 0] = np.inf
            return
        if status != highspy.HighsModelStatus.kOptimal:  # no answer: certifies nothing
            return
        if first:
            h.setOptionValue("presolve", "off")
            h.setOptionValue("simplex_strategy", 4)
            first = False
        x = polish(h, check)
        if x is None:  # a point off the model certifies nothing
            return
        v = np.asarray(inc @ x).ravel()
        np.minimum(lo, v, out=lo)
        np.maximum(hi, v, out=hi)

    rng = np.random.default_rng(12345)
    for _ in range(3):
        open_ = todo[hi[todo] - lo[todo] < threshold - TOL]
        if len(open_) < 20:
            break
        for maximize in (False, True):
            w = np.zeros(inc.shape[0])
            w[open_] = rng.uniform(0.5, 1.5, size=len(open_))
            solve(w, maximize)
    for i in todo:
        if hi[i] - lo[i] >= threshold - TOL:
            continue
        e = np.zeros(inc.shape[0])
        e[i] = 1.0
        solve(e, False)
        solve(e, True)
        if hi[i] - lo[i] < threshold - TOL:
            fails.append({"row": i, "problem": "interval too narrow",
                          "attacker_min": round(lo[i], 6), "attacker_max": round(hi[i], 6)})
    return fails, solves


def _failures(cells: pd.DataFrame, truth: np.ndarray, fails: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(fails, columns=["row", "problem", "attacker_min", "attacker_max"])
    cols = [c for c in CELL_COLS if c in cells]
    if not len(out):
        return pd.DataFrame(columns=[*CELL_COLS, "true_count", "problem", "attacker_min",
                                     "attacker_max"])
    rows = out["row"].to_numpy()
    detail = cells.iloc[rows][cols].reset_index(drop=True)
    detail["true_count"] = truth[rows]
    return pd.concat([detail, out.drop(columns="row").reset_index(drop=True)], axis=1)


def _check_counts(cells: pd.DataFrame, inc: sparse.csr_matrix, extra: sparse.csr_matrix,
                  lower: np.ndarray, upper: np.ndarray, values: np.ndarray, threshold: int,
                  targets: np.ndarray | None = None,
                  bounds: tuple[np.ndarray, np.ndarray] | None = None
                  ) -> tuple[pd.DataFrame, int]:
    """Published sensitive cells and too narrow intervals of hidden sensitive cells (among
    `targets` when given)."""
    truth = np.asarray(inc @ values).ravel()
    published = cells["status"].eq("published").to_numpy()
    sens = (truth >= 1) & (truth < threshold)
    if targets is not None:
        sens &= targets
    fails = [{"row": i, "problem": "sensitive cell published", "attacker_min": truth[i],
              "attacker_max": truth[i]} for i in np.flatnonzero(published & sens)]
    more, solves = _intervals(inc, extra, lower, upper, published, truth,
                              np.flatnonzero(~published & sens), threshold, bounds)
    return _failures(cells, truth, fails + more), solves


def audit_block(base: pd.DataFrame, cells: pd.DataFrame, dep_region: Mapping[str, str],
                threshold: int, empty: frozenset[tuple[str, int]] = frozenset(),
                remainder: pd.DataFrame | None = None) -> tuple[pd.DataFrame, int, list[str]]:
    """Under-protected cells of one block, number of LPs solved, notes.

    With `remainder`, the other blocks are held at their true values: a site's department
    totals, regional quintiles and regional rests grow by at most the remainder, those of
    "all cancers" shrink by at most it.
    """
    cells = cells.reset_index(drop=True)
    u = _variables(base, cells, dep_region, empty)
    extra, lower, upper = u.extra, u.lower, u.upper
    v_lo, v_hi = np.zeros(len(u.values)), np.full(len(u.values), np.inf)
    if remainder is not None:
        rows, keys = _group_rows(u, dep_region)
        truth = rows @ u.values
        other = group_remainder(keys, remainder, dep_region)
        is_all = bool(cells["site_code"].eq("all").all())
        single = np.diff(rows.indptr) == 1  # a group that is one variable: a bound
        var = rows.indices[rows.indptr[:-1][single]]
        if is_all:
            v_lo[var] = np.maximum(0.0, truth[single] - other[single])
            r_lo, r_hi = truth[~single] - other[~single], np.full((~single).sum(), np.inf)
        else:
            v_hi[var] = truth[single] + other[single]
            r_lo, r_hi = np.full((~single).sum(), -np.inf), truth[~single] + other[~single]
        extra = sparse.vstack([extra, rows[~single]]).tocsr()
        lower, upper = np.r_[lower, r_lo], np.r_[upper, r_hi]
    out, solves = _check_counts(cells, u.incidence, extra, lower, upper, u.values, threshold,
                                bounds=(v_lo, v_hi))
    return out, solves, u.notes


def audit_pair(base: pd.DataFrame, cells: pd.DataFrame, all_base: pd.DataFrame,
               all_cells: pd.DataFrame, dep_region: Mapping[str, str], threshold: int,
               empty: frozenset[tuple[str, int]], remainder: pd.DataFrame
               ) -> tuple[pd.DataFrame, int, list[str]]:
    """A site's block audited with "all cancers" beside it, the other sites held at their
    true values: in every department, regional quintile and regional rest, all − site ≥
    all* − site* − other* (see ``crosssite``)."""
    cells = cells.reset_index(drop=True)
    s = _variables(base, cells, dep_region, empty)
    a = _variables(all_base, all_cells.reset_index(drop=True), dep_region, empty)
    rs, keys = _group_rows(s, dep_region)
    ra, keys_a = _group_rows(a, dep_region)
    if not keys.equals(keys_a):
        raise AssertionError("a site and all cancers do not share their units")
    other = group_remainder(keys, remainder, dep_region)
    inc = sparse.block_diag([s.incidence, a.incidence], format="csr")
    extra = sparse.vstack([sparse.block_diag([s.extra, a.extra], format="csr"),
                           sparse.hstack([-rs, ra], format="csr")]).tocsr()
    lower = np.r_[s.lower, a.lower, ra @ a.values - rs @ s.values - other]
    upper = np.r_[s.upper, a.upper, np.full(len(other), np.inf)]
    both = pd.concat([cells, all_cells.reset_index(drop=True)], ignore_index=True)
    target = np.r_[np.ones(len(cells), dtype=bool), np.zeros(len(all_cells), dtype=bool)]
    out, solves = _check_counts(both, inc, extra, lower, upper, np.r_[s.values, a.values],
                                threshold, target)
    return out, solves, s.notes


def _group_rows(u: Unknowns, dep_region: Mapping[str, str]
                ) -> tuple[sparse.csr_matrix, pd.DataFrame]:
    """Department totals, regional quintiles and regional rests (Σ D − Σ R) as rows over a
    block's variables, with their keys (kind, area, quintile, sex, year)."""
    region = {str(d): str(r) for d, r in dep_region.items()}
    parts = pd.Series(u.names).str.split("|", expand=True).reindex(columns=range(5))
    is_d = (parts[0] == "D").to_numpy()
    is_r = (parts[0] == "R").to_numpy()
    if not (is_d | is_r).all():
        raise ValueError("the cross-site relation needs region-level quintile cells")
    d = pd.DataFrame({"kind": "D", "area": parts.loc[is_d, 1], "quintile": -1,
                      "sex": parts.loc[is_d, 2], "year": parts.loc[is_d, 3].astype(int)})
    r = pd.DataFrame({"kind": "R", "area": parts.loc[is_r, 1],
                      "quintile": parts.loc[is_r, 2].astype(int), "sex": parts.loc[is_r, 3],
                      "year": parts.loc[is_r, 4].astype(int)})
    rest_of_d = d["area"].map(region) + "|" + d["sex"] + "|" + d["year"].astype(str)
    rest_of_r = r["area"] + "|" + r["sex"] + "|" + r["year"].astype(str)
    rest_codes, rest_names = pd.factorize(pd.concat([rest_of_d, rest_of_r], ignore_index=True))
    n = len(u.names)
    var_d, var_r = np.flatnonzero(is_d), np.flatnonzero(is_r)
    ident = sparse.csr_matrix((np.ones(var_d.size + var_r.size),
                               (np.arange(var_d.size + var_r.size), np.r_[var_d, var_r])),
                              shape=(var_d.size + var_r.size, n))
    rest = sparse.csr_matrix((np.r_[np.ones(var_d.size), -np.ones(var_r.size)],
                              (rest_codes, np.r_[var_d, var_r])), shape=(len(rest_names), n))
    rk = pd.Series(rest_names).str.split("|", expand=True)
    rest_keys = pd.DataFrame({"kind": "rest", "area": rk[0], "quintile": -1, "sex": rk[1],
                              "year": rk[2].astype(int)})
    keys = pd.concat([d, r, rest_keys], ignore_index=True)
    order = keys.sort_values(["kind", "area", "quintile", "sex", "year"]).index.to_numpy()
    mat = sparse.vstack([ident, rest]).tocsr()[order]
    return mat, keys.iloc[order].reset_index(drop=True)


def audit_ages(ages: pd.DataFrame, totals: pd.DataFrame, threshold: int
               ) -> tuple[pd.DataFrame, int, list[str]]:
    """France's age table of one block: the unknowns are counts by age group, sex and year;
    published national totals add them up, published national rates bound them
    (``rates.rate_rows``). A table whose every cell is hidden says nothing."""
    ages = ages.reset_index(drop=True)
    ages = ages.assign(age=ages["age"].astype(int))
    if ages["status"].eq("suppressed").all():
        return _failures(ages, ages["cases"].to_numpy(float), []), 0, []
    spans = [range(int(a), int(b) + 1) for a, b in zip(ages["year_start"], ages["year_end"],
                                                        strict=True)]
    sexes = {"male": [0], "female": [1], "all": [0, 1]}
    first = min(r.start for r in spans)
    n_years = max(r.stop for r in spans) - first
    names = np.arange(18 * 2 * n_years)  # unknown (age j, sex x, year y): (j·2 + x)·n + y

    def members(age: int | None, sex: str, years: range) -> np.ndarray:
        groups = np.arange(18) if age is None else np.array([age])
        x = np.array(sexes[sex])
        y = np.arange(years.start, years.stop) - first
        return ((groups[:, None, None] * 2 + x[None, :, None]) * n_years
                + y[None, None, :]).ravel()

    rows, cols = [], []
    for i, (c, years) in enumerate(zip(ages.itertuples(index=False), spans, strict=True)):
        m = members(int(c.age), c.sex, years)
        rows.append(np.full(m.size, i))
        cols.append(m)
    inc = sparse.csr_matrix((np.ones(sum(r.size for r in rows)),
                             (np.concatenate(rows), np.concatenate(cols))),
                            shape=(len(ages), len(names)))
    values = np.zeros(len(names))
    one = ages[(ages["year_start"] == ages["year_end"]) & ages["sex"].ne("all")]
    for a, x, y, n in zip(one["age"], one["sex"], one["year_start"], one["cases"], strict=True):
        values[members(int(a), x, range(int(y), int(y) + 1))] = n
    e_rows, e_lo, e_hi = [], [], []
    rated = []
    for t in totals[totals["published"]].itertuples(index=False):
        years = range(int(t.year_start), int(t.year_end) + 1)
        row = np.zeros(len(names))
        row[members(None, t.sex, years)] = 1.0
        e_rows.append(row)
        e_lo.append(float(t.cases))
        e_hi.append(float(t.cases))
        if t.rates_published:
            cell = ages[(ages["sex"] == t.sex) & (ages["year_start"] == t.year_start)
                        & (ages["year_end"] == t.year_end)].sort_values("age")
            rated.append((t.sex, years, cell["cases"].to_numpy(float),
                          cell["population"].to_numpy(float)))
    for standard in ("world", "europe") if rated else ():
        counts = np.stack([r[2] for r in rated])
        terms = rate_terms(counts, np.stack([r[3] for r in rated]), standard)
        known = rate_rows(terms, standard)
        for i, (sex, years, _, _) in enumerate(rated):
            if not (terms.y[i] > 0):
                continue
            for k in range(3):
                coef = known.coef_y[i, k] * terms.a[i] + known.coef_v[i, k] * terms.a[i] ** 2
                if not coef.any():
                    continue
                scale = max(abs(float(coef @ counts[i])), 1e-12)
                row = np.zeros(len(names))
                for j in range(18):
                    row[members(j, sex, years)] = coef[j] / scale
                e_rows.append(row)
                e_lo.append(known.lower[i, k] / scale)
                e_hi.append(known.upper[i, k] / scale)
    extra = sparse.csr_matrix(np.array(e_rows)) if e_rows else sparse.csr_matrix((0, len(names)))
    out, solves = _check_counts(ages, inc, extra, np.array(e_lo), np.array(e_hi), values,
                                threshold)
    return out, solves, []


def audit_rates(cells: pd.DataFrame, counts: np.ndarray, population: np.ndarray,
                rates_published: np.ndarray, certificates: Certificates, threshold: int
                ) -> pd.DataFrame:
    """Rate publications that are not backed: a published rate on a hidden or small cell,
    or a small age-group count of a rated cell without two certified age vectors (each
    reproducing the cell's published rate values, total and France's published age counts)
    whose counts of that group differ by at least the threshold. France's cells whose age
    table is published are backed by that table (``audit_ages``)."""
    x = np.asarray(counts, dtype=float)
    fails: list[dict] = []
    rated = np.flatnonzero(rates_published)
    status = cells["status"].to_numpy()
    bad = rated[(status[rated] != "published") | (x[rated].sum(axis=1) < RATE_MIN_CASES)]
    fails += [{"row": i, "problem": "rates of a hidden or small cell", "attacker_min": np.nan,
               "attacker_max": np.nan} for i in bad]
    series = ["measure", "site_code", "sex", "year_start", "year_end"]
    ages = cells[cells["table"].eq("age_specific")]
    shown = ages[ages["status"].eq("published")]
    bound = {(*k, int(a)): float(c) for *k, a, c in zip(*(shown[c] for c in series),
                                                        shown["age"], shown["cases"],
                                                        strict=True)}
    tables = {tuple(k) for k, g in ages.groupby(series) if g["status"].eq("published").any()}
    keys = list(zip(*(cells[c] for c in series), strict=True))
    national = (cells["table"].eq("indicator") & cells["level"].eq("country")).to_numpy()
    need = [i for i in rated if not (national[i] and keys[i] in tables)]
    moves = certificates.moves
    points = np.asarray(certificates.points, dtype=float)
    cell_of = moves["cell"].to_numpy()
    truth_rates = published_rates(x[cell_of], population[cell_of], "world")
    got_rates = published_rates(points, population[cell_of], "world")
    same = np.all([np.isclose(got_rates[c], truth_rates[c], rtol=0, atol=1e-9)
                   | (np.isnan(got_rates[c]) & np.isnan(truth_rates[c])) for c in got_rates],
                  axis=0)
    upper = np.array([[bound.get((*keys[c], j), np.inf) for j in range(18)] for c in cell_of]
                     ).reshape(len(cell_of), 18)
    valid = (same & (points >= 0).all(axis=1) & (points <= upper + 1e-9).all(axis=1)
             & np.isclose(points.sum(axis=1), x[cell_of].sum(axis=1))
             & np.isclose(points, np.round(points)).all(axis=1))
    seen: dict[tuple[int, int], list[float]] = {}
    for c, j, v, ok in zip(cell_of, moves["age"].to_numpy(), points[np.arange(len(points)),
                                                                     moves["age"].to_numpy()],
                           valid, strict=True):
        if ok:
            seen.setdefault((int(c), int(j)), []).append(float(v))
    for i in need:
        for j in np.flatnonzero((x[i] >= 1) & (x[i] < threshold)):
            values = [x[i, j], *seen.get((int(i), int(j)), [])]
            if max(values) - min(values) < threshold:
                fails.append({"row": i, "problem": f"rates reveal age group {int(j)}",
                              "attacker_min": min(values), "attacker_max": max(values)})
    out = pd.DataFrame(fails, columns=["row", "problem", "attacker_min", "attacker_max"])
    if not len(out):
        return _failures(cells, x.sum(axis=1), [])
    return _failures(cells, x.sum(axis=1), out.to_dict("records"))


def _run(args: tuple) -> tuple[pd.DataFrame, int, list[str]]:
    kind, rest = args[0], args[1:]
    return {"block": audit_block, "pair": audit_pair, "ages": audit_ages}[kind](*rest)


def _map(tasks: list[tuple], jobs: int) -> list[tuple[pd.DataFrame, int, list[str]]]:
    if jobs > 1 and len(tasks) > 1:
        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks))) as pool:
            return list(pool.map(_run, tasks))
    return [_run(t) for t in tasks]


def audit(
    base: pd.DataFrame,
    cells_with_status: pd.DataFrame,
    dep_region: Mapping[str, str],
    threshold: int = 11,
    *,
    empty: Collection[tuple[str, int]] = (),
    remainder: pd.DataFrame | None = None,
    ages: tuple[np.ndarray, np.ndarray] | None = None,
    rates_published: np.ndarray | None = None,
    certificates: Certificates | None = None,
    n_jobs: int | None = None,
) -> AuditReport:
    """Check every published number against the attacker, block by block.

    Counts: one LP per block over all its published cells (each site beside "all cancers"
    when `remainder` is given); France's age tables (rows ``age_specific``) with their
    margins and published rates; standardised rates (`rates_published`, with the cells' age
    vectors `ages` and the `certificates` of ``rates.decide``).
    """
    start = time.perf_counter()
    cells = cells_with_status
    empty = frozenset((str(d), int(q)) for d, q in empty)
    is_age = cells["table"].eq("age_specific").to_numpy()
    main = cells[~is_age]
    groups = dict(tuple(base.groupby(KEYS, sort=False)))
    blocks = sorted(main.groupby(KEYS, sort=True).indices.items())
    dep = dict(dep_region)
    all_of = {k[0]: pos for k, pos in blocks if k[1] == "all"}
    tasks = []
    for key, pos in blocks:
        rem = None if remainder is None else remainder[remainder["measure"] == key[0]]
        tasks.append(("block", groups.get(key, base.iloc[0:0]), main.iloc[pos], dep, threshold,
                      empty, rem))
    if is_age.any():
        is_nat = (cells["table"].eq("indicator") & cells["level"].eq("country")).to_numpy()
        nat = cells[is_nat]
        shown = (np.asarray(rates_published, dtype=bool)[is_nat] if rates_published is not None
                 else nat["status"].eq("published") & (nat["cases"] >= RATE_MIN_CASES))
        nat = nat.assign(published=nat["status"].eq("published"), rates_published=shown)
        nat_groups = dict(tuple(nat.groupby(KEYS, sort=False)))
        age_cells = cells[is_age]
        for key, pos in sorted(age_cells.groupby(KEYS, sort=True).indices.items()):
            tasks.append(("ages", age_cells.iloc[pos], nat_groups[key], threshold))
    jobs = min(2, len(tasks)) if n_jobs is None else max(1, n_jobs)
    results = _map(tasks, jobs)
    if remainder is not None:  # a site that fails alone is audited beside "all cancers"
        again = [i for i, (t, r) in enumerate(zip(tasks, results, strict=True))
                 if len(r[0]) and t[0] == "block" and blocks[i][0][1] != "all"
                 and i < len(blocks)]
        pair_tasks = []
        for i in again:
            key, pos = blocks[i]
            pair_tasks.append(("pair", groups.get(key, base.iloc[0:0]), main.iloc[pos],
                               groups.get((key[0], "all"), base.iloc[0:0]),
                               main.iloc[all_of[key[0]]], dep, threshold, empty,
                               remainder[remainder["measure"] == key[0]]))
        for i, r in zip(again, _map(pair_tasks, jobs), strict=True):
            results[i] = (r[0], results[i][1] + r[1], r[2] + ["audited beside all cancers"])
    frames = [r[0] for r in results if len(r[0])]
    if rates_published is not None and ages is not None and certificates is not None:
        rate_fails = audit_rates(cells.reset_index(drop=True), ages[0], ages[1],
                                 rates_published, certificates, threshold)
        if len(rate_fails):
            frames.append(rate_fails)
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
