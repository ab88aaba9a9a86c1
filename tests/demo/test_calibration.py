"""The demo registry's national rates reproduce the published French figures."""

import numpy as np
import pytest

from dashboard.demo import calibration
from dashboard.demo.generator import reference_population
from dashboard.demo.territory import OVERSEAS, population_quintiles
from dashboard.stats.standard_populations import weights

YEARS = np.arange(2010, 2024)


@pytest.fixture(scope="module")
def metro_population() -> dict[str, np.ndarray]:
    pop = reference_population(range(2010, 2024))
    pop = pop[~pop.department.isin(OVERSEAS)]
    out = {}
    for sex, code in (("male", 1), ("female", 2)):
        table = pop[pop.sex == code].pivot_table(index="age_group", columns="year",
                                                 values="population", aggfunc="sum")
        out[sex] = table.to_numpy()
    return out


@pytest.fixture(scope="module")
def calibrations(metro_population):
    return {(m, s): calibration.calibrate(m, s, metro_population[s], YEARS)
            for m in ("incidence", "mortality") for s in ("male", "female")}


def published_rows(statistic):
    pub = calibration.published_figures()
    rows = pub[(pub.statistic == statistic) & (pub.sex != "all")]
    return [r for r in rows.itertuples() if str(r.year).isdigit() and 2010 <= int(r.year) <= 2023]


def test_every_published_count_is_reproduced(calibrations, metro_population):
    rows = published_rows("cases") + published_rows("deaths")
    assert len(rows) >= 25
    for r in rows:
        cal = calibrations[(r.measure, r.sex)]
        rates = (sum(cal.rates.values()) if r.site == "all" else cal.rates[r.site])
        i = int(r.year) - 2010
        simulated = (rates[:, i] * metro_population[r.sex][:, i]).sum()
        assert simulated == pytest.approx(r.value, rel=0.005), (r.site, r.sex, r.year)


def test_all_cancer_world_standardised_rates(calibrations):
    rows = [r for r in published_rows("asr_world") if r.site == "all"]
    assert len(rows) == 8
    w = weights("world")
    for r in rows:
        cal = calibrations[(r.measure, r.sex)]
        asr = sum(cal.rates.values())[:, int(r.year) - 2010] @ w * 1e5
        assert asr == pytest.approx(r.value, rel=0.005), (r.measure, r.sex, r.year)


@pytest.mark.parametrize(("measure", "site", "sex", "apc"), [
    ("incidence", "lung", "female", 4.3),      # Lapôtre-Ledoux et al. 2023, 2010-2023
    ("incidence", "breast", "female", 0.3),
    ("incidence", "prostate", "male", -1.1),
    ("incidence", "pancreas", "female", 3.8),  # Defossez et al. 2019, 1990-2018
    ("mortality", "lung", "male", -2.5),
])
def test_site_trends_follow_published_direction_and_size(calibrations, measure, site, sex, apc):
    rates = calibrations[(measure, sex)].rates[site]
    asr = rates.T @ weights("world") * 1e5
    slope = np.polyfit(YEARS, np.log(asr), 1)[0]
    assert 100 * np.expm1(slope) == pytest.approx(apc, abs=1.0)


def test_age_shapes_peak_where_set():
    shape = calibration.age_shape(peak=32, k=8)
    assert calibration.MID_AGES[np.argmax(shape)] == pytest.approx(32, abs=5)


def test_population_quintiles_hold_a_fifth_each():
    rng = np.random.default_rng(1)
    import pandas as pd

    score = pd.Series(rng.normal(size=2000))
    pop = pd.Series(rng.lognormal(6, 1.5, 2000))
    q = population_quintiles(score, pop)
    shares = pop.groupby(q).sum() / pop.sum()
    assert np.allclose(shares, 0.2, atol=0.03)
    assert score.groupby(q).mean().is_monotonic_increasing
