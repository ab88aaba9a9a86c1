"""Published precision: round every value of a release table as the contract says.

The policy (``dashboard.release_schema.PRECISION``) gives each value column its decimals and
rounding mode: ``nearest`` (half to even), ``down`` for lower confidence limits and ``up`` for
upper limits, so a published interval always contains the unrounded one. Statistics derived
from published figures (trends, inequality summaries) are computed from the rounded values, so
they carry no information the published figures do not.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from dashboard.release_schema import PRECISION, SUMMARY_DECIMALS

# Products like 12.3 × 10 land a hair below 123 in binary floating point: floor and ceiling
# forgive that much, so a value already on the grid stays where it is.
GRID_TOLERANCE = 1e-9


def round_to(values: ArrayLike, decimals: int, mode: str = "nearest") -> np.ndarray:
    """``values`` rounded to ``decimals`` places; ``mode`` is nearest, down or up. NaN stays."""
    scale = 10.0 ** decimals
    x = np.asarray(values, dtype=float) * scale
    if mode == "nearest":
        r = np.round(x)
    elif mode == "down":
        r = np.floor(x + GRID_TOLERANCE)
    elif mode == "up":
        r = np.ceil(x - GRID_TOLERANCE)
    else:
        raise ValueError(f"unknown rounding mode {mode!r}")
    return r / scale


def round_column(values: ArrayLike, table: str, column: str) -> np.ndarray:
    """One column rounded as the contract says for ``table``."""
    decimals, mode = PRECISION[table][column]
    return round_to(values, decimals, mode)


def round_table(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """A copy of ``frame`` with every value column rounded to its published precision."""
    out = frame.copy()
    if table == "inequality_summary":
        decimals = out["statistic"].map(SUMMARY_DECIMALS).to_numpy()
        for col, mode in (("value", "nearest"), ("low", "down"), ("high", "up")):
            values = pd.to_numeric(out[col], errors="coerce").to_numpy(float)
            rounded = np.full(len(out), np.nan)
            for d in np.unique(decimals):
                rows = decimals == d
                rounded[rows] = round_to(values[rows], int(d), mode)
            out[col] = rounded
        return out
    for col, (decimals, mode) in PRECISION.get(table, {}).items():
        if col not in out:
            continue
        values = pd.to_numeric(out[col], errors="coerce").to_numpy(float)
        out[col] = round_to(values, decimals, mode)
    return out
