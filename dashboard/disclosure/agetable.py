"""The national age-specific table of one block (measure × site) as an attacker model.

Unknowns are France's counts N(j, s, y) by age group, sex and single year. The table's cells
(age group × sex or both sexes × single year or 5-year period) are sums of them. The attacker
also knows, for every published national total (``indicator`` cell of France), that the age
groups add up to it, and, where the total's standardised rates are published, that its
age vector keeps them: ``dashboard.disclosure.rates.rate_rows`` gives three linear rows per
standard, written as extra rows of the model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from dashboard.disclosure.model import SEXES, Model
from dashboard.disclosure.rates import rate_rows, rate_terms

N_AGES = 18
STANDARDS = ("world", "europe")
SEX_SETS = {"female": (0,), "male": (1,), "all": (0, 1)}


def _members(sex: str, start: int, end: int, years: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """(sex index, year index) pairs of a cell's members."""
    ss = np.array(SEX_SETS[sex])
    ys = np.array([years.index(y) for y in range(start, end + 1)])
    return np.repeat(ss, ys.size), np.tile(ys, ss.size)


def _var(age: np.ndarray, sex: np.ndarray, year: np.ndarray, n_years: int) -> np.ndarray:
    return (age * len(SEXES) + sex) * n_years + year


def age_model(ages: pd.DataFrame, totals: pd.DataFrame) -> Model:
    """Attacker model of one block's age table.

    ``ages``: the age cells (sex, year_start, year_end, age, cases, population), ``age``
    being the age-group index 0-17. ``totals``: France's indicator cells of the block (sex,
    year_start, year_end, cases, published, rates_published). The model's cells are the age
    cells, in order.
    """
    ages = ages.reset_index(drop=True)
    years = sorted({int(y) for a, b in zip(ages["year_start"], ages["year_end"], strict=True)
                    for y in range(int(a), int(b) + 1)})
    n_y = len(years)
    n_var = N_AGES * len(SEXES) * n_y
    rows, cols = [], []
    for i, c in enumerate(ages.itertuples(index=False)):
        s, y = _members(c.sex, int(c.year_start), int(c.year_end), years)
        v = _var(np.full(s.size, int(c.age)), s, y, n_y)
        rows.append(np.full(v.size, i))
        cols.append(v)
    r, cidx = np.concatenate(rows), np.concatenate(cols)
    inc = sparse.csr_matrix((np.ones(r.size), (r, cidx)), shape=(len(ages), n_var))
    values = np.zeros(n_var)
    single = ages[(ages["year_start"] == ages["year_end"]) & ages["sex"].isin(["female",
                                                                                 "male"])]
    values[_var(single["age"].to_numpy(int), single["sex"].map({"female": 0, "male": 1})
                .to_numpy(int), np.array([years.index(int(y)) for y in single["year_start"]]),
                n_y)] = single["cases"].to_numpy(float)
    extra, lower, upper = _known_rows(ages, totals, years)
    cases = np.asarray(inc @ values).ravel()
    return Model(ages, inc, values, extra, lower, upper, cases)


def _known_rows(ages: pd.DataFrame, totals: pd.DataFrame, years: list[int]
                ) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """Published totals (age groups add up) and published rates (inner boxes), as rows."""
    n_y = len(years)
    n_var = N_AGES * len(SEXES) * n_y
    data, rr, cc, lower, upper = [], [], [], [], []
    key = ["sex", "year_start", "year_end"]
    by_cell = {k: g.sort_values("age") for k, g in ages.groupby(key, sort=False)}
    rated = []
    for t in totals.itertuples(index=False):
        if not t.published:
            continue
        k = (t.sex, int(t.year_start), int(t.year_end))
        s, y = _members(*k, years)
        cols = np.concatenate([_var(np.full(s.size, j), s, y, n_y) for j in range(N_AGES)])
        row = len(lower)
        rr.append(np.full(cols.size, row))
        cc.append(cols)
        data.append(np.ones(cols.size))
        lower.append(float(t.cases))
        upper.append(float(t.cases))
        if t.rates_published and k in by_cell and len(by_cell[k]) == N_AGES:
            rated.append((k, s, y, by_cell[k]))
    if rated:
        counts = np.stack([g["cases"].to_numpy(float) for *_, g in rated])
        pops = np.stack([g["population"].to_numpy(float) for *_, g in rated])
        for standard in STANDARDS:
            terms = rate_terms(counts, pops, standard)
            known = rate_rows(terms, standard)
            for i, (_, s, y, _g) in enumerate(rated):
                if not (np.isfinite(terms.y[i]) and terms.y[i] > 0):
                    continue
                cols = np.concatenate([_var(np.full(s.size, j), s, y, n_y)
                                       for j in range(N_AGES)])
                for k in range(3):
                    coef = known.coef_y[i, k] * terms.a[i] + known.coef_v[i, k] * terms.a[i] ** 2
                    if not coef.any():
                        continue
                    scale = max(abs(float(coef @ counts[i])), 1e-12)
                    row = len(lower)
                    rr.append(np.full(cols.size, row))
                    cc.append(cols)
                    data.append(np.repeat(coef / scale, s.size))
                    lower.append(known.lower[i, k] / scale)
                    upper.append(known.upper[i, k] / scale)
    if not lower:
        return sparse.csr_matrix((0, n_var)), np.zeros(0), np.zeros(0)
    mat = sparse.csr_matrix((np.concatenate(data), (np.concatenate(rr), np.concatenate(cc))),
                            shape=(len(lower), n_var))
    return mat, np.array(lower), np.array(upper)
