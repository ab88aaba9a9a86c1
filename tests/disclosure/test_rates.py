"""What published standardised rates reveal, and the check that decides their publication."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.disclosure.attacks import decode_ages, rounded_figures
from dashboard.disclosure.rates import (
    RATE_MIN_CASES,
    certify,
    inner_box,
    published_rates,
    rate_rows,
    rate_terms,
)
from dashboard.stats.standard_populations import weights
from dashboard.stats.standardise import dsr, gamma_limits

rng = np.random.default_rng(7)
N_AGES = 18
# a region-sized population by age group (person-years of one year)
POP = np.linspace(110_000, 30_000, N_AGES)


def _cells(n: int, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Age vectors shaped like a cancer (rising with age), ``scale`` cases on average."""
    profile = np.exp(np.linspace(-5, 0, N_AGES))
    counts = rng.poisson(scale * profile / profile.sum(), size=(n, N_AGES)).astype(float)
    return counts, np.tile(POP, (n, 1))


def test_published_rates_are_dsr_rounded():
    counts, pop = _cells(5, 300)
    got = published_rates(counts, pop, "world")
    rate, low, high = dsr(counts, pop, weights("world"), method="tiwari")
    assert np.allclose(got["asr_world"], np.round(rate, 1))
    assert (got["asr_world_low"] <= low + 1e-9).all()
    assert (got["asr_world_high"] >= high - 1e-9).all()
    assert np.allclose(got["asr_world_low"] * 10, np.round(got["asr_world_low"] * 10))


@pytest.mark.parametrize("standard", ["world", "europe"])
def test_known_rows_never_say_more_than_the_published_figures(standard):
    """Every point the rows allow rounds to the published rate and limits (so an attacker
    model using them is at least as strong as the real attacker)."""
    counts, pop = _cells(200, 400)
    terms = rate_terms(counts, pop, standard)
    known = rate_rows(terms, standard)
    name = f"asr_{standard}"
    published = published_rates(counts, pop, standard)
    for i in range(len(counts)):
        corners = _corners(known, i)
        assert len(corners) >= 1
        mix = rng.dirichlet(np.ones(len(corners)), size=200)
        pts = np.vstack([corners, mix @ corners])
        y, v = pts[:, 0], pts[:, 1]
        low, high = gamma_limits(y, v, terms.c1[i], terms.c2[i])
        assert np.allclose(np.round(y, 1), published[name][i])
        assert np.allclose(np.floor(low * 10 + 1e-9) / 10, published[f"{name}_low"][i])
        assert np.allclose(np.ceil(high * 10 - 1e-9) / 10, published[f"{name}_high"][i])
        # and the truth itself belongs
        t = known.coef_y[i] * terms.y[i] + known.coef_v[i] * terms.v[i]
        assert ((t >= known.lower[i] - 1e-9) & (t <= known.upper[i] + 1e-9)).all()


def _corners(known, i: int) -> np.ndarray:
    """Corners (y, v) of the polygon the rows of cell i allow (pairwise intersections of the
    boundary lines that satisfy every row)."""
    a = np.c_[known.coef_y[i], known.coef_v[i]]
    keep = np.abs(a).sum(axis=1) > 0
    a, lo, hi = a[keep], known.lower[i][keep], known.upper[i][keep]
    lines = [(a[k], b) for k in range(len(a)) for b in (lo[k], hi[k])]
    out = []
    for p in range(len(lines)):
        for q in range(p + 1, len(lines)):
            m = np.array([lines[p][0], lines[q][0]])
            if abs(np.linalg.det(m)) < 1e-300:
                continue
            x = np.linalg.solve(m, [lines[p][1], lines[q][1]])
            val = a @ x
            tol = 1e-9 * (1 + np.abs(val))
            if ((val >= lo - tol) & (val <= hi + tol)).all():
                out.append(x)
    return np.array(out)


def test_inner_box_corners_round_like_the_truth():
    counts, pop = _cells(100, 200)
    terms = rate_terms(counts, pop, "world")
    y_lo, y_hi, v_lo, v_hi = inner_box(terms, "world")
    pub = published_rates(counts, pop, "world")
    for yy, vv in ((y_lo, v_lo), (y_lo, v_hi), (y_hi, v_lo), (y_hi, v_hi)):
        low, high = gamma_limits(yy, vv, terms.c1, terms.c2)
        assert np.allclose(np.round(yy, 1), pub["asr_world"])
        assert np.allclose(np.floor(low * 10 + 1e-9) / 10, pub["asr_world_low"])
        assert np.allclose(np.ceil(high * 10 - 1e-9) / 10, pub["asr_world_high"])


def test_certificates_reproduce_every_published_value():
    counts, pop = _cells(300, 120)
    ok, cert = certify(counts, pop, np.full(counts.shape, np.inf), "world", 11)
    assert ok.any()
    cells = cert.moves["cell"].to_numpy()
    points = cert.points.astype(float)
    new = published_rates(points, pop[cells], "world")
    old = published_rates(counts[cells], pop[cells], "world")
    for k in new:
        assert np.allclose(new[k], old[k])
    assert np.allclose(points.sum(axis=1), counts[cells].sum(axis=1))
    assert (points >= 0).all()
    # every small age-group count of a passing cell moves by the threshold
    for i in np.flatnonzero(ok):
        for j in np.flatnonzero((counts[i] >= 1) & (counts[i] < 11)):
            alt = points[(cells == i) & (cert.moves["age"].to_numpy() == j), j]
            values = np.r_[counts[i, j], alt]
            assert values.max() - values.min() >= 11


def test_small_cells_get_no_rates():
    counts, pop = _cells(50, 12)
    small = counts.sum(axis=1) < RATE_MIN_CASES
    ok, _ = certify(counts, pop, np.full(counts.shape, np.inf), "world", 11)
    assert not ok[small].any()


def test_a_cell_whose_rates_reveal_an_age_group_is_refused():
    """Full-precision rates of a small cell give its age groups back (integer programme; the
    attacker knows from France's table which age groups are empty); certify() refuses it."""
    counts = np.zeros(N_AGES)
    counts[[5, 6, 7, 8, 9, 10]] = [1, 2, 6, 4, 4, 3]  # 20 cases: not refused for size
    pop = POP / 20  # a small area: each case weighs a lot in the rate
    upper = np.where((np.arange(N_AGES) >= 3) & (np.arange(N_AGES) <= 11), 50.0, 0.0)
    exact = dsr(counts[None], pop[None], weights("world"), method="tiwari")
    full = rounded_figures(counts.sum(), {"asr_world": exact[0][0], "asr_world_low":
                                          exact[1][0], "asr_world_high": exact[2][0]}, unit=1e-7)
    assert decode_ages(full, pop, upper=upper, groups=[7]) == {7: (6.0, 6.0)}
    ok, _ = certify(counts[None], pop[None], upper[None], "world", 11)
    assert not ok[0]


def test_decoding_a_certified_cell_finds_nothing_narrow():
    counts, pop = _cells(40, 150)
    ok, _ = certify(counts, pop, np.full(counts.shape, np.inf), "world", 11)
    checked = 0
    for i in np.flatnonzero(ok)[:8]:
        pub = published_rates(counts[i][None], pop[i][None], "world")
        fig = rounded_figures(counts[i].sum(), {k: float(v[0]) for k, v in pub.items()})
        small = np.flatnonzero((counts[i] >= 1) & (counts[i] < 11))
        for j, (lo, hi) in decode_ages(fig, pop[i], groups=small).items():
            assert hi - lo >= 11, (i, j, lo, hi)
            checked += 1
    assert checked > 0


def test_integer_programme_certificates_keep_total_and_bounds(monkeypatch):
    """Cells the quick searches miss go to the integer programme; whatever it certifies is
    a whole age vector with the cell's total, inside the attacker's bounds (a rounded linear
    relaxation can drift by a case: the exact check must catch it)."""
    import dashboard.disclosure.rates as rates

    calls = []
    original = rates._integer_point

    def spy(*args, **kwargs):
        point = original(*args, **kwargs)
        calls.append(point is not None)
        return point

    monkeypatch.setattr(rates, "_integer_point", spy)
    counts, pop = _cells(150, 60)
    pop = pop / 8  # department-sized: each case weighs more, quick moves miss more often
    upper = np.tile(np.r_[np.full(6, 12.0), np.full(12, 400.0)], (len(counts), 1))
    counts = np.minimum(counts, upper)
    _, cert = certify(counts, pop, upper, "world", 11)
    assert any(calls), "the integer programme was never tried"
    cells = cert.moves["cell"].to_numpy()
    points = cert.points.astype(float)
    assert np.allclose(points.sum(axis=1), counts[cells].sum(axis=1))
    assert ((points >= 0) & (points <= upper[cells])).all()
    new = published_rates(points, pop[cells], "world")
    old = published_rates(counts[cells], pop[cells], "world")
    for k in new:
        assert np.allclose(new[k], old[k])


def test_a_drifted_programme_point_is_never_a_certificate(monkeypatch):
    """A rounded relaxation can come back one case off the cell's total and still round to
    the same rates (large populations); the exact check refuses it: ``cases`` is published."""
    import dashboard.disclosure.rates as rates

    original = rates._integer_point

    offered = []

    def drifted(*args, **kwargs):
        point = original(*args, **kwargs)
        if point is not None:
            point[np.argmax(point)] += 1
            offered.append(point)
        return point

    nothing = lambda x, *a, **k: (np.zeros(len(x), bool), np.full(x.shape, np.nan))  # noqa: E731
    monkeypatch.setattr(rates, "_move_search", nothing)
    monkeypatch.setattr(rates, "_fine_tune", nothing)
    monkeypatch.setattr(rates, "_integer_point", drifted)
    counts, pop = _cells(60, 3000)
    ok, cert = certify(counts, pop * 200, np.full(counts.shape, np.inf), "world", 11)
    assert offered, "the integer programme was never reached"
    assert not ok.any()
    assert np.allclose(cert.points.sum(axis=1), counts[cert.moves["cell"]].sum(axis=1))
