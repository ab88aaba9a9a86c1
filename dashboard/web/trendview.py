"""Time series of several areas with joinpoint trends: figure, summary and tables.

Shared by the Évolution page and the territory profiles.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dash import html

from dashboard.web import queries
from dashboard.web.components import DataTable, data_table, period_label, table_details
from dashboard.web.figures.common import empty_figure
from dashboard.web.figures.trends import colour, series_traces, trends_figure
from dashboard.web.formatting import colon, fmt_interval, fmt_number, fmt_percent
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


def trend_rows(areas: list[Area], measure: str, site: str, sex: str, lang: str) -> list[list[str]]:
    """One row per area: label, AAPC, AAPC of the last 5 years, segments (APC)."""
    rows = []
    for a in areas:
        tr = queries.trend(measure, site, sex, a.level, a.code)
        if not tr or tr.get("status") != "published":
            rows.append([a.name, t("trend_none", lang), "", "", ""])
            continue
        segs = queries.trend_segments(measure, site, sex, a.level, a.code)
        seg_text = ("\u202f; " if lang == "fr" else "; ").join(
            f"{int(s.year_start)}–{int(s.year_end)}{colon(lang)}"
            f"{_apc(s.apc, s.apc_low, s.apc_high, lang)}"
            for s in segs.itertuples())
        rows.append([a.name, trend_label(tr.get("label"), lang),
                     _apc(tr.get("aapc"), tr.get("aapc_low"), tr.get("aapc_high"), lang),
                     _apc(tr.get("aapc_last5"), tr.get("aapc_last5_low"),
                          tr.get("aapc_last5_high"), lang), seg_text])
    return rows


@dataclass
class TrendView:
    figure: dict[str, Any]
    summary: list[str]
    trend_table: DataTable
    data_table: html.Details


def trend_view(areas: list[Area], measure: str, site: str, sex: str, indicator: str,
               pooled: bool, lang: str, caption: str) -> TrendView:
    """Figure, summary sentences, trend table and data table of the areas' series."""
    ind = INDICATORS[indicator]
    traces: list[dict[str, Any]] = []
    summary: list[str] = []
    data_rows: list[list[str]] = []
    others = iter(range(1, len(areas) + 1))
    for a in areas:
        df = queries.series(measure, site, sex, a.level, a.code, pooled)
        fitted = None
        if indicator == "asr_world" and not pooled:
            fitted = queries.trend_fitted(measure, site, sex, a.level, a.code)
        col = colour(0 if a.level == "country" else next(others))
        traces += series_traces(df, indicator, a.name, col, pooled, fitted,
                                t("fitted", lang), lang)
        sentence = trend_summary(a.name, df, indicator, ind.label(lang, measure), lang,
                                 ind.decimals)
        if sentence:
            summary.append(sentence)
        for r in df.to_dict("records"):
            period = period_label((r["year_start"], r["year_end"]))
            published = r["status"] == "published"
            data_rows.append([f"{a.name}, {period}",
                              fmt_number(r[indicator], lang, ind.decimals) if published
                              else t("suppressed", lang),
                              fmt_interval(r.get(ind.low), r.get(ind.high), lang, ind.decimals)
                              if published and ind.low else "",
                              fmt_number(r["cases"], lang, 0) if published else ""])
    y_title = ind.axis_title(lang, measure)
    fig = trends_figure(traces, y_title, lang) if traces else empty_figure(t("no_data", lang))
    cases = t("deaths" if measure == "mortality" else "cases", lang)
    first_col = t("area", lang) + ", " + t("period", lang).lower()
    table = data_table([first_col, ind.label(lang, measure), t("interval", lang), cases],
                       data_rows, caption)
    ttable = data_table([t("area", lang), t("trend_label", lang), t("aapc", lang),
                         t("aapc_last5", lang), t("segments", lang)],
                        trend_rows(areas, measure, site, sex, lang),
                        t("trend_table_title", lang), [False, False, True, True, False],
                        stack=True)
    return TrendView(fig, summary, ttable, table_details(table, lang))
