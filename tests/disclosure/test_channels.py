"""Each channel an attacker can use, reproduced: it gives counts back from figures computed the
unprotected way, and nothing from the release's policy (docs/disclosure-control.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.disclosure import audit, protect
from dashboard.disclosure.attacks import per_age_intervals, reference_counts
from dashboard.disclosure.rates import certify
from dashboard.pipeline.indicator_values import SERIES, expected_counts, reference_rates
from dashboard.pipeline.published_cells import CellTable

from .helpers import base_frame, make_cells

N_AGES = 18


# --- 1. expected counts are linear in France's age-group counts ------------------------

def _national(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """France's counts by age (young groups small) and 40 areas' person-years by age."""
    areas = rng.uniform(2e4, 2e5, size=(40, N_AGES)) * rng.uniform(0.5, 1.5, size=(40, 1))
    counts = np.round(np.exp(np.linspace(0.5, 8, N_AGES))).astype(float)
    return counts, areas, areas.sum(axis=0)


def _series_keys(n: int, **extra) -> pd.DataFrame:
    base = {"measure": "incidence", "sex": "male", "site_code": "s", "year_start": 2019,
            "year_end": 2023}
    return pd.DataFrame({**{k: [v] * n for k, v in base.items()}, **extra})


def test_expected_counts_give_france_age_groups_back_unless_published():
    rng = np.random.default_rng(3)
    counts, areas, france = _national(rng)
    small = np.flatnonzero((counts >= 1) & (counts < 11))
    assert small.size
    # unprotected: expected from France's true rates, full precision
    legacy = areas @ (counts / france)
    lo, hi = reference_counts(legacy, areas, france, unit=1e-9)
    j = small[0]
    assert lo[j] <= counts[j] <= hi[j] and hi[j] - lo[j] < 11
    # the release: reference rates from the published age table, hidden groups pooled
    published = ~((counts >= 1) & (counts < 11))
    published[small[-1] + 1] = False  # a complement, as protect would choose
    ages = CellTable(_series_keys(N_AGES, age_start=np.arange(N_AGES) * 5),
                     counts[:, None], france[:, None])
    totals = pd.Series([counts.sum()],
                       index=pd.MultiIndex.from_frame(_series_keys(1)[SERIES]))
    reference = reference_rates(ages, published, totals)
    cells = CellTable(_series_keys(len(areas), level="region"), np.zeros_like(areas), areas)
    released = np.round(expected_counts(cells, reference), 1)
    lo, hi = reference_counts(released, areas, france, unit=0.1)
    hidden = np.flatnonzero(~published)
    pooled = (counts.sum() - counts[published].sum()) / france[hidden].sum()
    # what the attack finds for the hidden groups is the pooled rate, a function of the
    # published table (total minus published groups), not the groups' own counts
    share = pooled * france[hidden]
    assert ((lo[hidden] <= share + 1e-6) & (share <= hi[hidden] + 1e-6)).all()
    assert not np.allclose(counts[hidden], share, rtol=0.05)


# --- 2. an unknown quintile that is publicly empty ---------------------------------------

DEP = {"01": "R1", "02": "R1", "03": "R2"}


def _quintile_table() -> tuple[pd.DataFrame, pd.DataFrame]:
    """A table (found by search, seed 0) where "≤" protects and "=" does not."""
    rng = np.random.default_rng(0)
    for _ in range(68):
        rows = [(d, q, s, y, int(rng.choice([0, 1, 2, 3, 5, 8, 15, 30]))) for d in DEP
                for q in (1, 2, 3) for s in ("male", "female") for y in (2010, 2011)]
    base = base_frame(rows)
    cells = make_cells(base, DEP, [(2010, 2010), (2011, 2011), (2010, 2011)],
                       quintiles=(1, 2, 3), quintile_levels=("country", "region"))
    return base, cells


def test_publicly_empty_unknown_quintile_turns_inequality_into_equality():
    base, cells = _quintile_table()
    empty = [(d, 0) for d in DEP]  # no person-years of unknown quintile: published fact
    careless = protect(base, cells, DEP, n_jobs=1)
    assert audit(base, careless, DEP, n_jobs=1).passed  # the old model saw nothing wrong
    assert not audit(base, careless, DEP, empty=empty, n_jobs=1).passed  # the attacker does
    careful = protect(base, cells, DEP, empty=empty, n_jobs=1)
    assert audit(base, careful, DEP, empty=empty, n_jobs=1).passed


# --- 3. decoded age groups, combined through the relations between cells ----------------

def _combination() -> dict:
    """A = X + Y and B = X + Z are published, X, Y, Z hidden. Counts alone leave X in
    [0, 20]; the age groups of A and B pin X to its age group 60-64 (6 cases)."""
    x = np.zeros(N_AGES)
    x[12] = 6
    y = np.zeros(N_AGES)
    y[14] = 14
    z = np.zeros(N_AGES)
    z[16] = 20
    inc = np.array([[1, 1, 0], [1, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=float)
    ages = inc @ np.vstack([x, y, z])  # cells × ages: A, B, X, Y, Z
    return {"inc": inc, "ages": ages, "published": np.array([1, 1, 0, 0, 0], dtype=bool),
            "totals": ages.sum(axis=1)}


def test_decoded_age_groups_narrow_a_hidden_cell_the_counts_protect():
    c = _combination()
    loose = np.stack([np.zeros_like(c["ages"]), np.repeat(c["totals"][:, None], N_AGES, 1)],
                     axis=2)
    lo, hi = per_age_intervals(c["inc"], c["published"], c["totals"], loose, [2])
    assert hi[0] - lo[0] >= 11  # counts only
    exact = np.stack([c["ages"], c["ages"]], axis=2)  # rates at full precision decoded
    lo, hi = per_age_intervals(c["inc"], c["published"], c["totals"], exact, [2])
    assert (lo[0], hi[0]) == (0.0, 6.0)
    # the release publishes A's and B's rates only if their age groups cannot be decoded:
    pop = np.tile(np.linspace(3e4, 8e3, N_AGES), (2, 1))
    ok, _ = certify(c["ages"][:2], pop, np.full((2, N_AGES), np.inf), "world", 11)
    assert not ok.any()  # so the attacker is back to counts only


# --- 4. "all cancers" minus the published sites -----------------------------------------

def _sites() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Two sites and "all cancers" over one single-department region R2 and a region R1;
    in R2 the cancers of other sites are few."""
    dep = {"01": "R1", "02": "R1", "03": "R2"}
    rng = np.random.default_rng(5)
    parts, cells = [], []
    counts = {}
    for d in dep:
        for s in ("male", "female"):
            for y in (2010, 2011):
                a = int(rng.integers(5, 9)) if d == "03" else int(rng.integers(30, 60))
                b = int(rng.integers(20, 40))
                other = int(rng.integers(0, 2)) if d == "03" else int(rng.integers(40, 80))
                counts[(d, s, y)] = (a, b, other)
    for site, k in (("a", 0), ("b", 1), ("all", None)):
        rows = [(d, 1, s, y, sum(v) if k is None else v[k]) for (d, s, y), v in counts.items()]
        base = base_frame(rows).assign(site_code=site)
        block = make_cells(base, dep, [(2010, 2010), (2011, 2011), (2010, 2011)])
        parts.append(base)
        cells.append(block.assign(site_code=site))
    remainder = base_frame([(d, 1, s, y, v[2]) for (d, s, y), v in counts.items()]).assign(
        site_code="all")
    return (pd.concat(parts, ignore_index=True), pd.concat(cells, ignore_index=True),
            remainder)


def _all_minus_sites(out: pd.DataFrame) -> int:
    """Hidden site cells whose "all cancers minus published sites" bound is below 11."""
    keys = ["level", "geo_code", "sex", "year_start", "year_end"]
    narrow = 0
    for _, col in out.groupby(keys):
        total = col[col["site_code"] == "all"]
        if total.empty or total["status"].iloc[0] != "published":
            continue
        sites = col[col["site_code"] != "all"]
        shown = sites.loc[sites["status"] == "published", "cases"].sum()
        room = total["cases"].iloc[0] - shown  # every hidden site is at most this
        hidden = sites[sites["status"] == "suppressed"]
        narrow += int(((hidden["cases"] < 11) & (room < 11)).sum())
    return narrow


def test_all_cancers_minus_published_sites_protected_together():
    base, cells, remainder = _sites()
    dep = {"01": "R1", "02": "R1", "03": "R2"}
    apart = protect(base, cells, dep, n_jobs=1)
    assert _all_minus_sites(apart) > 0  # blocks protected apart: the subtraction works
    together = protect(base, cells, dep, remainder=remainder, n_jobs=1)
    assert _all_minus_sites(together) == 0
    assert audit(base, together, dep, remainder=remainder, n_jobs=1).passed
