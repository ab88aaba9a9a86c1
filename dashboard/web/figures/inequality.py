"""Rates by deprivation quintile, and an inequality statistic over time."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.web.figures.common import ACCENT, axis, base_layout
from dashboard.web.formatting import colon


def quintile_figure(df: pd.DataFrame, col: str, x_labels: list[str], y_title: str,
                    lang: str) -> dict[str, Any]:
    """Dot-and-whisker chart of the five quintile rates."""
    d = df.dropna(subset=[col])
    labels = [x_labels[int(q) - 1] for q in d.quintile]
    trace = {"type": "scatter", "mode": "markers+lines", "x": labels, "y": d[col].round(2).tolist(),
             "line": {"color": "#b4b4d8", "width": 1},
             "marker": {"color": ACCENT, "size": 11},
             "error_y": {"type": "data", "symmetric": False,
                         "array": (d[f"{col}_high"] - d[col]).round(2).tolist(),
                         "arrayminus": (d[col] - d[f"{col}_low"]).round(2).tolist(),
                         "color": ACCENT, "thickness": 1.5, "width": 6},
             "hovertemplate": "%{x}" + colon(lang) + "%{y:,.1f}<extra></extra>"}
    return {"data": [trace], "layout": base_layout(
        height=360, separators=",\u202f" if lang == "fr" else ".,",
        xaxis=axis("", categoryorder="array", categoryarray=x_labels),
        yaxis=axis(y_title, rangemode="tozero"))}


def statistic_over_time_figure(df: pd.DataFrame, y_title: str, reference: float | None,
                               lang: str) -> dict[str, Any]:
    """A statistic (e.g. rate ratio) by year with its interval."""
    d = df.dropna(subset=["value"])
    x = d.year.astype(int).tolist()
    traces = [
        {"type": "scatter", "mode": "lines", "x": x, "y": d.low.round(3).tolist(),
         "line": {"width": 0}, "hoverinfo": "skip"},
        {"type": "scatter", "mode": "lines", "x": x, "y": d.high.round(3).tolist(),
         "fill": "tonexty", "fillcolor": "rgba(0,0,145,0.15)", "line": {"width": 0},
         "hoverinfo": "skip"},
        {"type": "scatter", "mode": "lines+markers", "x": x, "y": d.value.round(3).tolist(),
         "line": {"color": ACCENT, "width": 2.5},
         "hovertemplate": "%{x}" + colon(lang) + "%{y:,.2f}<extra></extra>"},
    ]
    shapes = []
    if reference is not None:
        shapes.append({"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": reference,
                       "y1": reference, "line": {"color": "#6a6a6a", "dash": "dash", "width": 1}})
    return {"data": traces, "layout": base_layout(
        height=300, shapes=shapes, separators=",\u202f" if lang == "fr" else ".,",
        xaxis=axis("", tickformat="d", dtick=1), yaxis=axis(y_title))}
