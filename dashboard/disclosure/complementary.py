"""Complementary suppression: structured pass on relations, then LP-driven completion."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from dashboard.disclosure.attacker import INF, AttackerLP, ProtectionLP
from dashboard.disclosure.model import Model
from dashboard.disclosure.relations import Relation

LEVEL_WEIGHT = {"department": 1.0, "region": 4.0, "country": 100.0}
TOLERANCE = 1e-4  # LP numerical slack on interval widths (counts are integers)
AGGREGATE_ROUNDS = 30
PROTECT_TRIES = 8  # protection LPs per cell before giving up
AIM = 0.5  # the protection LP aims this far past the threshold (numerical slack)


class Unprotectable(RuntimeError):
    """No suppression pattern protects this cell: the model's fixed rows pin it."""

    def __init__(self, cell: int) -> None:
        super().__init__(f"cannot protect cell {cell}")
        self.cell = cell


def costs(cells: pd.DataFrame, cases: np.ndarray) -> np.ndarray:
    """Information loss of suppressing each cell: level weight × (cases + 1)."""
    weight = cells["level"].map(LEVEL_WEIGHT).fillna(10.0).to_numpy(dtype=float)
    return weight * (np.asarray(cases, dtype=float) + 1.0)


def structured(
    rels: Sequence[Relation],
    cases: np.ndarray,
    suppressed: np.ndarray,
    cost: np.ndarray,
    threshold: int,
) -> np.ndarray:
    """Suppress cheap siblings until no relation exposes a suppressed cell on its own.

    In each relation parent = children (+ remainder): a lone suppressed member is recomputable,
    and with a published parent the suppressed children must total at least `threshold` cases
    (otherwise each is confined to an interval narrower than the threshold).
    """
    supp = suppressed.copy()
    order = sorted(range(len(rels)), key=lambda k: (rels[k].parent, rels[k].dimension))
    changed = True
    while changed:
        changed = False
        for k in order:
            rel = rels[k]
            if rel.residual >= threshold:
                continue  # an unpublished remainder that large already hides the members
            kids = rel.children
            kid_supp = supp[kids]
            parent_supp = bool(supp[rel.parent])
            n_supp = int(kid_supp.sum()) + parent_supp
            if n_supp == 0:
                continue
            if not parent_supp and cases[rel.parent] < threshold:
                continue  # published zero parent: every member is zero anyway
            hidden = float(cases[kids][kid_supp].sum())
            need_count = n_supp == 1
            need_sum = not parent_supp and hidden < threshold
            if not (need_count or need_sum):
                continue
            free = kids[~kid_supp]
            choice: int | None = None
            if len(free):
                need = threshold - hidden if not parent_supp else 0.0
                ok = free[cases[free] >= need]
                if len(ok):
                    choice = int(ok[np.lexsort((ok, cost[ok]))[0]])
                elif (cases[free] > 0).any():
                    choice = int(free[np.lexsort((free, -cases[free]))[0]])
            if choice is None and not parent_supp:
                choice = int(rel.parent)
            if choice is None:
                continue
            supp[choice] = True
            changed = True
    return supp


def _distinct(model: Model, cells: np.ndarray) -> np.ndarray:
    """Cells with distinct variable sets (identical cells share their interval)."""
    seen: set[bytes] = set()
    out = []
    inc = model.incidence
    for c in cells:
        key = inc.indices[inc.indptr[c]:inc.indptr[c + 1]].tobytes()
        if key not in seen:
            seen.add(key)
            out.append(c)
    return np.array(out, dtype=int)


def unit_costs(cells: pd.DataFrame, cases: np.ndarray, threshold: int) -> np.ndarray:
    """Price of moving a published value by one unit in the protection LP.

    Level weight, raised for small cells so that zeros are freed only when they really help.
    """
    weight = cells["level"].map(LEVEL_WEIGHT).fillna(10.0).to_numpy(dtype=float)
    return weight * (1.0 + threshold / (np.asarray(cases, dtype=float) + 1.0))


def lp_complete(
    model: Model,
    primary: np.ndarray,
    suppressed: np.ndarray,
    unit_cost: np.ndarray,
    threshold: int,
) -> tuple[np.ndarray, dict[str, int]]:
    """Add complements until the attacker's LP interval of every sensitive cell is wide enough.

    Cells are certified by any two feasible points far enough apart (the truth is one): a few
    aggregated solves certify most cells, the others get their own min/max solves. When a cell's
    exact interval is too narrow, the protection LP finds the cheapest set of published cells
    whose values must change to widen it; they are suppressed and the attacker LP checks the
    cell again (the protection point itself is not trusted: its round-off can matter when
    rates pin a cell's neighbours), up to ``PROTECT_TRIES`` times.
    """
    supp = suppressed.copy()
    attacker = AttackerLP(model, ~supp)
    protection: ProtectionLP | None = None
    lo = model.cases.astype(float).copy()
    hi = lo.copy()
    target = threshold - TOLERANCE
    stats = {"solves": 0, "lp_complements": 0, "individual": 0, "protected": 0, "rebuilds": 0}
    sens = np.flatnonzero(primary)

    def record(v: np.ndarray | None, weights: np.ndarray | None = None) -> None:
        if v is None:  # unbounded: conclusive only for a single cell
            if weights is not None and np.count_nonzero(weights) == 1:
                hi[weights != 0] = np.inf
            return
        np.minimum(lo, v, out=lo)
        np.maximum(hi, v, out=hi)

    if not len(sens):
        return supp, stats
    rng = np.random.default_rng(0)
    todo = sens[hi[sens] - lo[sens] < target]
    for _ in range(AGGREGATE_ROUNDS):
        if len(todo) < 10:
            break
        for maximize in (True, False):
            w = np.zeros(model.cases.size)
            w[todo] = rng.uniform(-1.0, 1.0, size=len(todo))
            record(attacker.solve(w, maximize))
            stats["solves"] += 1
        before = len(todo)
        todo = sens[hi[sens] - lo[sens] < target]
        if len(todo) > 0.97 * before:
            break
    for s in _distinct(model, sens):
        if hi[s] - lo[s] >= target:
            continue
        stats["individual"] += 1
        e = np.zeros(model.cases.size)
        e[s] = 1.0
        for maximize in (True, False):
            record(attacker.solve(e, maximize), e)
            stats["solves"] += 1
            if hi[s] - lo[s] >= target:
                break
        if hi[s] - lo[s] >= target:
            continue
        if protection is None:
            protection = ProtectionLP(model, ~supp, unit_cost)
        for _ in range(PROTECT_TRIES):
            # aim past the threshold: the point is only a guide, the attacker LP decides
            found = protection.reach(s, lo[s] + threshold + AIM, INF)
            if found is None and hi[s] - threshold - AIM >= 0:
                found = protection.reach(s, 0.0, hi[s] - threshold - AIM)
            stats["solves"] += 1
            stats["protected"] += 1
            if found is None:
                raise Unprotectable(int(s))
            new = [c for c in found[0] if not supp[c]]
            if not new:
                raise Unprotectable(int(s))
            rebuild = False
            for c in new:
                supp[c] = True
                rebuild |= not attacker.suppress(c)
                protection.suppress(c)
                stats["lp_complements"] += 1
            if rebuild:
                attacker = AttackerLP(model, ~supp)
                stats["rebuilds"] += 1
            for maximize in (True, False):
                record(attacker.solve(e, maximize), e)
                stats["solves"] += 1
            if hi[s] - lo[s] >= target:
                break
        else:
            raise Unprotectable(int(s))
    return supp, stats
