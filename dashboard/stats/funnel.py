"""Funnel-plot control limits for standardised ratios (SIR = O/E) around 1."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from dashboard.stats.intervals import tail_probabilities

FloatArray = NDArray[np.float64]

__all__ = ["poisson_interpolated_quantile", "sir_limits"]


def _poisson_cdf(r: NDArray[np.float64], mu: NDArray[np.float64]) -> FloatArray:
    """P(Y ≤ r) for Y ~ Poisson(mu), 0 for r < 0 (r integer-valued floats)."""
    out = np.zeros(np.broadcast(r, mu).shape)
    ok = r >= 0
    out[ok] = special.pdtr(r[ok], mu[ok])
    return out


def poisson_interpolated_quantile(p: float, mu: ArrayLike) -> FloatArray:
    """Continuous (interpolated) p-quantile of a Poisson(mu) count (Spiegelhalter 2005).

    With r_p the smallest integer such that F(r_p) ≥ p, where F is the Poisson(mu) CDF::

        a   = (F(r_p) − p) / (F(r_p) − F(r_p − 1))
        y_p = r_p − a

    i.e. linear interpolation of the step CDF, so that limits vary smoothly with mu.
    The result is floored at 0 (when F(0) ≥ p the interpolation would be negative).

    Reference: Spiegelhalter DJ. Funnel plots for comparing institutional performance.
    Stat Med 2005;24:1185–1202, Appendix A.1.1.
    """
    m = np.asarray(mu, dtype=np.float64)
    out = np.full(m.shape, np.nan)
    ok = np.isfinite(m) & (m > 0)
    mm = m[ok]
    # scipy's pdtrik/ppf: smallest r with F(r) >= p (guard against rounding at the step)
    r = np.ceil(special.pdtrik(p, mm) - 1e-9)
    r = np.maximum(r, 0.0)
    f_r = _poisson_cdf(r, mm)
    too_low = f_r < p  # rounding: move up one step
    r = np.where(too_low, r + 1.0, r)
    f_r = np.where(too_low, _poisson_cdf(r, mm), f_r)
    f_prev = _poisson_cdf(r - 1.0, mm)
    too_high = (r > 0) & (f_prev >= p)  # rounding: move down one step
    r = np.where(too_high, r - 1.0, r)
    f_r = np.where(too_high, f_prev, f_r)
    f_prev = np.where(too_high, _poisson_cdf(r - 1.0, mm), f_prev)
    a = (f_r - p) / (f_r - f_prev)
    out[ok] = np.maximum(r - a, 0.0)
    return out


def sir_limits(expected: ArrayLike, conf: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Funnel-plot control limits around SIR = 1 as a function of the expected count E.

    Under the null hypothesis O ~ Poisson(E).  The limits are the interpolated exact
    Poisson quantiles of Spiegelhalter (2005) (see :func:`poisson_interpolated_quantile`),
    divided by E::

        low = y_{α/2}(E) / E,   high = y_{1−α/2}(E) / E,   α = 1 − conf

    so that conf = 0.95 and 0.998 give the usual "2 SD" and "3 SD" funnels.  This is the
    continuous exact formulation of Spiegelhalter's Appendix A.1.1 (not the
    chi-square/Byar approximations of some PHE tools).  E ≤ 0 or missing gives NaN.
    For very small E, where P(O = 0) = e^{−E} ≥ 1 − α/2 (E ≤ 0.0253 at 95 %), the
    interpolated upper quantile is 0: a single case is then already beyond the limit.

    Reference: Spiegelhalter DJ. Stat Med 2005;24:1185–1202.
    """
    lo_p, hi_p = tail_probabilities(conf)
    e = np.asarray(expected, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        low = poisson_interpolated_quantile(lo_p, e) / e
        high = poisson_interpolated_quantile(hi_p, e) / e
    return low, high
