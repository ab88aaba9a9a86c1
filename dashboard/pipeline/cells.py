"""The cells the release publishes, with their age-specific counts and person-years.

Published cells (docs/release-schema.md): for each measure and site,
- ``indicator``: France and regions × male/female/all (sites of one sex: that sex only) ×
  single years and 5-year periods; departments × sexes × 5-year periods only;
- ``inequality``: deprivation quintiles 1-5 × sexes at country level (single years and 5-year
  periods) and region level (5-year periods).
5-year periods do not overlap: they are counted back from the last year (2019-2023,
2014-2018, ...; leading years that do not fill a period are published as single years only).
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

SEXES = ("male", "female", "all")
SEX_MATRIX = np.array([[1, 0], [0, 1], [1, 1]])
PERIOD_YEARS = 5
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


def indicator_cells(agg: Aggregates, measure: str, only: list[str] | None = None) -> CellTable:
    """Indicator cells of one measure: (geo, site, sex, period) with age vectors."""
    geo = geo_table()
    g = _geo_matrix(geo, agg.departments)
    site_codes, s = _site_matrix(agg.slots, only)
    p = _period_matrix(agg.years)
    counts = np.einsum("ts,gd,xk,py,sdqkay->gtxpa", s, g, SEX_MATRIX, p, agg.counts[measure],
                       optimize=True)
    pop = np.einsum("gd,xk,py,dqkay->gxpa", g, SEX_MATRIX, p, agg.population, optimize=True)
    pop = np.broadcast_to(pop[:, None], counts.shape)
    per = periods(agg.years)
    pooled = np.array([a != b for a, b in per])
    is_department = (geo["level"] == "department").to_numpy()
    mask = (_allowed_sex(site_codes)[None, :, :, None]
            & ~(is_department[:, None, None, None] & ~pooled[None, None, None, :]))
    mask = np.broadcast_to(mask, counts.shape[:-1])
    keys = _keys({"geo": list(zip(geo["level"], geo["code"], strict=True)),
                  "site_code": site_codes, "sex": list(SEXES), "period": per}, mask)
    keys = _finish_keys(keys, measure)
    return CellTable(keys, counts[mask].astype(np.int64), pop[mask])


def inequality_cells(agg: Aggregates, measure: str, only: list[str] | None = None) -> CellTable:
    """Quintile cells of one measure at country and region level."""
    geo = geo_table()
    geo = geo[geo["level"] != "department"].reset_index(drop=True)
    g = _geo_matrix(geo, agg.departments)
    site_codes, s = _site_matrix(agg.slots, only)
    p = _period_matrix(agg.years)
    c5 = agg.counts[measure][:, :, 1:]
    pop5 = agg.population[:, 1:]
    counts = np.einsum("ts,gd,xk,py,sdqkay->gtxpqa", s, g, SEX_MATRIX, p, c5, optimize=True)
    pop = np.einsum("gd,xk,py,dqkay->gxpqa", g, SEX_MATRIX, p, pop5, optimize=True)
    pop = np.broadcast_to(pop[:, None], counts.shape)
    per = periods(agg.years)
    pooled = np.array([a != b for a, b in per])
    is_region = (geo["level"] == "region").to_numpy()
    mask = (_allowed_sex(site_codes)[None, :, :, None, None]
            & ~(is_region[:, None, None, None, None] & ~pooled[None, None, None, :, None]))
    mask = np.broadcast_to(mask, counts.shape[:-1])
    keys = _keys({"geo": list(zip(geo["level"], geo["code"], strict=True)),
                  "site_code": site_codes, "sex": list(SEXES), "period": per,
                  "quintile": [1, 2, 3, 4, 5]}, mask)
    keys = _finish_keys(keys, measure)
    keys["quintile"] = keys["quintile"].astype(np.int16)
    return CellTable(keys, counts[mask].astype(np.int64), pop[mask])


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


def disclosure_base(agg: Aggregates, measure: str, only: list[str] | None = None) -> pd.DataFrame:
    """Finest counts for disclosure control: site × department × quintile × sex × year."""
    site_codes, s = _site_matrix(agg.slots, only)
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
