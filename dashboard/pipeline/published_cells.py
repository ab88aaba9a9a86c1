"""The cells the release publishes, with their age-specific counts and person-years.

Published cells (docs/release-schema.md): for each measure and site,
- ``indicator``: France and regions × male/female/all (sites of one sex: that sex only) ×
  single years and 5-year periods; departments × sexes × 5-year periods only;
- ``inequality``: deprivation quintiles 1-5 × sexes at country level (single years and 5-year
  periods) and region level (5-year periods; not for the overseas regions, which are single
  departments with nearly all their people in the most deprived quintile, nor for a quintile
  of fewer than 50,000 inhabitants);
- ``age_specific``: France × sexes × single years and 5-year periods × 18 age groups (the
  reference rates of the expected counts, so that SIRs are computed from published figures).
5-year periods do not overlap: they are counted back from the last year (2019-2023,
2014-2018, ...; leading years that do not fill a period are published as single years only).
The overseas regions, each a single department, are published like departments for every
site but "all cancers": 5-year periods only (their "all cancers" counts keep single years).
Departments get pooled periods only because most single-year counts of a department are small
for most sites: publishing them would hide most of them and, through the relations between
published figures, force many more cells to be hidden (the practice of registries that
publish small areas as 5-year figures). Every published number is a constraint an attacker
can use: overlapping periods were left out for the same reason.
All cells are sums of the aggregate arrays, computed with one ``einsum`` per table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.pipeline.aggregate import Aggregates
from dashboard.reference_data import dep_region, geo_table, sites
from dashboard.stats.standard_populations import AGE_GROUPS

SEXES = ("male", "female", "all")
SEX_MATRIX = np.array([[1, 0], [0, 1], [1, 1]])
PERIOD_YEARS = 5
QUINTILE_MIN_POPULATION = 50_000  # yearly inhabitants for a regional quintile to be published
KEYS = ["measure", "level", "geo_code", "sex", "site_code", "year_start", "year_end"]


@dataclass
class CellTable:
    """Keys of the cells and their counts and person-years by age group (n × 18)."""

    keys: pd.DataFrame
    counts: np.ndarray
    population: np.ndarray

    @property
    def cases(self) -> np.ndarray:
        return self.counts.sum(axis=1)


def periods(years: np.ndarray) -> list[tuple[int, int]]:
    """Single years, then non-overlapping 5-year periods counted back from the last year."""
    singles = [(int(y), int(y)) for y in years]
    ends = range(int(years[-1]), int(years[0]) + PERIOD_YEARS - 2, -PERIOD_YEARS)
    pooled = sorted((end - PERIOD_YEARS + 1, end) for end in ends)
    return singles + pooled


def _period_matrix(years: np.ndarray) -> np.ndarray:
    return np.array([[(a <= y <= b) for y in years] for a, b in periods(years)], dtype=float)


def _geo_matrix(geo: pd.DataFrame, deps: list[str]) -> np.ndarray:
    """Membership of departments (columns) in each area (rows) of ``geo``."""
    parent = dep_region()
    m = np.zeros((len(geo), len(deps)))
    for i, (level, code) in enumerate(zip(geo["level"], geo["code"], strict=True)):
        for j, d in enumerate(deps):
            m[i, j] = (level == "country" or (level == "region" and parent[d] == code)
                       or (level == "department" and d == code))
    return m


def single_department_regions(geo: pd.DataFrame) -> np.ndarray:
    """Rows of ``geo`` that are regions made of a single department (the overseas ones)."""
    parents = dep_region()
    size = pd.Series(list(parents.values())).value_counts()
    return ((geo["level"] == "region") & geo["code"].map(size).eq(1)).to_numpy()


def _site_matrix(slots: list[str], only: list[str] | None = None
                 ) -> tuple[list[str], np.ndarray]:
    """Published sites (all, or ``only``) and their membership of count slots ('all' = every
    slot)."""
    codes = [s for s in sites()["site_code"] if only is None or s in only]
    m = np.array([[1.0 if s == "all" or s == slot else 0.0 for slot in slots] for s in codes])
    return codes, m


def _allowed_sex(site_codes: list[str]) -> np.ndarray:
    """(site, sex) mask: sites of one sex are published for that sex only."""
    sexes = sites().set_index("site_code")["sexes"]
    return np.array([[sexes[s] == "both" or sexes[s] == x for x in SEXES] for s in site_codes])


def _keys(grid: dict[str, list], mask: np.ndarray) -> pd.DataFrame:
    """Cartesian keys of the axes in ``grid`` (in order), rows where ``mask`` holds."""
    idx = np.nonzero(mask.ravel())[0]
    shape = tuple(len(v) for v in grid.values())
    parts = np.unravel_index(idx, shape)
    out = {}
    for (name, values), pos in zip(grid.items(), parts, strict=True):
        arr = np.empty(len(values), dtype=object)
        arr[:] = values
        out[name] = arr[pos]
    return pd.DataFrame(out)


def _remainder_matrix(slots: list[str]) -> tuple[list[str], np.ndarray]:
    """The "other sites" slot, under the code of "all cancers" (whose remainder it is)."""
    return ["all"], np.array([[1.0 if slot == "other" else 0.0 for slot in slots]])


def indicator_cells(agg: Aggregates, measure: str, only: list[str] | None = None,
                    remainder: bool = False) -> CellTable:
    """Indicator cells of one measure: (geo, site, sex, period) with age vectors.

    ``remainder=True``: the cells of "all cancers" counting only the cancers of no published
    site (the remainder of "all cancers" minus its sites).
    """
    geo = geo_table()
    g = _geo_matrix(geo, agg.departments)
    site_codes, s = _remainder_matrix(agg.slots) if remainder else _site_matrix(agg.slots, only)
    p = _period_matrix(agg.years)
    counts = np.einsum("ts,gd,xk,py,sdqkay->gtxpa", s, g, SEX_MATRIX, p, agg.counts[measure],
                       optimize=True)
    pop = np.einsum("gd,xk,py,dqkay->gxpa", g, SEX_MATRIX, p, agg.population, optimize=True)
    pop = np.broadcast_to(pop[:, None], counts.shape)
    per = periods(agg.years)
    pooled = np.array([a != b for a, b in per])
    # departments, and the regions made of one department (overseas), are published for
    # 5-year periods only, "all cancers" of those regions excepted
    pooled_only = ((geo["level"] == "department").to_numpy()[:, None]
                   | (single_department_regions(geo)[:, None]
                      & (np.asarray(site_codes) != "all")[None, :]))
    mask = (_allowed_sex(site_codes)[None, :, :, None]
            & ~(pooled_only[:, :, None, None] & ~pooled[None, None, None, :]))
    mask = np.broadcast_to(mask, counts.shape[:-1])
    keys = _keys({"geo": list(zip(geo["level"], geo["code"], strict=True)),
                  "site_code": site_codes, "sex": list(SEXES), "period": per}, mask)
    keys = _finish_keys(keys, measure)
    return CellTable(keys, counts[mask].astype(np.int64), pop[mask])


def inequality_cells(agg: Aggregates, measure: str, only: list[str] | None = None,
                     remainder: bool = False) -> CellTable:
    """Quintile cells of one measure at country and region level (``remainder``: as in
    ``indicator_cells``)."""
    geo = geo_table()
    geo = geo[geo["level"] != "department"].reset_index(drop=True)
    g = _geo_matrix(geo, agg.departments)
    site_codes, s = _remainder_matrix(agg.slots) if remainder else _site_matrix(agg.slots, only)
    p = _period_matrix(agg.years)
    c5 = agg.counts[measure][:, :, 1:]
    pop5 = agg.population[:, 1:]
    counts = np.einsum("ts,gd,xk,py,sdqkay->gtxpqa", s, g, SEX_MATRIX, p, c5, optimize=True)
    raw = np.einsum("gd,xk,py,dqkay->gxpqa", g, SEX_MATRIX, p, pop5, optimize=True)
    pop = np.broadcast_to(raw[:, None], counts.shape)
    per = periods(agg.years)
    pooled = np.array([a != b for a, b in per])
    is_region = (geo["level"] == "region").to_numpy()
    # no regional quintiles where a region is one (overseas) department, nor for a quintile
    # of fewer than QUINTILE_MIN_POPULATION inhabitants (public figures decide, not counts)
    kept = ~single_department_regions(geo)
    span = p.sum(axis=1)  # years in each period
    inhabitants = raw[:, 2].sum(axis=-1) / span[None, :, None]  # (geo, period, quintile)
    big = ~is_region[:, None, None] | (inhabitants >= QUINTILE_MIN_POPULATION)
    mask = (_allowed_sex(site_codes)[None, :, :, None, None]
            & ~(is_region[:, None, None, None, None] & ~pooled[None, None, None, :, None])
            & kept[:, None, None, None, None] & big[:, None, None, :, :])
    mask = np.broadcast_to(mask, counts.shape[:-1])
    keys = _keys({"geo": list(zip(geo["level"], geo["code"], strict=True)),
                  "site_code": site_codes, "sex": list(SEXES), "period": per,
                  "quintile": [1, 2, 3, 4, 5]}, mask)
    keys = _finish_keys(keys, measure)
    keys["quintile"] = keys["quintile"].astype(np.int16)
    return CellTable(keys, counts[mask].astype(np.int64), pop[mask])


def age_cells(national: CellTable) -> CellTable:
    """National age-specific cells from the country rows of an indicator ``CellTable``.

    One cell per country row and age group; ``counts`` and ``population`` are (n × 1).
    """
    rows = np.flatnonzero((national.keys["level"] == "country").to_numpy())
    n_age = len(AGE_GROUPS)
    keys = national.keys.iloc[np.repeat(rows, n_age)][KEYS].reset_index(drop=True)
    age = np.tile(np.arange(n_age), len(rows))
    keys["age_group"] = np.asarray(AGE_GROUPS, dtype=object)[age]
    keys["age_start"] = (age * 5).astype(np.int16)
    counts = national.counts[rows].reshape(-1, 1)
    population = np.asarray(national.population[rows]).reshape(-1, 1)
    return CellTable(keys, counts.astype(np.int64), population)


def _finish_keys(keys: pd.DataFrame, measure: str) -> pd.DataFrame:
    level, code = zip(*keys.pop("geo"), strict=True)
    start, end = zip(*keys.pop("period"), strict=True)
    out = pd.DataFrame({"measure": measure, "level": level, "geo_code": code,
                        "sex": keys.pop("sex"), "site_code": keys.pop("site_code"),
                        "year_start": np.array(start, dtype=np.int16),
                        "year_end": np.array(end, dtype=np.int16)})
    for col in keys.columns:
        out[col] = keys[col].to_numpy()
    return out


def disclosure_base(agg: Aggregates, measure: str, only: list[str] | None = None,
                    remainder: bool = False) -> pd.DataFrame:
    """Finest counts for disclosure control: site × department × quintile × sex × year
    (``remainder``: the "other sites" counts, under the code "all")."""
    site_codes, s = _remainder_matrix(agg.slots) if remainder else _site_matrix(agg.slots, only)
    c = np.einsum("ts,sdqkay->tdqky", s, agg.counts[measure], optimize=True)
    idx = np.nonzero(c)
    return pd.DataFrame({
        "measure": measure,
        "site_code": np.asarray(site_codes, dtype=object)[idx[0]],
        "department": np.asarray(agg.departments, dtype=object)[idx[1]],
        "quintile": idx[2].astype(np.int64),
        "sex": np.array(["male", "female"], dtype=object)[idx[3]],
        "year": agg.years[idx[4]].astype(np.int64),
        "count": c[idx].astype(np.int64),
    })


def empty_units(agg: Aggregates) -> list[tuple[str, int]]:
    """(department, quintile) pairs without person-years in any year: public zeros."""
    pop = agg.population.sum(axis=(2, 3, 4))  # department × quintile
    d, q = np.nonzero(pop <= 0)
    return [(agg.departments[i], int(k)) for i, k in zip(d, q, strict=True)]
