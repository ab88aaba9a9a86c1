"""Indirect standardisation: expected counts and standardised incidence ratios (SIR)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dashboard.stats.intervals import poisson_exact

FloatArray = NDArray[np.float64]

__all__ = ["FLAGS", "expected", "sir", "sir_flag"]

FLAGS = ("higher", "lower", "not_different")


def expected(population: ArrayLike, reference_rates: ArrayLike) -> FloatArray:
    """Expected counts E = Σ_j n_j · λ_j along the last (age) axis.

    ``population`` (person-years n_j) has shape (n_cells, k); ``reference_rates``
    (reference age-specific rates λ_j, per person-year) has shape (k,) — the same
    reference for every cell — or (n_cells, k).  Missing (NaN) products propagate.

    Reference: Breslow NE, Day NE. Statistical Methods in Cancer Research, Vol. II,
    IARC Sci Publ 82, 1987, §2.3 (indirect standardisation).
    """
    n = np.asarray(population, dtype=np.float64)
    lam = np.asarray(reference_rates, dtype=np.float64)
    if n.shape[-1:] != lam.shape[-1:]:
        raise ValueError(f"age axes differ: population {n.shape}, rates {lam.shape}")
    return np.asarray((n * lam).sum(axis=-1), dtype=np.float64)


def sir(
    observed: ArrayLike, expected: ArrayLike, conf: float = 0.95
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Standardised incidence ratio O/E with exact Poisson confidence limits.

    Formula (E treated as fixed, O ~ Poisson(θE)), α = 1 − conf::

        SIR = O / E,   low = χ²(α/2; 2O) / (2E),   high = χ²(1−α/2; 2O+2) / (2E)

    i.e. the Garwood limits of O divided by E (low = 0 when O = 0).  Where E ≤ 0 or is
    missing, all three values are NaN.  Example: O = 10, E = 5 → 2.0 (0.959, 3.678).

    Reference: Breslow NE, Day NE. Statistical Methods in Cancer Research, Vol. II,
    IARC Sci Publ 82, 1987, §2.3, eq. 2.11 and Table 2.10; Garwood F. Biometrika 1936.
    """
    o = np.asarray(observed, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    o, e = np.broadcast_arrays(o, e)
    lo, hi = poisson_exact(o, conf)
    ok = np.isfinite(e) & (e > 0)
    inv = np.where(ok, 1.0 / np.where(ok, e, 1.0), np.nan)
    return o * inv, lo * inv, hi * inv


def sir_flag(low: ArrayLike, high: ArrayLike, missing: str = "not_different") -> NDArray[np.str_]:
    """Classify a ratio against 1 from its confidence limits.

    ``"higher"`` if low > 1, ``"lower"`` if high < 1, else ``"not_different"``.  Cells with
    a NaN limit get ``missing`` (default ``"not_different"``; pass e.g. ``""`` to mark them).
    """
    lo = np.asarray(low, dtype=np.float64)
    hi = np.asarray(high, dtype=np.float64)
    lo, hi = np.broadcast_arrays(lo, hi)
    out = np.full(lo.shape, "not_different", dtype="<U13")
    out[lo > 1.0] = "higher"
    out[hi < 1.0] = "lower"
    out[np.isnan(lo) | np.isnan(hi)] = missing
    return out
