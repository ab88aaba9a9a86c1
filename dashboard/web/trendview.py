"""Time series of several areas with joinpoint trends: figure, summary and tables.

Shared by the Évolution page and the territory profiles.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dash import html

from dashboard.web import queries
from dashboard.web.components import DataTable, data_table, table_details
from dashboard.web.figures.trends import colour, trend_chart, trend_series
from dashboard.web.formatting import colon, fmt_interval, fmt_number, fmt_percent, period_label
from dashboard.web.i18n import t
from dashboard.web.indicators import INDICATORS, trend_label
from dashboard.web.summaries import trend_summary


@dataclass(frozen=True)
class Area:
    level: str
    code: str
    name: str


def _apc(value: Any, low: Any, high: Any, lang: str) -> str:
    text = fmt_percent(value, lang, 1, sign=True)
    ci = fmt_interval(low, high, lang, 1, percent=True)
    return f"{text} ({ci})" if ci else text


@dataclass(frozen=True)
class SeriesData:
    """What the trend views show of one area's series, as plain values (no language): its
    indicator rows by period, its fitted rates (single years), its trend and segments."""

    rows: tuple[dict[str, Any], ...]
    fitted: tuple[tuple[int, float], ...]
    trend: dict[str, Any] | None
    segments: tuple[dict[str, Any], ...]


@queries.local_cached
def series_data(measure: str, site: str, sex: str, level: str, code: str,
                pooled: bool) -> SeriesData:
    """One area's :class:`SeriesData`, kept in this process. Not to mutate."""
    trend = queries.trend(measure, site, sex, level, code)
    published = trend is not None and trend.get("status") == "published"
    return SeriesData(
        tuple(queries.series(measure, site, sex, level, code, pooled)),
        () if pooled else tuple(queries.trend_fitted(measure, site, sex, level, code)),
        trend, tuple(queries.trend_segments(measure, site, sex, level, code)) if published
        else ())


def trend_row(name: str, data: SeriesData, lang: str) -> list[str]:
    """Label, AAPC, AAPC of the last 5 years and segments (APC) of one area."""
    tr = data.trend
    if not tr or tr.get("status") != "published":
        return [name, t("trend_none", lang), "", "", ""]
    seg_text = ("\u202f; " if lang == "fr" else "; ").join(
        f"{int(s['year_start'])}–{int(s['year_end'])}{colon(lang)}"
        f"{_apc(s['apc'], s['apc_low'], s['apc_high'], lang)}" for s in data.segments)
    return [name, trend_label(tr.get("label"), lang),
            _apc(tr.get("aapc"), tr.get("aapc_low"), tr.get("aapc_high"), lang),
            _apc(tr.get("aapc_last5"), tr.get("aapc_last5_low"), tr.get("aapc_last5_high"),
                 lang), seg_text]


@dataclass
class TrendView:
    chart: dict[str, Any]  # what components.TrendChart draws
    summary: list[str]
    trend_table: DataTable
    data_table: html.Details
    rates: list[dict[str, Any]]  # the indicator rows shown (for the download links)
    trends: list[dict[str, Any]]  # the areas' trends, where fitted


def trend_view(areas: list[Area], measure: str, site: str, sex: str, indicator: str,
               pooled: bool, lang: str, caption: str) -> TrendView:
    """Chart, summary sentences, trend table and data table of the areas' series."""
    ind = INDICATORS[indicator]
    series: list[dict[str, Any]] = []
    summary: list[str] = []
    data_rows: list[list[str]] = []
    others = iter(range(1, len(areas) + 1))
    found = [series_data(measure, site, sex, a.level, a.code, pooled) for a in areas]
    for a, data in zip(areas, found, strict=True):
        col = colour(0 if a.level == "country" else next(others))
        series.append(trend_series(data.rows, indicator, a.name, col, pooled,
                                   data.fitted if indicator == "asr_world" else (), lang,
                                   ind.decimals))
        sentence = trend_summary(a.name, data.rows, indicator, ind.label(lang, measure), lang,
                                 ind.decimals)
        if sentence:
            summary.append(sentence)
        for r in data.rows:
            period = period_label((r["year_start"], r["year_end"]))
            published = r["status"] == "published"
            data_rows.append([f"{a.name}, {period}",
                              fmt_number(r[indicator], lang, ind.decimals) if published
                              else t("suppressed", lang),
                              fmt_interval(r.get(ind.low), r.get(ind.high), lang, ind.decimals)
                              if published and ind.low else "",
                              fmt_number(r["cases"], lang, 0) if published else ""])
    chart = trend_chart(series, ind.axis_title(lang, measure),
                        t("trends_graph_label", lang, title=caption),
                        {"empty": t("no_data", lang), "fittedLabel": t("fitted", lang),
                         "legendLabel": t("trend_legend", lang),
                         "noValue": t("trend_no_value", lang)}, lang)
    cases = t("deaths" if measure == "mortality" else "cases", lang)
    first_col = t("area", lang) + ", " + t("period", lang).lower()
    table = data_table([first_col, ind.label(lang, measure), t("interval", lang), cases],
                       data_rows, caption)
    ttable = data_table([t("area", lang), t("trend_label", lang), t("aapc", lang),
                         t("aapc_last5", lang), t("segments", lang)],
                        [trend_row(a.name, d, lang) for a, d in zip(areas, found, strict=True)],
                        t("trend_table_title", lang), [False, False, True, True, False],
                        stack=True)
    return TrendView(chart, summary, ttable, table_details(table, lang),
                     [r for data in found for r in data.rows],
                     [data.trend for data in found if data.trend])
