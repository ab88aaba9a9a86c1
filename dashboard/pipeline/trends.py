"""Joinpoint trends of world-standardised rates over the single years of each series.

A trend is fitted only when every year of its series is published with a positive rate (a
trend through hidden years would be a statistic depending on hidden counts). The fit uses the
published (rounded) rates and intervals only, so a trend is a function of published figures.
Standard errors for the weighted fit come from each year's Tiwari interval:
(high − low) / (2 × 1.96).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.pipeline.precision import round_table
from dashboard.stats.joinpoint import classify_trend, fit_many

SERIES = ["measure", "level", "geo_code", "sex", "site_code"]
Z95 = 1.959963984540054


def trend_tables(indicator: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """``trend``, ``trend_segment`` and ``trend_fitted`` from the indicator table."""
    singles = indicator[indicator["year_start"] == indicator["year_end"]]
    years = np.sort(singles["year_start"].unique())
    wide = singles.pivot_table(index=SERIES, columns="year_start",
                               values=["asr_world", "asr_world_low", "asr_world_high"],
                               aggfunc="first", dropna=False)
    status = singles.assign(ok=singles["status"].eq("published")).pivot_table(
        index=SERIES, columns="year_start", values="ok", aggfunc="first")
    wide = wide.reindex(status.index)
    rate = wide["asr_world"].reindex(columns=years).to_numpy(float)
    se = ((wide["asr_world_high"] - wide["asr_world_low"]).reindex(columns=years)
          .to_numpy(float) / (2 * Z95))
    complete = status.reindex(columns=years).fillna(False).to_numpy(bool).all(axis=1)
    complete &= np.isfinite(rate).all(axis=1) & (rate > 0).all(axis=1) & (se > 0).all(axis=1)
    fits = [None] * len(rate)
    index = np.flatnonzero(complete)
    if index.size:
        for i, f in zip(index, fit_many(years, rate[index], se[index]), strict=True):
            fits[i] = f
    trend, segments, fitted = [], [], []
    for key, fit in zip(status.index, fits, strict=True):
        if fit is None:
            trend.append([*key, years[0], years[-1], None, None, None, None, None, None, None,
                          None, "suppressed"])
            continue
        trend.append([*key, years[0], years[-1], fit.n_joinpoints, fit.aapc, fit.aapc_low,
                      fit.aapc_high, fit.aapc_last5, fit.aapc_last5_low, fit.aapc_last5_high,
                      classify_trend(fit.aapc_low, fit.aapc_high), "published"])
        for n, seg in enumerate(fit.segments, start=1):
            segments.append([*key, n, int(seg.start), int(seg.end), seg.apc, seg.low, seg.high])
        for y, v in zip(years, fit.fitted, strict=True):
            fitted.append([*key, int(y), float(v)])
    trend_cols = [*SERIES, "year_start", "year_end", "joinpoints", "aapc", "aapc_low",
                  "aapc_high", "aapc_last5", "aapc_last5_low", "aapc_last5_high", "label",
                  "status"]
    out = {
        "trend": pd.DataFrame(trend, columns=trend_cols),
        "trend_segment": pd.DataFrame(segments, columns=[*SERIES, "segment", "year_start",
                                                         "year_end", "apc", "apc_low",
                                                         "apc_high"]),
        "trend_fitted": pd.DataFrame(fitted, columns=[*SERIES, "year", "asr_world_fitted"]),
    }
    out["trend"]["joinpoints"] = out["trend"]["joinpoints"].astype("Int16")
    for col in ("aapc", "aapc_low", "aapc_high", "aapc_last5", "aapc_last5_low",
                "aapc_last5_high"):
        out["trend"][col] = pd.to_numeric(out["trend"][col], errors="coerce")
    return {name: round_table(frame, name) for name, frame in out.items()}
