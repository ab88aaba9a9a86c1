"""Funnel plot of SIRs: x = expected cases, y = SIR, exact Poisson limits around 1."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from dashboard.stats.funnel import sir_limits
from dashboard.web.collation import sort_key
from dashboard.web.figures.common import (
    ACCENT,
    FLAG_COLOURS,
    FLAG_SYMBOLS,
    axis,
    base_layout,
    floats,
)
from dashboard.web.formatting import colon, fmt_number
from dashboard.web.indicators import flag_label


def funnel_limits(expected_min: float, expected_max: float,
                  n: int = 120) -> dict[str, np.ndarray]:
    """Limits on a log-spaced grid of expected counts covering the areas."""
    low_end = max(min(expected_min / 1.5, expected_max / 10), 1.0)
    grid = np.geomspace(low_end, max(expected_max * 1.1, low_end * 10), n)
    out = {"expected": grid}
    for conf, key in ((0.95, "95"), (0.998, "998")):
        low, high = sir_limits(grid, conf)
        out[f"low{key}"], out[f"high{key}"] = low, high
    return out


Columns = Mapping[str, Any]  # column name -> values (a DataFrame, or a dict of arrays)


@dataclass(frozen=True)
class FunnelPoints:
    """The areas a funnel plot shows (those with a SIR and an expected count), as arrays."""

    code: np.ndarray
    name: np.ndarray
    expected: np.ndarray
    sir: np.ndarray
    sir_low: np.ndarray
    sir_high: np.ndarray
    flag: np.ndarray
    rows: np.ndarray  # their positions in the columns they were taken from

    @classmethod
    def of(cls, columns: Columns) -> FunnelPoints:
        """The published points of ``columns`` (``geo_code``, ``name``, ``expected``, ``sir``,
        ``sir_low``, ``sir_high``, ``sir_flag``; the interval and flag may be absent)."""
        expected, sir = floats(columns["expected"]), floats(columns["sir"])
        rows = np.flatnonzero(~(np.isnan(expected) | np.isnan(sir)))

        def take(name: str, numeric: bool) -> np.ndarray:
            if name not in columns:
                return np.full(len(rows), np.nan if numeric else None,
                               dtype=float if numeric else object)
            return (floats(columns[name]) if numeric
                    else np.asarray(columns[name], dtype=object))[rows]

        return cls(take("geo_code", False), take("name", False), expected[rows], sir[rows],
                   take("sir_low", True), take("sir_high", True), take("sir_flag", False), rows)

    def __len__(self) -> int:
        return len(self.rows)

    def by_sir(self) -> np.ndarray:
        """Positions of the points, highest SIR first, equal SIRs in alphabetical order."""
        keys = [sort_key(str(n)) for n in self.name]
        return np.array(sorted(range(len(self)), key=lambda i: (-self.sir[i], keys[i])),
                        dtype=int)


def outside(points: FunnelPoints, conf: float) -> int:
    """Number of published areas outside the ``conf`` limits."""
    if not len(points):
        return 0
    low, high = sir_limits(points.expected, conf)
    return int(((points.sir < low) | (points.sir > high)).sum())


def funnel_figure(d: FunnelPoints, labels: dict[str, str], lang: str,
                  highlight: str | None = None) -> dict[str, Any]:
    """The funnel plot of the areas ``d``; ``highlight`` (an area code) is drawn larger, in
    the accent colour."""
    lim = funnel_limits(float(d.expected.min()), float(d.expected.max())) if len(d) \
        else funnel_limits(1.0, 10.0)
    x = np.round(lim["expected"], 2).tolist()
    traces: list[dict[str, Any]] = []
    lines = (("95", "dash", labels["limit_95"]), ("998", "dot", labels["limit_998"]))
    for key, dash, name in lines:
        for side in ("low", "high"):
            traces.append({"type": "scatter", "mode": "lines", "x": x,
                           "y": np.round(lim[f"{side}{key}"], 4).tolist(), "name": name,
                           "legendgroup": key, "showlegend": side == "low",
                           "line": {"color": "#6a6a6a", "dash": dash, "width": 1.2},
                           "hoverinfo": "skip"})
    for flag in ("higher", "not_different", "lower"):  # one legend entry per comparison
        g = d.flag == flag
        if not g.any():
            continue
        traces.append({"type": "scatter", "mode": "markers",
                       "name": labels["areas"] + colon(lang) + flag_label(flag, lang).lower(),
                       "x": np.round(d.expected[g], 1).tolist(),
                       "y": np.round(d.sir[g], 3).tolist(), "text": d.name[g].tolist(),
                       "marker": {"color": FLAG_COLOURS[flag], "symbol": FLAG_SYMBOLS[flag],
                                  "size": 8, "line": {"color": "#ffffff", "width": 0.5}},
                       "hovertemplate": "<b>%{text}</b><br>" + labels["expected"]
                       + colon(lang) + "%{x:,.1f}<br>SIR" + colon(lang)
                       + "%{y:,.2f}<extra></extra>"})
    fig = {"data": traces, "layout": base_layout(
        height=440, showlegend=True, legend={"orientation": "h", "y": -0.2},
        separators=",\u202f" if lang == "fr" else ".,",
        shapes=[{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": 1, "y1": 1,
                 "line": {"color": ACCENT, "width": 1}}],
        xaxis=axis(labels["expected"], type="log", **log_ticks(x[0], x[-1], lang)),
        yaxis=axis("SIR"))}
    return with_highlight(fig, d, highlight, labels["highlighted"], lang)


def with_highlight(fig: dict[str, Any], d: FunnelPoints, highlight: str | None, label: str,
                   lang: str) -> dict[str, Any]:
    """``fig`` (a funnel plot of the areas ``d``, left as it is) with area ``highlight`` drawn
    larger, in the accent colour, and named; ``fig`` itself when it is not among them."""
    if highlight is None:
        return fig
    h = d.code == highlight
    if not h.any():
        return fig
    trace = {"type": "scatter", "mode": "markers+text", "name": label,
             "x": np.round(d.expected[h], 1).tolist(), "y": np.round(d.sir[h], 3).tolist(),
             "text": d.name[h].tolist(), "textposition": "top center",
             "marker": {"color": ACCENT, "size": 14, "symbol": "diamond",
                        "line": {"color": "#ffffff", "width": 1}},
             "hovertemplate": "<b>%{text}</b><br>SIR" + colon(lang) + "%{y:,.2f}<extra></extra>"}
    return {**fig, "data": [*fig["data"], trace]}


def log_ticks(low: float, high: float, lang: str) -> dict[str, Any]:
    """Ticks of a log axis at 1, 2 and 5 × 10ⁿ, written out in the reader's notation (plotly's
    own labels read « 10k 2 3 » for 10 000, 20 000, 30 000)."""
    values = [m * 10.0 ** e for e in range(int(np.floor(np.log10(max(low, 1e-9)))),
                                           int(np.ceil(np.log10(max(high, 1.0)))) + 1)
              for m in (1, 2, 5) if low <= m * 10.0 ** e <= high]
    return {"tickvals": values, "ticktext": [fmt_number(v, lang, 0) for v in values]}
