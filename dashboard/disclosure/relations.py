"""Additive relations between published cells: parent = sum of children along one dimension.

Relations are derived from the cell attributes (geography, sex, time, quintile) and kept only
when the incidence matrix confirms that the children partition the parent exactly. A relation
whose children leave a remainder (e.g. total = quintiles 1..5 + unknown quintile, unpublished)
is kept with `residual` = the remainder's true count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse


@dataclass(frozen=True)
class Relation:
    """parent = sum(children) + residual (residual covers unpublished atoms, ≥ 0)."""

    parent: int
    children: np.ndarray
    residual: float
    dimension: str


def _candidates(
    cells: pd.DataFrame, dep_region: Mapping[str, str]
) -> list[tuple[int, list[int], str]]:
    cand: list[tuple[int, list[int], str]] = []
    recs = [
        (str(t), str(lv), str(g), str(sx), int(a), int(b), None if pd.isna(q) else int(q))
        for t, lv, g, sx, a, b, q in zip(
            cells["table"], cells["level"], cells["geo_code"], cells["sex"],
            cells["year_start"], cells["year_end"], cells["quintile"], strict=True,
        )
    ]
    index = {r: i for i, r in enumerate(recs)}
    regions: dict[str, list[str]] = {}
    for dep, reg in sorted(dep_region.items()):
        regions.setdefault(str(reg), []).append(str(dep))

    def find(keys: list[tuple]) -> list[int] | None:
        rows = [index.get(k) for k in keys]
        return None if any(r is None for r in rows) else rows  # type: ignore[return-value]

    for i, (t, lv, g, sx, a, b, q) in enumerate(recs):
        if lv == "country":  # country = regions; country = departments
            for kids in (
                find([(t, "region", r, sx, a, b, q) for r in sorted(regions)]),
                find([(t, "department", d, sx, a, b, q) for d in sorted(dep_region)]),
            ):
                if kids:
                    cand.append((i, kids, "geo"))
        elif lv == "region":
            kids = find([(t, "department", d, sx, a, b, q) for d in regions.get(g, [])])
            if kids:
                cand.append((i, kids, "geo"))
        if sx == "all":
            kids = find([(t, lv, g, s, a, b, q) for s in ("female", "male")])
            if kids:
                cand.append((i, kids, "sex"))
        if b > a:
            kids = find([(t, lv, g, sx, y, y, q) for y in range(a, b + 1)])
            if kids:
                cand.append((i, kids, "time"))
        if q is None:
            kids = [
                k for k in (index.get(("inequality", lv, g, sx, a, b, p)) for p in range(0, 6))
                if k is not None
            ]
            if kids:
                cand.append((i, kids, "quintile"))
    return cand


def relations(
    cells: pd.DataFrame, incidence: sparse.csr_matrix, atom_counts: np.ndarray,
    dep_region: Mapping[str, str],
) -> list[Relation]:
    """Relations whose children are disjoint subsets of the parent (checked on atoms)."""
    out: list[Relation] = []
    seen: set[tuple[int, tuple[int, ...]]] = set()
    for parent, kids, dim in _candidates(cells, dep_region):
        key = (parent, tuple(sorted(kids)))
        if key in seen or parent in kids:
            continue
        seen.add(key)
        p_idx = incidence.indices[incidence.indptr[parent]:incidence.indptr[parent + 1]]
        k_idx = np.concatenate([
            incidence.indices[incidence.indptr[k]:incidence.indptr[k + 1]] for k in kids
        ])
        if np.unique(k_idx).size != k_idx.size:
            continue  # children overlap
        inside = np.isin(k_idx, p_idx)
        if not inside.all():
            continue  # children not inside parent
        rest = np.setdiff1d(p_idx, k_idx, assume_unique=True)
        if len(kids) < 2 and rest.size == 0:
            continue  # identical cells: handled by the LP
        residual = float(atom_counts[rest].sum())
        out.append(Relation(parent, np.array(sorted(kids)), residual, dim))
    return out
