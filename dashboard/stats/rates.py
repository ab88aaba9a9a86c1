"""Crude rates with exact Poisson confidence limits (vectorised)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dashboard.stats.intervals import byar, poisson_exact

FloatArray = NDArray[np.float64]

__all__ = ["crude_rate"]


def crude_rate(
    cases: ArrayLike,
    person_years: ArrayLike,
    per: float = 100_000,
    conf: float = 0.95,
    method: str = "exact",
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Crude rate per ``per`` person-years with Poisson confidence limits.

    Formula, for O cases over PY person-years::

        rate = per · O / PY
        low  = per · O_L / PY,   high = per · O_U / PY

    where (O_L, O_U) are the exact Garwood limits of the Poisson count O
    (``method="exact"``, see :func:`dashboard.stats.intervals.poisson_exact`) or
    Byar's approximation (``method="byar"``).  The person-years are treated as fixed.
    For O = 0 the rate and lower limit are 0 and the upper limit is per · 3.689 / PY
    (95 %).  Where PY ≤ 0 or is missing, all three values are NaN.

    Reference: Garwood F. Biometrika 1936;28:437–442; Breslow NE, Day NE. Statistical
    Methods in Cancer Research, Vol. II, IARC Sci Publ 82, 1987, §2.2.
    """
    o = np.asarray(cases, dtype=np.float64)
    py = np.asarray(person_years, dtype=np.float64)
    o, py = np.broadcast_arrays(o, py)
    if method == "exact":
        lo, hi = poisson_exact(o, conf)
    elif method == "byar":
        lo, hi = byar(o, conf)
    else:
        raise ValueError(f"unknown method {method!r}; expected 'exact' or 'byar'")
    ok = np.isfinite(py) & (py > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(ok, per / np.where(ok, py, 1.0), np.nan)
    return o * scale, lo * scale, hi * scale
