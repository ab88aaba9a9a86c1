"""Rates by deprivation quintile, and an inequality statistic over time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from dashboard.web.figures.common import ACCENT, axis, base_layout, floats, separators
from dashboard.web.formatting import colon, fmt_interval, fmt_number, is_missing


def _column(rows: Sequence[Mapping[str, Any]], name: str) -> np.ndarray:
    return floats([r[name] for r in rows])


def quintile_chart(rows: Sequence[Mapping[str, Any]], col: str, x_labels: list[str],
                   y_title: str, label: str, empty: str, lang: str,
                   decimals: int = 1) -> dict[str, Any]:
    """What :class:`components.QuintileChart` draws of the quintile rates (records with
    ``quintile``, ``col`` and its ``_low`` and ``_high`` bounds): a point per published rate,
    [category, value, low, high, value text, description], values to 2 decimals (below a
    pixel); the categories in order, the axis title, the chart's accessible name ``label``,
    the message ``empty`` shown when no rate is published, the page's separators."""
    points = []
    for r in sorted(rows, key=lambda r: int(r["quintile"])):
        if is_missing(r[col]):
            continue
        low, high = (None if is_missing(r[f"{col}_{b}"]) else round(float(r[f"{col}_{b}"]), 2)
                     for b in ("low", "high"))
        category = x_labels[int(r["quintile"]) - 1]
        text = fmt_number(r[col], lang, decimals)
        interval = fmt_interval(r[f"{col}_low"], r[f"{col}_high"], lang, decimals)
        points.append([category, round(float(r[col]), 2), low, high, text,
                       f"{category}{colon(lang)}{text}" + (f" ({interval})" if interval else "")])
    return {"points": points, "categories": x_labels, "axisTitle": y_title, "label": label,
            "empty": empty, "separators": separators(lang)}


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
