"""Rates by deprivation quintile, and an inequality statistic over time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from dashboard.web.figures.common import ACCENT, axis, base_layout
from dashboard.web.formatting import colon, is_missing


def _column(rows: Sequence[Mapping[str, Any]], name: str) -> np.ndarray:
    return np.array([np.nan if r[name] is None else r[name] for r in rows], dtype=float)


def quintile_figure(rows: Sequence[Mapping[str, Any]], col: str, x_labels: list[str],
                    y_title: str, lang: str) -> dict[str, Any]:
    """Dot-and-whisker chart of the five quintile rates (records with ``quintile``, ``col``
    and its ``_low`` and ``_high`` bounds)."""
    d = [r for r in rows if not is_missing(r[col])]
    labels = [x_labels[int(r["quintile"]) - 1] for r in d]
    value, low, high = (_column(d, c) for c in (col, f"{col}_low", f"{col}_high"))
    trace = {"type": "scatter", "mode": "markers+lines", "x": labels,
             "y": np.round(value, 2).tolist(),
             "line": {"color": "#b4b4d8", "width": 1},
             "marker": {"color": ACCENT, "size": 11},
             "error_y": {"type": "data", "symmetric": False,
                         "array": np.round(high - value, 2).tolist(),
                         "arrayminus": np.round(value - low, 2).tolist(),
                         "color": ACCENT, "thickness": 1.5, "width": 6},
             "hovertemplate": "%{x}" + colon(lang) + "%{y:,.1f}<extra></extra>"}
    return {"data": [trace], "layout": base_layout(
        height=360, separators=",\u202f" if lang == "fr" else ".,",
        xaxis=axis("", categoryorder="array", categoryarray=x_labels),
        yaxis=axis(y_title, rangemode="tozero"))}


def statistic_over_time_figure(rows: Sequence[Mapping[str, Any]], y_title: str,
                               reference: float | None, lang: str) -> dict[str, Any]:
    """A statistic (e.g. rate ratio) by year with its interval (records with ``year``,
    ``value``, ``low`` and ``high``)."""
    d = [r for r in rows if not is_missing(r["value"])]
    x = [int(r["year"]) for r in d]
    value, low, high = (_column(d, c) for c in ("value", "low", "high"))
    traces = [
        {"type": "scatter", "mode": "lines", "x": x, "y": np.round(low, 3).tolist(),
         "line": {"width": 0}, "hoverinfo": "skip"},
        {"type": "scatter", "mode": "lines", "x": x, "y": np.round(high, 3).tolist(),
         "fill": "tonexty", "fillcolor": "rgba(0,0,145,0.15)", "line": {"width": 0},
         "hoverinfo": "skip"},
        {"type": "scatter", "mode": "lines+markers", "x": x, "y": np.round(value, 3).tolist(),
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
