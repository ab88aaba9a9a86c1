"""Expected counts, SIRs and their flags."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from dashboard.stats.sir import expected, sir, sir_flag


def test_sir_worked_example():
    """O = 10, E = 5: SIR = 2.0 with exact 95 % CI (4.795/5, 18.39/5) = (0.959, 3.678),
    from the Garwood limits for 10 events (Breslow & Day 1987, Vol. II, Table 2.10)."""
    s, lo, hi = sir(10, 5)
    assert s == 2.0
    assert lo == pytest.approx(0.959, abs=5e-4)
    assert hi == pytest.approx(3.678, abs=5e-4)


def test_sir_chi_square_definition():
    o = np.array([0, 1, 3, 17, 250], dtype=float)
    e = np.array([2.0, 0.4, 7.5, 9.1, 260.0])
    for conf in (0.95, 0.99):
        a = (1 - conf) / 2
        s, lo, hi = sir(o, e, conf)
        np.testing.assert_allclose(s, o / e, rtol=1e-15)
        exp_lo = np.where(o > 0, stats.chi2.ppf(a, 2 * np.maximum(o, 1)) / (2 * e), 0.0)
        np.testing.assert_allclose(lo, exp_lo, rtol=1e-9)
        np.testing.assert_allclose(hi, stats.chi2.ppf(1 - a, 2 * o + 2) / (2 * e), rtol=1e-9)


@pytest.mark.filterwarnings("error")
def test_sir_zero_observed_and_zero_expected():
    s, lo, hi = sir([0, 4, 3, np.nan], [2.0, 0.0, np.nan, 1.0])
    assert s[0] == 0 and lo[0] == 0
    assert hi[0] == pytest.approx(3.688879454113936 / 2, rel=1e-12)
    assert np.isnan(s[1:]).all() and np.isnan(lo[1:]).all() and np.isnan(hi[1:]).all()


def test_expected_one_and_two_dimensional_rates():
    pop = np.array([[1000, 2000, 500], [10, 0, 40]], dtype=float)
    ref = np.array([1e-4, 5e-4, 2e-3])
    # by hand: 0.1 + 1.0 + 1.0 = 2.1 ; 0.001 + 0 + 0.08 = 0.081
    np.testing.assert_allclose(expected(pop, ref), [2.1, 0.081], rtol=1e-12)
    ref2 = np.array([[1e-4, 5e-4, 2e-3], [1e-3, 1e-3, 1e-3]])
    np.testing.assert_allclose(expected(pop, ref2), [2.1, 0.05], rtol=1e-12)
    with pytest.raises(ValueError):
        expected(pop, ref[:2])


def test_sir_flag():
    low = np.array([1.2, 0.5, 0.8, np.nan, 1.0])
    high = np.array([2.0, 0.9, 1.3, 2.0, 1.5])
    flags = sir_flag(low, high)
    assert flags.tolist() == ["higher", "lower", "not_different", "not_different", "not_different"]
    assert sir_flag(low, high, missing="")[3] == ""
    # flags from computed limits: 30 observed vs 10 expected is clearly higher
    _, lo, hi = sir([30, 2, 10], [10, 10, 10])
    assert sir_flag(lo, hi).tolist() == ["higher", "lower", "not_different"]
