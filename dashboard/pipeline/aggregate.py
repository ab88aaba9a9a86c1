"""Aggregate validated events into dense count and person-year arrays.

Counts: (site slot, department, deprivation quintile 0-5, sex, age group, year) per measure,
where slot is every published site except 'all', plus 'other' (cancers of no published site);
quintile 0 means the commune has no deprivation index. Person-years: (department, quintile,
sex, age group, year): INSEE's department population split between quintiles in proportion
to the municipal populations of the communes in each quintile (INSEE publishes no age
structure by commune for every year; the department's age structure is assumed in each
quintile).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.pipeline.ingest import Sources
from dashboard.reference_data import communes, departments, sites
from dashboard.sources.ages import N_AGE_GROUPS, age_group_of_age

MEASURES = {"incidence": "cases", "mortality": "deaths"}
N_QUINTILES = 6  # 0 = unknown, 1..5


def site_slots() -> list[str]:
    """Sites counted separately: every published site but 'all', then 'other'."""
    return [s for s in sites()["site_code"] if s != "all"] + ["other"]


@dataclass
class Aggregates:
    """Dense counts and person-years (see the module docstring for the axes)."""

    years: np.ndarray
    departments: list[str]
    slots: list[str]
    counts: dict[str, np.ndarray]
    population: np.ndarray
    quintile_share: np.ndarray  # (department, quintile): share of the population


def commune_quintiles(sources: Sources) -> pd.Series:
    """Deprivation quintile of each current commune (first record wins for a commune)."""
    dep = sources.deprivation.accepted
    return dep.drop_duplicates("commune").set_index("commune")["quintile"]


def quintile_shares(quintiles: pd.Series, deps: list[str]) -> np.ndarray:
    """Share of each department's municipal population living in each quintile (0 = unknown)."""
    ref = communes()
    com = ref[ref["type"] == "COM"]
    pop = pd.to_numeric(com["population_2017"], errors="coerce").fillna(1000.0).clip(lower=1)
    q = quintiles.reindex(com["code"]).fillna(0).astype(int).to_numpy()
    share = np.zeros((len(deps), N_QUINTILES))
    np.add.at(share, (pd.Index(deps).get_indexer(com["department"]), q), pop.to_numpy())
    return share / share.sum(axis=1, keepdims=True)


def count_events(events: pd.DataFrame, quintiles: pd.Series, deps: list[str],
                 slots: list[str], years: np.ndarray) -> np.ndarray:
    """Count accepted events into (slot, department, quintile, sex, age, year)."""
    shape = (len(slots), len(deps), N_QUINTILES, 2, N_AGE_GROUPS, len(years))
    index = np.ravel_multi_index((
        pd.Index(slots).get_indexer(events["site_code"]),
        pd.Index(deps).get_indexer(events["department"]),
        quintiles.reindex(events["commune"].to_numpy()).fillna(0).astype(int).to_numpy(),
        events["sex"].to_numpy(np.int64) - 1,
        age_group_of_age(events["age"].to_numpy()),
        events["year"].to_numpy(np.int64) - years[0],
    ), shape)
    return np.bincount(index, minlength=int(np.prod(shape))).reshape(shape)


def aggregate(sources: Sources) -> Aggregates:
    """Dense arrays of counts (both measures) and person-years."""
    years = np.arange(sources.years.start, sources.years.stop)
    deps = list(departments()["code"])
    slots = site_slots()
    quintiles = commune_quintiles(sources)
    counts = {
        "incidence": count_events(sources.cases.accepted, quintiles, deps, slots, years),
        "mortality": count_events(sources.deaths.accepted, quintiles, deps, slots, years),
    }
    pop = sources.population
    cube = np.zeros((len(deps), 2, N_AGE_GROUPS, len(years)))
    cube[pd.Index(deps).get_indexer(pop["department"]), pop["sex"].to_numpy() - 1,
         pop["age_group"].to_numpy(), pop["year"].to_numpy() - years[0]] = pop["population"]
    share = quintile_shares(quintiles, deps)
    population = cube[:, None] * share[:, :, None, None, None]
    return Aggregates(years, deps, slots, counts, population, share)
