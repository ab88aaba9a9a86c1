"""Funnel-plot limits against the exact Poisson quantile definition (Spiegelhalter 2005)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dashboard.stats.funnel import poisson_interpolated_quantile, sir_limits


def _interpolated_quantile_by_hand(p: float, mu: float) -> float:
    """Spiegelhalter (2005, Appendix A.1.1), written out with a plain loop over the
    Poisson probabilities: r_p = min{r : F(r) ≥ p}, a = (F(r_p) − p)/(F(r_p) − F(r_p − 1)),
    y_p = r_p − a (floored at 0)."""
    log_pmf = -mu  # log P(Y = 0)
    cdf_prev, cdf, r = 0.0, math.exp(log_pmf), 0
    while cdf < p:
        r += 1
        log_pmf += math.log(mu) - math.log(r)
        cdf_prev, cdf = cdf, cdf + math.exp(log_pmf)
    a = (cdf - p) / (cdf - cdf_prev)
    return max(r - a, 0.0)


E_VALUES = [0.05, 0.3, 1.0, 2.5, 4.2, 10.0, 17.3, 50.0, 123.4, 500.0]


@pytest.mark.parametrize("conf", [0.95, 0.998])
def test_limits_match_definition(conf):
    a = (1 - conf) / 2
    e = np.array(E_VALUES)
    low, high = sir_limits(e, conf)
    for i, mu in enumerate(E_VALUES):
        assert low[i] == pytest.approx(
            _interpolated_quantile_by_hand(a, mu) / mu, rel=1e-7, abs=1e-12
        )
        assert high[i] == pytest.approx(_interpolated_quantile_by_hand(1 - a, mu) / mu, rel=1e-7)


def test_interpolated_quantile_brackets_discrete_quantile():
    """y_p lies in (r_p − 1, r_p] where r_p is the ordinary Poisson quantile."""
    from scipy import stats

    mu = np.geomspace(0.01, 2000, 300)
    for p in (0.001, 0.025, 0.975, 0.999):
        y = poisson_interpolated_quantile(p, mu)
        r = stats.poisson.ppf(p, mu)
        assert np.all(y <= r + 1e-9)
        assert np.all((y > r - 1 - 1e-9) | (y == 0))


def test_limits_shape_and_ordering():
    e = np.geomspace(0.5, 5000, 200)
    lo95, hi95 = sir_limits(e, 0.95)
    lo998, hi998 = sir_limits(e, 0.998)
    assert np.all(lo998 <= lo95) and np.all(lo95 <= 1) and np.all(hi95 >= 1)
    assert np.all(hi998 >= hi95)
    # funnel narrows: upper limit decreases with E, and approaches 1 ± z/√E for large E
    assert np.all(np.diff(hi95[e > 5]) < 0)
    big = e > 2000
    np.testing.assert_allclose(hi95[big], 1 + 1.96 / np.sqrt(e[big]), rtol=3e-3)
    np.testing.assert_allclose(lo998[big], 1 - 3.09 / np.sqrt(e[big]), rtol=3e-3)


@pytest.mark.filterwarnings("error")
def test_zero_or_missing_expected():
    low, high = sir_limits(np.array([0.0, np.nan, -1.0, 3.0]), 0.95)
    assert np.isnan(low[:3]).all() and np.isnan(high[:3]).all()
    assert np.isfinite(low[3]) and np.isfinite(high[3])
