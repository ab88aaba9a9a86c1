"""Empirical Bayes Poisson-gamma smoothing (Clayton & Kaldor 1987)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize, special, stats

from dashboard.stats.smoothing import empirical_bayes, negbin_loglik

# Scottish lip cancer, 1975-1980, 56 districts: observed and expected cases, as published
# in Clayton & Kaldor (1987, Biometrics 43:671, Table 1) and distributed with the
# WinBUGS/GeoBUGS "Lip cancer" example (E to one decimal).
LIP_O = np.array(
    [9, 39, 11, 9, 15, 8, 26, 7, 6, 20, 13, 5, 3, 8, 17, 9, 2, 7, 9, 7,
     16, 31, 11, 7, 19, 15, 7, 10, 16, 11, 5, 3, 7, 8, 11, 9, 11, 8, 6, 4,
     10, 8, 2, 6, 19, 3, 2, 3, 28, 6, 1, 1, 1, 1, 0, 0],
    dtype=float,
)  # fmt: skip
LIP_E = np.array(
    [1.4, 8.7, 3.0, 2.5, 4.3, 2.4, 8.1, 2.3, 2.0, 6.6, 4.4, 1.8, 1.1, 3.3, 7.8, 4.6,
     1.1, 4.2, 5.5, 4.4, 10.5, 22.7, 8.8, 5.6, 15.5, 12.5, 6.0, 9.0, 14.4, 10.2, 4.8,
     2.9, 7.0, 8.5, 12.3, 10.1, 12.7, 9.4, 7.2, 5.3, 18.8, 15.8, 4.3, 14.6, 50.7, 8.2,
     5.6, 9.3, 88.7, 19.6, 3.4, 3.6, 5.7, 7.0, 4.2, 1.8]
)  # fmt: skip


def test_lip_data_integrity():
    assert LIP_O.size == LIP_E.size == 56
    assert LIP_O.sum() == 536
    assert LIP_E.sum() == pytest.approx(536.2)


@pytest.fixture(scope="module")
def lip():
    return empirical_bayes(LIP_O, LIP_E)


def test_lip_hyperparameters_in_published_neighbourhood(lip):
    """ML gamma prior on the lip data: shape ν ≈ 1.88, rate α ≈ 1.35 (Clayton & Kaldor 1987,
    as quoted to two decimals; the fit on the one-decimal expected values gives
    ν = 1.8795, α = 1.3217)."""
    assert not lip.degenerate
    assert lip.shape == pytest.approx(1.88, abs=0.01)
    assert lip.rate == pytest.approx(1.35, abs=0.035)
    assert lip.prior_mean == pytest.approx(lip.shape / lip.rate)


def test_lip_hyperparameters_equal_brute_force_maximum(lip):
    """Independent maximisation: Nelder-Mead on (ν, α) directly, from another start, with a
    likelihood written out with scipy.stats.nbinom (p = α/(α+E), n = ν)."""

    def negll(p):
        nu, al = p
        if nu <= 0 or al <= 0:
            return np.inf
        return -np.sum(stats.nbinom.logpmf(LIP_O, nu, al / (al + LIP_E)))

    res = optimize.minimize(
        negll, [5.0, 5.0], method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20_000, "maxfev": 40_000},
    )  # fmt: skip
    assert res.success
    assert lip.shape == pytest.approx(res.x[0], rel=1e-5)
    assert lip.rate == pytest.approx(res.x[1], rel=1e-5)

    # and a fine grid around the optimum does not beat it
    nus = np.linspace(lip.shape * 0.95, lip.shape * 1.05, 81)
    als = np.linspace(lip.rate * 0.95, lip.rate * 1.05, 81)
    best = max(negbin_loglik(n, a, LIP_O, LIP_E) for n in nus for a in als)
    assert negbin_loglik(lip.shape, lip.rate, LIP_O, LIP_E) >= best - 1e-9


def test_lip_posterior_quantities(lip):
    nu, al = lip.shape, lip.rate
    np.testing.assert_allclose(lip.smoothed, (nu + LIP_O) / (al + LIP_E), rtol=1e-12)
    expected_prob = stats.gamma.sf(1.0, a=nu + LIP_O, scale=1.0 / (al + LIP_E))
    np.testing.assert_allclose(lip.prob_above_1, expected_prob, rtol=1e-9, atol=1e-14)
    # Skye-Lochalsh (9 observed, 1.4 expected): strongly shrunk from 6.43 but clearly > 1
    assert LIP_O[0] / LIP_E[0] > lip.smoothed[0] > lip.prior_mean
    assert lip.prob_above_1[0] > 0.99


def test_loglik_matches_negative_binomial_pmf():
    nu, al = 1.7, 1.2
    full = np.sum(stats.nbinom.logpmf(LIP_O, nu, al / (al + LIP_E)))
    # negbin_loglik omits Σ [O log E − log O!]
    const = np.sum(special.xlogy(LIP_O, LIP_E) - special.gammaln(LIP_O + 1))
    assert negbin_loglik(nu, al, LIP_O, LIP_E) + const == pytest.approx(full, rel=1e-12)


def test_simulated_recovery():
    """Known generating model: θ ~ Gamma(ν=4, α=5) (mean 0.8, CV 0.5), E ~ U(5, 60)."""
    rng = np.random.default_rng(20240611)
    n = 4000
    e = rng.uniform(5, 60, n)
    theta = rng.gamma(shape=4.0, scale=1 / 5.0, size=n)
    o = rng.poisson(theta * e)
    res = empirical_bayes(o, e)
    assert res.shape == pytest.approx(4.0, rel=0.12)
    assert res.rate == pytest.approx(5.0, rel=0.12)
    assert res.prior_mean == pytest.approx(0.8, rel=0.03)
    # smoothing reduces the mean squared error w.r.t. the true risks
    assert np.mean((res.smoothed - theta) ** 2) < np.mean((o / e - theta) ** 2)


@pytest.mark.filterwarnings("error")
def test_degenerate_no_extra_poisson_variation():
    # observed exactly equal to expected: under-dispersed, the ML prior variance is 0
    e = np.array([3.0, 10, 7, 25, 4, 12, 9, 30])
    res = empirical_bayes(e, e)
    assert res.degenerate
    assert np.isinf(res.shape) and np.isinf(res.rate)
    np.testing.assert_allclose(res.smoothed, 1.0)
    np.testing.assert_allclose(res.prob_above_1, 0.5)
    res2 = empirical_bayes(2 * e, e)  # pooled SIR 2, no variation around it
    np.testing.assert_allclose(res2.smoothed, 2.0)
    np.testing.assert_allclose(res2.prob_above_1, 1.0)
    res3 = empirical_bayes(np.zeros(5), np.full(5, 2.0))
    np.testing.assert_allclose(res3.smoothed, 0.0)
    np.testing.assert_allclose(res3.prob_above_1, 0.0)


@pytest.mark.filterwarnings("error")
def test_zero_or_missing_expected_are_nan():
    o = np.concatenate([LIP_O, [3.0, 0.0, np.nan]])
    e = np.concatenate([LIP_E, [0.0, 0.0, 2.0]])
    res = empirical_bayes(o, e)
    assert np.isnan(res.smoothed[-3:]).all() and np.isnan(res.prob_above_1[-3:]).all()
    ref = empirical_bayes(LIP_O, LIP_E)
    np.testing.assert_allclose(res.smoothed[:56], ref.smoothed, rtol=1e-12)
    assert res.shape == pytest.approx(ref.shape, rel=1e-12)
    empty = empirical_bayes([1.0, 2.0], [0.0, 0.0])
    assert np.isnan(empty.smoothed).all() and np.isnan(empty.shape)
