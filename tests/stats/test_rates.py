"""Poisson intervals and crude rates against published values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from dashboard.stats.intervals import byar, normal_quantile, poisson_exact, tail_probabilities
from dashboard.stats.rates import crude_rate

# Exact (Garwood 1936) 95 % limits for a Poisson count, as tabulated to 3-4 decimals in
# standard tables (e.g. Breslow & Day 1987, Vol. II, Table 2.10; Ulm 1990, Am J Epidemiol
# 131:373; Haenszel et al. 1962 JNCI 28:947).  count: (lower, upper, decimals)
GARWOOD_95 = {
    0: (0.0, 3.689, 3),
    1: (0.0253, 5.572, 3),
    2: (0.242, 7.225, 3),
    3: (0.619, 8.767, 3),
    4: (1.090, 10.242, 3),
    5: (1.623, 11.668, 3),
    10: (4.795, 18.390, 3),
    20: (12.217, 30.888, 3),
    50: (37.111, 65.919, 3),
    100: (81.364, 121.627, 3),
}
# 99 % limits from the same tables.
GARWOOD_99 = {0: (0.0, 5.298, 3), 1: (0.00501, 7.430, 3), 10: (3.717, 21.398, 3)}


@pytest.mark.parametrize(("table", "conf"), [(GARWOOD_95, 0.95), (GARWOOD_99, 0.99)])
def test_poisson_exact_matches_published_tables(table, conf):
    counts = np.array(sorted(table))
    low, high = poisson_exact(counts, conf)
    for i, c in enumerate(counts):
        lo_pub, hi_pub, dec = table[c]
        tol = 0.5 * 10.0**-dec + 1e-12
        # lower limits of small counts are published to 3 significant digits
        lo_tol = max(tol, 0.5e-2 * lo_pub) if lo_pub < 1 else tol
        assert low[i] == pytest.approx(lo_pub, abs=lo_tol), c
        assert high[i] == pytest.approx(hi_pub, abs=tol), c


def test_poisson_exact_equals_chi_square_definition():
    """Independent code path: scipy.stats.chi2 quantiles, χ²(α/2; 2O)/2 and χ²(1−α/2; 2O+2)/2."""
    counts = np.array([0, 1, 2, 7, 33, 250, 1234, 98765], dtype=float)
    for conf in (0.90, 0.95, 0.99, 0.998):
        a = (1 - conf) / 2
        low, high = poisson_exact(counts, conf)
        exp_low = np.where(counts > 0, stats.chi2.ppf(a, 2 * np.maximum(counts, 1)) / 2, 0.0)
        exp_high = stats.chi2.ppf(1 - a, 2 * counts + 2) / 2
        np.testing.assert_allclose(low, exp_low, rtol=1e-9, atol=0)
        np.testing.assert_allclose(high, exp_high, rtol=1e-9)


def test_poisson_exact_zero_and_invalid():
    low, high = poisson_exact(np.array([0.0, -1.0, np.nan]))
    assert low[0] == 0.0
    assert high[0] == pytest.approx(-math.log(0.025), rel=1e-12)  # P(0 | μ) = e^{-μ} = 0.025
    assert np.isnan(low[1:]).all() and np.isnan(high[1:]).all()


def test_conf_validation():
    with pytest.raises(ValueError):
        tail_probabilities(1.0)
    with pytest.raises(ValueError):
        poisson_exact([1, 2], conf=0)
    assert normal_quantile(0.95) == pytest.approx(1.959963984540054, rel=1e-12)


def _byar_by_hand(o: float, z: float) -> tuple[float, float]:
    """Byar's formula written out with the math module (Breslow & Day 1987, p. 69)."""
    low = 0.0 if o == 0 else o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3
    u = o + 1
    high = u * (1 - 1 / (9 * u) + z / (3 * math.sqrt(u))) ** 3
    return low, high


def test_byar_hand_calculation():
    z = 1.959963984540054
    counts = [0, 1, 4, 10, 57, 1000]
    low, high = byar(np.array(counts, dtype=float))
    for i, o in enumerate(counts):
        lo, hi = _byar_by_hand(o, z)
        assert low[i] == pytest.approx(lo, rel=1e-12, abs=1e-15)
        assert high[i] == pytest.approx(hi, rel=1e-12)
    # O = 10 worked by hand: 10·(1 − 1/90 − 1.96/(3√10))³ = 4.7874, 11·(…)³ = 18.391
    assert low[3] == pytest.approx(4.7874, abs=5e-5)
    assert high[3] == pytest.approx(18.391, abs=5e-4)


def test_byar_close_to_exact_for_moderate_counts():
    """Breslow & Day: Byar's approximation is very accurate for O ≥ 10 (here < 0.5 %)."""
    counts = np.arange(10, 500, dtype=float)
    bl, bh = byar(counts)
    el, eh = poisson_exact(counts)
    np.testing.assert_allclose(bl, el, rtol=5e-3)
    np.testing.assert_allclose(bh, eh, rtol=5e-3)


def test_crude_rate_published_example():
    """canregtools::ageadjust documentation example (gigu003.github.io/canregtools):
    225 cases over 4200 person-years → cr 5357.143, cr_lci 4679.972, cr_uci 6104.765
    per 100,000 (exact Poisson limits)."""
    rate, low, high = crude_rate(225, 4200)
    assert rate == pytest.approx(5357.143, abs=5e-4)
    assert low == pytest.approx(4679.972, abs=5e-4)
    assert high == pytest.approx(6104.765, abs=5e-4)


@pytest.mark.filterwarnings("error")
def test_crude_rate_zero_cases_and_zero_population():
    cases = np.array([0, 0, 5, 3, np.nan])
    py = np.array([1000.0, 0.0, 0.0, 2e5, 1e4])
    rate, low, high = crude_rate(cases, py, per=1000)
    assert rate[0] == 0.0 and low[0] == 0.0
    assert high[0] == pytest.approx(3.688879454 * 1000 / 1000, rel=1e-9)
    assert np.isnan(rate[1:3]).all() and np.isnan(low[1:3]).all() and np.isnan(high[1:3]).all()
    assert rate[3] == pytest.approx(3 / 2e5 * 1000)
    assert np.isnan(rate[4]) and np.isnan(high[4])


def test_crude_rate_byar_option_and_bad_method():
    r1 = crude_rate([40], [1e5], method="byar")
    lo, hi = _byar_by_hand(40, 1.959963984540054)
    assert r1[1][0] == pytest.approx(lo, rel=1e-12)
    assert r1[2][0] == pytest.approx(hi, rel=1e-12)
    with pytest.raises(ValueError):
        crude_rate([1], [1], method="wald")


def test_poisson_exact_large_array_path():
    """Large inputs evaluate the quantiles once per distinct count; same results."""
    rng = np.random.default_rng(3)
    counts = rng.poisson(rng.gamma(0.5, 40, 20_000)).astype(float).reshape(200, 100)
    counts[0, :5] = [np.nan, -2, 0, 1, 10]
    low, high = poisson_exact(counts)
    assert low.shape == high.shape == (200, 100)
    assert np.isnan(low[0, :2]).all() and np.isnan(high[0, :2]).all()
    ok = np.isfinite(counts) & (counts >= 0)
    c = counts[ok]
    exp_low = np.where(c > 0, stats.chi2.ppf(0.025, 2 * np.maximum(c, 1)) / 2, 0.0)
    np.testing.assert_allclose(low[ok], exp_low, rtol=1e-9)
    np.testing.assert_allclose(high[ok], stats.chi2.ppf(0.975, 2 * c + 2) / 2, rtol=1e-9)
