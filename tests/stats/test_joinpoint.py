"""Tests for dashboard.stats.joinpoint.

Validation strategy: series generated from a KNOWN piecewise log-linear model (no noise:
exact recovery; noise: the true joinpoint is found), APC CIs checked against independent
computations (scipy.stats.linregress, explicit WLS), and the AAPC against the Clegg et al.
(2009) formula written out independently here.
"""

from __future__ import annotations

import itertools
import math
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from dashboard.stats.joinpoint import (
    JoinpointResult,
    classify_trend,
    default_max_joinpoints,
    fit_joinpoint,
    fit_many,
)

YEARS = np.arange(2010, 2024)  # 14 annual points, as the registry series


def piecewise_log(years, log0, slopes, joinpoints):
    """log rate of a continuous piecewise-linear model, computed segment by segment."""
    out = np.empty(len(years))
    knots = [years[0], *joinpoints]
    for i, yr in enumerate(years):
        v = log0
        for j, s in enumerate(slopes):
            seg_start = knots[j]
            seg_end = joinpoints[j] if j < len(joinpoints) else np.inf
            if yr > seg_start:
                v += s * (min(yr, seg_end) - seg_start)
        out[i] = v
    return out


def clegg_aapc(slopes, bounds, a, b):
    """AAPC over [a, b] from segment slopes and boundaries (Clegg et al. 2009)."""
    num = den = 0.0
    for s, lo, hi in zip(slopes, bounds[:-1], bounds[1:], strict=True):
        w = max(0.0, min(hi, b) - max(lo, a))
        num += w * s
        den += w
    return 100.0 * (math.exp(num / den) - 1.0)


# --------------------------------------------------------------------------------------
# exact (noise-free) recovery
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("weighted", [False, True])
def test_exact_two_joinpoints_recovered(weighted):
    slopes = [0.03, -0.02, 0.05]
    jps = [2015, 2019]
    rates = np.exp(piecewise_log(YEARS, math.log(50.0), slopes, jps))
    se = rates * np.linspace(0.02, 0.06, YEARS.size) if weighted else None
    res = fit_joinpoint(YEARS, rates, se=se)
    assert res.n_joinpoints == 2
    assert res.joinpoints == (2015.0, 2019.0)
    assert res.weighted is weighted
    for seg, s in zip(res.segments, slopes, strict=True):
        assert seg.apc == pytest.approx(100 * (math.exp(s) - 1), abs=1e-9)
        # exact fit -> degenerate CI around the APC
        assert seg.low == pytest.approx(seg.apc, abs=1e-6)
        assert seg.high == pytest.approx(seg.apc, abs=1e-6)
    assert [(s.start, s.end) for s in res.segments] == [
        (2010.0, 2015.0),
        (2015.0, 2019.0),
        (2019.0, 2023.0),
    ]
    bounds = [2010.0, 2015.0, 2019.0, 2023.0]
    # Clegg: weights 5, 4, 4 years
    expected = 100 * (math.exp((5 * 0.03 + 4 * -0.02 + 4 * 0.05) / 13) - 1)
    assert clegg_aapc(slopes, bounds, 2010, 2023) == pytest.approx(expected, abs=1e-12)
    assert res.aapc == pytest.approx(expected, abs=1e-9)
    # last 5 years [2019, 2023] lie inside the last segment
    assert res.aapc_last5 == pytest.approx(100 * (math.exp(0.05) - 1), abs=1e-9)
    np.testing.assert_allclose(res.fitted, rates, rtol=1e-9)


def test_exact_one_joinpoint_last5_crosses_joinpoint():
    slopes = [-0.04, 0.02]
    jps = [2020]
    rates = np.exp(piecewise_log(YEARS, math.log(120.0), slopes, jps))
    res = fit_joinpoint(YEARS, rates)
    assert res.joinpoints == (2020.0,)
    expected_full = 100 * (math.exp((10 * -0.04 + 3 * 0.02) / 13) - 1)
    # last 5 points 2019..2023: 1 year at -4 %/yr log slope, 3 years at +2
    expected_last5 = 100 * (math.exp((1 * -0.04 + 3 * 0.02) / 4) - 1)
    assert res.aapc == pytest.approx(expected_full, abs=1e-9)
    assert res.aapc_last5 == pytest.approx(expected_last5, abs=1e-9)
    assert clegg_aapc(slopes, [2010, 2020, 2023], 2019, 2023) == pytest.approx(expected_last5)


def test_exact_log_linear_gives_zero_joinpoints():
    rates = 80.0 * np.exp(-0.015 * (YEARS - 2010))
    res = fit_joinpoint(YEARS, rates)
    assert res.n_joinpoints == 0
    assert res.joinpoints == ()
    apc = 100 * (math.exp(-0.015) - 1)
    assert res.segments[0].apc == pytest.approx(apc, abs=1e-9)
    assert res.aapc == pytest.approx(apc, abs=1e-9)
    assert res.aapc_last5 == pytest.approx(apc, abs=1e-9)


# --------------------------------------------------------------------------------------
# independent checks of the CIs
# --------------------------------------------------------------------------------------


def test_zero_joinpoint_apc_ci_matches_linregress():
    rng = np.random.default_rng(42)
    rates = 60 * np.exp(0.02 * (YEARS - 2010) + rng.normal(0, 0.03, YEARS.size))
    res = fit_joinpoint(YEARS, rates, max_joinpoints=0)
    lr = stats.linregress(YEARS, np.log(rates))
    t = stats.t.ppf(0.975, YEARS.size - 2)
    seg = res.segments[0]
    assert res.df == YEARS.size - 2
    assert seg.apc == pytest.approx(100 * (math.exp(lr.slope) - 1), abs=1e-10)
    assert seg.low == pytest.approx(100 * (math.exp(lr.slope - t * lr.stderr) - 1), abs=1e-10)
    assert seg.high == pytest.approx(100 * (math.exp(lr.slope + t * lr.stderr) - 1), abs=1e-10)
    # a single segment: the AAPCs are that APC with the same t-based CI
    assert (res.aapc, res.aapc_low, res.aapc_high) == pytest.approx(
        (seg.apc, seg.low, seg.high), abs=1e-12
    )
    assert (res.aapc_last5, res.aapc_last5_low, res.aapc_last5_high) == pytest.approx(
        (seg.apc, seg.low, seg.high), abs=1e-12
    )
    lin = lr.intercept + lr.slope * YEARS
    np.testing.assert_allclose(res.fitted, np.exp(lin), rtol=1e-10)


def test_zero_joinpoint_weighted_ci_matches_explicit_wls():
    rng = np.random.default_rng(7)
    rates = 30 * np.exp(-0.01 * (YEARS - 2010) + rng.normal(0, 0.05, YEARS.size))
    se = rates * rng.uniform(0.02, 0.08, YEARS.size)
    res = fit_joinpoint(YEARS, rates, se=se, max_joinpoints=0)
    w = rates**2 / se**2
    X = np.column_stack([np.ones(YEARS.size), YEARS.astype(float)])
    sw = np.sqrt(w)
    beta, *_ = np.linalg.lstsq(X * sw[:, None], np.log(rates) * sw, rcond=None)
    resid = (np.log(rates) - X @ beta) * sw
    sigma2 = resid @ resid / (YEARS.size - 2)
    cov = sigma2 * np.linalg.inv((X * w[:, None]).T @ X)
    t = stats.t.ppf(0.975, YEARS.size - 2)
    b, sb = beta[1], math.sqrt(cov[1, 1])
    seg = res.segments[0]
    assert seg.apc == pytest.approx(100 * math.expm1(b), abs=1e-10)
    assert seg.low == pytest.approx(100 * math.expm1(b - t * sb), abs=1e-10)
    assert seg.high == pytest.approx(100 * math.expm1(b + t * sb), abs=1e-10)


def test_aapc_ci_across_joinpoint_uses_normal_approximation():
    """Clegg et al. (2009) variance of the weighted slope, recomputed independently."""
    rng = np.random.default_rng(3)
    base = piecewise_log(YEARS, math.log(40.0), [0.04, -0.05], [2017])
    rates = np.exp(base + rng.normal(0, 0.01, YEARS.size))
    res = fit_joinpoint(YEARS, rates, max_joinpoints=1)
    assert res.joinpoints == (2017.0,)
    # independent OLS with the known joinpoint
    x = YEARS.astype(float)
    X = np.column_stack([np.ones_like(x), x, np.maximum(x - 2017, 0)])
    y = np.log(rates)
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ beta
    df = YEARS.size - 4  # 2k + 2 parameters, k = 1
    assert res.df == df
    cov = resid @ resid / df * np.linalg.inv(X.T @ X)
    # segment slopes b1 = beta1, b2 = beta1 + beta2; weights 7 and 6 years
    c = np.array([0.0, 1.0, 6 / 13])  # (7 b1 + 6 b2)/13 = beta1 + 6/13 beta2
    s = c @ beta
    se = math.sqrt(c @ cov @ c)
    z = stats.norm.ppf(0.975)
    assert res.aapc == pytest.approx(100 * math.expm1(s), abs=1e-9)
    assert res.aapc_low == pytest.approx(100 * math.expm1(s - z * se), abs=1e-9)
    assert res.aapc_high == pytest.approx(100 * math.expm1(s + z * se), abs=1e-9)
    # last 5 years [2019, 2023] within the second segment: its APC and t CI
    seg = res.segments[1]
    assert (res.aapc_last5, res.aapc_last5_low, res.aapc_last5_high) == pytest.approx(
        (seg.apc, seg.low, seg.high), abs=1e-12
    )
    t = stats.t.ppf(0.975, df)
    b2 = beta[1] + beta[2]
    sb2 = math.sqrt(cov[1, 1] + cov[2, 2] + 2 * cov[1, 2])
    assert seg.low == pytest.approx(100 * math.expm1(b2 - t * sb2), abs=1e-9)
    assert seg.high == pytest.approx(100 * math.expm1(b2 + t * sb2), abs=1e-9)


@pytest.mark.parametrize(("criterion", "factor"), [("bic", 2), ("bic3", 3)])
def test_bic_values_follow_documented_formula(criterion, factor):
    rng = np.random.default_rng(11)
    rates = np.exp(
        piecewise_log(YEARS, math.log(25.0), [0.0, 0.06], [2016]) + rng.normal(0, 0.02, 14)
    )
    res = fit_joinpoint(YEARS, rates, criterion=criterion)
    n = YEARS.size
    k = res.n_joinpoints
    assert res.criterion == criterion
    assert len(res.criterion_values) == default_max_joinpoints(n) + 1
    assert res.criterion_values[k] == pytest.approx(
        math.log(res.sse / n) + (factor * k + 2) * math.log(n) / n, abs=1e-12
    )
    assert k == int(np.argmin(res.criterion_values))


def test_wbic_value_with_independent_partial_r2():
    """WBIC(1) = ln(SSE/n) + ((2 + R2) + 2) ln(n)/n, partial R2 recomputed by regression."""
    rng = np.random.default_rng(12)
    rates = np.exp(
        piecewise_log(YEARS, math.log(25.0), [0.01, 0.06], [2016]) + rng.normal(0, 0.02, 14)
    )
    se = rates * rng.uniform(0.01, 0.03, 14)
    res = fit_joinpoint(YEARS, rates, se=se, max_joinpoints=1)
    assert res.criterion == "wbic"
    assert res.joinpoints == (2016.0,)
    # partial R2 of the hinge given a line, weighted, on the window x <= last year
    x = YEARS.astype(float)
    w = rates**2 / se**2
    sw = np.sqrt(w)
    y = np.log(rates)
    z = np.maximum(x - 2016, 0.0)
    X0 = np.column_stack([np.ones_like(x), x]) * sw[:, None]

    def resid(v):
        coef, *_ = np.linalg.lstsq(X0, v * sw, rcond=None)
        return v * sw - X0 @ coef

    ry, rz = resid(y), resid(z)
    r2 = (ry @ rz) ** 2 / ((ry @ ry) * (rz @ rz))
    n = x.size
    # the fitted SSE uses weights normalised to mean 1: rescale for an independent value
    Xf = np.column_stack([np.ones_like(x), x, z]) * sw[:, None]
    coef, *_ = np.linalg.lstsq(Xf, y * sw, rcond=None)
    sse = np.sum((y * sw - Xf @ coef) ** 2) / w.mean()
    assert res.sse == pytest.approx(sse, rel=1e-9)
    expected = math.log(sse / n) + ((2 + r2) * 1 + 2) * math.log(n) / n
    assert res.criterion_values[1] == pytest.approx(expected, abs=1e-9)
    assert 0.0 < r2 < 1.0


# --------------------------------------------------------------------------------------
# noisy series
# --------------------------------------------------------------------------------------


def test_noisy_series_true_joinpoint_found():
    rng = np.random.default_rng(2024)
    truth = piecewise_log(YEARS, math.log(100.0), [0.05, -0.04], [2016])
    R = np.exp(truth[None, :] + rng.normal(0, 0.015, (300, YEARS.size)))
    SE = R * 0.015
    for res_list in (fit_many(YEARS, R), fit_many(YEARS, R, SE)):
        found = sum(r is not None and r.joinpoints == (2016.0,) for r in res_list)
        assert found >= 0.85 * len(res_list)
        near = sum(
            r is not None and r.n_joinpoints >= 1 and any(abs(j - 2016) <= 1 for j in r.joinpoints)
            for r in res_list
        )
        assert near == len(res_list)


def test_noisy_flat_series_is_stable():
    rng = np.random.default_rng(5)
    R = 50 * np.exp(rng.normal(0, 0.02, (200, YEARS.size)))
    res = fit_many(YEARS, R, max_joinpoints=0)
    labels = [classify_trend(r.aapc_low, r.aapc_high) for r in res]
    # nominal 95 % CI: about 5 % of false "trends"
    assert labels.count("stable") >= 180


# --------------------------------------------------------------------------------------
# API, robustness and conventions
# --------------------------------------------------------------------------------------


def test_fit_many_matches_fit_joinpoint_and_flags_invalid_rows():
    rng = np.random.default_rng(9)
    truth = piecewise_log(YEARS, math.log(10.0), [0.02, -0.03, 0.01], [2014, 2019])
    R = np.exp(truth[None, :] + rng.normal(0, 0.03, (6, YEARS.size)))
    SE = R * 0.03
    R[1, 4] = 0.0
    R[3, 0] = np.nan
    R[4, 7] = -1.0
    out = fit_many(YEARS, R, SE)
    assert [o is None for o in out] == [False, True, False, True, True, False]
    for i in (0, 2, 5):
        single = fit_joinpoint(YEARS, R[i], SE[i])
        assert isinstance(out[i], JoinpointResult)
        assert out[i].joinpoints == single.joinpoints
        assert out[i].aapc == pytest.approx(single.aapc, abs=1e-12)
        assert out[i].aapc_last5_low == pytest.approx(single.aapc_last5_low, abs=1e-12)


@pytest.mark.parametrize(
    "rates",
    [
        [1.0, 2.0, 0.0, 3.0, 4.0, 5.0, 6.0],
        [1.0, 2.0, -1.0, 3.0, 4.0, 5.0, 6.0],
        [1.0, 2.0, np.nan, 3.0, 4.0, 5.0, 6.0],
    ],
)
def test_non_positive_rates_raise(rates):
    with pytest.raises(ValueError, match="> 0"):
        fit_joinpoint(np.arange(7), rates)


def test_input_validation():
    with pytest.raises(ValueError, match="at least 3"):
        fit_joinpoint([2000, 2001], [1.0, 2.0])
    with pytest.raises(ValueError, match="increasing"):
        fit_joinpoint([2000, 2002, 2001, 2003], [1.0, 2.0, 3.0, 4.0])
    with pytest.raises(ValueError, match="standard errors"):
        fit_joinpoint([2000, 2001, 2002], [1.0, 2.0, 3.0], se=[0.1, 0.0, 0.1])
    with pytest.raises(ValueError, match="same length"):
        fit_joinpoint([2000, 2001, 2002], [1.0, 2.0])


def test_three_points_linear_fit():
    res = fit_joinpoint([2000, 2001, 2002], [10.0, 11.0, 12.5])
    assert res.n_joinpoints == 0
    assert res.df == 1
    assert math.isfinite(res.aapc_low) and res.aapc_low < res.aapc < res.aapc_high


def test_default_max_joinpoints_rule():
    expected = {3: 0, 6: 0, 7: 1, 11: 1, 12: 2, 14: 2, 16: 2, 17: 3, 21: 3, 22: 4, 26: 4}
    for n, k in expected.items():
        assert default_max_joinpoints(n) == k
    assert default_max_joinpoints(27) == 5
    assert default_max_joinpoints(60) == 5


def test_max_joinpoints_capped_by_spacing():
    # n = 7 with 2 observations each side: only index 2..4 allowed, one joinpoint at most
    rng = np.random.default_rng(0)
    rates = np.exp(rng.normal(0, 0.1, 7))
    res = fit_joinpoint(np.arange(7), rates, max_joinpoints=5)
    assert len(res.criterion_values) == 2


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(-0.3, 0.3), min_size=14, max_size=14),
    st.integers(0, 3),
    st.integers(1, 3),
    st.integers(0, 3),
)
def test_joinpoints_respect_spacing_rules(noise, kmax, min_end, min_between):
    rates = np.exp(np.asarray(noise) + 0.05 * np.sin(np.arange(14)))
    res = fit_joinpoint(
        YEARS, rates, max_joinpoints=kmax, min_obs_end=min_end, min_obs_between=min_between
    )
    idx = [int(j - YEARS[0]) for j in res.joinpoints]
    n = YEARS.size
    assert len(idx) <= kmax
    for i in idx:
        assert i >= min_end and n - 1 - i >= min_end
    for i, j in itertools.pairwise(idx):
        assert j - i - 1 >= min_between
    assert res.df == n - 2 * len(idx) - 2
    for seg in res.segments:
        assert seg.low <= seg.apc <= seg.high
    assert res.aapc_low <= res.aapc <= res.aapc_high
    assert res.aapc_last5_low <= res.aapc_last5 <= res.aapc_last5_high


def test_deterministic():
    rng = np.random.default_rng(1)
    R = np.exp(rng.normal(3, 0.1, (20, YEARS.size)))
    a = fit_many(YEARS, R)
    b = fit_many(YEARS, R)
    assert [r.joinpoints for r in a] == [r.joinpoints for r in b]
    assert [r.aapc for r in a] == [r.aapc for r in b]


def test_trend_label():
    assert classify_trend(0.1, 2.0) == "rising"
    assert classify_trend(-2.0, -0.1) == "falling"
    assert classify_trend(-1.0, 1.0) == "stable"
    assert classify_trend(0.0, 1.0) == "stable"
    assert classify_trend(float("nan"), float("nan")) == "stable"


def test_fit_many_speed():
    """50 000 series take a few seconds; 5 000 must stay well under the budget."""
    rng = np.random.default_rng(0)
    R = np.exp(rng.normal(3, 0.05, (5_000, YEARS.size)) + 0.01 * np.arange(14))
    t0 = time.perf_counter()
    out = fit_many(YEARS, R, R * 0.05)
    assert time.perf_counter() - t0 < 6.0
    assert all(o is not None for o in out)


def test_wbic_two_joinpoints_partial_r2_windows():
    """Windows tau_{i-1} < x <= tau_{i+1}: [first, tau_2] for tau_1, (tau_1, last] for tau_2."""
    rng = np.random.default_rng(21)
    jps = [2014, 2019]
    truth = piecewise_log(YEARS, math.log(70.0), [0.04, -0.03, 0.02], jps)
    rates = np.exp(truth + rng.normal(0, 0.01, YEARS.size))
    res = fit_joinpoint(YEARS, rates, max_joinpoints=2)
    assert res.joinpoints == (2014.0, 2019.0)
    x = YEARS.astype(float)
    y = np.log(rates)

    def partial_r2(sel, tau):
        xs, ys = x[sel], y[sel]
        zs = np.maximum(xs - tau, 0.0)
        X0 = np.column_stack([np.ones_like(xs), xs])
        ry = ys - X0 @ np.linalg.lstsq(X0, ys, rcond=None)[0]
        rz = zs - X0 @ np.linalg.lstsq(X0, zs, rcond=None)[0]
        return (ry @ rz) ** 2 / ((ry @ ry) * (rz @ rz))

    r2_first = partial_r2(x <= 2019, 2014.0)
    r2_second = partial_r2(x > 2014, 2019.0)
    n = x.size
    expected = math.log(res.sse / n) + ((2 + max(r2_first, r2_second)) * 2 + 2) * math.log(n) / n
    assert res.criterion_values[2] == pytest.approx(expected, abs=1e-9)
