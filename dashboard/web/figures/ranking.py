"""Ranking of areas: value with its 95% interval, sorted, coloured by difference from France."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dashboard.web.figures.common import FLAG_COLOURS, FLAG_SYMBOLS, axis, base_layout
from dashboard.web.formatting import colon

# Width of a label character at the axis' 12 px font, generous (DejaVu Sans, the widest of the
# usual fallbacks of the site's font, averages ~7 px on area names).
LABEL_CHAR_PX = 7.4


def label_margin(names: pd.Series) -> int:
    """Left margin (px) that holds the longest of ``names`` at the axis' font."""
    longest = int(names.astype(str).str.len().max()) if len(names) else 0
    return max(60, int(np.ceil(LABEL_CHAR_PX * longest)) + 12)


def ranking_figure(df: pd.DataFrame, value_col: str, low_col: str | None, high_col: str | None,
                   reference: float | None, x_title: str, flag_labels: dict[str, str],
                   lang: str, decimals: int = 1) -> dict[str, Any]:
    """Horizontal dot-and-whisker chart of published areas, highest at the top.

    ``df`` has ``name``, the value columns and ``sir_flag``; suppressed rows are skipped.
    The label margin and the height come from every row of ``df`` (the level's areas, published
    or not), not from the rows shown: every view of a level has the same frame, so a change of
    site or sex redraws the chart once, without plotly's automargin second pass or a resize.
    """
    d = df.dropna(subset=[value_col]).sort_values(value_col)
    traces = []
    for flag in ("higher", "not_different", "lower"):
        part = d[d.sir_flag == flag] if "sir_flag" in d else d.iloc[0:0]
        if part.empty:
            continue
        trace: dict[str, Any] = {
            "type": "scatter", "mode": "markers", "name": flag_labels[flag],
            "x": part[value_col].round(3).tolist(), "y": part.name.tolist(),
            "marker": {"color": FLAG_COLOURS[flag], "symbol": FLAG_SYMBOLS[flag], "size": 8},
            "hovertemplate": "%{y}" + colon(lang) + "%{x:,." + str(decimals) + "f}<extra>"
            + flag_labels[flag] + "</extra>"}
        if low_col and high_col:
            trace["error_x"] = {"type": "data", "symmetric": False,
                                "array": (part[high_col] - part[value_col]).round(3).tolist(),
                                "arrayminus": (part[value_col] - part[low_col]).round(3).tolist(),
                                "color": FLAG_COLOURS[flag], "thickness": 1.2, "width": 0}
        traces.append(trace)
    shapes = []
    if reference is not None and np.isfinite(reference):
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": reference,
                       "x1": reference, "y0": 0, "y1": 1,
                       "line": {"color": "#000091", "dash": "dash", "width": 1.5}})
    height = max(260, 18 * len(df) + 90)
    return {"data": traces, "layout": base_layout(
        height=height, shapes=shapes, showlegend=True,
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0},
        margin={"l": label_margin(df.name), "r": 10, "t": 30, "b": 40},
        separators=",\u202f" if lang == "fr" else ".,",
        xaxis=axis(x_title),
        yaxis=axis("", categoryorder="array", categoryarray=d.name.tolist(),
                   range=[-0.7, len(d) - 0.3], tickfont={"size": 12}, automargin=False))}
