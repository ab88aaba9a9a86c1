"""Rates by deprivation quintile, and an inequality statistic over time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dashboard.web.figures.common import ACCENT, separators
from dashboard.web.figures.trends import trend_chart, trend_series
from dashboard.web.formatting import colon, fmt_interval, fmt_number, is_missing


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


def statistic_over_time_chart(rows: Sequence[Mapping[str, Any]], name: str, y_title: str,
                              label: str, empty: str, reference: float | None,
                              lang: str) -> dict[str, Any]:
    """What :class:`components.TrendChart` draws of a statistic (e.g. rate ratio) by year with
    its interval (records with ``year``, ``value``, ``low`` and ``high``): one series, values
    to 2 decimals, a dashed line at ``reference``, a scale around the values (not from 0), no
    legend, 300 px high."""
    by_year = [{"year_start": r["year"], "year_end": r["year"], "value": r["value"],
                "value_low": r["low"], "value_high": r["high"]} for r in rows]
    series = trend_series(by_year, "value", name, ACCENT, False, (), lang, decimals=2)
    return {**trend_chart([series], y_title, label, {"empty": empty}, lang),
            "reference": reference, "fromZero": False, "legend": False, "height": 300}
