"""Tests for dashboard.stats.inequality (known answers computed independently here)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from dashboard.stats.inequality import (
    SIIResult,
    dsr_variance,
    rate_difference,
    rate_ratio,
    ridits,
    sii_rii,
    variance_from_ci,
)

Z95 = stats.norm.ppf(0.975)


# --------------------------------------------------------------------------------------
# DSR variance, ratio and difference
# --------------------------------------------------------------------------------------


def test_dsr_variance_hand_computed():
    counts = np.array([4.0, 10.0, 30.0])
    pop = np.array([20_000.0, 10_000.0, 5_000.0])
    weights = np.array([2.0, 1.0, 1.0])  # normalised: 0.5, 0.25, 0.25
    expected = 1e10 * (0.25 * 4 / 20_000**2 + 0.0625 * 10 / 10_000**2 + 0.0625 * 30 / 5_000**2)
    assert dsr_variance(counts, pop, weights) == pytest.approx(expected, rel=1e-12)
    assert dsr_variance(counts, pop, weights, per=1.0) == pytest.approx(expected / 1e10)
    two = dsr_variance(np.vstack([counts, 2 * counts]), np.vstack([pop, pop]), weights)
    np.testing.assert_allclose(two, [expected, 2 * expected], rtol=1e-12)


def test_dsr_variance_single_stratum_is_poisson():
    # one age group: DSR = c/p * per, var = c/p^2 * per^2
    assert dsr_variance([25.0], [1e4], [1.0]) == pytest.approx(25 / 1e8 * 1e10)


def test_dsr_variance_empty_strata_and_validation():
    # a stratum without population contributes nothing (as in standardise.dsr)
    v = dsr_variance([4.0, 0.0, 9.0], [100.0, 0.0, 300.0], [1.0, 1.0, 2.0], per=1.0)
    assert v == pytest.approx(0.0625 * 4 / 100**2 + 0.25 * 9 / 300**2)
    assert math.isnan(dsr_variance([1.0], [0.0], [1.0]))
    with pytest.raises(ValueError):
        dsr_variance([-1.0, 2.0], [10.0, 10.0], [1.0, 1.0])
    with pytest.raises(ValueError):
        dsr_variance([1.0, 2.0], [10.0, 10.0], [1.0, 1.0, 1.0])


def test_dsr_variance_consistent_with_standardise_module():
    standardise = pytest.importorskip("dashboard.stats.standardise")
    rng = np.random.default_rng(0)
    counts = rng.poisson(20, (4, 18)).astype(float)
    pop = rng.uniform(1e3, 1e5, (4, 18))
    w = rng.uniform(0.5, 2.0, 18)
    v_theirs = standardise.dsr_components(counts, pop, w)[1]
    np.testing.assert_allclose(dsr_variance(counts, pop, w, per=1.0), v_theirs, rtol=1e-12)


def test_rate_ratio_hand_computed():
    rr, lo, hi = rate_ratio(200.0, 100.0, 100.0, 25.0)
    se = math.sqrt(100 / 200**2 + 25 / 100**2)  # sqrt(0.005)
    assert rr == pytest.approx(2.0)
    assert lo == pytest.approx(2.0 * math.exp(-Z95 * se), rel=1e-12)
    assert hi == pytest.approx(2.0 * math.exp(Z95 * se), rel=1e-12)
    assert lo == pytest.approx(1.7412, abs=1e-4)
    assert hi == pytest.approx(2.2973, abs=1e-4)


def test_rate_ratio_conf_and_vectorised():
    rr, lo, hi = rate_ratio(np.array([50.0, 80.0]), np.array([4.0, 9.0]), 40.0, 4.0, conf=0.9)
    z = stats.norm.ppf(0.95)
    se = np.sqrt(np.array([4.0, 9.0]) / np.array([50.0, 80.0]) ** 2 + 4.0 / 1600)
    np.testing.assert_allclose(rr, [1.25, 2.0])
    np.testing.assert_allclose(lo, rr * np.exp(-z * se))
    np.testing.assert_allclose(hi, rr * np.exp(z * se))


def test_rate_ratio_zero_rate_is_nan():
    rr, lo, hi = rate_ratio(0.0, 1.0, 10.0, 1.0)
    assert math.isnan(rr) and math.isnan(lo) and math.isnan(hi)


def test_rate_difference_hand_computed():
    rd, lo, hi = rate_difference(200.0, 100.0, 100.0, 25.0)
    assert rd == pytest.approx(100.0)
    assert lo == pytest.approx(100 - Z95 * math.sqrt(125), rel=1e-12)
    assert hi == pytest.approx(100 + Z95 * math.sqrt(125), rel=1e-12)
    assert lo == pytest.approx(78.087, abs=1e-3)


def test_ratio_from_counts_end_to_end():
    """Two areas, 2 age groups: DSR by hand, variance by dsr_variance, ratio by hand."""
    w = np.array([0.6, 0.4])
    c1, p1 = np.array([30.0, 60.0]), np.array([1e5, 5e4])
    c2, p2 = np.array([20.0, 30.0]), np.array([1e5, 5e4])
    d1 = 1e5 * np.sum(w * c1 / p1)  # 0.6*30 + 0.4*120 = 66
    d2 = 1e5 * np.sum(w * c2 / p2)  # 0.6*20 + 0.4*60 = 36
    assert d1 == pytest.approx(66.0) and d2 == pytest.approx(36.0)
    v1, v2 = dsr_variance(c1, p1, w), dsr_variance(c2, p2, w)
    assert v1 == pytest.approx(0.36 * 30 + 0.16 * 60 * 4)  # per^2 c/p^2 = 30 and 240
    rr, lo, hi = rate_ratio(d1, v1, d2, v2)
    assert rr == pytest.approx(66 / 36)
    assert lo < rr < hi


def test_variance_from_ci_log_scale():
    v = variance_from_ci(100.0, 80.0, 125.0)
    se_log = (math.log(125) - math.log(80)) / (2 * Z95)
    assert v == pytest.approx((100 * se_log) ** 2)
    with pytest.raises(ValueError):
        variance_from_ci(1.0, 0.0, 2.0)


positive = st.floats(0.1, 1e4, allow_nan=False, allow_infinity=False)
variances = st.floats(0.0, 1e4, allow_nan=False, allow_infinity=False)


cvs = st.floats(0.0, 2.0, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(positive, cvs, positive, cvs, st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_ratio_ci_contains_ratio_and_swap_inverts(d1, cv1, d2, cv2, conf):
    v1, v2 = (cv1 * d1) ** 2, (cv2 * d2) ** 2
    rr, lo, hi = rate_ratio(d1, v1, d2, v2, conf)
    assert 0 < lo <= rr * (1 + 1e-12) and rr <= hi * (1 + 1e-12)
    rr2, lo2, hi2 = rate_ratio(d2, v2, d1, v1, conf)
    assert rr2 == pytest.approx(1 / rr, rel=1e-12)
    assert lo2 == pytest.approx(1 / hi, rel=1e-9)
    assert hi2 == pytest.approx(1 / lo, rel=1e-9)


@settings(max_examples=200, deadline=None)
@given(positive, variances, positive, variances)
def test_difference_ci_symmetric_and_swap_negates(d1, v1, d2, v2):
    rd, lo, hi = rate_difference(d1, v1, d2, v2)
    assert lo <= rd <= hi
    assert rd - lo == pytest.approx(hi - rd, rel=1e-9, abs=1e-9)
    rd2, lo2, hi2 = rate_difference(d2, v2, d1, v1)
    assert rd2 == pytest.approx(-rd, abs=1e-9)
    assert lo2 == pytest.approx(-hi, rel=1e-9, abs=1e-9)
    assert hi2 == pytest.approx(-lo, rel=1e-9, abs=1e-9)


# --------------------------------------------------------------------------------------
# ridits and SII / RII
# --------------------------------------------------------------------------------------


def test_ridits_equal_populations():
    np.testing.assert_allclose(ridits([7, 7, 7, 7, 7]), [0.1, 0.3, 0.5, 0.7, 0.9], atol=1e-15)


def test_ridits_unequal_populations():
    pop = [10.0, 20.0, 30.0, 25.0, 15.0]  # shares .1 .2 .3 .25 .15
    np.testing.assert_allclose(ridits(pop), [0.05, 0.2, 0.45, 0.725, 0.925], atol=1e-15)


def _limits(rates, rel=0.1):
    r = np.asarray(rates, dtype=float)
    return r * (1 - rel), r * (1 + rel)


def test_sii_linear_in_ridit_recovers_slope_exactly():
    pop = np.array([12_000.0, 9_000.0, 15_000.0, 8_000.0, 11_000.0])
    x = ridits(pop)
    alpha, beta = 80.0, 40.0
    rates = alpha + beta * x
    lo, hi = _limits(rates)
    res = sii_rii(rates, lo, hi, pop, n_sim=2_000)
    assert isinstance(res, SIIResult)
    assert res.sii == pytest.approx(beta, rel=1e-12)
    assert res.intercept == pytest.approx(alpha, rel=1e-12)
    assert res.mean_rate == pytest.approx(alpha + beta / 2, rel=1e-12)
    assert res.rii == pytest.approx(beta / (alpha + beta / 2), rel=1e-12)
    ratio = sii_rii(rates, lo, hi, pop, n_sim=2_000, rii_method="ratio")
    assert ratio.rii == pytest.approx((alpha + beta) / alpha, rel=1e-12)
    assert ratio.sii == res.sii


def test_sii_sign_positive_when_more_deprived_have_higher_rates():
    pop = np.ones(5)
    up = sii_rii([50, 55, 60, 70, 80], *_limits([50, 55, 60, 70, 80]), pop, n_sim=1_000)
    down = sii_rii([80, 70, 60, 55, 50], *_limits([80, 70, 60, 55, 50]), pop, n_sim=1_000)
    assert up.sii > 0 > down.sii
    assert up.sii == pytest.approx(-down.sii)


def test_sii_matches_weighted_polyfit_and_phe_transformed_regression():
    pop = np.array([21_675.0, 20_065.0, 19_750.0, 24_713.0, 20_112.0])
    rates = np.array([70.5, 71.6, 72.5, 73.5, 73.1])
    res = sii_rii(rates, *_limits(rates, 0.02), pop, n_sim=1_000, rii_method="ratio")
    x = ridits(pop)
    # numpy.polyfit weights multiply the residuals: w = sqrt(population)
    slope, intercept = np.polyfit(x, rates, 1, w=np.sqrt(pop))
    assert res.sii == pytest.approx(slope, rel=1e-10)
    assert res.intercept == pytest.approx(intercept, rel=1e-10)
    # phe_sii form: OLS of y*sqrt(a) on sqrt(a) and x*sqrt(a), no intercept
    a = pop / pop.sum()
    M = np.column_stack([np.sqrt(a), x * np.sqrt(a)])
    (b0, b1), *_ = np.linalg.lstsq(M, rates * np.sqrt(a), rcond=None)
    assert res.sii == pytest.approx(b1, rel=1e-10)
    assert res.rii == pytest.approx((b0 + b1) / b0, rel=1e-10)


def test_sii_simulation_ci_reproducible_and_contains_estimate():
    pop = np.array([1e5, 1.1e5, 0.9e5, 1.05e5, 0.95e5])
    rates = np.array([300.0, 320.0, 345.0, 360.0, 400.0])
    lo = np.array([290.0, 309.0, 333.0, 348.0, 387.0])
    hi = np.array([311.0, 331.0, 357.0, 372.0, 413.0])
    a = sii_rii(rates, lo, hi, pop, seed=123)
    b = sii_rii(rates, lo, hi, pop, seed=123)
    c = sii_rii(rates, lo, hi, pop, seed=124)
    assert a == b
    assert a.sii_low < a.sii < a.sii_high
    assert a.rii_low < a.rii < a.rii_high
    assert c.sii_low != a.sii_low
    assert c.sii_low == pytest.approx(a.sii_low, rel=0.02)


def test_sii_linear_simulation_matches_analytic_normal_ci():
    """On the rate scale the SII is linear in the rates: var = sum c_i^2 se_i^2."""
    pop = np.array([3.0, 2.0, 2.0, 1.5, 1.5])
    rates = np.array([100.0, 104.0, 111.0, 115.0, 126.0])
    se = np.array([3.0, 4.0, 4.0, 5.0, 6.0])
    lo, hi = rates - Z95 * se, rates + Z95 * se
    res = sii_rii(rates, lo, hi, pop, n_sim=400_000, scale="linear", seed=1)
    a = pop / pop.sum()
    x = ridits(pop)
    xbar = a @ x
    c = a * (x - xbar) / np.sum(a * (x - xbar) ** 2)
    sd = math.sqrt(np.sum(c**2 * se**2))
    assert res.sii == pytest.approx(c @ rates, rel=1e-12)
    assert res.sii_low == pytest.approx(res.sii - Z95 * sd, abs=0.01 * sd)
    assert res.sii_high == pytest.approx(res.sii + Z95 * sd, abs=0.01 * sd)


def test_sii_zero_width_inputs_give_point_ci():
    rates = np.array([10.0, 12.0, 13.0, 15.0, 18.0])
    res = sii_rii(rates, rates, rates, np.ones(5), n_sim=1_000)
    assert res.sii_low == pytest.approx(res.sii) and res.sii_high == pytest.approx(res.sii)
    assert res.rii_low == pytest.approx(res.rii) and res.rii_high == pytest.approx(res.rii)


def test_sii_validation():
    r = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    with pytest.raises(ValueError):
        sii_rii(r, r, r, [1, 1, 0, 1, 1])
    with pytest.raises(ValueError):
        sii_rii(r, r, r, [1, 1, 1, 1])
    with pytest.raises(ValueError, match="scale='linear'"):
        sii_rii(np.array([0.0, 2, 3, 4, 5]), np.array([0.0, 1, 2, 3, 4]), r + 1, np.ones(5))
    with pytest.raises(ValueError):
        sii_rii(r, r + 1, r, np.ones(5))
    with pytest.raises(ValueError):
        sii_rii(r, r, r, np.ones(5), rii_method="other")
    # zero rates are fine on the linear scale
    res = sii_rii(
        np.array([0.0, 2, 3, 4, 5]),
        np.array([0.0, 1, 2, 3, 4]),
        r + 1,
        np.ones(5),
        n_sim=1_000,
        scale="linear",
    )
    assert res.sii > 0


quintile_rates = st.lists(st.floats(1.0, 1_000.0), min_size=5, max_size=5)
quintile_pops = st.lists(st.floats(100.0, 1e6), min_size=5, max_size=5)


@settings(max_examples=100, deadline=None)
@given(quintile_rates, quintile_pops, st.floats(-0.9, 1_000.0))
def test_adding_constant_leaves_sii_unchanged(rates, pops, shift):
    r = np.asarray(rates)
    const = shift * r.min()  # keeps every rate positive
    base = sii_rii(r, r * 0.9, r * 1.1, pops, n_sim=1_000, scale="linear")
    moved = sii_rii(r + const, r * 0.9 + const, r * 1.1 + const, pops, n_sim=1_000, scale="linear")
    tol = 1e-9 * (1 + abs(const) + r.max())
    assert moved.sii == pytest.approx(base.sii, abs=tol)
    # same seed, same SEs on the rate scale: identical simulated slopes
    assert moved.sii_low == pytest.approx(base.sii_low, abs=tol)
    assert moved.sii_high == pytest.approx(base.sii_high, abs=tol)
    assert moved.intercept == pytest.approx(base.intercept + const, abs=tol)


@settings(max_examples=50, deadline=None)
@given(quintile_rates, quintile_pops, st.floats(0.1, 100.0))
def test_scaling_rates_scales_sii_and_keeps_rii(rates, pops, factor):
    r = np.asarray(rates)
    base = sii_rii(r, r * 0.9, r * 1.1, pops, n_sim=1_000)
    scaled = sii_rii(r * factor, r * 0.9 * factor, r * 1.1 * factor, pops, n_sim=1_000)
    assert scaled.sii == pytest.approx(base.sii * factor, rel=1e-9, abs=1e-9 * factor)
    assert scaled.rii == pytest.approx(base.rii, rel=1e-9, abs=1e-12)
    assert scaled.rii_low == pytest.approx(base.rii_low, rel=1e-9, abs=1e-12)
