"""Ranking of areas: value with its 95% interval, sorted, marked by difference from France.

The chart is drawn in the browser by ``static/ranking.js`` (the ``Ranking`` component of
``components.py``): this module computes what it shows, every text in the page's language.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dashboard.web.collation import sort_key
from dashboard.web.figures.common import separators
from dashboard.web.formatting import colon, fmt_number, fmt_value_ci

# Width of a label character at the chart's 12 px font, generous (DejaVu Sans, the widest of the
# usual fallbacks of the site's font, averages ~7 px on area names).
LABEL_CHAR_PX = 7.4
FLAGS = ("higher", "not_different", "lower")


@dataclass(frozen=True)
class RankingText:
    """The words of a ranking: axis title, flag names, the reference, suppressed, chart name."""

    axis_title: str
    flags: dict[str, str]
    reference: str
    suppressed: str
    label: str


def label_margin(names: Iterable[Any]) -> int:
    """Width (px) of the name column: holds the longest of ``names`` at the chart's font."""
    longest = max((len(str(n)) for n in names), default=0)
    return max(60, int(np.ceil(LABEL_CHAR_PX * longest)) + 12)


def ranked(df: pd.DataFrame, value_col: str) -> pd.DataFrame:
    """``df`` highest ``value_col`` first, equal values in alphabetical order of ``name``,
    areas without a value last (alphabetical): the order of the ranking and of its table."""
    values = pd.to_numeric(df[value_col], errors="coerce").to_numpy(dtype=float)
    names = [sort_key(str(n)) for n in df["name"]]
    order = sorted(range(len(df)), key=lambda i: (math.isnan(values[i]),
                                                  0.0 if math.isnan(values[i]) else -values[i],
                                                  names[i]))
    return df.iloc[order]


def _number(x: Any) -> float | None:
    """A finite value rounded for drawing (3 decimals: below a pixel), else ``None``."""
    try:
        value = float(x)
    except (TypeError, ValueError):
        return None
    return round(value, 3) if math.isfinite(value) else None


def ranking_data(records: Sequence[Mapping[str, Any]], value_col: str, low_col: str | None,
                 high_col: str | None, reference: float | None, text: RankingText, lang: str,
                 decimals: int = 1) -> dict[str, Any]:
    """What the ranking draws: every area of ``records`` (a level's rows in :func:`ranked`
    order, with ``name`` and ``sir_flag``), top to bottom.

    Each row is ``[name, value, low, high, flag, description, value text]`` (value, low, high
    and flag ``None`` when not published: nothing is sent that is not shown; the description
    is the row's tooltip). The name column's width comes from every area (published or not),
    so each view of a level has the same frame, and the height is one row per area.
    """
    rows = []
    for r in records:
        value = _number(r[value_col])
        low = _number(r[low_col]) if low_col and value is not None else None
        high = _number(r[high_col]) if high_col and value is not None else None
        flag = r.get("sir_flag") if value is not None and r.get("sir_flag") in FLAGS else None
        if value is None:
            description = f"{r['name']}{colon(lang)}{text.suppressed}"
            shown = ""
        else:
            shown = fmt_number(value, lang, decimals)
            description = f"{r['name']}{colon(lang)}" + fmt_value_ci(value, low, high, lang,
                                                                     decimals)
            if flag:
                description += f" — {text.flags[flag]}"
        rows.append([r["name"], value, low, high, flag, description, shown])
    present = {row[4] for row in rows if row[1] is not None}
    legend = [[f, text.flags[f]] for f in FLAGS if f in present]
    if reference is not None and math.isfinite(reference):
        legend.append(["reference", text.reference])
    else:
        reference = None
    return {"rows": rows, "reference": reference, "axisTitle": text.axis_title,
            "legend": legend, "labelWidth": label_margin(r["name"] for r in records),
            "separators": separators(lang), "suppressed": text.suppressed,
            "label": text.label}
