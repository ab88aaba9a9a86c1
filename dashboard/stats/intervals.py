"""Confidence intervals for Poisson counts (vectorised).

All functions take array-likes of counts (one element per indicator cell) and
return ``float64`` arrays of the same shape.  Counts may be non-integer (e.g.
weighted counts); negative or NaN counts give NaN limits.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

FloatArray = NDArray[np.float64]

__all__ = [
    "byar",
    "gamma_quantile",
    "normal_quantile",
    "poisson_exact",
    "tail_probabilities",
]


def tail_probabilities(conf: float) -> tuple[float, float]:
    """Return the lower and upper tail probabilities ``(α/2, 1 − α/2)`` with α = 1 − conf.

    Raises ``ValueError`` unless ``0 < conf < 1``.
    """
    conf = float(conf)
    if not 0.0 < conf < 1.0:
        raise ValueError(f"conf must lie strictly between 0 and 1, got {conf!r}")
    a = (1.0 - conf) / 2.0
    return a, 1.0 - a


def normal_quantile(conf: float) -> float:
    """Two-sided standard normal quantile z = Φ⁻¹(1 − α/2), e.g. 1.959964 for conf = 0.95."""
    return float(special.ndtri(tail_probabilities(conf)[1]))


def gamma_quantile(q: float | ArrayLike, shape: ArrayLike, scale: ArrayLike = 1.0) -> FloatArray:
    """Quantile of the Gamma(shape, scale) distribution, vectorised.

    G⁻¹(q; k, θ) = θ · P⁻¹(k, q), where P⁻¹ is the inverse of the regularised lower
    incomplete gamma function (``scipy.special.gammaincinv``).  By convention the
    degenerate Gamma(0, θ) distribution (point mass at 0) has every quantile 0.
    Non-finite or negative shapes/scales give NaN.
    """
    k = np.asarray(shape, dtype=np.float64)
    s = np.asarray(scale, dtype=np.float64)
    qq = np.asarray(q, dtype=np.float64)
    k, s, qq = np.broadcast_arrays(k, s, qq)
    out = np.full(k.shape, np.nan)
    pos = np.isfinite(k) & np.isfinite(s) & (k > 0) & (s >= 0)
    if pos.any():
        out[pos] = s[pos] * special.gammaincinv(k[pos], qq[pos])
    zero = (k == 0) & np.isfinite(s) & (s >= 0)
    out[zero] = 0.0
    return out


def poisson_exact(counts: ArrayLike, conf: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Exact (Garwood 1936) confidence limits for the mean of a Poisson count.

    Formula, for an observed count O and α = 1 − conf::

        low  = χ²(α/2;  2O)      / 2 = G⁻¹(α/2;   O,     1)   (low = 0 when O = 0)
        high = χ²(1−α/2; 2O + 2) / 2 = G⁻¹(1−α/2; O + 1, 1)

    where χ²(p; ν) is the p-quantile of the chi-square distribution with ν degrees of
    freedom and G⁻¹(p; k, 1) the p-quantile of the unit-scale gamma distribution.

    Reference: Garwood F. Fiducial limits for the Poisson distribution. Biometrika
    1936;28:437–442.  Tabulated in Breslow NE, Day NE. Statistical Methods in Cancer
    Research, Vol. II (IARC Sci Publ 82), 1987, Appendix / Table 2.10.

    Returns ``(low, high)``; e.g. O = 0 → (0, 3.689), O = 10 → (4.795, 18.39).
    """
    lo_p, hi_p = tail_probabilities(conf)
    o = np.asarray(counts, dtype=np.float64)
    bad = ~np.isfinite(o) | (o < 0)
    o_ok = np.where(bad, 0.0, o)
    if o_ok.size > 4096:
        # many cells share the same count: evaluate the quantiles once per distinct value
        uniq, inverse = np.unique(o_ok, return_inverse=True)
        if uniq.size < o_ok.size // 2:
            low = gamma_quantile(lo_p, uniq)[inverse].reshape(o_ok.shape)
            high = gamma_quantile(hi_p, uniq + 1.0)[inverse].reshape(o_ok.shape)
            low[bad] = np.nan
            high[bad] = np.nan
            return low, high
    low = gamma_quantile(lo_p, o_ok)  # shape 0 -> 0
    high = gamma_quantile(hi_p, o_ok + 1.0)
    low[bad] = np.nan
    high[bad] = np.nan
    return low, high


def byar(counts: ArrayLike, conf: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Byar's approximation to the exact Poisson confidence limits.

    Formula, with z = Φ⁻¹(1 − α/2)::

        low  = O · (1 − 1/(9O) − z/(3√O))³                  (low = 0 when O = 0)
        high = (O+1) · (1 − 1/(9(O+1)) + z/(3√(O+1)))³

    (negative lower limits, impossible for O ≥ 1 at usual confidence levels, are
    truncated at 0).  This is the formulation used by PHEindicatormethods
    (``byars_lower`` / ``byars_upper``).

    Reference: Breslow NE, Day NE. Statistical Methods in Cancer Research, Vol. II.
    IARC Sci Publ 82, Lyon 1987, p. 69 (attributing the approximation to Byar);
    Rothman KJ, Boice JD. Epidemiologic analysis with a programmable calculator, 1979.
    """
    z = normal_quantile(conf)
    o = np.asarray(counts, dtype=np.float64)
    bad = ~np.isfinite(o) | (o < 0)
    o_ok = np.where(bad, 1.0, o)
    with np.errstate(divide="ignore", invalid="ignore"):
        low = o_ok * (1.0 - 1.0 / (9.0 * o_ok) - z / (3.0 * np.sqrt(o_ok))) ** 3
        o1 = o_ok + 1.0
        high = o1 * (1.0 - 1.0 / (9.0 * o1) + z / (3.0 * np.sqrt(o1))) ** 3
    low = np.where(o_ok > 0, np.maximum(low, 0.0), 0.0)
    low = np.where(bad, np.nan, low)
    high = np.where(bad, np.nan, high)
    return np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)
