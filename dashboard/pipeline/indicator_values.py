"""Indicator values of the published cells: rates, standardised rates, SIR, smoothed SIR, and
France's age-specific table.

Every statistic is one of ``dashboard.stats``; this module only arranges the cells. Values of
suppressed cells are withheld (NULL), and so are standardised rates whose cell did not pass the
rate check (``asr_status = withheld``, see ``dashboard.disclosure.rates``). Expected counts use
France's published age-specific rates (``age_specific``): for age groups whose count is hidden,
the pooled rate of the hidden groups, which follows from the published total and groups. So
expected counts, SIRs and the smoothed SIRs (fitted on published cells only) are functions of
published figures and reveal nothing more.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.disclosure.rates import published_rates
from dashboard.pipeline.precision import round_table
from dashboard.pipeline.published_cells import KEYS, CellTable
from dashboard.stats import rates, sir, smoothing

GROUP = ["measure", "level", "sex", "site_code", "year_start", "year_end"]
SERIES = ["measure", "sex", "site_code", "year_start", "year_end"]
N_AGES = 18


def standardised(counts: np.ndarray, population: np.ndarray, standards: tuple[str, ...]
                 ) -> dict[str, np.ndarray]:
    """Standardised rates with Tiwari et al. (2006) intervals, as published (rounded)."""
    out: dict[str, np.ndarray] = {}
    for standard in standards:
        out.update(published_rates(counts, population, standard))
    return out


def age_table(cells: CellTable, published: np.ndarray) -> pd.DataFrame:
    """The ``age_specific`` release table (France's counts and rates by age group)."""
    frame = cells.keys.copy()
    cases = cells.cases
    population = cells.population.sum(axis=1)
    frame["cases"] = cases
    frame["population"] = population
    frame["rate"], frame["rate_low"], frame["rate_high"] = rates.crude_rate(cases, population)
    frame["status"] = np.where(published, "published", "suppressed")
    frame = withhold(frame, published, keep=[*KEYS, "age_group", "age_start", "population",
                                             "status"])
    return round_table(frame, "age_specific")


def reference_rates(ages: CellTable, published: np.ndarray, totals: pd.Series
                    ) -> pd.DataFrame:
    """France's age-specific rates per person-year by series (18 columns), as the public
    can compute them from the release: published age groups at their own rate, hidden groups
    at the pooled rate of the hidden groups (the published series total minus the published
    groups, over their person-years). Series without a published total (their age table is
    then withheld) are absent. ``totals``: France's published totals indexed by series.
    """
    keys = ages.keys[SERIES]
    cases = ages.cases.astype(float)
    pop = ages.population.sum(axis=1)
    order = np.lexsort((ages.keys["age_start"].to_numpy(),
                        *(keys[c].to_numpy() for c in reversed(SERIES))))
    rows = []
    for start in range(0, len(order), N_AGES):
        idx = order[start:start + N_AGES]
        key = tuple(keys.iloc[idx[0]])
        total = totals.get(key, np.nan)
        if not np.isfinite(total):
            continue
        p = published[idx]
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(p & (pop[idx] > 0), cases[idx] / pop[idx], 0.0)
            hidden_pop = pop[idx][~p].sum()
            if (~p).any() and hidden_pop > 0:
                rate[~p] = (total - cases[idx][p].sum()) / hidden_pop
        rows.append([*key, *rate])
    return pd.DataFrame(rows, columns=[*SERIES, *range(N_AGES)]).set_index(SERIES)


def expected_counts(cells: CellTable, reference: pd.DataFrame) -> np.ndarray:
    """Expected cases with France's reference rates (NaN for France itself, and where the
    series has no public reference)."""
    keys = cells.keys[SERIES]
    ref = reference.reindex(pd.MultiIndex.from_frame(keys)).to_numpy(float)
    exp = sir.expected(cells.population, ref)
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


def indicator_table(cells: CellTable, published: np.ndarray, rates_published: np.ndarray,
                    reference: pd.DataFrame) -> pd.DataFrame:
    """The ``indicator`` release table for the cells.

    ``published``: the cell's count is published; ``rates_published``: so are its world
    standardised rates (the European ones are published for France only, where its age
    table is public); ``reference``: France's reference rates (``reference_rates``).
    """
    frame = cells.keys[KEYS].copy()
    cases = cells.cases
    population = cells.population.sum(axis=1)
    frame["cases"] = cases
    frame["population"] = population
    frame["crude_rate"], frame["crude_rate_low"], frame["crude_rate_high"] = rates.crude_rate(
        cases, population)
    for name, values in standardised(cells.counts, cells.population,
                                     ("world", "europe")).items():
        frame[name] = values
    frame["expected"] = expected_counts(cells, reference)
    europe = (rates_published & (frame["level"] == "country").to_numpy()
              & pd.MultiIndex.from_frame(frame[SERIES]).isin(reference.index))
    for col in ("asr_world", "asr_world_low", "asr_world_high"):
        frame.loc[~rates_published, col] = np.nan
    for col in ("asr_europe", "asr_europe_low", "asr_europe_high"):
        frame.loc[~europe, col] = np.nan
    frame["sir"], frame["sir_low"], frame["sir_high"] = sir.sir(cases, frame["expected"])
    flag = sir.sir_flag(frame["sir_low"], frame["sir_high"], missing="")
    frame["sir_flag"] = pd.Series(flag, index=frame.index).replace("", None)
    frame["sir_smoothed"], frame["sir_prob_above"] = smoothed_sir(frame, published)
    frame["status"] = np.where(published, "published", "suppressed")
    frame["asr_status"] = np.where(published & rates_published, "published", "withheld")
    frame = withhold(frame, published, keep=[*KEYS, "population", "status", "asr_status"])
    return round_table(frame, "indicator")


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
