"""Deprivation-quintile tables: standardised rates per quintile and inequality summaries.

Summaries compare quintile 5 (most deprived) with quintile 1 (rate ratio and difference of
world-standardised rates) and use all five quintiles (SII, RII). They are computed from the
published (rounded) rates, limits and person-years only, the variances being recovered from
the published intervals: a summary is then a function of published figures and adds nothing
an attacker could use. A summary is withheld when any quintile of its series is suppressed,
has its rates withheld or has a zero rate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.pipeline.indicator_values import standardised, withhold
from dashboard.pipeline.precision import round_table
from dashboard.pipeline.published_cells import KEYS, CellTable
from dashboard.stats import inequality

SII_SIMULATIONS = 2000
SII_SEED = 20240101
STATISTICS = ("rate_ratio", "rate_difference", "sii", "rii")


def quintile_table(cells: CellTable, published: np.ndarray, rates_published: np.ndarray
                   ) -> pd.DataFrame:
    """The ``inequality`` release table (world standardised rates only, where published)."""
    frame = cells.keys[[*KEYS, "quintile"]].copy()
    frame["cases"] = cells.cases
    frame["population"] = cells.population.sum(axis=1)
    for name, values in standardised(cells.counts, cells.population, ("world",)).items():
        frame[name] = np.where(rates_published, values, np.nan)
    for name in ("asr_europe", "asr_europe_low", "asr_europe_high"):
        frame[name] = np.nan
    frame["status"] = np.where(published, "published", "suppressed")
    frame["asr_status"] = np.where(published & rates_published, "published", "withheld")
    frame = withhold(frame, published, keep=[*KEYS, "quintile", "population", "status",
                                             "asr_status"])
    return round_table(frame, "inequality")


def summary_table(table: pd.DataFrame) -> pd.DataFrame:
    """The ``inequality_summary`` table, one row per series and statistic, from the
    published ``inequality`` table (series that have their five quintiles)."""
    complete = table.groupby(KEYS, sort=False)["quintile"].transform("size").eq(5)
    ordered = table[complete].sort_values([*KEYS, "quintile"], kind="stable")
    idx = ordered.index.to_numpy().reshape(-1, 5)  # five quintiles per series, in order

    def grid(col: str) -> np.ndarray:
        return pd.to_numeric(table[col], errors="coerce").to_numpy(float)[idx]

    rate, low, high, pop = grid("asr_world"), grid("asr_world_low"), grid("asr_world_high"), \
        grid("population")
    ok = ((table["status"].to_numpy() == "published")[idx].all(axis=1)
          & np.isfinite(rate).all(axis=1) & (rate > 0).all(axis=1) & (low > 0).all(axis=1))
    var = np.full(rate.shape, np.nan)
    var[ok] = inequality.variance_from_ci(rate[ok], low[ok], high[ok])
    stats = {
        "rate_ratio": inequality.rate_ratio(rate[:, 4], var[:, 4], rate[:, 0], var[:, 0]),
        "rate_difference": inequality.rate_difference(
            rate[:, 4], np.nan_to_num(var[:, 4]), rate[:, 0], np.nan_to_num(var[:, 0])),
    }
    sii = inequality.sii_rii_many(np.where(ok[:, None], rate, np.nan), low, high, pop,
                                  n_sim=SII_SIMULATIONS, seed=SII_SEED)
    stats["sii"] = (sii["sii"], sii["sii_low"], sii["sii_high"])
    stats["rii"] = (sii["rii"], sii["rii_low"], sii["rii_high"])
    keys = table.loc[idx[:, 0], KEYS].reset_index(drop=True)
    parts = []
    for name in STATISTICS:
        value, lo, hi = (np.where(ok, np.asarray(v, dtype=float), np.nan) for v in stats[name])
        parts.append(keys.assign(statistic=name, value=value, low=lo, high=hi,
                                 status=np.where(ok, "published", "suppressed")))
    return round_table(pd.concat(parts, ignore_index=True), "inequality_summary")
