"""Standardised rates as an attacker sees them: published values, what they reveal, and the
per-cell check that decides whether a cell's rates may be published.

A published standardised rate and its interval are functions of the cell's 18 age-group
counts x_j. With a_j = 10⁵ · w_j / P_j (the rate change one case of age j makes, per 100,000),
the rate is y = Σ a_j x_j and the gamma interval depends on y and v = Σ a_j² x_j
(``dashboard.stats.standardise.gamma_limits``). Rounded to 0.1 (lower limit down, upper limit
up), they tell an attacker that (y, v) lies in a small region. Two tools follow:

* ``inner_box``: a box [y_lo, y_hi] × [v_lo, v_hi] around the truth inside which every point
  rounds to the published values (checked at the corners: the limits are monotone in y and v).
  Constraints y ∈ [y_lo, y_hi], v ∈ [v_lo, v_hi] are linear in the counts and say *more* than
  the published figures, so an attacker model that uses them is never weaker than the real
  attacker: an interval found wide with them is wide for the real attacker too.
* ``certify``: for every age-group count of 1 to threshold − 1 inside a cell, two integer age
  vectors that reproduce every published value of the cell (same total, rates inside the inner
  box, at most the published national count of that age group) and whose counts for that age
  group differ by at least the threshold. Rates of a cell are published only when every such
  count has its certificate (and the cell has at least ``RATE_MIN_CASES`` cases); the audit
  re-checks each certificate by recomputing the published values.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from multiprocessing import get_context

import highspy
import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import sparse

from dashboard.disclosure.solver import quiet_highs, run
from dashboard.pipeline.precision import round_column
from dashboard.stats.standard_populations import weights
from dashboard.stats.standardise import dsr, dsr_components, gamma_limits

PER = 1e5
RATE_MIN_CASES = 20  # fewer cases: no standardised rate (too unstable, too revealing)
BISECTION_STEPS = 24
SWAP_SPAN = 17  # fine adjustments swap cases between any two age groups
DONOR_SPAN = 17  # a fine-tuned move takes its cases from any other age group
MIP_SECONDS = 0.5  # integer programme per age group the quick searches missed
MIP_MIN_CASES = 41  # ... in cells of at least this many cases
MIP_MAX_OPEN = 2  # ... with at most this many age groups left open
FloatArray = NDArray[np.float64]


def published_rates(counts: ArrayLike, population: ArrayLike, standard: str,
                    table: str = "indicator") -> dict[str, FloatArray]:
    """Standardised rate and Tiwari interval per 100,000, rounded as the contract says.

    The one function that turns age-group counts into the published ``asr_<standard>``,
    ``asr_<standard>_low`` and ``asr_<standard>_high``.
    """
    rate, low, high = dsr(counts, population, weights(standard), method="tiwari")
    name = f"asr_{standard}"
    return {name: round_column(rate, table, name),
            f"{name}_low": round_column(low, table, f"{name}_low"),
            f"{name}_high": round_column(high, table, f"{name}_high")}


@dataclass(frozen=True)
class RateTerms:
    """Per cell and standard, in per-100,000 units: per-case weights a (n × 18), the rate y,
    v = Σ a² x, and the interval constants c1, c2 of the Tiwari upper limit."""

    a: FloatArray
    y: FloatArray
    v: FloatArray
    c1: FloatArray
    c2: FloatArray


def rate_terms(counts: ArrayLike, population: ArrayLike, standard: str) -> RateTerms:
    """The linear forms behind a cell's standardised rate (see the module docstring)."""
    x = np.asarray(counts, dtype=float)
    p = np.asarray(population, dtype=float)
    w = weights(standard)
    y, v, _, u_mean, u2_mean, _ = dsr_components(x, p, w)
    w = w / w.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where((p > 0) & (w > 0), PER * w / np.where(p > 0, p, 1.0), 0.0)
    return RateTerms(a, y * PER, v * PER**2, u_mean * PER, u2_mean * PER**2)


def _same_rounding(values: FloatArray, published: FloatArray, table: str, column: str
                   ) -> NDArray[np.bool_]:
    return np.isclose(round_column(values, table, column), published, rtol=0, atol=1e-9)


def inner_box(terms: RateTerms, standard: str, table: str = "indicator"
              ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """A box around (y, v) whose every point rounds to the published rate and limits.

    The y-range spans a fraction t of the rounding interval of y on each side of the truth and
    the v-range ± t · Δv with Δv = 0.2 √v / 1.96 (v moving by Δv moves a limit by about one
    rounding unit); t ∈ [0, 1] is the largest found by bisection for which the four corners
    round like the truth (enough, since the lower limit increases with y and decreases with
    v, and the upper limit increases with both). Returns (y_lo, y_hi, v_lo, v_hi); a cell
    whose truth sits on a rounding edge gets the degenerate box {truth}.
    """
    name = f"asr_{standard}"
    y, v, c1, c2 = terms.y, terms.v, terms.c1, terms.c2
    pub = _published_from_terms(terms, standard, table)
    y_min, y_max = _y_strip(pub[name])
    dv = 0.2 * np.sqrt(np.maximum(v, 0.0)) / 1.96

    def corners(t: FloatArray) -> tuple[FloatArray, ...]:
        return (y - t * (y - y_min), y + t * (y_max - y), np.maximum(v - t * dv, 0.0),
                v + t * dv)

    def ok(t: FloatArray) -> NDArray[np.bool_]:
        y_lo, y_hi, v_lo, v_hi = corners(t)
        good = _same_rounding(y_lo, pub[name], table, name)
        good &= _same_rounding(y_hi, pub[name], table, name)
        with np.errstate(invalid="ignore", divide="ignore"):
            for yy, vv, side in ((y_lo, v_hi, 0), (y_hi, v_lo, 0), (y_lo, v_lo, 1),
                                 (y_hi, v_hi, 1)):
                col = f"{name}_{('low', 'high')[side]}"
                value = gamma_limits(yy, np.maximum(vv, 1e-300), c1, c2)[side]
                good &= _same_rounding(value, pub[col], table, col)
        return good

    lo_t = np.zeros_like(y)
    hi_t = np.ones_like(y)
    full = ok(hi_t)
    lo_t[full] = 1.0
    for _ in range(BISECTION_STEPS):
        mid = 0.5 * (lo_t + hi_t)
        good = ok(mid)
        lo_t = np.where(good & ~full, mid, lo_t)
        hi_t = np.where(good | full, hi_t, mid)
    y_lo, y_hi, v_lo, v_hi = corners(lo_t)
    finite = np.isfinite(y) & (y > 0) & (v > 0)
    return (np.where(finite, y_lo, y), np.where(finite, y_hi, y),
            np.where(finite, v_lo, v), np.where(finite, v_hi, v))


def _published_from_terms(terms: RateTerms, standard: str, table: str) -> dict[str, FloatArray]:
    name = f"asr_{standard}"
    low, high = gamma_limits(terms.y, terms.v, terms.c1, terms.c2)
    return {name: round_column(terms.y, table, name),
            f"{name}_low": round_column(low, table, f"{name}_low"),
            f"{name}_high": round_column(high, table, f"{name}_high")}


def _y_strip(published: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Values of y that round to the published rate (the boundaries excluded)."""
    half = 0.5 * 10.0 ** -1 * (1 - 1e-9)
    return published - half, published + half


@dataclass(frozen=True)
class _Slabs:
    """Linearised knowledge of a rate around the truth: for each of y, lower and upper
    limit, the change of the quantity per unit change of y and of v, and the allowed change
    (a margin kept from the rounding edges for the curvature)."""

    grad: FloatArray  # (n, 3, 2): d(quantity)/d(y, v)
    low: FloatArray  # (n, 3)
    high: FloatArray  # (n, 3)


def _slabs(terms: RateTerms, standard: str, table: str, margin: float = 0.05) -> _Slabs:
    name = f"asr_{standard}"
    y, v, c1, c2 = terms.y, terms.v, terms.c1, terms.c2
    pub = _published_from_terms(terms, standard, table)
    low0, high0 = gamma_limits(y, v, c1, c2)
    hy, hv = 1e-4 * np.maximum(y, 1e-6), 1e-4 * np.maximum(v, 1e-12)
    grad = np.zeros((y.size, 3, 2))
    grad[:, 0, 0] = 1.0
    with np.errstate(invalid="ignore", divide="ignore"):
        for k, (dy, dv) in enumerate(((hy, 0.0), (0.0, hv))):
            lo_p, hi_p = gamma_limits(y + dy, v + dv, c1, c2)
            lo_m, hi_m = gamma_limits(y - dy, np.maximum(v - dv, 1e-300), c1, c2)
            step = 2 * (hy if k == 0 else hv)
            grad[:, 1, k] = (lo_p - lo_m) / step
            grad[:, 2, k] = (hi_p - hi_m) / step
    unit = 10.0 ** -1
    gap = margin * unit
    y_min, y_max = _y_strip(pub[name])
    low = np.stack([y_min - y, pub[f"{name}_low"] + gap - low0,
                    pub[f"{name}_high"] - unit + gap - high0], axis=1)
    high = np.stack([y_max - y, pub[f"{name}_low"] + unit - gap - low0,
                     pub[f"{name}_high"] - gap - high0], axis=1)
    # the truth always belongs (its limits may sit within the margin of an edge)
    return _Slabs(np.nan_to_num(grad), np.minimum(low, 0.0), np.maximum(high, 0.0))


def _vertices(slabs: _Slabs) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Corners (Δy, Δv) of each cell's polygon {low ≤ grad · (Δy, Δv) ≤ high}: the
    intersections of every two boundary lines that satisfy all constraints. Returns points
    (n, 15, 2) and which are corners (n, 15)."""
    g = np.concatenate([slabs.grad, slabs.grad], axis=1)  # 6 boundary lines
    rhs = np.concatenate([slabs.low, slabs.high], axis=1)
    pts, keep = [], []
    for i, j in combinations(range(6), 2):
        a = np.stack([g[:, i], g[:, j]], axis=1)  # (n, 2, 2)
        det = a[:, 0, 0] * a[:, 1, 1] - a[:, 0, 1] * a[:, 1, 0]
        ok = np.abs(det) > 1e-15
        safe = np.where(ok, det, 1.0)
        b0, b1 = rhs[:, i], rhs[:, j]
        dy = (b0 * a[:, 1, 1] - a[:, 0, 1] * b1) / safe
        dv = (a[:, 0, 0] * b1 - b0 * a[:, 1, 0]) / safe
        val = np.einsum("nkd,nd->nk", slabs.grad, np.stack([dy, dv], axis=1))
        tol = 1e-9 * (1 + np.abs(val))
        inside = ((val >= slabs.low - tol) & (val <= slabs.high + tol)).all(axis=1)
        pts.append(np.stack([dy, dv], axis=1))
        keep.append(ok & inside)
    return np.stack(pts, axis=1), np.stack(keep, axis=1)


@dataclass(frozen=True)
class RateRows:
    """What a published rate and its interval tell about the age vector, as linear rows:
    for each cell, ``lower[k] ≤ coef_y[k] · y + coef_v[k] · v ≤ upper[k]`` (k = 0, 1, 2),
    with y = Σ a x and v = Σ a² x (per 100,000 units)."""

    coef_y: FloatArray  # (n, 3)
    coef_v: FloatArray
    lower: FloatArray
    upper: FloatArray


def rate_rows(terms: RateTerms, standard: str, table: str = "indicator") -> RateRows:
    """Linear rows whose solutions all round to the published rate and limits.

    The rounding strip of y and the linearised bands of the two limits (a margin kept from
    the edges) form a small polygon around the truth; its corners are checked by recomputing
    the published values exactly, the margin growing until they pass. Cells where that
    fails get the (smaller) ``inner_box``. Being inside what the published figures say, the
    rows give an attacker model at least as much knowledge as the real attacker.
    """
    name = f"asr_{standard}"
    n = terms.y.size
    pub = _published_from_terms(terms, standard, table)
    done = np.zeros(n, dtype=bool)
    coef_y, coef_v = np.zeros((n, 3)), np.zeros((n, 3))
    lower, upper = np.zeros((n, 3)), np.zeros((n, 3))
    for margin in (0.05, 0.15, 0.3):
        todo = np.flatnonzero(~done)
        if not todo.size:
            break
        sub = RateTerms(terms.a[todo], terms.y[todo], terms.v[todo], terms.c1[todo],
                        terms.c2[todo])
        slabs = _slabs(sub, standard, table, margin)
        pts, corner = _vertices(slabs)
        yy = sub.y[:, None] + pts[..., 0]
        vv = np.maximum(sub.v[:, None] + pts[..., 1], 1e-300)
        with np.errstate(invalid="ignore", divide="ignore"):
            lo, hi = gamma_limits(yy, vv, sub.c1[:, None], sub.c2[:, None])
        good = (_same_rounding(yy, pub[name][todo, None], table, name)
                & _same_rounding(lo, pub[f"{name}_low"][todo, None], table, f"{name}_low")
                & _same_rounding(hi, pub[f"{name}_high"][todo, None], table, f"{name}_high"))
        ok = (good | ~corner).all(axis=1) & corner.any(axis=1)
        rows = todo[ok]
        coef_y[rows], coef_v[rows] = slabs.grad[ok, :, 0], slabs.grad[ok, :, 1]
        base = (slabs.grad[ok, :, 0] * sub.y[ok, None] + slabs.grad[ok, :, 1] * sub.v[ok, None])
        lower[rows], upper[rows] = base + slabs.low[ok], base + slabs.high[ok]
        done[rows] = True
    rest = np.flatnonzero(~done)
    if rest.size:
        sub = RateTerms(terms.a[rest], terms.y[rest], terms.v[rest], terms.c1[rest],
                        terms.c2[rest])
        y_lo, y_hi, v_lo, v_hi = inner_box(sub, standard, table)
        coef_y[rest] = [1.0, 0.0, 0.0]
        coef_v[rest] = [0.0, 1.0, 0.0]
        lower[rest] = np.stack([y_lo, v_lo, np.zeros(rest.size)], axis=1)
        upper[rest] = np.stack([y_hi, v_hi, np.zeros(rest.size)], axis=1)
    return RateRows(coef_y, coef_v, lower, upper)


@dataclass(frozen=True)
class Certificates:
    """Alternative age vectors certifying sensitive age-group counts.

    ``moves`` has one row per alternative: ``cell`` (row of the cells given to ``certify``)
    and ``age`` (the sensitive group it certifies); ``points`` (rows × 18) holds the
    alternative age vectors. A group is certified by one alternative whose count differs from
    the truth by at least the threshold, or by two whose counts differ by that much.
    """

    moves: pd.DataFrame
    points: NDArray[np.int64]


def _move_search(x: FloatArray, a: FloatArray, a2: FloatArray, slabs: _Slabs,
                 upper: FloatArray, age: NDArray[np.int64], amount: FloatArray,
                 verify: Callable[[NDArray[np.int64], FloatArray], NDArray[np.bool_]]
                 ) -> tuple[NDArray[np.bool_], FloatArray]:
    """For each row, a move changing x[age] by ``amount`` (> 0: taken from one or two other
    groups; < 0: given to them) that keeps the total, the counts within [0, upper] and every
    published rate value (searched on the linearised slabs, then re-checked exactly by
    ``verify(rows, new_x)``). Returns (found, new age vectors of the rows found)."""
    n, g = x.shape
    rows = np.arange(n)
    found = np.zeros(n, dtype=bool)
    result = np.full((n, g), np.nan)
    k = amount
    xa, a_j, a2_j = x[rows, age], a[rows, age], a2[rows, age]
    ok_target = (xa + k >= 0) & (xa + k <= upper[rows, age] + 1e-9)
    pairs = [(d, d) for d in range(g)] + list(combinations(range(g), 2))
    for d1, d2 in pairs:
        todo = ~found & ok_target & (age != d1) & (age != d2)
        if not todo.any():
            continue
        idx = np.flatnonzero(todo)
        kk = k[idx]
        # k1 from d1 and kk − k1 from d2 (k1 = kk when d1 == d2): the changes of y and v are
        # c0 + c1·k1, so every linearised slab bounds k1 by an interval.
        dy0, dy1 = kk * (a_j[idx] - a[idx, d2]), -(a[idx, d1] - a[idx, d2])
        dv0, dv1 = kk * (a2_j[idx] - a2[idx, d2]), -(a2[idx, d1] - a2[idx, d2])
        lo = np.full(idx.size, -np.inf)
        hi = np.full(idx.size, np.inf)
        grad = slabs.grad[idx]
        for q in range(3):
            c0 = grad[:, q, 0] * dy0 + grad[:, q, 1] * dv0
            c1 = grad[:, q, 0] * dy1 + grad[:, q, 1] * dv1
            need_lo, need_hi = slabs.low[idx, q] - c0, slabs.high[idx, q] - c0
            pos, neg = c1 > 0, c1 < 0
            safe = np.where(c1 != 0, c1, 1.0)
            lo = np.where(pos, np.maximum(lo, need_lo / safe), lo)
            hi = np.where(pos, np.minimum(hi, need_hi / safe), hi)
            lo = np.where(neg, np.maximum(lo, need_hi / safe), lo)
            hi = np.where(neg, np.minimum(hi, need_lo / safe), hi)
            lo = np.where((c1 == 0) & ((need_lo > 0) | (need_hi < 0)), np.inf, lo)
        x1, x2 = x[idx, d1], x[idx, d2]
        u1, u2 = upper[idx, d1], upper[idx, d2]
        if d1 == d2:
            lo, hi = np.maximum(lo, kk), np.minimum(hi, kk)
            lo = np.where((x1 - kk >= 0) & (x1 - kk <= u1 + 1e-9), lo, np.inf)
        else:  # both groups take part; both stay within [0, upper]
            lo = np.maximum.reduce([lo, np.where(kk > 0, 1.0, kk + 1), x1 - u1, kk - x2])
            hi = np.minimum.reduce([hi, np.where(kk > 0, kk - 1, -1.0), x1, kk - x2 + u2])
        # try the feasible k1 nearest the middle of its range
        k1 = np.clip(np.round(0.5 * (lo + hi)), np.ceil(lo - 1e-9), np.floor(hi + 1e-9))
        cand = np.isfinite(k1) & (np.ceil(lo - 1e-9) <= np.floor(hi + 1e-9))
        if not cand.any():
            continue
        hit = idx[cand]
        k1c = k1[cand]
        k2c = np.where(d1 == d2, 0.0, k[hit] - k1c)
        new = x[hit].copy()
        new[np.arange(hit.size), age[hit]] += k[hit]
        new[:, d1] -= k1c
        if d1 != d2:
            new[:, d2] -= k2c
        good = verify(hit, new)
        found[hit[good]] = True
        result[hit[good]] = new[good]
    return found, result


def _fine_tune(x: FloatArray, a: FloatArray, a2: FloatArray, slabs: _Slabs,
               upper: FloatArray, age: NDArray[np.int64], amount: FloatArray,
               verify: Callable[[NDArray[np.int64], FloatArray], NDArray[np.bool_]],
               chunk: int = 8192) -> tuple[NDArray[np.bool_], FloatArray]:
    """Moves of ``amount`` into ``age`` from one nearby group, corrected by a swap of m cases
    between two further groups at most ``SWAP_SPAN`` apart (close per-case weights: a fine
    adjustment of y that barely moves v).

    Returns (found, new age vectors of the rows found; NaN elsewhere).
    """
    n, g = x.shape
    found = np.zeros(n, dtype=bool)
    result = np.full((n, g), np.nan)
    swaps = np.array([(p, q) for p in range(g) for q in range(g)
                      if p != q and abs(p - q) <= SWAP_SPAN])
    p_, q_ = swaps[:, 0], swaps[:, 1]
    offsets = [o for k in range(1, DONOR_SPAN + 1) for o in (k, -k)]
    for off in offsets:
        todo = np.flatnonzero(~found & (age + off >= 0) & (age + off < g))
        for start in range(0, todo.size, chunk):
            idx = todo[start:start + chunk]
            r = np.arange(idx.size)
            kk, j = amount[idx], age[idx]
            d = j + off
            base = x[idx].copy()
            base[r, j] += kk
            base[r, d] -= kk
            ok = (base >= 0).all(axis=1) & (base <= upper[idx] + 1e-9).all(axis=1)
            if not ok.any():
                continue
            idx, r, kk, j, d, base = idx[ok], r[: ok.sum()], kk[ok], j[ok], d[ok], base[ok]
            dy = kk * (a[idx, j] - a[idx, d])
            dv = kk * (a2[idx, j] - a2[idx, d])
            gy, gv = slabs.grad[idx, :, 0], slabs.grad[idx, :, 1]
            lo_y = np.full(idx.size, -np.inf)
            hi_y = np.full(idx.size, np.inf)
            for q in range(3):
                lo_q = (slabs.low[idx, q] - gv[:, q] * dv) / gy[:, q]
                hi_q = (slabs.high[idx, q] - gv[:, q] * dv) / gy[:, q]
                lo_y = np.maximum(lo_y, np.minimum(lo_q, hi_q))
                hi_y = np.minimum(hi_y, np.maximum(lo_q, hi_q))
            centre = 0.5 * (lo_y + hi_y) - dy
            ai, a2i, ui = a[idx], a2[idx], upper[idx]
            s_y = ai[:, q_] - ai[:, p_]
            s_v = a2i[:, q_] - a2i[:, p_]
            with np.errstate(divide="ignore", invalid="ignore"):
                m = np.round(centre[:, None] / s_y)
            room = np.minimum(base[:, p_], ui[:, q_] - base[:, q_])
            usable = (m >= 1) & (m <= room) & (p_ != j[:, None]) & (q_ != j[:, None])
            m = np.where(usable, m, 0.0)
            ty, tv = dy[:, None] + m * s_y, dv[:, None] + m * s_v
            viol = np.where(usable, 0.0, np.inf)
            for q in range(3):
                val = gy[:, q, None] * ty + gv[:, q, None] * tv
                viol += (np.maximum(0, slabs.low[idx, q, None] - val)
                         + np.maximum(0, val - slabs.high[idx, q, None]))
            best = np.argmin(viol, axis=1)
            cand = np.isfinite(viol[r, best])
            if not cand.any():
                continue
            rc = np.flatnonzero(cand)
            new = base[rc]
            mb = m[rc, best[rc]]
            new[np.arange(rc.size), p_[best[rc]]] -= mb
            new[np.arange(rc.size), q_[best[rc]]] += mb
            good = verify(idx[rc], new)
            hit = idx[rc[good]]
            found[hit] = True
            result[hit] = new[good]
    return found, result


@lru_cache(maxsize=1)
def _solver() -> highspy.Highs:
    """One HiGHS instance per process for the small integer programmes."""
    return quiet_highs(seed=0)


def _integer_point(mat: FloatArray, lo: FloatArray, hi: FloatArray, lb: FloatArray,
                   ub: FloatArray, integer: bool) -> FloatArray | None:
    """A point with lo ≤ mat @ x ≤ hi and lb ≤ x ≤ ub (HiGHS, ``MIP_SECONDS``): the linear
    relaxation's solution rounded, or an integer programme's; None if there is none."""
    h = _solver()
    h.clearModel()
    h.setOptionValue("time_limit", h.getRunTime() + MIP_SECONDS)  # its clock never restarts
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = mat.shape[1], mat.shape[0]
    lp.col_cost_ = np.zeros(mat.shape[1])
    lp.col_lower_, lp.col_upper_ = lb, ub
    lp.row_lower_, lp.row_upper_ = lo, hi
    csc = sparse.csc_matrix(mat)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = (csc.indptr, csc.indices,
                                                                       csc.data)
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * mat.shape[1]
    h.passModel(lp)
    if run(h) != highspy.HighsModelStatus.kOptimal:
        return None
    return np.round(np.asarray(h.getSolution().col_value))


def _mip_search(x: FloatArray, a: FloatArray, a2: FloatArray, slabs: _Slabs,
                upper: FloatArray, age: NDArray[np.int64], amount: FloatArray,
                verify: Callable[[NDArray[np.int64], FloatArray], NDArray[np.bool_]]
                ) -> tuple[NDArray[np.bool_], FloatArray]:
    """The moves ``_move_search`` and ``_fine_tune`` missed, by integer programming: any
    age vector with the same total, within [0, upper], ``amount`` more in ``age`` and the
    linearised rate rows kept; then checked exactly. Rows given ``MIP_SECONDS`` each."""
    n, g = x.shape
    found = np.zeros(n, dtype=bool)
    result = np.full((n, g), np.nan)
    for i in range(n):
        target = x[i, age[i]] + amount[i]
        if not 0 <= target <= upper[i, age[i]] + 1e-9:
            continue
        rows = [np.ones(g)]
        lo, hi = [x[i].sum()], [x[i].sum()]
        for q in range(3):
            coef = slabs.grad[i, q, 0] * a[i] + slabs.grad[i, q, 1] * a2[i]
            base = coef @ x[i]
            rows.append(coef)  # a hair wider than the slabs: the exact check decides
            lo.append(base + slabs.low[i, q] - 1e-5)
            hi.append(base + slabs.high[i, q] + 1e-5)
        ub = np.minimum(upper[i], x[i].sum())
        lb = np.zeros(g)
        lb[age[i]] = ub[age[i]] = target
        args = (np.array(rows), np.array(lo), np.array(hi), lb, ub)
        point = _integer_point(*args, integer=False)  # the relaxation: cheap, often enough
        if point is None:  # no point at all
            continue
        if not verify(np.array([i]), point[None])[0]:
            point = _integer_point(*args, integer=True)
            if point is None or not verify(np.array([i]), point[None])[0]:
                continue
        found[i] = True
        result[i] = point
    return found, result


def certify(counts: ArrayLike, population: ArrayLike, upper: ArrayLike, standard: str,
            threshold: int, table: str = "indicator") -> tuple[NDArray[np.bool_], Certificates]:
    """Which cells may publish their ``standard`` rates, with the certifying moves.

    ``counts`` and ``population`` are (n × 18); ``upper`` (n × 18) bounds each age group's
    count by what the attacker knows from elsewhere (the published national count of the
    age group, or the cell's total). A cell passes when it has at least ``RATE_MIN_CASES``
    cases and every age-group count from 1 to threshold − 1 is certified: its value can move
    by ``threshold`` (one move up), or down to 0 and up to ``threshold`` (two moves), without
    changing any published value of the cell.
    """
    x = np.asarray(counts, dtype=float)
    p = np.asarray(population, dtype=float)
    ub = np.minimum(np.asarray(upper, dtype=float), x.sum(axis=1, keepdims=True))
    eligible = x.sum(axis=1) >= RATE_MIN_CASES
    cell, age = np.nonzero((x >= 1) & (x < threshold) & eligible[:, None])
    terms = rate_terms(x[cell], p[cell], standard)
    slabs = _slabs(terms, standard, table)
    truth = published_rates(x[cell], p[cell], standard, table)
    xs, us, a = x[cell], ub[cell], terms.a

    def verify(sub: NDArray[np.int64]) -> Callable[[NDArray[np.int64], FloatArray],
                                                    NDArray[np.bool_]]:
        def check(rows: NDArray[np.int64], new: FloatArray) -> NDArray[np.bool_]:
            r = sub[rows]
            got = published_rates(new, p[cell[r]], standard, table)
            same = np.all([np.isclose(got[c], truth[c][r], rtol=0, atol=1e-9) for c in got],
                          axis=0)
            kept = np.isclose(new.sum(axis=1), xs[r].sum(axis=1), rtol=0, atol=1e-9)
            inside = ((new >= 0) & (new <= us[r] + 1e-9)
                      & np.isclose(new, np.round(new), rtol=0, atol=1e-9)).all(axis=1)
            return same & kept & inside
        return check

    def search(rows: NDArray[np.int64], amount: FloatArray) -> tuple[NDArray[np.bool_],
                                                                      FloatArray]:
        sub = _Slabs(slabs.grad[rows], slabs.low[rows], slabs.high[rows])
        args = (xs[rows], a[rows], a[rows] ** 2, sub, us[rows], age[rows], amount)
        found, new = _move_search(*args, verify(rows))
        for step in (_fine_tune, _mip_search):
            rest = np.flatnonzero(~found)
            if step is _mip_search:  # only where the cell may still pass: few open groups
                rest = rest[np.isin(cell[rows[rest]], hopeful(rows[rest]))]
            if not rest.size:
                continue
            sub2 = _Slabs(sub.grad[rest], sub.low[rest], sub.high[rest])
            f2, n2 = step(xs[rows][rest], a[rows][rest], a[rows][rest] ** 2, sub2,
                          us[rows][rest], age[rows][rest], amount[rest], verify(rows[rest]))
            found[rest] = f2
            new[rest] = n2
        return found, new

    def hopeful(rows: NDArray[np.int64]) -> NDArray[np.int64]:
        """Cells with at least ``MIP_MIN_CASES`` cases and at most ``MIP_MAX_OPEN`` groups
        left to certify."""
        cells_open, n_open = np.unique(cell[rows], return_counts=True)
        big = x[cells_open].sum(axis=1) >= MIP_MIN_CASES
        return cells_open[big & (n_open <= MIP_MAX_OPEN)]

    everyone = np.arange(cell.size)
    f_up, new_up = search(everyone, np.full(cell.size, float(threshold)))
    rest = np.flatnonzero(~f_up)
    xa = xs[rest, age[rest]]
    f_dn, new_dn = search(rest, -xa)
    f_up2, new_up2 = search(rest, threshold - xa)
    pair_ok = f_dn & f_up2
    certified = f_up.copy()
    certified[rest] = pair_ok
    ok = eligible.copy()
    ok[np.unique(cell[~certified])] = False
    one = np.flatnonzero(f_up)
    two = rest[pair_ok]
    points = np.concatenate([new_up[one], new_dn[pair_ok], new_up2[pair_ok]])
    which = np.concatenate([one, two, two])
    keep = ok[cell[which]]
    moves = pd.DataFrame({"cell": cell[which][keep], "age": age[which][keep]})
    return ok, Certificates(moves, points[keep].astype(np.int64))


SERIES = ["measure", "site_code", "sex", "year_start", "year_end"]


def age_bounds(cells: pd.DataFrame) -> tuple[pd.DataFrame, NDArray[np.bool_]]:
    """France's published age-group counts by series (18 columns; +inf where hidden) and,
    per row of ``cells``, whether the row's series has a published age table."""
    ages = cells[cells["table"].eq("age_specific")]
    count = np.where(ages["status"].eq("published"), ages["cases"].astype(float), np.inf)
    grid = (ages.assign(bound=count).pivot_table(index=SERIES, columns="age", values="bound",
                                                  aggfunc="first")
            .reindex(columns=range(18)))
    withheld = ages.groupby(SERIES)["status"].apply(lambda s: s.eq("suppressed").all())
    public = withheld[~withheld].index
    has = pd.MultiIndex.from_frame(cells[SERIES]).isin(public)
    return grid, np.asarray(has)


def decide(cells: pd.DataFrame, counts: ArrayLike, population: ArrayLike, threshold: int,
           jobs: int = 2) -> tuple[NDArray[np.bool_], Certificates]:
    """Whether each cell's standardised rates are published, and the certificates.

    ``cells``: the protected cells (with ``status``; ``age_specific`` rows included);
    ``counts``, ``population``: their age vectors (n × 18). Rates need a published cell with
    at least ``RATE_MIN_CASES`` cases, not refused by the age-table protection
    (``rates_allowed``). France's indicator cells whose age table is published
    need nothing more: their age groups are the table's, protected with the rates as known
    rows. Every other cell needs every small age-group count certified (``certify``, world
    standard, each age group bounded by France's published count).
    """
    x = np.asarray(counts, dtype=float)
    p = np.asarray(population, dtype=float)
    rated = (cells["table"].isin(["indicator", "inequality"])
             & cells["status"].eq("published")).to_numpy() & (x.sum(axis=1) >= RATE_MIN_CASES)
    if "rates_allowed" in cells:
        rated &= cells["rates_allowed"].to_numpy(bool)
    grid, has_table = age_bounds(cells)
    national = (cells["table"].eq("indicator") & cells["level"].eq("country")).to_numpy()
    by_table = rated & national & has_table
    todo = np.flatnonzero(rated & ~by_table)
    upper = grid.reindex(pd.MultiIndex.from_frame(cells.iloc[todo][SERIES])).to_numpy(float)
    upper = np.where(np.isfinite(upper), upper, np.inf)
    chunks = np.array_split(np.arange(todo.size), max(1, min(jobs, todo.size)))
    tasks = [(x[todo[c]], p[todo[c]], upper[c], "world", threshold) for c in chunks]
    if len(tasks) > 1:
        # spawned, not forked: a forked child would inherit HiGHS's thread pool mid-state
        with ProcessPoolExecutor(max_workers=len(tasks),
                                 mp_context=get_context("spawn")) as pool:
            results = list(pool.map(_certify, tasks))
    else:
        results = [_certify(t) for t in tasks]
    out = by_table.copy()
    moves, points = [], []
    for c, (ok, cert) in zip(chunks, results, strict=True):
        out[todo[c]] = ok
        moves.append(cert.moves.assign(cell=todo[c][cert.moves["cell"].to_numpy()]))
        points.append(cert.points)
    return out, Certificates(pd.concat(moves, ignore_index=True),
                             np.concatenate(points) if points else np.zeros((0, 18)))


def _certify(args: tuple) -> tuple[NDArray[np.bool_], Certificates]:
    return certify(*args)
