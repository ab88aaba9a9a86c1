"""Shared look of the charts: fonts, colours, margins, axes."""

from __future__ import annotations

from typing import Any

import numpy as np

FONT = ('system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
        'sans-serif')
TEXT = "#161616"
GRID = "#dddddd"
ACCENT = "#000091"
# Okabe-Ito colours (colour-blind safe) for series: France first in the accent blue.
SERIES = [ACCENT, "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"]
FLAG_COLOURS = {"higher": "#b35806", "lower": "#542788", "not_different": "#6a6a6a"}
FLAG_SYMBOLS = {"higher": "triangle-up", "lower": "triangle-down", "not_different": "circle"}

CONFIG: dict[str, Any] = {
    "displaylogo": False,
    # sendChartToCloud would upload the chart to an outside service: never on this site
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "sendChartToCloud"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def base_layout(**extra: Any) -> dict[str, Any]:
    """Layout shared by every chart (extra keys override)."""
    layout: dict[str, Any] = {
        "font": {"family": FONT, "size": 14, "color": TEXT},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 60, "r": 20, "t": 20, "b": 50},
        "hoverlabel": {"font": {"family": FONT, "size": 14}},
        "separators": ",\u202f",
        "showlegend": False,
    }
    layout.update(extra)
    return layout


def axis(title: str = "", **extra: Any) -> dict[str, Any]:
    """A sober axis with a light grid."""
    out: dict[str, Any] = {"title": {"text": title}, "gridcolor": GRID, "zeroline": False,
                           "linecolor": "#929292", "automargin": True}
    out.update(extra)
    return out


def floats(values: Any) -> np.ndarray:
    """Numbers (a column, a list) as floats, NaN for a missing value (None, pandas' NA)."""
    if hasattr(values, "to_numpy"):
        return values.to_numpy(dtype=float, na_value=np.nan)
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def separators(lang: str) -> str:
    """plotly ``separators``: decimal then thousands character."""
    return ",\u202f" if lang == "fr" else ".,"


def empty_figure(message: str) -> dict[str, Any]:
    """A blank chart carrying a message (no data)."""
    return {"data": [], "layout": base_layout(
        xaxis={"visible": False}, yaxis={"visible": False}, height=200,
        annotations=[{"text": message, "showarrow": False, "xref": "paper", "yref": "paper",
                      "x": 0.5, "y": 0.5, "font": {"size": 16}}])}
