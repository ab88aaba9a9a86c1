"""The choropleth's classes and paint: each area's colour and hover text for a view.

The map is drawn in the browser from paths projected once per release (:mod:`map_shapes`,
``static/area_map.js``); a view is a colour and a text per area: the class colour of its value
(rounded as displayed: the class is that of the number people read), or grey where the value
is suppressed. Classes: quantiles for rates and counts, fixed and centred on 1 for SIRs.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np

from dashboard.web.formatting import fmt_number, fmt_value_ci

SEQUENTIAL = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]  # YlGnBu, CB-safe
DIVERGING = ["#542788", "#998ec3", "#d8daeb", "#f7f7f7", "#fee0b6", "#f1a340", "#b35806"]  # PuOr
SIR_BREAKS = [0.8, 0.91, 0.97, 1.03, 1.1, 1.25]
SUPPRESSED = "#9e9e9e"


@dataclass(frozen=True)
class Classes:
    """Class breaks (inner limits), their colours and how they were chosen."""

    breaks: list[float]
    colours: list[str]
    kind: str  # "quantile" or "fixed_sir"
    decimals: int

    def classify(self, values: np.ndarray) -> list[int | None]:
        """Class index of each value (``None`` for missing values)."""
        idx = np.searchsorted(np.asarray(self.breaks), values, side="right")
        return [None if np.isnan(v) else int(i) for v, i in zip(values, idx, strict=True)]

    def labels(self, lang: str, templates: dict[str, str]) -> list[str]:
        """Human labels of the classes (``templates``: below / from_to / above)."""
        f = [fmt_number(b, lang, self.decimals) for b in self.breaks]
        if not f:
            return [templates["all"]]
        out = [templates["below"].format(high=f[0])]
        out += [templates["from_to"].format(low=a, high=b) for a, b in itertools.pairwise(f)]
        out.append(templates["above"].format(low=f[-1]))
        return out


def make_classes(indicator: str, values: np.ndarray, decimals: int, k: int = 5) -> Classes:
    """Quantile classes of the published values, or fixed SIR classes centred on 1."""
    if indicator.startswith("sir"):
        return Classes(SIR_BREAKS, DIVERGING, "fixed_sir", 2)
    vals = values[~np.isnan(values)]
    if vals.size == 0:
        return Classes([], SEQUENTIAL[:1], "quantile", decimals)
    qs = np.quantile(vals, np.linspace(0, 1, k + 1)[1:-1])
    breaks = sorted({round(float(q), decimals) for q in qs})
    # a break equal to the minimum would leave an empty first class
    breaks = [b for b in breaks if b > round(float(vals.min()), decimals)]
    n = len(breaks) + 1
    palette = SEQUENTIAL if n == len(SEQUENTIAL) else [
        SEQUENTIAL[round(i * (len(SEQUENTIAL) - 1) / max(n - 1, 1))] for i in range(n)]
    return Classes(breaks, palette, "quantile", decimals)


def map_paint(codes: list[str], names: list[str], values: np.ndarray, ci: np.ndarray | None,
              classes: Classes, suppressed: str, lang: str) -> dict[str, Any]:
    """Each area's colour and hover text (``{"names", "fills", "texts"}``, keyed by code).

    Values are rounded as displayed before they are classed; a missing value (suppressed) is
    grey, its text ``suppressed``. Intervals, when given (``(n, 2)`` limits), follow the value.
    """
    decimals = classes.decimals
    shown = np.round(values.astype(float), decimals)
    fills: dict[str, str] = {}
    texts: dict[str, str] = {}
    for i, (code, cls) in enumerate(zip(codes, classes.classify(shown), strict=True)):
        if cls is None:
            fills[code], texts[code] = SUPPRESSED, suppressed
        elif ci is None:
            fills[code], texts[code] = classes.colours[cls], fmt_number(shown[i], lang, decimals)
        else:
            fills[code] = classes.colours[cls]
            texts[code] = fmt_value_ci(shown[i], ci[i, 0], ci[i, 1], lang, decimals)
    return {"names": dict(zip(codes, names, strict=True)), "fills": fills, "texts": texts}
