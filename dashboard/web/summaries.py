"""Plain-language summaries generated from the data (the charts' text alternatives)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from dashboard.web.formatting import fmt_int, fmt_interval, fmt_number, is_missing, period_label
from dashboard.web.i18n import count_areas, t
from dashboard.web.indicators import Indicator


def map_summary(df: pd.DataFrame, ind: Indicator, level: str, measure: str, lang: str,
                france: dict | None) -> list[str]:
    """Highest and lowest area, how many differ from France, how many are suppressed."""
    pub = df.dropna(subset=[ind.code])
    sentences: list[str] = []
    if pub.empty:
        return [t("no_data", lang)]
    hi = pub.loc[pub[ind.code].idxmax()]
    lo = pub.loc[pub[ind.code].idxmin()]
    label = ind.label(lang, measure)
    sentences.append(t("summary_high_low", lang,
                       indicator_cap=label, indicator=label.lower(),
                       high_name=hi["name"], high_value=fmt_number(hi[ind.code], lang,
                                                                   ind.decimals),
                       low_name=lo["name"], low_value=fmt_number(lo[ind.code], lang,
                                                                 ind.decimals)))
    if france is not None and not ind.is_ratio:
        sentences.append(t("summary_france", lang, value=ind.value_text(france, lang)))
    flags = pub.sir_flag.value_counts()
    def count(n: int) -> str:
        return count_areas(n, level, lang)

    sentences.append(t("summary_flags", lang, higher=count(int(flags.get("higher", 0))),
                       lower=count(int(flags.get("lower", 0))),
                       same=count(int(flags.get("not_different", 0)))))
    n_supp = int((df.status == "suppressed").sum())
    if n_supp:
        sentences.append(t("summary_suppressed", lang, n=count(n_supp)))
    return sentences


def trend_summary(name: str, rows: Sequence[Mapping[str, Any]], col: str, label: str, lang: str,
                  decimals: int = 1) -> str | None:
    """« France : taux … de X en 2019 à Y en 2023. » (``rows``: an area's rows by period)."""
    d = [r for r in rows if not is_missing(r[col])]
    if not d:
        return None
    first, last = d[0], d[-1]

    def period(r: Mapping[str, Any]) -> str:
        return period_label((int(r["year_start"]), int(r["year_end"])))

    return t("trends_summary", lang, name=name, indicator=label.lower(),
             first_value=fmt_number(first[col], lang, decimals), first=period(first),
             last_value=fmt_number(last[col], lang, decimals), last=period(last))


def inequality_summary(stats: Sequence[Mapping[str, Any]], lang: str) -> str | None:
    """« Le taux du quintile le plus défavorisé est 1,4 fois celui du moins défavorisé. »
    (``stats``: records of :func:`queries.inequality_stats`)."""
    r = next((r for r in stats if r["statistic"] == "rate_ratio"
              and r["status"] == "published"), None)
    if r is None:
        return None
    return t("ineq_summary", lang, ratio=fmt_number(r["value"], lang, 2),
             ci=fmt_interval(r["low"], r["high"], lang, 2))


def count_text(value: object, lang: str) -> str:
    """A count, or « non diffusable »."""
    text = fmt_int(value, lang)
    return t("suppressed", lang) if text == "—" else text
