"""`protect`: primary then complementary suppression of every published count.

Blocks are measure × site. Three phases:

1. every block on its own, the other blocks held at their true values: a site's units may
   grow only by the remainder ("other sites"), those of "all cancers" shrink only by it
   (``crosssite.alone``);
2. a site that cannot be protected so, jointly with the "all cancers" block of its measure
   (``crosssite.joint``, "all cancers" as left by phase 1); complements may fall in either
   block, and the union of all complements is kept (suppressing more never narrows an
   interval, so every certificate stays valid);
3. France's age-specific table of each block, once France's totals are final: withheld
   entirely where a national total is hidden, otherwise protected with its margins and the
   published national rates as known rows (``agetable``).
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from dashboard.disclosure import crosssite
from dashboard.disclosure.agetable import age_model
from dashboard.disclosure.complementary import (
    Unprotectable,
    costs,
    lp_complete,
    structured,
    unit_costs,
)
from dashboard.disclosure.model import BLOCK_KEYS, Model, build_model
from dashboard.disclosure.primary import sensitive
from dashboard.disclosure.rates import RATE_MIN_CASES
from dashboard.disclosure.relations import relations

AGE_TABLE = "age_specific"
ALL_SITES = "all"


def check_cases(cells: pd.DataFrame, computed: np.ndarray) -> None:
    """The build's `cases` must equal the sum of base over each cell's members."""
    given = cells["cases"].to_numpy(dtype=float)
    bad = np.flatnonzero(np.abs(given - computed) > 0.5)
    if len(bad):
        raise ValueError(f"{len(bad)} cells whose cases differ from the base, e.g. "
                         f"{cells.iloc[bad[0]].to_dict()}")


def _complete(model: Model, primary: np.ndarray, supp: np.ndarray, threshold: int,
              unit_cost: np.ndarray | None = None) -> tuple[np.ndarray, dict[str, int]]:
    if unit_cost is None:
        unit_cost = unit_costs(model.cells, model.cases, threshold)
    return lp_complete(model, primary, supp, unit_cost, threshold)


def protect_block(
    base: pd.DataFrame, cells: pd.DataFrame, dep_region: Mapping[str, str], threshold: int,
    empty: Collection[tuple[str, int]] = (), remainder: pd.DataFrame | None = None,
) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Suppression of one block on its own: (suppressed mask, primary mask, statistics).

    With ``remainder`` (the "other sites" counts of the measure), the other blocks are held
    at their true values (``crosssite.alone``). Raises ``Unprotectable`` when that leaves a
    sensitive cell no room.
    """
    model = build_model(base, cells, dep_region, empty)
    check_cases(model.cells, model.cases)
    if remainder is not None:
        is_all = bool(cells["site_code"].eq(ALL_SITES).all())
        model = crosssite.alone(model, remainder, dep_region, is_all)
    cases = model.cases
    primary = sensitive(cases, threshold)
    if not primary.any():
        return primary.copy(), primary, {"solves": 0, "lp_complements": 0}
    cost = costs(model.cells, cases)
    rels = relations(model.cells, model.incidence, model.values, dep_region)
    supp = structured(rels, cases, primary, cost, threshold)
    supp, stats = _complete(model, primary, supp, threshold)
    return supp, primary, stats


def _block_or_none(*args) -> tuple | None:
    try:
        return protect_block(*args)
    except Unprotectable:
        return None


def protect_pair(
    base: pd.DataFrame, cells: pd.DataFrame, all_base: pd.DataFrame, all_cells: pd.DataFrame,
    all_suppressed: np.ndarray, dep_region: Mapping[str, str], threshold: int,
    empty: Collection[tuple[str, int]], remainder: pd.DataFrame,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, int]]:
    """A site's block protected jointly with "all cancers" (already protected on its own).

    Returns (site suppressed, site primary, "all cancers" suppressed, statistics).
    """
    site = build_model(base, cells, dep_region, empty)
    check_cases(site.cells, site.cases)
    primary = sensitive(site.cases, threshold)
    n = len(site.cases)
    rels = relations(site.cells, site.incidence, site.values, dep_region)
    supp = structured(rels, site.cases, primary, costs(site.cells, site.cases), threshold)
    all_ = build_model(all_base, all_cells, dep_region, empty)
    both = crosssite.joint(site, all_, remainder, dep_region)
    flags = np.r_[primary, np.zeros(len(all_.cases), dtype=bool)]
    supp_both, stats = _complete(both, flags, np.r_[supp, all_suppressed], threshold)
    return supp_both[:n], primary, supp_both[n:], stats


def protect_ages(ages: pd.DataFrame, totals: pd.DataFrame, threshold: int
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, int]]:
    """France's age table of one block: (suppressed, primary, national rates kept, stats).

    ``totals``: France's indicator cells of the block with ``published`` and
    ``rates_published``. Withheld entirely when a national total is hidden: its age groups
    would otherwise give the hidden total back. When the published national rates pin a
    small age group whatever else is hidden, the rates of the national cells covering it are
    withheld instead (the third result says which totals keep their rates).
    """
    primary = sensitive(ages["cases"].to_numpy(), threshold)
    totals = totals.reset_index(drop=True)
    keep = totals["rates_published"].to_numpy(bool).copy()
    done = {"solves": 0, "lp_complements": 0}
    if not totals["published"].all():
        return np.ones(len(ages), dtype=bool), primary, keep, done
    if not primary.any():
        return primary.copy(), primary, keep, done
    while True:
        model = age_model(ages, totals.assign(rates_published=keep))
        check_cases(model.cells, model.cases)
        try:
            # an age group hidden costs its cases: complements fall on small groups
            cost = model.cases.astype(float) + 1.0 + threshold
            supp, stats = _complete(model, primary, primary.copy(), threshold, cost)
            return supp, primary, keep, stats
        except Unprotectable as exc:
            cell = ages.iloc[exc.cell]
            sexes = _sex_set(cell["sex"])
            covers = (np.array([bool(_sex_set(x) & sexes) for x in totals["sex"]])
                      & (totals["year_start"] <= cell["year_end"]).to_numpy()
                      & (totals["year_end"] >= cell["year_start"]).to_numpy())
            if not (keep & covers).any():
                raise
            keep &= ~covers


def _sex_set(sex: str) -> set[str]:
    return {"male", "female"} if sex == "all" else {sex}


def _run(args: tuple) -> tuple:
    kind, rest = args[0], args[1:]
    if kind == "block":
        return _block_or_none(*rest)
    if kind == "pair":
        return protect_pair(*rest)
    return protect_ages(*rest)


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


def _map(tasks: list[tuple], jobs: int) -> list:
    if jobs > 1 and len(tasks) > 1:
        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks))) as pool:
            return list(pool.map(_run, tasks))
    return [_run(t) for t in tasks]


def national_totals(cells: pd.DataFrame, supp: np.ndarray) -> pd.DataFrame:
    """France's indicator cells with whether they and their rates are published (rates need
    ``RATE_MIN_CASES`` cases)."""
    nat = (cells["table"].eq("indicator") & cells["level"].eq("country")).to_numpy()
    out = cells.loc[nat, [*BLOCK_KEYS, "sex", "year_start", "year_end", "cases"]].copy()
    out["published"] = ~supp[nat]
    out["rates_published"] = out["published"] & (out["cases"] >= RATE_MIN_CASES)
    return out


def protect(
    base: pd.DataFrame,
    cells: pd.DataFrame,
    dep_region: Mapping[str, str],
    threshold: int = 11,
    *,
    empty: Collection[tuple[str, int]] = (),
    remainder: pd.DataFrame | None = None,
    n_jobs: int | None = None,
) -> pd.DataFrame:
    """Return `cells` with `status` ('published'/'suppressed') and `reason`.

    `cells` holds the ``indicator`` and ``inequality`` cells and, optionally, France's
    ``age_specific`` cells (columns ``age`` 0-17 and ``population``). `empty`: (department,
    quintile) pairs without person-years (public zeros). `remainder`: the "other sites"
    counts by measure and unit (base columns), to couple each site with "all cancers"; None
    leaves the blocks uncoupled. `reason` is 'primary' (1 ≤ cases < threshold),
    'complementary' or None; `rates_allowed` is False for France's cells whose standardised
    rates must be withheld to protect the age table. Deterministic.
    """
    is_age = cells["table"].eq(AGE_TABLE).to_numpy()
    main = cells[~is_age]
    blocks = split_blocks(base, main)
    jobs = default_jobs(len(blocks)) if n_jobs is None else max(1, n_jobs)
    dep = dict(dep_region)
    empty = frozenset((str(d), int(q)) for d, q in empty)
    supp = np.zeros(len(main), dtype=bool)
    prim = np.zeros(len(main), dtype=bool)
    stats: dict[str, int] = {}

    def add(st: dict[str, int]) -> None:
        for k, v in st.items():
            stats[k] = stats.get(k, 0) + v

    coupled = remainder is not None
    rem_of = {m: remainder[remainder["measure"] == m] for m in main["measure"].unique()} \
        if coupled else {}
    tasks = [("block", b, c, dep, threshold, empty, rem_of.get(k[0]))
             for k, _, b, c in blocks]
    failed = []
    for blk, result in zip(blocks, _map(tasks, jobs), strict=True):
        if result is None:
            failed.append(blk)
            continue
        supp[blk[1]], prim[blk[1]] = result[0], result[1]
        add(result[2])
    all_of = {k[0]: (pos, b, c) for k, pos, b, c in blocks if k[1] == ALL_SITES}
    if failed and not coupled:  # nothing else to try: let the error speak
        _, _, b, c = failed[0]
        protect_block(b, c, dep, threshold, empty)
    if any(k[1] == ALL_SITES for k, *_ in failed):
        raise RuntimeError("'all cancers' cannot be protected with the sites held at their "
                           "true values")
    tasks = []
    for k, _, b, c in failed:
        a_pos, a_base, a_cells = all_of[k[0]]
        tasks.append(("pair", b, c, a_base, a_cells, supp[a_pos].copy(), dep, threshold,
                      empty, rem_of[k[0]]))
    for (k, pos, _, _), (s, p, s_all, st) in zip(failed, _map(tasks, jobs), strict=True):
        supp[pos], prim[pos] = s, p
        supp[all_of[k[0]][0]] |= s_all
        add(st)
        add({"joint_blocks": 1})
    out = main.copy()
    out["status"] = np.where(supp, "suppressed", "published")
    out["reason"] = pd.Series(np.where(prim, "primary", np.where(supp, "complementary", None)),
                              index=out.index, dtype=object)
    out["rates_allowed"] = True
    if is_age.any():
        age_out, rates_ok = _protect_age_tables(cells[is_age], out, supp, threshold, jobs, add)
        out["rates_allowed"] = rates_ok
        age_out["rates_allowed"] = False
        out = pd.concat([out, age_out]).loc[cells.index]
    out.attrs["disclosure_stats"] = stats
    return out


def _protect_age_tables(ages: pd.DataFrame, main: pd.DataFrame, supp: np.ndarray,
                        threshold: int, jobs: int, add) -> tuple[pd.DataFrame, pd.Series]:
    """Status of the age cells, and whether each national total may publish its rates."""
    totals = national_totals(main, supp)
    groups = dict(tuple(totals.groupby(BLOCK_KEYS, sort=False)))
    tasks, positions, total_index = [], [], []
    for key, pos in sorted(ages.groupby(BLOCK_KEYS, sort=True).indices.items()):
        positions.append(pos)
        total_index.append(groups[key].index)
        tasks.append(("ages", ages.iloc[pos], groups[key], threshold))
    a_supp = np.zeros(len(ages), dtype=bool)
    a_prim = np.zeros(len(ages), dtype=bool)
    rates_ok = pd.Series(True, index=main.index)
    for pos, idx, (s, p, keep, st) in zip(positions, total_index, _map(tasks, jobs),
                                          strict=True):
        a_supp[pos], a_prim[pos] = s, p
        rates_ok[idx[~keep]] = False
        add(st)
    out = ages.copy()
    out["status"] = np.where(a_supp, "suppressed", "published")
    out["reason"] = pd.Series(np.where(a_prim, "primary",
                                       np.where(a_supp, "complementary", None)),
                              index=out.index, dtype=object)
    return out, rates_ok
