"""Empirical Bayes smoothing of standardised ratios (Poisson–gamma model)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, special

FloatArray = NDArray[np.float64]

__all__ = ["EBResult", "empirical_bayes", "negbin_loglik"]

#: Prior variance below which the model is treated as having no extra-Poisson
#: variation (relative to the squared prior mean).
_MIN_REL_VARIANCE = 1e-8


@dataclass(frozen=True)
class EBResult:
    """Result of :func:`empirical_bayes`.

    ``smoothed``: posterior means of the relative risks θ_i (NaN where E_i is 0/missing);
    ``prob_above_1``: posterior probabilities P(θ_i > 1 | O_i);
    ``shape`` (ν) and ``rate`` (α): hyperparameters of the Gamma(ν, α) prior (mean ν/α,
    variance ν/α²); both ``inf`` when no extra-Poisson variation is found;
    ``prior_mean`` = ν/α; ``degenerate`` is True in the no-extra-variation case;
    ``loglik``: maximised marginal log-likelihood (without the −Σ log O_i! constant).
    """

    smoothed: FloatArray
    prob_above_1: FloatArray
    shape: float
    rate: float
    prior_mean: float
    degenerate: bool
    loglik: float


def negbin_loglik(shape: float, rate: float, observed: ArrayLike, expected: ArrayLike) -> float:
    """Marginal (negative binomial) log-likelihood of the Poisson–gamma model.

    With θ_i ~ Gamma(ν, α) and O_i | θ_i ~ Poisson(θ_i E_i), O_i is negative binomial::

        ℓ(ν, α) = Σ_i [ log Γ(ν + O_i) − log Γ(ν) + ν log α − (ν + O_i) log(α + E_i)
                        + O_i log E_i − log O_i! ]

    The terms not depending on (ν, α) (O_i log E_i − log O_i!) are omitted.

    Reference: Clayton D, Kaldor J. Empirical Bayes estimates of age-standardized
    relative risks for use in disease mapping. Biometrics 1987;43:671–681.
    """
    o = np.asarray(observed, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    return float(
        np.sum(
            special.gammaln(shape + o)
            - special.gammaln(shape)
            + shape * np.log(rate)
            - (shape + o) * np.log(rate + e)
        )
    )


def _poisson_loglik(mu: float, o: FloatArray, e: FloatArray) -> float:
    """Σ [O log(μ) − μE] — Poisson log-likelihood with common relative risk μ (same constants
    omitted as in the negative binomial likelihood, which tends to it as ν → ∞)."""
    return float(np.sum(special.xlogy(o, mu) - mu * e))


def _moments_start(o: FloatArray, e: FloatArray) -> tuple[float, float]:
    """Method-of-moments start (Clayton & Kaldor 1987; Marshall 1991).

    m = Σ O / Σ E;  s² = Σ E_i (R_i − m)² / Σ E_i − m / Ē with R_i = O_i / E_i, Ē = mean E.
    Prior mean ν/α = m and variance ν/α² = s² give α = m / s², ν = m² / s².
    """
    m = o.sum() / e.sum()
    r = o / e
    s2 = np.sum(e * (r - m) ** 2) / e.sum() - m / e.mean()
    if not np.isfinite(s2) or s2 <= 1e-4 * m * m:
        s2 = 0.1 * m * m  # weak overdispersion start: coefficient of variation ≈ 0.32
    return m * m / s2, m / s2


def _newton_max(start: NDArray[np.float64], o: FloatArray, e: FloatArray,
                max_iter: int = 100) -> NDArray[np.float64] | None:
    """Maximise the negative binomial likelihood over (log ν, log α) by Newton's method.

    Analytic gradient and Hessian (digamma/trigamma), step halving when a step does not
    increase the likelihood. Returns None when it does not converge (the caller then uses
    L-BFGS-B); converged, it reaches the same optimum far faster on small area sets.
    """
    p = start.astype(np.float64).copy()
    ll = negbin_loglik(*np.exp(p), o, e)
    for _ in range(max_iter):
        nu, al = np.exp(p)
        l_nu = np.sum(special.digamma(nu + o) - special.digamma(nu) + np.log(al / (al + e)))
        l_al = np.sum(nu / al - (nu + o) / (al + e))
        l_nunu = np.sum(special.polygamma(1, nu + o) - special.polygamma(1, nu))
        l_alal = np.sum(-nu / al**2 + (nu + o) / (al + e) ** 2)
        l_nual = np.sum(1.0 / al - 1.0 / (al + e))
        g = np.array([nu * l_nu, al * l_al])
        h = np.array([[nu * nu * l_nunu + nu * l_nu, nu * al * l_nual],
                      [nu * al * l_nual, al * al * l_alal + al * l_al]])
        if np.max(np.abs(g)) < 1e-9 * max(1.0, abs(ll)):
            return p
        try:
            step = -np.linalg.solve(h, g)
        except np.linalg.LinAlgError:
            return None
        if not np.all(np.isfinite(step)) or step @ g <= 0:
            step = g / max(1.0, np.max(np.abs(g)))  # not an ascent direction: gradient step
        for _ in range(50):
            candidate = np.clip(p + step, -30.0, 30.0)
            ll_new = negbin_loglik(*np.exp(candidate), o, e)
            if np.isfinite(ll_new) and ll_new >= ll - 1e-12 * abs(ll):
                break
            step = step / 2
        else:
            return None
        if np.max(np.abs(candidate - p)) < 1e-12:
            return candidate
        p, ll = candidate, ll_new
        if p[0] > 25.0:  # 1/ν < 1e-11: the Poisson boundary, handled as degenerate
            return p
    return None


def empirical_bayes(observed: ArrayLike, expected: ArrayLike) -> EBResult:
    """Empirical Bayes (Poisson–gamma) smoothed relative risks, Clayton & Kaldor (1987).

    Model: θ_i ~ Gamma(ν, α) (shape ν, rate α, mean ν/α), O_i | θ_i ~ Poisson(θ_i E_i).
    (ν, α) maximise the negative binomial marginal likelihood (:func:`negbin_loglik`),
    optimised over (log ν, log α) by Newton's method (L-BFGS-B as a fallback) from a
    method-of-moments start.
    The posterior is θ_i | O_i ~ Gamma(ν + O_i, α + E_i), hence::

        smoothed_i     = (ν + O_i) / (α + E_i)
                       = w_i · O_i/E_i + (1 − w_i) · ν/α,   w_i = E_i / (α + E_i)
        prob_above_1_i = P(θ_i > 1 | O_i) = 1 − P(ν + O_i, α + E_i)

    where P(k, x) is the regularised lower incomplete gamma function.

    Degenerate case: when the ML prior variance ν/α² tends to 0 (no extra-Poisson
    variation: the likelihood is maximised at the Poisson boundary ν, α → ∞, detected by
    a non-positive score ½ Σ [(O_i − m E_i)² − O_i] for 1/ν at 0, or a fit that does not
    improve on the Poisson likelihood, or a relative prior variance 1/ν < 1e-8), every
    area gets the pooled ratio m = Σ O / Σ E, ``shape = rate = inf`` and the posterior
    is a point mass at m: prob_above_1 = 1 if m > 1, 0 if m < 1, 0.5 if m = 1.

    Areas with E_i ≤ 0 or missing O_i/E_i are left out of the fit and get NaN.

    References: Clayton D, Kaldor J. Biometrics 1987;43:671–681; Marshall RJ. Mapping
    disease and mortality rates using empirical Bayes estimators. Appl Stat
    1991;40:283–294. Dean CB. Testing for overdispersion in Poisson and binomial regression
    models. JASA 1992;87:451–457. Cameron AC, Trivedi PK. J Appl Econometrics 1986;1:29–53.
    """
    o_all = np.asarray(observed, dtype=np.float64)
    e_all = np.asarray(expected, dtype=np.float64)
    o_all, e_all = np.broadcast_arrays(o_all, e_all)
    use = np.isfinite(o_all) & np.isfinite(e_all) & (e_all > 0) & (o_all >= 0)
    smoothed = np.full(o_all.shape, np.nan)
    prob = np.full(o_all.shape, np.nan)
    o = o_all[use]
    e = e_all[use]
    if o.size == 0:
        return EBResult(smoothed, prob, np.nan, np.nan, np.nan, False, np.nan)

    m = float(o.sum() / e.sum())
    ll_poisson = _poisson_loglik(m, o, e)

    def negll(p: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        nu, al = np.exp(p)
        ll = negbin_loglik(nu, al, o, e)
        d_nu = np.sum(special.digamma(nu + o) - special.digamma(nu) + np.log(al / (al + e)))
        d_al = np.sum(nu / al - (nu + o) / (al + e))
        return -ll, -np.array([d_nu * nu, d_al * al])

    # Score test for extra-Poisson variation at the Poisson boundary (τ = 1/ν = 0): the
    # derivative of the profile log-likelihood in τ is ½ Σ [(O_i − m E_i)² − O_i]
    # (Cameron & Trivedi 1986; Dean 1992).  When it is ≤ 0 the ML prior variance is 0.
    score = float(np.sum((o - m * e) ** 2 - o))
    degenerate = o.size < 2 or m == 0.0 or score <= 0.0
    nu = al = np.inf
    ll = ll_poisson
    if not degenerate:
        start = np.log(np.array(_moments_start(o, e)))
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            newton = _newton_max(start, o, e)
        if newton is not None:
            res = optimize.OptimizeResult(x=newton, fun=-negbin_loglik(*np.exp(newton), o, e))
        else:
            res = optimize.minimize(
                negll,
                start,
                jac=True,
                method="L-BFGS-B",
                bounds=[(-30.0, 30.0), (-30.0, 30.0)],
                options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 2000},
            )
        nu_hat, al_hat = (float(v) for v in np.exp(res.x))
        ll_hat = -float(res.fun)
        rel_var = 1.0 / nu_hat  # prior variance / prior mean² = 1/ν
        if np.isfinite(ll_hat) and ll_hat > ll_poisson + 1e-9 and rel_var > _MIN_REL_VARIANCE:
            nu, al, ll = nu_hat, al_hat, ll_hat
        else:
            degenerate = True

    if degenerate:
        smoothed[use] = m
        prob[use] = 1.0 if m > 1 else (0.0 if m < 1 else 0.5)
        return EBResult(smoothed, prob, np.inf, np.inf, m, True, ll)

    post_shape = nu + o
    post_rate = al + e
    smoothed[use] = post_shape / post_rate
    prob[use] = special.gammaincc(post_shape, post_rate)  # P(θ > 1), θ ~ Gamma(k, rate r)
    return EBResult(smoothed, prob, nu, al, nu / al, False, ll)
