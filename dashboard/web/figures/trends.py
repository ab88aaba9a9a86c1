"""Time series with confidence bands and joinpoint fitted trends."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dashboard.web.figures.common import SERIES, axis, base_layout
from dashboard.web.formatting import colon, is_missing, period_label


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _rounded(rows: Sequence[Mapping[str, Any]], col: str) -> list[float | None]:
    return [None if is_missing(v) else round(v, 2) for v in (r.get(col) for r in rows)]


def series_traces(rows: Sequence[Mapping[str, Any]], col: str, name: str, colour: str,
                  pooled: bool, fitted: Sequence[tuple[int, float]], fitted_label: str,
                  lang: str = "fr") -> list[dict[str, Any]]:
    """Band (low/high), observed line and, if any, the fitted joinpoint line of one area.

    ``rows``: the area's indicator rows by period (``year_start``, ``year_end``, ``col`` and
    its ``_low``/``_high`` limits); ``fitted``: (year, fitted rate) pairs, drawn for single
    years only."""
    d = [r for r in rows if not is_missing(r[col])]
    x = [(r["year_start"] + r["year_end"]) / 2 if pooled else r["year_end"] for r in d]
    period = [period_label((r["year_start"], r["year_end"])) for r in d]
    traces: list[dict[str, Any]] = []
    low, high = _rounded(d, f"{col}_low"), _rounded(d, f"{col}_high")
    if any(v is not None for v in low) and any(v is not None for v in high):
        traces.append({"type": "scatter", "mode": "lines", "x": x, "y": low,
                       "line": {"width": 0}, "hoverinfo": "skip", "showlegend": False,
                       "legendgroup": name})
        traces.append({"type": "scatter", "mode": "lines", "x": x, "y": high,
                       "fill": "tonexty", "fillcolor": _rgba(colour, 0.18), "line": {"width": 0},
                       "hoverinfo": "skip", "showlegend": False, "legendgroup": name})
    traces.append({"type": "scatter", "mode": "lines+markers", "name": name, "x": x,
                   "y": _rounded(d, col), "text": period, "legendgroup": name,
                   "line": {"color": colour, "width": 2.5}, "marker": {"size": 7},
                   "hovertemplate": f"<b>{name}</b><br>%{{text}}{colon(lang)}%{{y:,.1f}}"
                                    "<extra></extra>"})
    if fitted and not pooled:
        traces.append({"type": "scatter", "mode": "lines", "name": f"{name} — {fitted_label}",
                       "x": [year for year, _ in fitted],
                       "y": [round(value, 2) for _, value in fitted],
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
