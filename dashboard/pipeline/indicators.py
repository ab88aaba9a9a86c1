"""Indicator values of the published cells: rates, standardised rates, SIR, smoothed SIR.

Every statistic is one of ``dashboard.stats``; this module only arranges the cells. Values of
suppressed cells are withheld (NULL); the smoothed SIR's hyper-parameters are estimated on the
published cells only, so no published value depends on a hidden count.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.pipeline.cells import KEYS, CellTable
from dashboard.stats import rates, sir, smoothing, standardise
from dashboard.stats.standard_populations import weights

STANDARDS = {"world": "world", "europe": "europe"}
GROUP = ["measure", "level", "sex", "site_code", "year_start", "year_end"]


def standardised(counts: np.ndarray, population: np.ndarray) -> dict[str, np.ndarray]:
    """World and European standardised rates with Tiwari et al. (2006) intervals."""
    out = {}
    for name, standard in STANDARDS.items():
        rate, low, high = standardise.dsr(counts, population, weights(standard), method="tiwari")
        out[f"asr_{name}"], out[f"asr_{name}_low"], out[f"asr_{name}_high"] = rate, low, high
    return out


def national_reference(cells: CellTable) -> np.ndarray:
    """For every cell, the row index of France for the same measure, sex, site and period."""
    keys = cells.keys
    on = [c for c in GROUP if c != "level"]
    national = keys[keys["level"] == "country"].reset_index()
    merged = keys[on].merge(national[[*on, "index"]], on=on, how="left", validate="m:1")
    return merged["index"].to_numpy()


def expected_counts(cells: CellTable) -> np.ndarray:
    """Expected cases with France's age-specific rates (NaN for France itself)."""
    ref = national_reference(cells)
    with np.errstate(divide="ignore", invalid="ignore"):
        nat_rates = np.where(cells.population[ref] > 0,
                             cells.counts[ref] / cells.population[ref], 0.0)
    exp = sir.expected(cells.population, nat_rates)
    return np.where(cells.keys["level"].to_numpy() == "country", np.nan, exp)


def smoothed_sir(frame: pd.DataFrame, published: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Empirical Bayes SIR per (measure, level, sex, site, period), fitted on published areas."""
    smooth = np.full(len(frame), np.nan)
    prob = np.full(len(frame), np.nan)
    usable = published & (frame["level"] != "country").to_numpy() & (frame["expected"] > 0)
    sub = frame[usable]
    for _, idx in sub.groupby(GROUP, sort=False).indices.items():
        rows = sub.index.to_numpy()[idx]
        if len(rows) < 3:
            continue
        fit = smoothing.empirical_bayes(frame["cases"].to_numpy()[rows],
                                        frame["expected"].to_numpy()[rows])
        smooth[rows], prob[rows] = fit.smoothed, fit.prob_above_1
    return smooth, prob


def indicator_table(cells: CellTable, published: np.ndarray) -> pd.DataFrame:
    """The ``indicator`` release table for the cells (``published``: boolean mask)."""
    frame = cells.keys[KEYS].copy()
    cases = cells.cases
    population = cells.population.sum(axis=1)
    frame["cases"] = cases
    frame["population"] = population
    frame["crude_rate"], frame["crude_rate_low"], frame["crude_rate_high"] = rates.crude_rate(
        cases, population)
    for name, values in standardised(cells.counts, cells.population).items():
        frame[name] = values
    frame["expected"] = expected_counts(cells)
    frame["sir"], frame["sir_low"], frame["sir_high"] = sir.sir(cases, frame["expected"])
    flag = sir.sir_flag(frame["sir_low"], frame["sir_high"], missing="")
    frame["sir_flag"] = pd.Series(flag, index=frame.index).replace("", None)
    frame["sir_smoothed"], frame["sir_prob_above"] = smoothed_sir(frame, published)
    frame["status"] = np.where(published, "published", "suppressed")
    return withhold(frame, published, keep=[*KEYS, "population", "status"])


def withhold(frame: pd.DataFrame, published: np.ndarray, keep: list[str]) -> pd.DataFrame:
    """Blank every value column of unpublished rows (keys, population and status stay)."""
    hidden = ~published
    for col in frame.columns:
        if col in keep:
            continue
        if frame[col].dtype.kind in "iu":
            frame[col] = frame[col].astype("Int64")
        elif frame[col].dtype.kind not in "f":
            frame[col] = frame[col].astype(object)
        frame.loc[hidden, col] = None
    return frame
