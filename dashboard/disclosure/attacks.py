"""Attacks the release is tested against (``docs/disclosure-control.md``, "Channels").

Each function plays an attacker who knows the published figures, the public population by
area, sex and age group, and how every figure is computed, and returns the intervals it
obtains for counts the rules protect. They are independent of the protection engine (their own
linear and integer programmes, through scipy's HiGHS) and are run by the tests and the
disclosure benchmark, on releases built under the current policy (the attacks must fail) and on
figures computed as an unprotected release would publish them (they must succeed, or the test
could not fail).

* ``decode_ages``: integer programming on a cell's standardised rates and their interval (the
  rounding of each published value turned into an interval), for the cell's age-group counts;
* ``reference_counts``: linear programming on published expected counts, linear in France's
  age-specific counts;
* ``per_age_intervals``: the combination: what the decoded age groups of published cells say,
  through the additive relations between cells, about a hidden cell.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize

from dashboard.stats.standard_populations import weights
from dashboard.stats.standardise import gamma_limits

PER = 1e5
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class RateFigures:
    """What one published cell says about its age vector: the count, and per standard the
    rate and its limits as intervals (``None`` for a standard not published)."""

    cases: float
    rate: dict[str, tuple[float, float]]
    low: dict[str, tuple[float, float]]
    high: dict[str, tuple[float, float]]


def rounded_figures(cases: float, values: dict[str, float], unit: float = 0.1) -> RateFigures:
    """Intervals of published values rounded to ``unit`` (rate to nearest, lower limit down,
    upper limit up); ``unit = 0`` for exact values. ``values``: ``asr_<std>``,
    ``asr_<std>_low``, ``asr_<std>_high``."""
    rate, low, high = {}, {}, {}
    for name, value in values.items():
        if value is None or not np.isfinite(value):
            continue
        std = name.split("_")[1]
        eps = 1e-9 * max(1.0, abs(value))
        if name.endswith("_low"):
            low[std] = (value - eps, value + unit + eps)
        elif name.endswith("_high"):
            high[std] = (value - unit - eps, value + eps)
        else:
            rate[std] = (value - unit / 2 - eps, value + unit / 2 + eps)
    return RateFigures(float(cases), rate, low, high)


def _v_range(y: tuple[float, float], low: tuple[float, float] | None,
             high: tuple[float, float] | None, c1: float, c2: float) -> tuple[float, float]:
    """Range of v = Σ a² x compatible with the rate interval and the limits' intervals (the
    lower limit decreases with v and increases with y; the upper limit increases with both)."""
    lo, hi = 0.0, np.inf

    def solve(f, target: float) -> float | None:
        a, b = 1e-12, 1e12
        fa, fb = f(a) - target, f(b) - target
        if not (np.isfinite(fa) and np.isfinite(fb)) or fa * fb > 0:
            return None
        return optimize.brentq(lambda v: f(v) - target, a, b, xtol=1e-14, rtol=1e-12)

    if low is not None and y[0] > 0:
        v = solve(lambda v: gamma_limits(y[0], v, c1, c2)[0], low[1])
        lo = max(lo, v) if v is not None else lo
        v = solve(lambda v: gamma_limits(y[1], v, c1, c2)[0], low[0])
        hi = min(hi, v) if v is not None else hi
    if high is not None:
        v = solve(lambda v: gamma_limits(y[1], v, c1, c2)[1], high[0])
        lo = max(lo, v) if v is not None else lo
        v = solve(lambda v: gamma_limits(y[0], v, c1, c2)[1], high[1])
        hi = min(hi, v) if v is not None else hi
    return lo, hi


def decode_ages(figures: RateFigures, population: ArrayLike, upper: ArrayLike | None = None,
                groups: ArrayLike | None = None, time_limit: float = 20.0
                ) -> dict[int, tuple[float, float]]:
    """Integer [min, max] of each age-group count of a cell (``groups``: which ones; default
    all). ``upper``: per-group bounds known from elsewhere (France's published counts). An
    end the solver cannot prove within ``time_limit`` seconds is NaN (unknown)."""
    p = np.asarray(population, dtype=float)
    n_groups = p.size
    rows, lo, hi = [np.ones(n_groups)], [figures.cases], [figures.cases]
    for std, y in figures.rate.items():
        w = weights(std)
        w = w / w.sum()
        a = np.where(p > 0, PER * w / np.where(p > 0, p, 1.0), 0.0)
        rows.append(a)
        lo.append(y[0])
        hi.append(y[1])
        v_lo, v_hi = _v_range(y, figures.low.get(std), figures.high.get(std),
                              float(a[p > 0].mean()), float((a[p > 0] ** 2).mean()))
        if v_lo > 0 or np.isfinite(v_hi):
            rows.append(a * a)
            lo.append(v_lo)
            hi.append(v_hi)
    cons = optimize.LinearConstraint(np.array(rows), lo, hi)
    ub = np.full(n_groups, figures.cases) if upper is None else np.minimum(
        np.asarray(upper, dtype=float), figures.cases)
    bounds = optimize.Bounds(np.zeros(n_groups), ub)
    out = {}
    for j in (range(n_groups) if groups is None else groups):
        ends = []
        for sign in (1.0, -1.0):
            c = np.zeros(n_groups)
            c[int(j)] = sign
            res = optimize.milp(c, constraints=cons, integrality=np.ones(n_groups),
                                bounds=bounds, options={"time_limit": time_limit})
            if res.status != 0:  # not proved optimal (time limit): unknown
                ends.append(np.nan)
            else:
                ends.append(float(np.round(res.x[int(j)])))
        out[int(j)] = (ends[0], ends[1])
    return out


def reference_counts(expected: ArrayLike, area_population: ArrayLike,
                     national_population: ArrayLike, unit: float = 0.1
                     ) -> tuple[FloatArray, FloatArray]:
    """[min, max] of France's 18 age-group counts c_j from published expected counts
    e_i = Σ_j P(i, j) c_j / P_FR(j), each rounded to ``unit`` (0: exact)."""
    e = np.asarray(expected, dtype=float)
    a = np.asarray(area_population, dtype=float) / np.asarray(national_population, dtype=float)
    ok = np.isfinite(e)
    a, e = a[ok], e[ok]
    half = unit / 2 + 1e-9 * np.maximum(1, np.abs(e))
    lo, hi = np.zeros(a.shape[1]), np.zeros(a.shape[1])
    for j in range(a.shape[1]):
        for sign, store in ((1.0, lo), (-1.0, hi)):
            c = np.zeros(a.shape[1])
            c[j] = sign
            res = optimize.linprog(c, A_ub=np.vstack([a, -a]), b_ub=np.r_[e + half, -(e - half)],
                                   bounds=(0, None), method="highs")
            store[j] = np.nan if res.status != 0 else sign * res.fun
    return lo, hi


def per_age_intervals(incidence: ArrayLike, published: ArrayLike, totals: ArrayLike,
                      age_bounds: ArrayLike, targets: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """The combination: per-age unknowns x[v, j] ≥ 0 for every variable v of a block (cells =
    ``incidence`` @ x), each published cell's total known and its age groups within
    ``age_bounds`` (cells × 18 × 2: [min, max] per group, from ``decode_ages``; [0, total]
    when nothing is known). Returns [min, max] of the totals of the ``targets`` cells."""
    inc = np.asarray(incidence, dtype=float)
    n_cells, n_var = inc.shape
    pub = np.flatnonzero(np.asarray(published, dtype=bool))
    tot = np.asarray(totals, dtype=float)
    bnd = np.asarray(age_bounds, dtype=float)
    g = bnd.shape[1]
    # variables x[v, j] flattened v * g + j; cell-age sums kron(inc, I_g)
    cell_age = np.kron(inc, np.eye(g))
    cell_tot = np.kron(inc, np.ones((1, g)))
    a_eq = cell_tot[pub]
    b_eq = tot[pub]
    rows = cell_age[np.repeat(pub, g) * g + np.tile(np.arange(g), pub.size)]
    lo = bnd[pub][:, :, 0].ravel()
    hi = bnd[pub][:, :, 1].ravel()
    a_ub = np.vstack([rows, -rows])
    b_ub = np.r_[hi, -lo]
    out_lo, out_hi = [], []
    for t in np.asarray(targets, dtype=int):
        vals = []
        for sign in (1.0, -1.0):
            res = optimize.linprog(sign * cell_tot[t], A_ub=a_ub, b_ub=b_ub, A_eq=a_eq,
                                   b_eq=b_eq, bounds=(0, None), method="highs")
            vals.append(np.nan if res.status != 0 else sign * res.fun)
        out_lo.append(vals[0])
        out_hi.append(vals[1])
    del n_cells, n_var
    return np.array(out_lo), np.array(out_hi)
