"""Directly standardised rates and standard populations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from dashboard.stats import standard_populations as sp
from dashboard.stats.standardise import dsr, dsr_components

# ---------------------------------------------------------------------------
# Standard populations
# ---------------------------------------------------------------------------

# Segi (1960) world standard as modified by Doll, Payne & Waterhouse (1966),
# Cancer Incidence in Five Continents vol. I, per 100,000, 0-4 … 80-84, 85+.
SEGI_DOLL = [12000, 10000, 9000, 9000, 8000, 8000, 6000, 6000, 6000, 6000,
             5000, 4000, 4000, 3000, 2000, 1000, 500, 500]  # fmt: skip
# Revised European Standard Population 2013 (Eurostat 2013, Methodologies and working
# papers KS-RA-13-028), 85-89 + 90-94 + 95+ = 1500 + 800 + 200 collapsed to 85+.
ESP2013 = [5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
           7000, 6500, 6000, 5500, 5000, 4000, 2500, 2500]  # fmt: skip


def test_age_groups():
    assert len(sp.AGE_GROUPS) == 18
    assert sp.AGE_GROUPS[0] == "0-4" and sp.AGE_GROUPS[16] == "80-84" and sp.AGE_GROUPS[-1] == "85+"


@pytest.mark.parametrize(("name", "published"), [("world", SEGI_DOLL), ("europe", ESP2013)])
def test_standard_weights_match_published(name, published):
    w = sp.weights(name)
    assert w.shape == (18,)
    assert w.sum() == pytest.approx(1.0, rel=1e-12)
    np.testing.assert_allclose(w, np.array(published) / 100_000, rtol=1e-12)
    np.testing.assert_allclose(sp.population(name), published)


def test_standard_aliases_and_unknown():
    np.testing.assert_array_equal(sp.weights("ESP2013"), sp.weights("europe"))
    np.testing.assert_array_equal(sp.weights("segi"), sp.weights("world"))
    with pytest.raises(ValueError):
        sp.weights("us2000")


def test_weights_are_copies():
    w = sp.weights("world")
    w[:] = 0
    assert sp.weights("world").sum() == pytest.approx(1.0)


# ---------------------------------------------------------------------------
# Published worked examples
# ---------------------------------------------------------------------------


def test_fay_feuer_canregtools_example():
    """canregtools::ageadjust documentation example (gamma method = Fay & Feuer 1997):
    cases (50, 60, 45, 70), pop (1000, 1200, 1100, 900), stdpop (800, 1000, 1100, 900)
    → asr 5394.737, asr_lci 4709.493, asr_uci 6154.046 per 100,000."""
    rate, low, high = dsr(
        [50, 60, 45, 70], [1000, 1200, 1100, 900], [800, 1000, 1100, 900], method="fay_feuer"
    )
    assert rate == pytest.approx(5394.737, abs=5e-4)
    assert low == pytest.approx(4709.493, abs=5e-4)
    assert high == pytest.approx(6154.046, abs=5e-4)


# Fleiss (1981, p. 249) Down's syndrome births by maternal age (rows) and birth order
# (columns 1, 2, 3, 4, 5+), as used in Fay & Feuer (1997, Table I) and the epitools
# ageadjust.direct help page.
FLEISS_POP = np.array(
    [
        [230061, 72202, 15050, 2293, 327],
        [329449, 326701, 175702, 68800, 30666],
        [114920, 208667, 207081, 132424, 123419],
        [39487, 83228, 117300, 98301, 149919],
        [14208, 28466, 45026, 46075, 104088],
        [3052, 5375, 8660, 9834, 34392],
    ],
    dtype=float,
)
FLEISS_COUNT = np.array(
    [
        [107, 25, 3, 1, 0],
        [141, 150, 71, 26, 8],
        [60, 110, 114, 64, 63],
        [40, 84, 103, 89, 112],
        [39, 82, 108, 137, 262],
        [25, 39, 75, 96, 295],
    ],
    dtype=float,
)
# epitools::ageadjust.direct output with the average population of the five birth-order
# columns as standard, as printed in the tidyrates README (rate_adj_direct wraps
# epitools; CRAN tidyrates 0.0.1): adj.rate, lci, uci per person (3 significant digits).
FLEISS_PUBLISHED = [
    (0.000923, 0.000804, 0.00106),
    (0.000912, 0.000824, 0.00101),
    (0.000851, 0.000772, 0.000942),
    (0.000927, 0.000800, 0.00115),
    (0.000755, 0.000677, 0.00188),
]


def test_fay_feuer_fleiss_birth_order_example():
    standard = FLEISS_POP.mean(axis=1)
    # the README's standard population, printed to one decimal
    np.testing.assert_allclose(
        standard, [63986.6, 186263.6, 157302.2, 97647.0, 47572.6, 12262.6], atol=0.05
    )
    rate, low, high = dsr(FLEISS_COUNT.T, FLEISS_POP.T, standard, per=1, method="fay_feuer")
    for i, (r_pub, lo_pub, hi_pub) in enumerate(FLEISS_PUBLISHED):
        for got, pub in ((rate[i], r_pub), (low[i], lo_pub), (high[i], hi_pub)):
            # 3 significant digits: half a unit in the third digit
            assert got == pytest.approx(pub, abs=0.5 * 10 ** (math.floor(math.log10(pub)) - 2))


# ---------------------------------------------------------------------------
# Independent hand calculations (different code path: scipy.stats.gamma.ppf)
# ---------------------------------------------------------------------------

# Two age groups: x = (3, 12), n = (2000, 5000), standard weights (0.4, 0.6).
# u = w/n = (2e-4, 1.2e-4)
# y = 0.4·3/2000 + 0.6·12/5000 = 0.0006 + 0.00144 = 0.00204
# v = (2e-4)²·3 + (1.2e-4)²·12 = 1.2e-7 + 1.728e-7 = 2.928e-7
# u_M = 2e-4; m1 = mean u = 1.6e-4; m2 = mean u² = (4e-8 + 1.44e-8)/2 = 2.72e-8
X2 = [3, 12]
N2 = [2000, 5000]
W2 = [4, 6]  # normalised inside → (0.4, 0.6)
Y, V, UM, M1, M2 = 0.00204, 2.928e-7, 2e-4, 1.6e-4, 2.72e-8


def test_dsr_components_by_hand():
    y, v, u_max, u_mean, u2_mean, total = dsr_components(X2, N2, W2)
    assert y == pytest.approx(Y, rel=1e-12)
    assert v == pytest.approx(V, rel=1e-12)
    assert u_max == pytest.approx(UM, rel=1e-12)
    assert u_mean == pytest.approx(M1, rel=1e-12)
    assert u2_mean == pytest.approx(M2, rel=1e-12)
    assert total == 15


def test_fay_feuer_by_hand():
    low_hand = stats.gamma.ppf(0.025, a=Y**2 / V, scale=V / Y)
    ys, vs = Y + UM, V + UM**2
    high_hand = stats.gamma.ppf(0.975, a=ys**2 / vs, scale=vs / ys)
    rate, low, high = dsr(X2, N2, W2, per=1e5, method="fay_feuer")
    assert rate == pytest.approx(204.0, rel=1e-12)
    assert low == pytest.approx(1e5 * low_hand, rel=1e-9)
    assert high == pytest.approx(1e5 * high_hand, rel=1e-9)


def test_tiwari_by_hand():
    low_hand = stats.gamma.ppf(0.025, a=Y**2 / V, scale=V / Y)
    ys, vs = Y + M1, V + M2
    high_hand = stats.gamma.ppf(0.975, a=ys**2 / vs, scale=vs / ys)
    rate, low, high = dsr(X2, N2, W2, per=1e5)  # default method = tiwari
    assert rate == pytest.approx(204.0, rel=1e-12)
    assert low == pytest.approx(1e5 * low_hand, rel=1e-9)
    assert high == pytest.approx(1e5 * high_hand, rel=1e-9)
    # the Tiwari upper limit is never above Fay & Feuer's (m1 ≤ u_M)
    assert high <= dsr(X2, N2, W2, per=1e5, method="fay_feuer")[2]


def test_dobson_by_hand():
    z = 1.959963984540054
    o = 15.0
    o_lo = o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3
    o_hi = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * math.sqrt(o + 1))) ** 3
    sd = math.sqrt(V / o)
    _, low, high = dsr(X2, N2, W2, per=1e5, method="dobson")
    assert low == pytest.approx(1e5 * (Y + sd * (o_lo - o)), rel=1e-9)
    assert high == pytest.approx(1e5 * (Y + sd * (o_hi - o)), rel=1e-9)
    # exact variant: Garwood limits of O = 15 via chi-square quantiles
    ex_lo, ex_hi = stats.chi2.ppf(0.025, 30) / 2, stats.chi2.ppf(0.975, 32) / 2
    _, low_e, high_e = dsr(X2, N2, W2, per=1e5, method="dobson_exact")
    assert low_e == pytest.approx(1e5 * (Y + sd * (ex_lo - o)), rel=1e-9)
    assert high_e == pytest.approx(1e5 * (Y + sd * (ex_hi - o)), rel=1e-9)


# ---------------------------------------------------------------------------
# Edge cases, shapes and conventions
# ---------------------------------------------------------------------------


@pytest.mark.filterwarnings("error")
def test_zero_counts_and_zero_populations():
    counts = np.array(
        [
            [0, 0, 0],  # no case: rate 0, valid upper limit
            [2, 5, 0],  # last age group has no population: contributes 0
            [0, 0, 0],  # no population at all: NaN
            [1, np.nan, 0],  # missing count: NaN
        ],
        dtype=float,
    )
    pop = np.array([[1000, 2000, 4000], [1000, 2000, 0], [0, 0, 0], [10, 10, 10]], dtype=float)
    w = np.array([0.2, 0.3, 0.5])
    for method in ("tiwari", "fay_feuer", "dobson", "dobson_exact"):
        rate, low, high = dsr(counts, pop, w, per=1, method=method)
        assert rate[0] == 0.0 and low[0] == 0.0
        if method == "fay_feuer":  # Gamma(1, u_M) upper quantile: u_M · (−log 0.025)
            assert high[0] == pytest.approx(0.2 / 1000 * -math.log(0.025), rel=1e-12)
        elif method == "tiwari":
            m1 = (0.2 / 1000 + 0.3 / 2000 + 0.5 / 4000) / 3
            m2 = ((0.2 / 1000) ** 2 + (0.3 / 2000) ** 2 + (0.5 / 4000) ** 2) / 3
            hand = stats.gamma.ppf(0.975, a=m1**2 / m2, scale=m2 / m1)
            assert high[0] == pytest.approx(hand, rel=1e-9)
        else:  # Dobson is undefined without cases
            assert np.isnan(high[0])
        assert rate[1] == pytest.approx(0.2 * 2 / 1000 + 0.3 * 5 / 2000, rel=1e-12)
        assert low[1] < rate[1] < high[1]
        assert np.isnan(rate[2]) and np.isnan(low[2]) and np.isnan(high[2])
        assert np.isnan(rate[3]) and np.isnan(low[3]) and np.isnan(high[3])


def test_shapes_and_broadcasting():
    rng = np.random.default_rng(0)
    pop = rng.integers(1, 10_000, size=(4, 5, 18)).astype(float)
    counts = rng.poisson(pop * 1e-3)
    w = sp.weights("europe")
    rate, low, high = dsr(counts, pop, w)
    assert rate.shape == low.shape == high.shape == (4, 5)
    flat = dsr(counts.reshape(20, 18), pop.reshape(20, 18), w)
    np.testing.assert_allclose(rate.ravel(), flat[0])
    np.testing.assert_allclose(high.ravel(), flat[2])
    # one population row broadcast against many count rows
    r2 = dsr(counts[0], pop[0, 0], w)
    assert r2[0].shape == (5,)


def test_argument_validation():
    with pytest.raises(ValueError):
        dsr([[1, 2]], [[10, 10]], [1, 2, 3])
    with pytest.raises(ValueError):
        dsr([[1, 2]], [[10, 10]], [0, 0])
    with pytest.raises(ValueError):
        dsr([[1, 2]], [[10, 10]], [1, -1])
    with pytest.raises(ValueError):
        dsr([[1, 2]], [[10, 10]], [1, 1], method="normal")
    with pytest.raises(ValueError):
        dsr([[1, 2]], [[10, 10]], [1, 1], conf=95)


def test_zero_weight_age_groups_are_not_strata():
    """A truncated standard (zero weights outside the range) gives the same DSR and limits
    as dropping those age groups altogether."""
    x = np.array([[3.0, 12.0, 40.0, 90.0]])
    n = np.array([[2000.0, 5000.0, 3000.0, 1000.0]])
    w_trunc = np.array([4.0, 6.0, 0.0, 0.0])
    for method in ("tiwari", "fay_feuer", "dobson", "dobson_exact"):
        got = np.array(dsr(x, n, w_trunc, method=method))
        ref = np.array(dsr(x[:, :2], n[:, :2], w_trunc[:2], method=method))
        np.testing.assert_allclose(got, ref, rtol=1e-12)
    # populated only where the weight is 0: undefined
    r = dsr([[0.0, 0.0, 5.0]], [[0.0, 0.0, 100.0]], [1.0, 1.0, 0.0])
    assert np.isnan(r[0]).all()
