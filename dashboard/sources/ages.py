"""Age bands of the release: 18 five-year groups, 0-4 ... 80-84 and 85+."""

from __future__ import annotations

import re

import numpy as np

N_AGE_GROUPS = 18
AGE_LABELS = [f"{5 * i}-{5 * i + 4}" for i in range(N_AGE_GROUPS - 1)] + ["85+"]


def age_group_of_age(age: np.ndarray) -> np.ndarray:
    """Index 0..17 of the five-year group of an age in completed years (85 and over -> 17)."""
    return np.minimum(np.asarray(age, dtype=np.int64) // 5, N_AGE_GROUPS - 1)


_BAND = re.compile(r"^\s*(\d{1,3})\s*(?:-|à|to)\s*(\d{1,3})(?:\s*ans)?\s*$")
_OPEN = re.compile(r"^\s*(\d{1,3})\s*(?:\+|ans et plus|and over|\s*ans ou plus)\s*$")


def age_group_of_label(label: str) -> int:
    """Index of the release age group containing a band label ('0-4', '0 à 4 ans', '95+', ...).

    Bands above 85 (85-89, 90-94, 95+) fold into 85+. Raises ValueError for a label that is not
    a five-year band.
    """
    text = str(label).strip().lower()
    m = _BAND.match(text)
    if m:
        low, high = int(m.group(1)), int(m.group(2))
        if low % 5 or high != low + 4:
            raise ValueError(f"not a five-year age band: {label!r}")
        return min(low // 5, N_AGE_GROUPS - 1)
    m = _OPEN.match(text)
    if m and int(m.group(1)) % 5 == 0 and int(m.group(1)) >= 85:
        return N_AGE_GROUPS - 1
    raise ValueError(f"not a five-year age band: {label!r}")
