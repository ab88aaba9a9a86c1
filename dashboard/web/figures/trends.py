"""Time series with confidence bands and joinpoint fitted trends."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.web.figures.common import SERIES, axis, base_layout
from dashboard.web.formatting import colon


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def series_traces(df: pd.DataFrame, col: str, name: str, colour: str, pooled: bool,
                  fitted: pd.DataFrame | None, fitted_label: str,
                  lang: str = "fr") -> list[dict[str, Any]]:
    """Band (low/high), observed line and, if any, the fitted joinpoint line of one area."""
    d = df.dropna(subset=[col])
    x = ((d.year_start + d.year_end) / 2).tolist() if pooled else d.year_end.tolist()
    period = [f"{a}–{b}" if a != b else str(a) for a, b in zip(d.year_start, d.year_end,
                                                               strict=True)]
    traces: list[dict[str, Any]] = []
    low, high = f"{col}_low", f"{col}_high"
    if low in d and high in d and d[low].notna().any():
        traces.append({"type": "scatter", "mode": "lines", "x": x, "y": d[low].round(2).tolist(),
                       "line": {"width": 0}, "hoverinfo": "skip", "showlegend": False,
                       "legendgroup": name})
        traces.append({"type": "scatter", "mode": "lines", "x": x,
                       "y": d[high].round(2).tolist(), "fill": "tonexty",
                       "fillcolor": _rgba(colour, 0.18), "line": {"width": 0},
                       "hoverinfo": "skip", "showlegend": False, "legendgroup": name})
    traces.append({"type": "scatter", "mode": "lines+markers", "name": name, "x": x,
                   "y": d[col].round(2).tolist(), "text": period, "legendgroup": name,
                   "line": {"color": colour, "width": 2.5}, "marker": {"size": 7},
                   "hovertemplate": f"<b>{name}</b><br>%{{text}}{colon(lang)}%{{y:,.1f}}"
                                    "<extra></extra>"})
    if fitted is not None and not fitted.empty and not pooled:
        traces.append({"type": "scatter", "mode": "lines", "name": f"{name} — {fitted_label}",
                       "x": fitted.year.tolist(), "y": fitted.asr_world_fitted.round(2).tolist(),
                       "line": {"color": colour, "dash": "dot", "width": 2},
                       "legendgroup": name, "hoverinfo": "skip"})
    return traces


def trends_figure(traces: list[dict[str, Any]], y_title: str, lang: str,
                  height: int = 420) -> dict[str, Any]:
    """Assemble the series of several areas."""
    return {"data": traces, "layout": base_layout(
        height=height, showlegend=True, legend={"orientation": "h", "y": -0.18},
        separators=",\u202f" if lang == "fr" else ".,", hovermode="closest",
        xaxis=axis("", tickformat="d", dtick=1), yaxis=axis(y_title, rangemode="tozero"))}


def colour(i: int) -> str:
    """Series colour ``i`` (France is 0)."""
    return SERIES[i % len(SERIES)]
