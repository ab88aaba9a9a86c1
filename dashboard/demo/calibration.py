"""Calibration of the demo registry on published French figures (simulated data).

National (metropolitan) age-specific rates per site, sex, measure and year are built so that:
- counts match every published count (``published_france_figures.csv``) at its year;
- all-cancer world-standardised rates match the published ones at their years;
- between published years the risk level moves log-linearly, and outside them at the
  published (or assumed) annual percent change of the standardised rate, so counts also
  follow population growth and ageing.

The rate of site ``s`` at age ``a`` and year ``y`` is ``L_s(y) f_s(a) exp(k(y) z_a)``: ``f_s`` a
gamma-kernel age shape, ``L_s`` the level, and ``exp(k z_a)`` a common age tilt per measure and
sex solved so that the all-cancer world-standardised rate hits its published value.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from dashboard.reference_data import read_reference
from dashboard.stats.standard_populations import weights

MID_AGES = np.array([2.5 + 5 * i for i in range(17)] + [89.0])
Z_AGES = (MID_AGES - 60.0) / 10.0
# Share of all cancers in sites not published separately (mesothelioma, sarcomas, unknown
# primary, biliary tract, ...): sites without published counts are rescaled to leave it.
OTHER_SHARE = {"incidence": 0.06, "mortality": 0.12}
SEX_CODES = {"male": 1, "female": 2}
COUNT_STATISTIC = {"incidence": "cases", "mortality": "deaths"}


@cache
def site_parameters() -> pd.DataFrame:
    """Per site and measure: base counts, trends, age shape, deprivation and spatial effects."""
    return read_reference("demo_site_parameters.csv", comment="#")


@cache
def published_figures() -> pd.DataFrame:
    """Published national figures (see the file header for sources)."""
    return read_reference("published_france_figures.csv", comment="#")


def age_shape(peak: float, k: float, child: float = 0.0) -> np.ndarray:
    """Gamma-kernel age profile ``((a/peak) exp(1 - a/peak))^k`` (+ a childhood bump), max 1."""
    x = MID_AGES / peak
    shape = (x * np.exp(1.0 - x)) ** k
    if child:
        shape = shape + child * np.exp(-(((MID_AGES - 5.0) / 5.0) ** 2))
    return shape / shape.max()


def _published(measure: str, site: str, sex: str, statistic: str) -> dict[int, float]:
    pub = published_figures()
    rows = pub[(pub.measure == measure) & (pub.site == site) & (pub.sex == sex)
               & (pub.statistic == statistic)]
    return {int(r.year): float(r.value) for r in rows.itertuples() if str(r.year).isdigit()}


def _published_apc(measure: str, site: str, sex: str) -> float | None:
    pub = published_figures()
    rows = pub[(pub.measure == measure) & (pub.site == site) & (pub.sex == sex)
               & (pub.statistic == "apc_asr_world")]
    if rows.empty:
        return None
    recent = rows[rows.year.astype(str).str.startswith("2010")]
    return float((recent if not recent.empty else rows).value.iloc[0])


def _levels(anchors: dict[int, float], apc: float, years: np.ndarray) -> np.ndarray:
    """Log-linear interpolation of levels between anchor years; APC extrapolation outside."""
    ys = sorted(anchors)
    logs = np.log([anchors[y] for y in ys])
    out = np.interp(years, ys, logs)
    growth = np.log1p(apc / 100.0)
    out = np.where(years < ys[0], logs[0] + growth * (years - ys[0]), out)
    out = np.where(years > ys[-1], logs[-1] + growth * (years - ys[-1]), out)
    return np.exp(out)


@dataclass
class SeriesSpec:
    """What the calibration needs to know about one site for one measure and sex."""

    site: str
    shape: np.ndarray
    anchors: dict[int, float]  # year -> count
    apc: float
    published: bool  # counts come from published figures (never rescaled)


def _specs(measure: str, sex: str) -> list[SeriesSpec]:
    params = site_parameters()
    specs = []
    for p in params[params.measure == measure].itertuples():
        if p.site_code == "other":
            continue
        base = getattr(p, f"cases_{sex}")
        pub = _published(measure, p.site_code, sex, COUNT_STATISTIC[measure])
        if base <= 0 and not pub:
            continue
        apc = _published_apc(measure, p.site_code, sex)
        specs.append(SeriesSpec(
            p.site_code, age_shape(p.age_peak, p.age_k, p.child),
            pub or {2018: float(base)}, apc if apc is not None else getattr(p, f"apc_{sex}"),
            bool(pub)))
    return specs


@dataclass
class Calibration:
    """National metropolitan rates per person-year: ``rates[site]`` has shape (18 ages, years)."""

    measure: str
    sex: str
    years: np.ndarray
    rates: dict[str, np.ndarray]
    tilt: np.ndarray


def _tilted(shape: np.ndarray, tilt: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Age profile per year ``f(a) exp(k(y) z_a)``, rescaled so the tilt moves cases between
    ages without changing the site's overall level in the reference population."""
    profile = shape[:, None] * np.exp(np.outer(Z_AGES, tilt))  # (age, year)
    return profile * (reference @ shape) / (reference @ profile)


def _rates_for(tilt: np.ndarray, specs: list[SeriesSpec], other_shape: np.ndarray,
               pop: np.ndarray, years: np.ndarray, all_counts: dict[int, float],
               all_apc: float, other_share: float) -> dict[str, np.ndarray]:
    """Age-specific rates of every site (and 'other') for a given age tilt per year."""
    reference = pop.mean(axis=1)
    index = {int(y): i for i, y in enumerate(years)}
    anchors = {s.site: dict(s.anchors) for s in specs}
    profiles = {s.site: _tilted(s.shape, tilt, reference) for s in specs}
    exposure = {k: (pop * v).sum(axis=0) for k, v in profiles.items()}
    counts: dict[str, np.ndarray] = {}
    for _ in range(2):  # second pass uses the rescaled anchors
        for s in specs:
            lv = _levels({y: c / exposure[s.site][index[y]] for y, c in anchors[s.site].items()},
                         s.apc, years)
            counts[s.site] = lv * exposure[s.site]
        for year, total in all_counts.items():
            i = index[year]
            fixed = sum(counts[s.site][i] for s in specs if s.published)
            free = sum(counts[s.site][i] for s in specs if not s.published)
            room = total * (1 - other_share) - fixed
            if free > 0 and room > 0:
                for s in specs:
                    if not s.published:
                        anchors[s.site][year] = counts[s.site][i] * room / free
    other_profile = _tilted(other_shape, tilt, reference)
    other_exposure = (pop * other_profile).sum(axis=0)
    other_anchor = {y: max(c - sum(counts[s.site][index[y]] for s in specs), other_share * c / 2)
                    / other_exposure[index[y]] for y, c in all_counts.items()}
    rates = {s.site: profiles[s.site] * (counts[s.site] / exposure[s.site]) for s in specs}
    rates["other"] = other_profile * _levels(other_anchor, all_apc, years)
    return rates


def calibrate(measure: str, sex: str, pop: np.ndarray, years: np.ndarray) -> Calibration:
    """Solve the national rates for one measure and sex.

    ``pop``: metropolitan population (18 ages × years). The tilt ``k(y)`` is solved by bisection
    at each year with a published all-cancer standardised rate, interpolated in between.
    """
    specs = _specs(measure, sex)
    p_other = site_parameters().query("site_code == 'other' and measure == @measure").iloc[0]
    other_shape = age_shape(p_other.age_peak, p_other.age_k, p_other.child)
    all_counts = _published(measure, "all", sex, COUNT_STATISTIC[measure])
    asr_targets = _published(measure, "all", sex, "asr_world")
    all_apc = _published_apc(measure, "all", sex) or 0.0
    w = weights("world")
    anchor_years = sorted(asr_targets)
    knots = {y: 0.0 for y in anchor_years}

    def tilt_of(kn: dict[int, float]) -> np.ndarray:
        ys = sorted(kn)
        return np.interp(years, ys, [kn[y] for y in ys]) if ys else np.zeros(len(years))

    def asr(kn: dict[int, float], year: int) -> float:
        rates = _rates_for(tilt_of(kn), specs, other_shape, pop, years, all_counts, all_apc,
                           OTHER_SHARE[measure])
        i = int(np.where(years == year)[0][0])
        return float(sum(r[:, i] for r in rates.values()) @ w * 1e5)

    for _ in range(3):
        for year in anchor_years:
            low, high = -1.5, 1.5
            for _ in range(40):
                mid = (low + high) / 2
                # A larger tilt moves cases to old ages, which the world standard weighs little.
                if asr({**knots, year: mid}, year) > asr_targets[year]:
                    low = mid
                else:
                    high = mid
            knots[year] = (low + high) / 2
    tilt = tilt_of(knots)
    rates = _rates_for(tilt, specs, other_shape, pop, years, all_counts, all_apc,
                       OTHER_SHARE[measure])
    return Calibration(measure, sex, years, rates, tilt)
