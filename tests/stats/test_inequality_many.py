"""The batched SII/RII agrees with the single-series function it vectorises."""

import numpy as np
import pytest

from dashboard.stats.inequality import sii_rii, sii_rii_many


def test_batched_sii_matches_single_series():
    rng = np.random.default_rng(3)
    rates = rng.uniform(20, 80, (6, 5)).cumsum(axis=1)
    low, high = rates * 0.9, rates * 1.1
    pop = rng.uniform(1e5, 3e5, (6, 5))
    many = sii_rii_many(rates, low, high, pop, n_sim=20_000, seed=1)
    for i in range(6):
        one = sii_rii(rates[i], low[i], high[i], pop[i], n_sim=20_000, seed=2)
        assert many["sii"][i] == pytest.approx(one.sii, rel=1e-12)
        assert many["rii"][i] == pytest.approx(one.rii, rel=1e-12)
        # Different random draws: the simulated limits agree to Monte Carlo error.
        assert many["sii_low"][i] == pytest.approx(one.sii_low, rel=0.02)
        assert many["rii_high"][i] == pytest.approx(one.rii_high, rel=0.02)


def test_batched_sii_marks_unusable_rows():
    rates = np.array([[1.0, 2, 3, 4, 5], [1.0, 0, 3, 4, 5]])
    out = sii_rii_many(rates, rates * 0.9, rates * 1.1, np.ones((2, 5)), n_sim=100)
    assert np.isfinite(out["sii"][0]) and np.isnan(out["sii"][1])
