"""Primary suppression: counts from 1 to threshold − 1 are sensitive (zero is publishable)."""

from __future__ import annotations

import numpy as np


def sensitive(cases: np.ndarray, threshold: int) -> np.ndarray:
    """Boolean mask of sensitive counts."""
    cases = np.asarray(cases)
    return (cases >= 1) & (cases < threshold)
