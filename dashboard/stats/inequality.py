"""Social inequality measures: comparisons of standardised rates and SII / RII.

Conventions (see ``docs/statistics.md``):

* Directly standardised rates (DSR) are expressed per ``per`` person-years (default 1e5,
  as :func:`dashboard.stats.standardise.dsr`) with standard weights normalised to sum 1.
* Deprivation quintiles are ordered from LEAST (quintile 1) to MOST deprived (quintile 5),
  so a positive slope index of inequality (SII) means higher rates in more deprived areas.
  (PHEindicatormethods' ``phe_sii`` orders from most to least deprived, hence the opposite
  sign for the same data.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

__all__ = [
    "SIIResult",
    "dsr_variance",
    "rate_difference",
    "rate_ratio",
    "ridits",
    "sii_rii",
    "variance_from_ci",
]


def _z(conf: float) -> float:
    if not 0.0 < conf < 1.0:
        raise ValueError("conf must be in (0, 1)")
    return float(stats.norm.ppf(0.5 + conf / 2.0))


def dsr_variance(
    counts: ArrayLike, population: ArrayLike, weights: ArrayLike, per: float = 1e5
) -> np.ndarray | float:
    """Variance of a directly standardised rate (Poisson counts), ages on the last axis.

    ``var(DSR) = per^2 * sum_a w_a^2 c_a / p_a^2`` with ``w_a`` the standard weights
    normalised to sum to 1 (Chiang 1961; Breslow & Day 1987, Statistical Methods in Cancer
    Research vol. II, IARC Sci Publ 82, ch. 2).  As in :func:`standardise.dsr`, age groups
    with no positive population or zero weight are not strata (they contribute nothing);
    NaN if no stratum is left.  ``counts``/``population`` broadcast together, e.g. 1-D (one
    area) or 2-D (areas x ages); the result is on the scale of a DSR per ``per``.
    """
    c = np.asarray(counts, dtype=float)
    p = np.asarray(population, dtype=float)
    w = np.asarray(weights, dtype=float)
    if w.ndim != 1 or c.shape[-1:] != w.shape or p.shape[-1:] != w.shape:
        raise ValueError("last axis of counts and population must match the 1-D weights")
    if not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
        raise ValueError("weights must be finite, non-negative and not all zero")
    if np.any(c < 0):
        raise ValueError("counts must be >= 0")
    wn = w / w.sum()
    c, p = np.broadcast_arrays(c, p)
    with np.errstate(divide="ignore", invalid="ignore"):
        valid = (p > 0) & (wn > 0)
        u = np.where(valid, wn / np.where(valid, p, 1.0), 0.0)
        v = per**2 * np.sum(u * u * np.where(valid, c, 0.0), axis=-1)
        v = np.where(valid.any(axis=-1), v, np.nan)
    return float(v) if np.ndim(v) == 0 else v


def variance_from_ci(
    estimate: ArrayLike, low: ArrayLike, high: ArrayLike, conf: float = 0.95
) -> np.ndarray | float:
    """Approximate variance of a positive rate from its (asymmetric) confidence interval.

    Log scale (APHO 2008 technical briefing 3, Eayres; delta method):
    ``se(ln R) = (ln high - ln low) / (2 z)`` and ``var(R) = (R se(ln R))^2``.
    Use :func:`dsr_variance` instead when the counts are available (exact).
    """
    est = np.asarray(estimate, dtype=float)
    lo = np.asarray(low, dtype=float)
    hi = np.asarray(high, dtype=float)
    if np.any(lo <= 0) or np.any(hi < lo):
        raise ValueError("need 0 < low <= high for a log-scale variance")
    se_log = (np.log(hi) - np.log(lo)) / (2.0 * _z(conf))
    v = (est * se_log) ** 2
    return float(v) if np.ndim(v) == 0 else v


def rate_ratio(
    dsr1: ArrayLike, var1: ArrayLike, dsr2: ArrayLike, var2: ArrayLike, conf: float = 0.95
) -> tuple[np.ndarray | float, np.ndarray | float, np.ndarray | float]:
    """Ratio of two independent standardised rates with a log-normal CI.

    ``RR = DSR1 / DSR2``; ``var(ln RR) ~= var1 / DSR1^2 + var2 / DSR2^2`` (delta method);
    CI ``RR exp(-/+ z sqrt(var(ln RR)))`` (Rothman, Greenland & Lash 2008, Modern
    Epidemiology 3rd ed., ch. 15; Breslow & Day 1987 vol. II, ch. 2; APHO 2008).
    A zero or negative DSR gives NaN (ratio undefined on the log scale).
    """
    d1, v1, d2, v2 = (np.asarray(a, dtype=float) for a in (dsr1, var1, dsr2, var2))
    z = _z(conf)
    with np.errstate(divide="ignore", invalid="ignore"):
        ok = (d1 > 0) & (d2 > 0) & (v1 >= 0) & (v2 >= 0)
        rr = np.where(ok, d1 / d2, np.nan)
        se = np.sqrt(np.where(ok, v1 / d1**2 + v2 / d2**2, np.nan))
        lo, hi = rr * np.exp(-z * se), rr * np.exp(z * se)
    return _out(rr), _out(lo), _out(hi)


def rate_difference(
    dsr1: ArrayLike, var1: ArrayLike, dsr2: ArrayLike, var2: ArrayLike, conf: float = 0.95
) -> tuple[np.ndarray | float, np.ndarray | float, np.ndarray | float]:
    """Difference of two independent standardised rates with a normal-approximation CI.

    ``RD = DSR1 - DSR2``; ``var(RD) = var1 + var2``; CI ``RD -/+ z sqrt(var1 + var2)``
    (Rothman, Greenland & Lash 2008, ch. 15; Breslow & Day 1987 vol. II, ch. 2).
    """
    d1, v1, d2, v2 = (np.asarray(a, dtype=float) for a in (dsr1, var1, dsr2, var2))
    if np.any(v1 < 0) or np.any(v2 < 0):
        raise ValueError("variances must be >= 0")
    z = _z(conf)
    rd = d1 - d2
    se = np.sqrt(v1 + v2)
    return _out(rd), _out(rd - z * se), _out(rd + z * se)


def _out(a: np.ndarray) -> np.ndarray | float:
    return float(a) if np.ndim(a) == 0 else a


# --------------------------------------------------------------------------------------
# slope and relative index of inequality
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SIIResult:
    """Slope / relative index of inequality with simulation CIs (quintile 1 = least deprived).

    ``intercept`` is the fitted rate at ridit 0 (least deprived end), ``mean_rate`` the
    population-weighted mean rate (= fitted value at ridit 0.5).
    """

    sii: float
    sii_low: float
    sii_high: float
    rii: float
    rii_low: float
    rii_high: float
    ridits: tuple[float, ...]
    intercept: float
    mean_rate: float
    rii_method: str
    n_sim: int


def ridits(population: ArrayLike) -> np.ndarray:
    """Ridit (relative rank) mid-points: ``x_i = sum_{j<i} a_j + a_i / 2``, ``a = p / sum p``.

    Groups in the given order (least to most deprived).  Low & Low 2004, J Public Health
    26:388-395; Mackenbach & Kunst 1997, Soc Sci Med 44:757-771.
    """
    p = np.asarray(population, dtype=float)
    if p.ndim != 1 or p.size < 2 or np.any(~np.isfinite(p)) or np.any(p <= 0):
        raise ValueError("population must be a 1-D array of at least 2 positive values")
    a = p / p.sum()
    return np.cumsum(a) - a / 2.0


def _wls_line(
    Y: np.ndarray, a: np.ndarray, x: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted (weights a, sum 1) least-squares line of each row of Y on x.

    Returns slope, intercept and weighted mean ``sum a y`` (fitted value at ``sum a x``).
    """
    xbar = a @ x
    cx = a * (x - xbar)
    slope = (Y @ cx) / (cx @ (x - xbar))
    mean = Y @ a
    return slope, mean - slope * xbar, mean


def sii_rii(
    rates: ArrayLike,
    rate_low: ArrayLike,
    rate_high: ArrayLike,
    population: ArrayLike,
    n_sim: int = 100_000,
    seed: int = 20240101,
    conf: float = 0.95,
    rii_method: Literal["mean", "ratio"] = "mean",
    scale: Literal["log", "linear"] = "log",
    input_conf: float = 0.95,
) -> SIIResult:
    """Slope (SII) and relative (RII) index of inequality across ordered deprivation groups.

    Ridits ``x_i`` from :func:`ridits` (groups least -> most deprived); weighted least
    squares of the rate ``y_i`` on ``x_i`` with weights ``a_i = p_i / sum p`` (equivalent to
    PHEindicatormethods ``phe_sii``: OLS of ``y sqrt(a)`` on ``sqrt(a)`` and ``x sqrt(a)``
    without intercept; Low & Low 2004, J Public Health 26:388-395).
    ``SII = slope = fitted(1) - fitted(0)``.  RII:

    * ``rii_method="mean"`` (default): ``RII = SII / ybar_w``, ``ybar_w = sum a_i y_i`` the
      population-weighted mean rate = fitted(0.5) (Mackenbach & Kunst 1997, Soc Sci Med
      44:757-771);
    * ``rii_method="ratio"``: ``RII = fitted(1) / fitted(0)`` (phe_sii's ``rii``).

    CIs by Monte Carlo (as phe_sii): each group's rate is redrawn ``n_sim`` times from a
    normal distribution whose SE is derived from its ``input_conf`` CI, on the log scale
    (``scale="log"``, default, phe_sii ``value_type = 1`` for rates:
    ``ln y* ~ N(ln y, ((ln high - ln low) / (2 z))^2)``) or on the rate scale
    (``scale="linear"``: ``y* ~ N(y, ((high - low) / (2 z))^2)``); the line is refitted for
    every draw and the ``(1 -/+ conf) / 2`` percentiles taken.  Fixed ``seed``: reproducible.
    """
    y = np.asarray(rates, dtype=float)
    lo = np.asarray(rate_low, dtype=float)
    hi = np.asarray(rate_high, dtype=float)
    x = ridits(population)
    if not (y.shape == lo.shape == hi.shape == x.shape):
        raise ValueError("rates, rate_low, rate_high and population must have the same length")
    if not (np.all(np.isfinite(y)) and np.all(np.isfinite(lo)) and np.all(np.isfinite(hi))):
        raise ValueError("rates and confidence limits must be finite")
    if np.any(hi < lo):
        raise ValueError("rate_high must be >= rate_low")
    if rii_method not in ("mean", "ratio"):
        raise ValueError("rii_method must be 'mean' or 'ratio'")
    if n_sim < 1:
        raise ValueError("n_sim must be >= 1")
    a = np.asarray(population, dtype=float)
    a = a / a.sum()
    z_in = _z(input_conf)

    slope, intercept, mean = _wls_line(y[None, :], a, x)
    sii = float(slope[0])
    rii = _rii(slope, intercept, mean, rii_method)[0]

    rng = np.random.default_rng(seed)
    noise = rng.standard_normal((n_sim, y.size))
    if scale == "log":
        if np.any(y <= 0) or np.any(lo <= 0):
            raise ValueError(
                "log-scale simulation needs rates and lower limits > 0 (use scale='linear')"
            )
        se = (np.log(hi) - np.log(lo)) / (2.0 * z_in)
        ysim = np.exp(np.log(y)[None, :] + noise * se[None, :])
    elif scale == "linear":
        se = (hi - lo) / (2.0 * z_in)
        ysim = y[None, :] + noise * se[None, :]
    else:
        raise ValueError("scale must be 'log' or 'linear'")
    s_sim, i_sim, m_sim = _wls_line(ysim, a, x)
    r_sim = _rii(s_sim, i_sim, m_sim, rii_method)
    q = [(1.0 - conf) / 2.0, (1.0 + conf) / 2.0]
    sii_lo, sii_hi = np.quantile(s_sim, q)
    r_fin = r_sim[np.isfinite(r_sim)]
    rii_lo, rii_hi = np.quantile(r_fin, q) if r_fin.size else (np.nan, np.nan)
    return SIIResult(
        sii=sii,
        sii_low=float(sii_lo),
        sii_high=float(sii_hi),
        rii=float(rii),
        rii_low=float(rii_lo),
        rii_high=float(rii_hi),
        ridits=tuple(float(v) for v in x),
        intercept=float(intercept[0]),
        mean_rate=float(mean[0]),
        rii_method=rii_method,
        n_sim=int(n_sim),
    )


def _rii(slope: np.ndarray, intercept: np.ndarray, mean: np.ndarray, method: str) -> np.ndarray:
    """RII = slope / weighted mean ("mean") or (intercept + slope) / intercept ("ratio")."""
    with np.errstate(divide="ignore", invalid="ignore"):
        r = slope / mean if method == "mean" else (intercept + slope) / intercept
    return np.where(np.isfinite(r), r, np.nan)


def sii_rii_many(
    rates: ArrayLike,
    rate_low: ArrayLike,
    rate_high: ArrayLike,
    population: ArrayLike,
    n_sim: int = 2_000,
    seed: int = 20240101,
    conf: float = 0.95,
    input_conf: float = 0.95,
    chunk: int = 256,
) -> dict[str, np.ndarray]:
    """:func:`sii_rii` for many series at once (rows of 2-D arrays, groups least -> most
    deprived), RII = SII / population-weighted mean rate, log-scale simulation.

    Same model, definitions and references as :func:`sii_rii`; series are processed in
    chunks so memory stays at about ``chunk * n_sim * groups`` floats. Returns arrays
    ``sii, sii_low, sii_high, rii, rii_low, rii_high`` (NaN for rows with a non-positive
    rate, limit or population).
    """
    y = np.asarray(rates, dtype=float)
    lo = np.asarray(rate_low, dtype=float)
    hi = np.asarray(rate_high, dtype=float)
    p = np.asarray(population, dtype=float)
    if not (y.shape == lo.shape == hi.shape == p.shape) or y.ndim != 2:
        raise ValueError("rates, limits and population must be 2-D arrays of the same shape")
    ok = (np.all(np.isfinite(y) & np.isfinite(lo) & np.isfinite(hi), axis=1)
          & np.all((y > 0) & (lo > 0) & (hi >= lo) & (p > 0), axis=1))
    out = {k: np.full(y.shape[0], np.nan)
           for k in ("sii", "sii_low", "sii_high", "rii", "rii_low", "rii_high")}
    z_in = _z(input_conf)
    q = [(1.0 - conf) / 2.0, (1.0 + conf) / 2.0]
    rng = np.random.default_rng(seed)

    def line(values: np.ndarray, a: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        xbar = (a * x).sum(axis=-1, keepdims=True)
        mean = (a * values).sum(axis=-1)
        slope = (a * (x - xbar) * values).sum(axis=-1) / (a * (x - xbar) ** 2).sum(axis=-1)
        return slope, mean

    rows = np.flatnonzero(ok)
    for start in range(0, rows.size, chunk):
        r = rows[start:start + chunk]
        a = p[r] / p[r].sum(axis=1, keepdims=True)
        x = np.cumsum(a, axis=1) - a / 2.0
        slope, mean = line(y[r], a, x)
        se = (np.log(hi[r]) - np.log(lo[r])) / (2.0 * z_in)
        sim = np.exp(np.log(y[r])[None] + rng.standard_normal((n_sim, *y[r].shape)) * se[None])
        s_sim, m_sim = line(sim, a[None], x[None])
        out["sii"][r], out["rii"][r] = slope, slope / mean
        out["sii_low"][r], out["sii_high"][r] = np.quantile(s_sim, q, axis=0)
        out["rii_low"][r], out["rii_high"][r] = np.quantile(s_sim / m_sim, q, axis=0)
    return out
