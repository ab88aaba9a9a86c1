"""`protect`: primary then complementary suppression, block by block (measure × site)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from dashboard.disclosure.cells import BLOCK_KEYS, build_model
from dashboard.disclosure.complementary import costs, lp_complete, structured, unit_costs
from dashboard.disclosure.primary import sensitive
from dashboard.disclosure.relations import relations


def check_cases(cells: pd.DataFrame, computed: np.ndarray) -> None:
    """The build's `cases` must equal the sum of base over each cell's members."""
    given = cells["cases"].to_numpy(dtype=float)
    bad = np.flatnonzero(np.abs(given - computed) > 0.5)
    if len(bad):
        raise ValueError(f"{len(bad)} cells whose cases differ from the base, e.g. "
                         f"{cells.iloc[bad[0]].to_dict()}")


def protect_block(
    base: pd.DataFrame, cells: pd.DataFrame, dep_region: Mapping[str, str], threshold: int
) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Suppression of one block: (suppressed mask, primary mask, statistics)."""
    model = build_model(base, cells, dep_region)
    check_cases(model.cells, model.cases)
    cases = model.cases
    primary = sensitive(cases, threshold)
    if not primary.any():
        return primary.copy(), primary, {"solves": 0, "lp_complements": 0}
    cost = costs(model.cells, cases)
    rels = relations(model.cells, model.incidence, model.values, dep_region)
    supp = structured(rels, cases, primary, cost, threshold)
    supp, stats = lp_complete(model, primary, supp, unit_costs(model.cells, cases, threshold),
                              threshold)
    return supp, primary, stats


def _run(args: tuple) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    return protect_block(*args)


def split_blocks(
    base: pd.DataFrame, cells: pd.DataFrame
) -> list[tuple[tuple, np.ndarray, pd.DataFrame, pd.DataFrame]]:
    """(key, positions in cells, base of block, cells of block) per measure × site."""
    base_groups = dict(tuple(base.groupby(BLOCK_KEYS, sort=False)))
    empty = base.iloc[0:0]
    out = []
    for key, pos in sorted(cells.groupby(BLOCK_KEYS, sort=True).indices.items()):
        out.append((key, pos, base_groups.get(key, empty), cells.iloc[pos]))
    return out


def default_jobs(n_blocks: int) -> int:
    return max(1, min(2, os.cpu_count() or 1, n_blocks))


def protect(
    base: pd.DataFrame,
    cells: pd.DataFrame,
    dep_region: Mapping[str, str],
    threshold: int = 11,
    *,
    n_jobs: int | None = None,
) -> pd.DataFrame:
    """Return `cells` with `status` ('published'/'suppressed') and `reason`.

    `reason` is 'primary' (1 ≤ cases < threshold), 'complementary' or None. Deterministic.
    """
    blocks = split_blocks(base, cells)
    tasks = [(b, c, dict(dep_region), threshold) for _, _, b, c in blocks]
    jobs = default_jobs(len(tasks)) if n_jobs is None else max(1, n_jobs)
    if jobs > 1 and len(tasks) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_run, tasks))
    else:
        results = [_run(t) for t in tasks]
    supp = np.zeros(len(cells), dtype=bool)
    prim = np.zeros(len(cells), dtype=bool)
    stats: dict[str, int] = {}
    for (_, pos, _, _), (s, p, st) in zip(blocks, results, strict=True):
        supp[pos] = s
        prim[pos] = p
        for k, v in st.items():
            stats[k] = stats.get(k, 0) + v
    out = cells.copy()
    out["status"] = np.where(supp, "suppressed", "published")
    reason = np.where(prim, "primary", np.where(supp, "complementary", None))
    out["reason"] = pd.Series(reason, index=out.index, dtype=object)
    out.attrs["disclosure_stats"] = stats
    return out
