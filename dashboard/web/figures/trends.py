"""Time series with confidence bands and joinpoint fitted trends, as the trend chart draws
them (:class:`components.TrendChart`, ``static/trend_chart.js``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dashboard.web.figures.common import SERIES, separators
from dashboard.web.formatting import colon, fmt_number, is_missing, period_label


def _rounded(value: Any) -> float | None:
    """A position on the chart: 2 decimals (below a pixel), ``None`` when missing."""
    return None if is_missing(value) else round(float(value), 2)


def trend_series(rows: Sequence[Mapping[str, Any]], col: str, name: str, colour: str,
                 pooled: bool, fitted: Sequence[tuple[int, float]], lang: str = "fr",
                 decimals: int = 1) -> dict[str, Any]:
    """One area's series: its published values and, for single years, its fitted trend.

    ``rows``: the area's indicator rows by period (``year_start``, ``year_end``, ``col`` and
    its ``_low``/``_high`` limits); a period is placed at its middle year. Points are
    [x, value, low, high, description] (positions to 2 decimals; « 2015–2019 : 310,0 », the
    value as the tables write it); ``fitted``: (year, fitted rate) pairs, kept for single
    years only."""
    points = []
    for r in rows:
        if is_missing(r[col]):
            continue
        ys, ye = int(r["year_start"]), int(r["year_end"])
        text = fmt_number(r[col], lang, decimals)
        points.append([(ys + ye) / 2 if pooled else ye, _rounded(r[col]),
                       _rounded(r.get(f"{col}_low")), _rounded(r.get(f"{col}_high")),
                       f"{period_label((ys, ye))}{colon(lang)}{text}"])
    return {"name": name, "colour": colour, "points": points,
            "fitted": [] if pooled else [[int(year), _rounded(value)] for year, value in fitted]}


def trend_chart(series: Sequence[dict[str, Any]], y_title: str, label: str,
                texts: Mapping[str, str], lang: str) -> dict[str, Any]:
    """What :class:`components.TrendChart` draws: the series (:func:`trend_series`; one
    without a published value is named in the legend only), the axis title, the chart's
    accessible name ``label``, the page's separators and ``texts``: ``empty`` (shown when no
    series has a value), ``fittedLabel`` and ``legendLabel`` (the legend's key of the fitted
    trends and its accessible name), ``noValue`` (beside an area without a value)."""
    return {"series": list(series), "axisTitle": y_title, "label": label,
            "separators": separators(lang), **texts}


def colour(i: int) -> str:
    """Series colour ``i`` (France is 0)."""
    return SERIES[i % len(SERIES)]
