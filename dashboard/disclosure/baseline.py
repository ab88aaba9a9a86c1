"""Reference heuristic for comparison: smallest-sibling complementary suppression, no LP."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from dashboard.disclosure.model import BLOCK_KEYS, atoms, membership
from dashboard.disclosure.primary import sensitive
from dashboard.disclosure.relations import relations


def _block(cells: pd.DataFrame, dep_region: Mapping[str, str], threshold: int) -> tuple:
    cells = cells.reset_index(drop=True)
    empty = pd.DataFrame({"department": [], "sex": [], "year": [], "quintile": [], "count": []})
    mat, _ = membership(empty, cells, dep_region)
    inc, _ = atoms(mat)
    cases = cells["cases"].to_numpy(dtype=float)
    rels = relations(cells, inc, np.zeros(inc.shape[1]), dep_region)
    primary = sensitive(cases, threshold)
    supp = primary.copy()
    changed = True
    while changed:
        changed = False
        for rel in rels:
            members = np.r_[rel.parent, rel.children]
            if supp[members].sum() != 1:
                continue
            free = rel.children[~supp[rel.children]]
            if not len(free):
                free = np.array([rel.parent])
            pick = int(free[np.lexsort((free, cases[free]))[0]])
            supp[pick] = True
            changed = True
    return supp, primary


def smallest_sibling(
    cells: pd.DataFrame, dep_region: Mapping[str, str], threshold: int = 11
) -> pd.DataFrame:
    """In every relation with a single suppressed member, suppress its smallest sibling."""
    supp = np.zeros(len(cells), dtype=bool)
    prim = np.zeros(len(cells), dtype=bool)
    for _, pos in sorted(cells.groupby(BLOCK_KEYS, sort=True).indices.items()):
        s, p = _block(cells.iloc[pos], dep_region, threshold)
        supp[pos] = s
        prim[pos] = p
    out = cells.copy()
    out["status"] = np.where(supp, "suppressed", "published")
    out["reason"] = pd.Series(np.where(prim, "primary", np.where(supp, "complementary", None)),
                              index=out.index, dtype=object)
    return out
