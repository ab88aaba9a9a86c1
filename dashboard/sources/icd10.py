"""ICD-10 codes: normalisation, cancer scope and mapping to the published cancer sites."""

from __future__ import annotations

import re
from functools import cache

import numpy as np
import pandas as pd

from dashboard.reference_data import sites

ALL_SITES = "all"
_CODE = re.compile(r"^([A-Z])(\d{2})(?:\.?(\d))?[A-Z0-9]?$")


def normalise(codes: pd.Series) -> pd.Series:
    """Upper-case, strip spaces and dots after the category: ' c50.9 ' -> 'C509'."""
    return codes.astype("string").str.strip().str.upper().str.replace(".", "", regex=False)


def _ranges(spec: str) -> list[tuple[int, int]]:
    """'C18-C21;C88' -> [(18, 21), (88, 88)] (C categories)."""
    out = []
    for part in spec.split(";"):
        low, _, high = part.strip().partition("-")
        out.append((int(low[1:3]), int((high or low)[1:3])))
    return out


@cache
def category_to_site() -> dict[int, str]:
    """C category number (0..97) -> site code, for the sites other than 'all'."""
    mapping: dict[int, str] = {}
    for row in sites().itertuples():
        if row.site_code == ALL_SITES:
            continue
        for low, high in _ranges(row.icd10):
            for c in range(low, high + 1):
                if c in mapping:
                    raise ValueError(f"C{c:02d} is in two sites: {mapping[c]}, {row.site_code}")
                mapping[c] = row.site_code
    return mapping


def classify(codes: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Classify normalised codes.

    Returns ``(category, problem)``: the C category number (-1 when not a cancer in scope) and
    ``None`` or a rejection reason: ``invalid_icd10`` (not an ICD-10 code), ``not_cancer_icd10``
    (a valid code outside C00-C97, e.g. D05 in situ), ``excluded_icd10`` (C44 non-melanoma skin,
    outside "all cancers" by convention).
    """
    parts = codes.str.extract(_CODE.pattern)
    letter = parts[0]
    number = pd.to_numeric(parts[1], errors="coerce")
    problem = pd.Series(None, index=codes.index, dtype="object")
    problem[letter.isna()] = "invalid_icd10"
    valid = letter.notna()
    problem[valid & ((letter != "C") | (number > 97))] = "not_cancer_icd10"
    problem[valid & (letter == "C") & (number == 44)] = "excluded_icd10"
    category = number.where(problem.isna(), -1).fillna(-1).astype(np.int64)
    return category, problem


def site_of_category(category: np.ndarray) -> np.ndarray:
    """Site code of each C category, 'other' for categories of no published site."""
    lookup = np.full(100, "other", dtype=object)
    for c, site in category_to_site().items():
        lookup[c] = site
    return lookup[np.asarray(category)]
