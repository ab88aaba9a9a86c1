"""Joinpoint (segmented log-linear) trend analysis, in the manner of NCI's Joinpoint program.

Model (Kim, Fay, Feuer & Midthune 2000, Stat Med 19:335-351)::

    log(rate_i) = b0 + b1 x_i + d1 (x_i - tau_1)+ + ... + dk (x_i - tau_k)+ + e_i

with continuous joinpoints ``tau_j`` placed on observed years (grid search over every
allowed location, as Joinpoint's default "grid search" with no extra grid points between
observations).  Segment j has slope ``b1 + d1 + ... + dj`` and annual percent change
``APC = 100 (exp(slope) - 1)``.

Conventions (documented in ``docs/statistics.md``):

* Spacing: with observations indexed 0..n-1, a joinpoint at index j needs at least
  ``min_obs_end`` observations strictly before and strictly after it
  (``min_obs_end <= j <= n - 1 - min_obs_end``) and two consecutive joinpoints j < l need
  at least ``min_obs_between`` observations strictly between them (``l - j - 1 >=
  min_obs_between``).  This is the Joinpoint wording "minimum number of observations from
  a joinpoint to either end of the data (excluding the joinpoint)" = 2 and "between two
  joinpoints (excluding the joinpoints)" = 2.
* Default maximum number of joinpoints (Joinpoint's recommended default by number of data
  points): n <= 6: 0; 7-11: 1; 12-16: 2; 17-21: 3; 22-26: 4; >= 27: 5, further capped by
  what the spacing rules allow and by keeping at least one residual degree of freedom.
* Estimation: least squares on log(rate); weighted least squares with
  ``w_i = rate_i^2 / se_i^2`` (inverse delta-method variance of log rate) when ``se`` is
  given, otherwise constant variance.  The residual variance is estimated in both cases.
* Number of parameters of a k-joinpoint model: ``2k + 2`` (intercept, slope, k slope
  changes and k joinpoint locations), residual degrees of freedom ``df = n - 2k - 2``.
* Model selection (``criterion``), information criteria offered by Joinpoint, with
  ``SSE_k`` the (weighted) residual sum of squares of the best k-joinpoint fit:
  ``BIC(k) = ln(SSE_k / n) + (2k + 2) ln(n) / n`` (Kim, Yu & Feuer 2009, Statistica Sinica
  19:597-609); ``BIC3(k)``: penalty ``3k + 2`` instead of ``2k + 2`` (Kim & Kim 2016, as cited
  by the Joinpoint help); default
  ``WBIC(k) = ln(SSE_k / n) + ((2 + R2max) k + 2) ln(n) / n`` (weighted BIC, Kim, Chen,
  Midthune et al. 2023, J Appl Stat 50:1992-2013; Joinpoint >= 4.7), where R2max is the
  largest partial R^2 of a joinpoint's hinge term ``(x - tau_i)+`` given a straight line,
  computed (with the WLS weights) on the observations ``tau_{i-1} < x <= tau_{i+1}`` (our
  reading of the Joinpoint help; the first / last observation close the outer windows).
  The model with the smallest criterion is selected; ties go to fewer joinpoints.  ``SSE``
  is floored at ``1e-20 x`` the weighted total sum of squares (plus a tiny absolute term)
  so that numerically exact fits tie and the parsimonious one wins.  Fully deterministic.
  The permutation test (Kim et al. 2000), Joinpoint's historical default, is not
  implemented (too costly for tens of thousands of series).
* APC 95% CI: ``100 (exp(b_j -/+ t_{df, 0.975} se(b_j)) - 1)``.
* AAPC (Clegg, Hankey, Tiwari, Feuer & Edwards 2009, Stat Med 28:3670-3682): over an
  interval [a, b], ``AAPC = 100 (exp(sum w_j b_j / sum w_j) - 1)`` with ``w_j`` the length
  of segment j inside [a, b].  CI: if [a, b] lies in one segment, that segment's APC CI
  (t distribution); otherwise ``exp(s +/- z_{0.975} sqrt(c' V c))`` with
  ``c = w / sum w`` and V the covariance of the segment slopes (normal approximation).
  Full period: [first year, last year]; last 5 years: [year of the 5th-last observation,
  last year] (= [last_year - 4, last_year] for annual data).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats

__all__ = [
    "JoinpointResult",
    "Segment",
    "classify_trend",
    "default_max_joinpoints",
    "fit_joinpoint",
    "fit_many",
]

Criterion = Literal["wbic", "bic", "bic3"]

_SSE_REL_FLOOR = 1e-20
_SSE_ABS_FLOOR = 1e-300
_CHUNK_ELEMENTS = 4_000_000


@dataclass(frozen=True)
class Segment:
    """One straight segment of the log-linear joinpoint model (years are inclusive ends)."""

    start: float
    end: float
    apc: float
    low: float
    high: float


@dataclass(frozen=True)
class JoinpointResult:
    """Selected joinpoint model for one series.

    ``criterion_values[k]`` is the selection criterion (``criterion``: "wbic", "bic" or
    "bic3") of the best k-joinpoint model (k = 0..max tried);
    ``fitted`` is exp(fitted log rate) at each input year; ``sse`` is the residual sum of
    squares of log rates (weighted analysis: weights normalised to mean 1).
    """

    years: np.ndarray
    joinpoints: tuple[float, ...]
    segments: tuple[Segment, ...]
    aapc: float
    aapc_low: float
    aapc_high: float
    aapc_last5: float
    aapc_last5_low: float
    aapc_last5_high: float
    fitted: np.ndarray
    n_joinpoints: int
    criterion: Criterion
    criterion_values: tuple[float, ...]
    df: int
    sse: float
    weighted: bool


def default_max_joinpoints(n: int) -> int:
    """Joinpoint's recommended default maximum number of joinpoints for ``n`` data points.

    n <= 6 -> 0, 7-11 -> 1, 12-16 -> 2, 17-21 -> 3, 22-26 -> 4, >= 27 -> 5
    (Joinpoint Regression Program help, "Number of Joinpoints"; NCI, Kim et al. 2000).
    """
    if n <= 6:
        return 0
    return min(5, (n - 7) // 5 + 1)


def classify_trend(aapc_low: float, aapc_high: float) -> Literal["rising", "stable", "falling"]:
    """Label a trend from the CI of its (A)APC: rising if low > 0, falling if high < 0.

    Any other case (CI containing 0, or undefined limits) is "stable".
    """
    if np.isfinite(aapc_low) and aapc_low > 0:
        return "rising"
    if np.isfinite(aapc_high) and aapc_high < 0:
        return "falling"
    return "stable"


# --------------------------------------------------------------------------------------
# candidate joinpoint sets and design matrices
# --------------------------------------------------------------------------------------


def _candidate_sets(n: int, k: int, min_obs_end: int, min_obs_between: int) -> np.ndarray:
    """All joinpoint index tuples (rows, lexicographic) allowed by the spacing rules."""
    if k == 0:
        return np.zeros((1, 0), dtype=np.int64)
    lo, hi = min_obs_end, n - 1 - min_obs_end
    if hi < lo:
        return np.zeros((0, k), dtype=np.int64)
    out = [
        c
        for c in itertools.combinations(range(lo, hi + 1), k)
        if all(c[i + 1] - c[i] - 1 >= min_obs_between for i in range(k - 1))
    ]
    return np.asarray(out, dtype=np.int64).reshape(len(out), k)


def _designs(xc: np.ndarray, cands: np.ndarray) -> np.ndarray:
    """Design matrices, shape (m, n, k + 2): [1, x, (x - x[j1])+, ..., (x - x[jk])+]."""
    m, k = cands.shape
    n = xc.size
    X = np.empty((m, n, k + 2))
    X[:, :, 0] = 1.0
    X[:, :, 1] = xc
    if k:
        taus = xc[cands]  # (m, k)
        X[:, :, 2:] = np.maximum(xc[None, :, None] - taus[:, None, :], 0.0)
    return X


def _fit_k(
    X: np.ndarray, Y: np.ndarray, W: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """WLS fit of every series (rows of Y) on every design in X: batched normal equations
    with one step of iterative refinement.  Returns beta (S, m, p), A = X'WX (S, m, p, p)
    and the weighted SSE (S, m).
    """
    m, n, p = X.shape
    outer = (X[:, :, :, None] * X[:, :, None, :]).transpose(1, 0, 2, 3).reshape(n, -1)
    A = (W @ outer).reshape(-1, m, p, p)
    Xt = X.transpose(1, 0, 2).reshape(n, m * p)
    WY = W * Y
    b = (WY @ Xt).reshape(-1, m, p)
    beta = np.linalg.solve(A, b[..., None])[..., 0]
    # one refinement step: beta += A^-1 X'W (y - X beta)
    fitted = np.einsum("smp,mnp->smn", beta, X, optimize=True)
    resid = Y[:, None, :] - fitted
    g = np.einsum("smn,mnp->smp", W[:, None, :] * resid, X, optimize=True)
    beta = beta + np.linalg.solve(A, g[..., None])[..., 0]
    fitted = np.einsum("smp,mnp->smn", beta, X, optimize=True)
    resid = Y[:, None, :] - fitted
    sse = np.einsum("sn,smn->sm", W, resid * resid, optimize=True)
    return beta, A, sse


# --------------------------------------------------------------------------------------
# core batched fitter
# --------------------------------------------------------------------------------------


def _validate_years(years: Sequence[float] | np.ndarray) -> np.ndarray:
    x = np.asarray(years, dtype=float)
    if x.ndim != 1:
        raise ValueError("years must be one-dimensional")
    if x.size < 3:
        raise ValueError(f"joinpoint needs at least 3 observations, got {x.size}")
    if not np.all(np.isfinite(x)) or np.any(np.diff(x) <= 0):
        raise ValueError("years must be finite and strictly increasing")
    return x


def _resolve_max_k(
    n: int, max_joinpoints: int | None, min_obs_end: int, min_obs_between: int
) -> int:
    if min_obs_end < 1 or min_obs_between < 0:
        raise ValueError("min_obs_end must be >= 1 and min_obs_between >= 0")
    kmax = default_max_joinpoints(n) if max_joinpoints is None else int(max_joinpoints)
    if kmax < 0:
        raise ValueError("max_joinpoints must be >= 0")
    # keep at least one residual degree of freedom: n - 2k - 2 >= 1
    kmax = min(kmax, (n - 3) // 2)
    while kmax > 0 and _candidate_sets(n, kmax, min_obs_end, min_obs_between).shape[0] == 0:
        kmax -= 1
    return max(kmax, 0)


def _aapc_arrays(
    lo_b: np.ndarray,
    hi_b: np.ndarray,
    slopes: np.ndarray,
    vseg: np.ndarray,
    a: float,
    b: float,
    tq: float,
    z: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """AAPC over [a, b] (Clegg et al. 2009) for a batch; arrays (S, k+1) / (S, k+1, k+1)."""
    w = np.clip(np.minimum(hi_b, b) - np.maximum(lo_b, a), 0.0, None)
    c = w / w.sum(axis=1, keepdims=True)
    s = np.einsum("sj,sj->s", c, slopes)
    var = np.einsum("sj,sjl,sl->s", c, vseg, c)
    se = np.sqrt(np.clip(var, 0.0, None))
    single = (w > 0).sum(axis=1) == 1
    q = np.where(single, tq, z)
    return (
        100.0 * np.expm1(s),
        100.0 * np.expm1(s - q * se),
        100.0 * np.expm1(s + q * se),
    )


def _partial_r2_max(x: np.ndarray, Y: np.ndarray, W: np.ndarray, jp: np.ndarray) -> np.ndarray:
    """WBIC data characteristic: max over joinpoints i of the partial R^2 of the hinge
    ``z_i = (x - tau_i)+`` given a straight line, within the observations
    ``tau_{i-1} < x <= tau_{i+1}`` (first / last observation for the outer ends), with the
    WLS weights.  ``R^2 = S_yz.x^2 / (S_yy.x S_zz.x)`` (Kim et al. 2023, J Appl Stat
    50:1992-2013; Joinpoint help "Weighted BIC").  ``jp``: (S, k) joinpoint indices.
    """
    S = jp.shape[0]
    n = x.size
    pos = np.arange(n)
    lower = np.concatenate([np.full((S, 1), -1), jp[:, :-1]], axis=1)  # (S, k)
    upper = np.concatenate([jp[:, 1:], np.full((S, 1), n - 1)], axis=1)
    mask = (pos[None, None, :] > lower[:, :, None]) & (pos[None, None, :] <= upper[:, :, None])
    wm = W[:, None, :] * mask  # (S, k, n)
    z = np.maximum(x[None, None, :] - x[jp][:, :, None], 0.0)
    sw = wm.sum(-1)

    def centred(v: np.ndarray) -> np.ndarray:
        return v - (wm * v).sum(-1, keepdims=True) / sw[..., None]

    dx = centred(np.broadcast_to(x, wm.shape))
    dy = centred(np.broadcast_to(Y[:, None, :], wm.shape))
    dz = centred(z)
    sxx = (wm * dx * dx).sum(-1)
    sxy = (wm * dx * dy).sum(-1)
    sxz = (wm * dx * dz).sum(-1)
    syy = (wm * dy * dy).sum(-1) - sxy**2 / sxx
    szz = (wm * dz * dz).sum(-1) - sxz**2 / sxx
    syz = (wm * dy * dz).sum(-1) - sxy * sxz / sxx
    den = syy * szz
    tiny = 1e-24 * (wm * dy * dy).sum(-1) * (wm * dz * dz).sum(-1)
    r2 = np.where(den > tiny, syz**2 / np.where(den > tiny, den, 1.0), 0.0)
    return np.clip(r2, 0.0, 1.0).max(axis=1)


def _fit_batch(
    x: np.ndarray,
    logY: np.ndarray,
    W: np.ndarray,
    kmax: int,
    min_obs_end: int,
    min_obs_between: int,
    weighted: bool,
    criterion: Criterion,
) -> list[JoinpointResult]:
    """Fit all rows of ``logY`` (all valid, weights normalised); return one result per row."""
    S, n = logY.shape
    xc = x - x.mean()
    ks = list(range(kmax + 1))
    cands = {k: _candidate_sets(n, k, min_obs_end, min_obs_between) for k in ks}
    designs = {k: _designs(xc, cands[k]) for k in ks}
    m_total = sum(c.shape[0] for c in cands.values())
    chunk = max(1, _CHUNK_ELEMENTS // max(1, m_total * n))

    ybar = (W * logY).sum(1) / W.sum(1)
    sst = (W * (logY - ybar[:, None]) ** 2).sum(1)
    floor = _SSE_REL_FLOOR * sst + _SSE_ABS_FLOOR
    log_n = np.log(n)

    best_idx = np.zeros((S, kmax + 1), dtype=np.int64)
    best_sse = np.zeros((S, kmax + 1))
    sel_beta: dict[int, np.ndarray] = {k: np.zeros((S, k + 2)) for k in ks}
    sel_A: dict[int, np.ndarray] = {k: np.zeros((S, k + 2, k + 2)) for k in ks}

    for start in range(0, S, chunk):
        sl = slice(start, min(S, start + chunk))
        Yc, Wc = logY[sl], W[sl]
        rows = np.arange(Yc.shape[0])
        for k in ks:
            beta, A, sse = _fit_k(designs[k], Yc, Wc)
            j = np.argmin(sse, axis=1)  # first minimum: lexicographically smallest set
            best_idx[sl, k] = j
            best_sse[sl, k] = sse[rows, j]
            sel_beta[k][sl] = beta[rows, j]
            sel_A[k][sl] = A[rows, j]

    kk = np.arange(kmax + 1, dtype=float)[None, :]
    if criterion == "bic":
        pen = 2.0 * kk + 2.0
    elif criterion == "bic3":
        pen = 3.0 * kk + 2.0
    else:
        r2max = np.zeros((S, kmax + 1))
        for k in ks[1:]:
            r2max[:, k] = _partial_r2_max(x, logY, W, cands[k][best_idx[:, k]])
        pen = (2.0 + r2max) * kk + 2.0
    bic = np.log(np.maximum(best_sse, floor[:, None]) / n) + pen * log_n / n
    k_sel = np.argmin(bic, axis=1)  # ties -> fewest joinpoints

    results: list[JoinpointResult | None] = [None] * S
    z = float(stats.norm.ppf(0.975))
    a_full, b_end = float(x[0]), float(x[-1])
    a_last5 = float(x[max(0, n - 5)])

    for k in ks:
        idx = np.nonzero(k_sel == k)[0]
        if idx.size == 0:
            continue
        df = n - 2 * k - 2
        tq = float(stats.t.ppf(0.975, df))
        beta = sel_beta[k][idx]
        A = sel_A[k][idx]
        sse = best_sse[idx, k]
        jp_idx = cands[k][best_idx[idx, k]]  # (s, k)
        sigma2 = sse / df
        cov = np.linalg.inv(A) * sigma2[:, None, None]
        slopes = np.cumsum(beta[:, 1:], axis=1)  # (s, k+1)
        vseg = np.cumsum(np.cumsum(cov[:, 1:, 1:], axis=1), axis=2)
        se_seg = np.sqrt(np.clip(np.diagonal(vseg, axis1=1, axis2=2), 0.0, None))
        apc = 100.0 * np.expm1(slopes)
        apc_lo = 100.0 * np.expm1(slopes - tq * se_seg)
        apc_hi = 100.0 * np.expm1(slopes + tq * se_seg)
        bounds = np.concatenate(
            [np.full((idx.size, 1), a_full), x[jp_idx], np.full((idx.size, 1), b_end)], axis=1
        )
        lo_b, hi_b = bounds[:, :-1], bounds[:, 1:]
        full = _aapc_arrays(lo_b, hi_b, slopes, vseg, a_full, b_end, tq, z)
        last5 = _aapc_arrays(lo_b, hi_b, slopes, vseg, a_last5, b_end, tq, z)
        X_sel = _designs(xc, jp_idx)  # (s, n, p)
        fitted = np.exp(np.einsum("snp,sp->sn", X_sel, beta))
        for r, s_i in enumerate(idx):
            segs = tuple(
                Segment(
                    float(lo_b[r, j]),
                    float(hi_b[r, j]),
                    float(apc[r, j]),
                    float(apc_lo[r, j]),
                    float(apc_hi[r, j]),
                )
                for j in range(k + 1)
            )
            results[s_i] = JoinpointResult(
                years=x.copy(),
                joinpoints=tuple(float(v) for v in x[jp_idx[r]]),
                segments=segs,
                aapc=float(full[0][r]),
                aapc_low=float(full[1][r]),
                aapc_high=float(full[2][r]),
                aapc_last5=float(last5[0][r]),
                aapc_last5_low=float(last5[1][r]),
                aapc_last5_high=float(last5[2][r]),
                fitted=fitted[r],
                n_joinpoints=k,
                criterion=criterion,
                criterion_values=tuple(float(v) for v in bic[s_i]),
                df=df,
                sse=float(sse[r]),
                weighted=weighted,
            )
    return results  # type: ignore[return-value]


def _prepare(rates: np.ndarray, se: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validity mask, log rates and normalised WLS weights (rate^2 / se^2, mean 1)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        valid = np.all(np.isfinite(rates) & (rates > 0), axis=1)
        if se is not None:
            valid &= np.all(np.isfinite(se) & (se > 0), axis=1)
        logY = np.where(valid[:, None], np.log(np.where(rates > 0, rates, 1.0)), 0.0)
        if se is None:
            W = np.ones_like(logY)
        else:
            W = np.where(valid[:, None], (rates / np.where(se > 0, se, 1.0)) ** 2, 1.0)
            W = W / W.mean(axis=1, keepdims=True)
    return valid, logY, W


def fit_many(
    years: Sequence[float] | np.ndarray,
    rates_2d: np.ndarray,
    se_2d: np.ndarray | None = None,
    max_joinpoints: int | None = None,
    min_obs_end: int = 2,
    min_obs_between: int = 2,
    criterion: Criterion = "wbic",
) -> list[JoinpointResult | None]:
    """Fit :func:`fit_joinpoint` to every row of ``rates_2d`` (series sharing ``years``).

    Same model, conventions and references as :func:`fit_joinpoint`; the grid search is
    batched over series and candidate joinpoint sets (normal equations with one step of
    iterative refinement).  A row containing a non-finite or non-positive rate (or se) has
    no log-linear fit: its entry is ``None`` (the caller withholds the trend).
    """
    x = _validate_years(years)
    R = np.asarray(rates_2d, dtype=float)
    if R.ndim != 2 or R.shape[1] != x.size:
        raise ValueError("rates_2d must have shape (n_series, len(years))")
    SE = None
    if se_2d is not None:
        SE = np.asarray(se_2d, dtype=float)
        if SE.shape != R.shape:
            raise ValueError("se_2d must have the same shape as rates_2d")
    if criterion not in ("wbic", "bic", "bic3"):
        raise ValueError("criterion must be 'wbic', 'bic' or 'bic3'")
    kmax = _resolve_max_k(x.size, max_joinpoints, min_obs_end, min_obs_between)
    valid, logY, W = _prepare(R, SE)
    out: list[JoinpointResult | None] = [None] * R.shape[0]
    vidx = np.nonzero(valid)[0]
    if vidx.size:
        fits = _fit_batch(
            x,
            logY[vidx],
            W[vidx],
            kmax,
            min_obs_end,
            min_obs_between,
            SE is not None,
            criterion,
        )
        for i, f in zip(vidx, fits, strict=True):
            out[i] = f
    return out


def fit_joinpoint(
    years: Sequence[float] | np.ndarray,
    rates: Sequence[float] | np.ndarray,
    se: Sequence[float] | np.ndarray | None = None,
    max_joinpoints: int | None = None,
    min_obs_end: int = 2,
    min_obs_between: int = 2,
    criterion: Criterion = "wbic",
) -> JoinpointResult:
    """Joinpoint regression of log(rate) on year (Kim et al. 2000, Stat Med 19:335-351).

    ``log r_i = b0 + b1 x_i + sum_j d_j (x_i - tau_j)+``, joinpoints on observed years
    (exhaustive grid search), WLS weights ``r_i^2 / se_i^2`` if ``se`` is given; number of
    joinpoints chosen by ``criterion`` up to ``max_joinpoints`` (default:
    :func:`default_max_joinpoints`): "wbic" (default, ``ln(SSE/n) + ((2 + R2max) k + 2)
    ln(n)/n``, Kim et al. 2023), "bic" (penalty ``2k + 2``, Kim, Yu & Feuer 2009) or
    "bic3" (penalty ``3k + 2``).  APC per segment
    ``100 (e^b - 1)`` with t(df = n - 2k - 2) CI; AAPC over the whole period and the last
    5 observations after Clegg et al. 2009 (Stat Med 28:3670-3682).  See the module
    docstring for the spacing convention.

    Raises ``ValueError`` for fewer than 3 points, non-increasing years, or any
    non-finite / non-positive rate or se (log-linear model impossible: withhold the trend).
    """
    r = np.asarray(rates, dtype=float)
    if r.ndim != 1:
        raise ValueError("rates must be one-dimensional")
    x = _validate_years(years)
    if r.size != x.size:
        raise ValueError("years and rates must have the same length")
    if not np.all(np.isfinite(r)) or np.any(r <= 0):
        raise ValueError("rates must be finite and > 0 for a log-linear joinpoint model")
    s = None
    if se is not None:
        s = np.asarray(se, dtype=float)
        if s.shape != r.shape:
            raise ValueError("se must have the same length as rates")
        if not np.all(np.isfinite(s)) or np.any(s <= 0):
            raise ValueError("standard errors must be finite and > 0")
        s = s[None, :]
    res = fit_many(x, r[None, :], s, max_joinpoints, min_obs_end, min_obs_between, criterion)[0]
    assert res is not None
    return res
