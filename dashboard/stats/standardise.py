"""Directly standardised rates (DSR) with confidence intervals (vectorised).

Notation for one cell (age groups j = 1..k): counts x_j, person-years n_j, standard
weights w_j normalised to Σ w_j = 1, per-person weights u_j = w_j / n_j.

    DSR y = Σ_j u_j x_j,     variance estimate v = Σ_j u_j² x_j.

Age groups with zero (or missing/negative) population contribute 0 to y and v and
are ignored in the interval's correction terms; the weights are *not* renormalised
over the remaining groups.  Age groups with a zero standard weight (e.g. outside a
truncated age range) are not strata of the DSR and are ignored likewise.  A cell with
no positive population in any weighted age group gives NaN.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dashboard.stats.intervals import byar, gamma_quantile, poisson_exact, tail_probabilities

FloatArray = NDArray[np.float64]

__all__ = ["METHODS", "dsr", "dsr_components", "gamma_limits"]

METHODS = ("tiwari", "fay_feuer", "dobson", "dobson_exact")


def dsr_components(
    counts: ArrayLike, population: ArrayLike, weights: ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """Building blocks of a DSR along the last (age) axis, per person (not scaled).

    Returns ``(y, v, u_max, u_mean, u2_mean, total)`` where, over age groups with n_j > 0
    and w_j > 0:
    y = Σ u_j x_j (the DSR), v = Σ u_j² x_j (its Poisson variance estimate, Chiang 1961),
    u_max = max u_j, u_mean = mean u_j, u2_mean = mean u_j², total = Σ x_j.
    Cells with no positive population get NaN.
    """
    x = np.asarray(counts, dtype=np.float64)
    n = np.asarray(population, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 1:
        raise ValueError("weights must be 1-D (one weight per age group)")
    if x.shape[-1:] != w.shape or n.shape[-1:] != w.shape:
        raise ValueError(
            f"last axis of counts {x.shape} and population {n.shape} must match weights {w.shape}"
        )
    if not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
        raise ValueError("weights must be finite, non-negative and not all zero")
    w = w / w.sum()
    x, n = np.broadcast_arrays(x, n)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # strata of the standard (w_j > 0) with positive population (False for NaN too)
        valid = (n > 0) & (w > 0)
        u = np.where(valid, w / np.where(valid, n, 1.0), 0.0)
        xu = np.where(valid, x, 0.0)
        y = np.einsum("...j,...j->...", u, xu)
        v = np.einsum("...j,...j->...", u * u, xu)
        n_valid = valid.sum(axis=-1)
        has = n_valid > 0
        nv = np.where(has, n_valid, 1)
        u_max = u.max(axis=-1)
        u_mean = u.sum(axis=-1) / nv
        u2_mean = (u * u).sum(axis=-1) / nv
        total = xu.sum(axis=-1)
    out = []
    for arr in (y, v, u_max, u_mean, u2_mean, total):
        arr = np.asarray(arr, dtype=np.float64)
        out.append(np.where(has, arr, np.nan))
    return tuple(out)  # type: ignore[return-value]


def gamma_limits(
    y: ArrayLike, v: ArrayLike, c1: ArrayLike, c2: ArrayLike, conf: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Gamma-method limits of a DSR from its components (any consistent unit of rate).

    ``low = G⁻¹(α/2; y²/v, v/y)`` (0 when y = 0) and
    ``high = G⁻¹(1−α/2; (y+c1)²/(v+c2), (v+c2)/(y+c1))``, with (c1, c2) = (u_M, u_M²) for
    Fay & Feuer (1997) and (mean u_j, mean u_j²) for Tiwari et al. (2006); see :func:`dsr`.
    Scaling y, c1 by s and v, c2 by s² scales both limits by s.  ``low`` increases with y
    and decreases with v; ``high`` increases with both.
    """
    lo_p, hi_p = tail_probabilities(conf)
    y, v, c1, c2 = (np.asarray(a, dtype=np.float64) for a in (y, v, c1, c2))
    pos = y > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        y_safe = np.where(pos, y, 1.0)
        shape_lo = np.where(pos, y * y / v, 1.0)
        low = np.where(pos, gamma_quantile(lo_p, shape_lo, v / y_safe), 0.0)
        ys, vs = y + c1, v + c2
        high = gamma_quantile(hi_p, ys * ys / vs, vs / ys)
    return low, high


def dsr(
    counts: ArrayLike,
    population: ArrayLike,
    weights: ArrayLike,
    per: float = 100_000,
    conf: float = 0.95,
    method: str = "tiwari",
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Directly standardised rate per ``per`` person-years with a confidence interval.

    ``counts`` and ``population`` have shape (n_cells, n_age_groups) (any leading shape is
    accepted; age is the last axis); ``weights`` has shape (n_age_groups,) and is
    normalised inside.  Returns ``(rate, low, high)`` of shape ``counts.shape[:-1]``.

    DSR = per · Σ_j w_j x_j / n_j, v = Σ_j (w_j / n_j)² x_j, α = 1 − conf, and G⁻¹(p; k, θ)
    the p-quantile of a gamma distribution of shape k and scale θ (mean kθ, variance kθ²).

    ``method="fay_feuer"`` — Fay & Feuer (1997) gamma interval, u_M = max_j w_j/n_j::

        low  = G⁻¹(α/2;   y²/v,               v/y)             (0 when y = 0)
        high = G⁻¹(1−α/2; (y+u_M)²/(v+u_M²),  (v+u_M²)/(y+u_M))

    ``method="tiwari"`` (default; SEER*Stat default) — Tiwari, Clegg & Zou (2006)
    modified gamma interval: same lower limit; the upper limit replaces u_M by the mean
    m₁ = mean_j w_j/n_j in y and u_M² by m₂ = mean_j (w_j/n_j)² in v::

        high = G⁻¹(1−α/2; (y+m₁)²/(v+m₂), (v+m₂)/(y+m₁))

    (means over the age groups with positive population and weight; method "G4" of Ng,
    Filardo & Zheng 2008).

    ``method="dobson"`` — Dobson, Kuulasmaa, Eberle & Scherer (1991), with Byar's limits
    (O_L, O_U) for the total count O = Σ x_j, as in PHEindicatormethods ``phe_dsr``::

        low = y + √(v/O) · (O_L − O),   high = y + √(v/O) · (O_U − O)

    ``method="dobson_exact"`` is the same with exact (Garwood) limits for O, as in
    Dobson et al.'s original paper.  Dobson limits are undefined when O = 0: the lower
    limit is then 0 and the upper limit NaN.

    Age groups with zero population contribute 0 (weights are not renormalised); age
    groups with zero weight are ignored; O counts only weighted age groups.

    References: Fay MP, Feuer EJ. Stat Med 1997;16:791–801. Tiwari RC, Clegg LX, Zou Z.
    Stat Methods Med Res 2006;15:547–569. Dobson AJ et al. Stat Med 1991;10:457–462.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {METHODS}")
    y, v, u_max, u_mean, u2_mean, total = dsr_components(counts, population, weights)
    with np.errstate(divide="ignore", invalid="ignore"):
        if method in ("tiwari", "fay_feuer"):
            if method == "fay_feuer":
                low, high = gamma_limits(y, v, u_max, u_max * u_max, conf)
            else:
                low, high = gamma_limits(y, v, u_mean, u2_mean, conf)
        else:
            if method == "dobson":
                o_lo, o_hi = byar(total, conf)
            else:
                o_lo, o_hi = poisson_exact(total, conf)
            has_cases = total > 0
            sd = np.sqrt(v / np.where(has_cases, total, 1.0))
            low = np.where(has_cases, y + sd * (o_lo - total), 0.0)
            high = np.where(has_cases, y + sd * (o_hi - total), np.nan)
    nan = np.isnan(y)
    low = np.where(nan, np.nan, low)
    high = np.where(nan, np.nan, high)
    return y * per, low * per, high * per
