"""Standard populations used for direct age standardisation.

The values are read from ``dashboard/reference/standard_populations.csv`` (columns
``age_group``, ``esp2013``, ``world_segi1960``), restricted to the project's 18
five-year age bands, whose last band ``85+`` holds the collapsed values.

* ``"world"``: Segi (1960) world standard population as modified by Doll, Payne &
  Waterhouse (1966), *Cancer Incidence in Five Continents* vol. I (UICC), 85+ = 500
  per 100,000.
* ``"europe"``: Revised European Standard Population 2013 (Eurostat, *Revision of the
  European Standard Population*, Methodologies and Working papers, 2013), with
  85–89 + 90–94 + 95+ = 1500 + 800 + 200 collapsed to 85+ = 2500 per 100,000.
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from importlib import resources

import numpy as np
from numpy.typing import NDArray

__all__ = ["AGE_GROUPS", "STANDARDS", "population", "weights"]

AGE_GROUPS: list[str] = [f"{a}-{a + 4}" for a in range(0, 85, 5)] + ["85+"]

#: Accepted names (and aliases) → CSV column.
STANDARDS: dict[str, str] = {
    "world": "world_segi1960",
    "segi": "world_segi1960",
    "world_segi1960": "world_segi1960",
    "europe": "esp2013",
    "esp2013": "esp2013",
    "esp": "esp2013",
}


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[float, ...]]:
    text = (
        resources.files("dashboard")
        .joinpath("reference", "standard_populations.csv")
        .read_text(encoding="utf-8")
    )
    rows = {row["age_group"].strip(): row for row in csv.DictReader(io.StringIO(text))}
    missing = [g for g in AGE_GROUPS if g not in rows]
    if missing:
        raise ValueError(f"standard_populations.csv lacks age groups {missing}")
    out: dict[str, tuple[float, ...]] = {}
    for column in set(STANDARDS.values()):
        out[column] = tuple(float(rows[g][column]) for g in AGE_GROUPS)
    return out


def population(standard: str) -> NDArray[np.float64]:
    """Standard population counts (per 100,000) for the 18 bands of :data:`AGE_GROUPS`."""
    try:
        column = STANDARDS[standard.lower()]
    except KeyError:
        raise ValueError(
            f"unknown standard {standard!r}; expected one of {sorted(STANDARDS)}"
        ) from None
    return np.array(_table()[column], dtype=np.float64)


def weights(standard: str) -> NDArray[np.float64]:
    """Standard-population weights w_j = P_j / Σ P_k for the 18 bands (sum to 1).

    ``standard`` is ``"world"`` (Segi 1960 / Doll et al. 1966) or ``"europe"`` (ESP 2013,
    85+ collapsed); see the module docstring for references.
    """
    p = population(standard)
    return p / p.sum()
