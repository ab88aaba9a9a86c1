"""The demo registry: writes the four source files a registry would deliver, simulated.

``python -m dashboard demo-sources --out DIR [--seed N] [--scale F]`` writes ``cases.csv``,
``deaths.csv``, ``population.csv`` (or INSEE's workbook when given) and ``deprivation.csv``
for 2010-2023 and all of France, deterministically for a seed. The numbers are simulated:
calibrated on published national figures (``calibration``), with simulated territorial and
social structure (``territory``); see docs/demo-data.md.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from dashboard.demo import calibration, territory
from dashboard.reference_data import communes, departments
from dashboard.sources.ages import AGE_LABELS, N_AGE_GROUPS
from dashboard.sources.icd10 import category_to_site
from dashboard.sources.population import read_long

FIRST_YEAR, LAST_YEAR = 2010, 2023
SEXES = ("male", "female")
ID_PREFIX = {"incidence": "T", "mortality": "D"}
ANOMALY_SHARE = 0.0008  # share of rows given a realistic defect, to exercise validation


@dataclass
class DemoReport:
    """What the generator wrote, with timings."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def reference_population(years: range) -> pd.DataFrame:
    """The packaged INSEE population (department, sex, age group, year)."""
    from importlib import resources

    with resources.as_file(resources.files("dashboard.reference").joinpath(
            "population_2010_2023.csv.gz")) as path:
        return read_long(Path(path), years)


def population_cube(pop: pd.DataFrame, deps: list[str], years: np.ndarray) -> np.ndarray:
    """Population array (department, sex, age, year)."""
    cube = np.zeros((len(deps), 2, N_AGE_GROUPS, len(years)))
    d = pd.Index(deps).get_indexer(pop["department"])
    cube[d, pop["sex"].to_numpy() - 1, pop["age_group"].to_numpy(),
         pop["year"].to_numpy() - years[0]] = pop["population"].to_numpy()
    return cube


def commune_frame(rng: np.random.Generator) -> pd.DataFrame:
    """Current communes with a population weight, a simulated deprivation score and quintile."""
    ref = communes()
    com = ref[ref["type"] == "COM"][["code", "department", "population_2017"]].copy()
    pop = pd.to_numeric(com["population_2017"], errors="coerce")
    # Mayotte has no 2017 municipal population in the reference: equal weights there.
    com["population"] = pop.fillna(1000.0).clip(lower=1.0)
    com["score"] = territory.deprivation_scores(com, departments(), rng)
    com["quintile"] = territory.population_quintiles(com["score"], com["population"])
    return com.reset_index(drop=True)


def _site_categories() -> dict[str, np.ndarray]:
    """ICD-10 C categories of each site, 'other' for the rest of C00-C97 except C44."""
    cats: dict[str, list[int]] = {}
    mapping = category_to_site()
    for c in range(98):
        if c != 44:
            cats.setdefault(mapping.get(c, "other"), []).append(c)
    return {k: np.array(v) for k, v in cats.items()}


def _expected(measure: str, sites: list[str], pop: np.ndarray, share: np.ndarray,
              deps: pd.DataFrame, years: np.ndarray, seed: int) -> np.ndarray:
    """Expected counts (site, department, quintile, sex, age, year)."""
    params = calibration.site_parameters().query("measure == @measure").set_index("site_code")
    metro = ~deps["code"].isin(territory.OVERSEAS).to_numpy()
    out = np.zeros((len(sites), len(deps), 5, 2, N_AGE_GROUPS, len(years)))
    metro_pop = pop[metro].sum(axis=0)  # (sex, age, year)
    cal = {sex: calibration.calibrate(measure, sex, metro_pop[i], years)
           for i, sex in enumerate(SEXES)}
    for s, site in enumerate(sites):
        p = params.loc[site]
        # The same spatial field for both measures of a site (seeded by site), so incidence
        # and mortality maps look alike, as they do in reality.
        log_rr = territory.department_log_rr(deps, p, np.random.default_rng([seed, s]))
        q_rr = p["deprivation_rr"] ** (np.arange(5) / 4.0)
        for x, sex in enumerate(SEXES):
            rate = cal[sex].rates.get(site)
            if rate is None:
                continue
            base = pop[:, x] * rate[None]  # (dep, age, year)
            mean = (base[:, None] * (np.exp(log_rr)[:, None, None, None]
                                     * share[:, :, None, None] * q_rr[None, :, None, None]))
            target = base[metro].sum(axis=0)  # (age, year): national rates on metro population
            got = mean[metro].sum(axis=(0, 1))
            out[s, :, :, x] = mean * np.where(got > 0, target / np.where(got > 0, got, 1), 0)
    return out


def _draw_rows(measure: str, counts: np.ndarray, sites: list[str], deps: list[str],
               com: pd.DataFrame, years: np.ndarray, rng: np.random.Generator) -> pa.Table:
    """Turn counts per cell into one row per event with an age, ICD-10 code and commune."""
    flat = counts.ravel()
    cell = np.repeat(np.arange(flat.size, dtype=np.int64), flat)
    s, d, q, x, a, y = np.unravel_index(cell, counts.shape)
    n = cell.size
    age = a * 5 + rng.integers(0, 5, n)
    old = a == N_AGE_GROUPS - 1
    age[old] = 85 + np.minimum(rng.geometric(0.13, old.sum()) - 1, 20)

    categories = _site_categories()
    lookup = np.array([[f"C{c:02d}"] + [f"C{c:02d}{k}" for k in range(10)] for c in range(100)],
                      dtype=object)
    icd = np.empty(n, dtype=object)
    for i, site in enumerate(sites):
        mask = s == i
        cats = categories[site][rng.integers(0, len(categories[site]), mask.sum())]
        digit = np.maximum(rng.integers(-3, 10, mask.sum()), -1) + 1  # ~30% 3-character codes
        icd[mask] = lookup[cats, digit]

    # Communes within (department, quintile), drawn in proportion to population.
    com = com.assign(group=pd.Index(deps).get_indexer(com["department"]) * 5 + com["quintile"] - 1)
    com = com.sort_values(["group", "code"], kind="stable").reset_index(drop=True)
    weights = com["population"].to_numpy()
    group_total = np.bincount(com["group"], weights=weights, minlength=len(deps) * 5)
    cum = np.cumsum(weights) - np.repeat(np.cumsum(group_total) - group_total,
                                         np.bincount(com["group"], minlength=len(deps) * 5))
    position = com["group"].to_numpy() + cum / group_total[com["group"]]
    group = d * 5 + q
    pick = np.searchsorted(position, group + rng.random(n) * (1 - 1e-12), side="left")
    pick = np.minimum(pick, len(com) - 1)
    code = com["code"].to_numpy()[pick].astype(object)
    code = _as_delivered(code, rng)

    order = rng.permutation(n)
    ids = pc.binary_join_element_wise(
        ID_PREFIX[measure], pc.utf8_lpad(pc.cast(pa.array(np.arange(1, n + 1)), pa.string()), 9,
                                         "0"), "")
    id_col = "case_id" if measure == "incidence" else "death_id"
    table = pa.table({
        id_col: ids,
        "sex": pa.array((x + 1)[order]),
        "age": pa.array(age[order]),
        "year": pa.array(years[y][order]),
        "icd10": pa.array(icd[order], type=pa.string()),
        "commune": pa.array(code[order], type=pa.string()),
    })
    return _with_anomalies(table, rng)


def _as_delivered(code: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Codes as registries write them: arrondissements for Paris, Lyon and Marseille, and the
    former commune's code for some residents of merged communes."""
    ref = communes()
    kids = ref[ref["type"] != "COM"].sort_values(["commune", "code"])
    parents = pd.Index(kids["commune"].unique())
    sizes = kids.groupby("commune", sort=True).size().reindex(parents).to_numpy()
    offsets = np.cumsum(sizes) - sizes
    which = parents.get_indexer(code)
    has = which >= 0
    share = np.where(pd.Series(code).isin(["75056", "69123", "13055"]).to_numpy(), 1.0, 0.05)
    use = has & (rng.random(len(code)) < share)
    pick = offsets[which[use]] + (rng.random(use.sum()) * sizes[which[use]]).astype(np.int64)
    code = code.copy()
    code[use] = kids["code"].to_numpy()[pick]
    return code


def _with_anomalies(table: pa.Table, rng: np.random.Generator) -> pa.Table:
    """Give a small share of rows a realistic defect (each is rejected with its reason), add a
    few duplicated records, and shuffle."""
    table = table.cast(pa.schema([(f.name, pa.string()) for f in table.schema]))
    n = table.num_rows
    k = max(int(n * ANOMALY_SHARE), 7)
    rows = rng.choice(n, size=min(k, n), replace=False)
    bad = table.take(rows).to_pandas()
    kinds = rng.integers(0, 7, len(bad))
    for kind, col, value in [(0, "commune", ""), (1, "sex", "9"), (2, "age", "-1"),
                             (3, "year", "2009"), (4, "icd10", "D059"), (5, "commune", "99999"),
                             (6, "icd10", "C449")]:
        bad.loc[kinds == kind, col] = value
    keep = np.ones(n, dtype=bool)
    keep[rows] = False
    duplicates = table.take(rng.choice(np.flatnonzero(keep), size=min(len(bad) // 7, 1 + n // 2),
                                       replace=False))
    out = pa.concat_tables([table.filter(pa.array(keep)),
                            pa.Table.from_pandas(bad, schema=table.schema, preserve_index=False),
                            duplicates])
    return out.take(pa.array(rng.permutation(out.num_rows)))


def write_demo_sources(out: Path, seed: int = 20240, scale: float = 1.0,
                       population_xlsx: Path | None = None,
                       first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> DemoReport:
    """Write the demo sources into ``out``; return row counts and timings.

    The calibration always spans 2010-2023 (the published figures); ``first_year`` and
    ``last_year`` choose the years delivered (a smaller registry for tests).
    """
    if not FIRST_YEAR <= first_year <= last_year <= LAST_YEAR:
        raise ValueError(f"demo years must lie within {FIRST_YEAR}-{LAST_YEAR}")
    report = DemoReport()
    keep = slice(first_year - FIRST_YEAR, last_year - FIRST_YEAR + 1)
    out.mkdir(parents=True, exist_ok=True)
    years = np.arange(FIRST_YEAR, LAST_YEAR + 1)
    rng = np.random.default_rng(seed)
    t = time.perf_counter()
    deps = departments()
    dep_codes = list(deps["code"])
    pop_long = reference_population(range(FIRST_YEAR, LAST_YEAR + 1))
    pop = population_cube(pop_long, dep_codes, years)
    com = commune_frame(rng)
    share = np.zeros((len(dep_codes), 5))
    np.add.at(share, (pd.Index(dep_codes).get_indexer(com["department"]), com["quintile"] - 1),
              com["population"].to_numpy())
    share /= share.sum(axis=1, keepdims=True)
    report.seconds["reference"] = time.perf_counter() - t

    sites = [s for s in calibration.site_parameters()["site_code"].unique()]
    for measure, name in (("incidence", "cases"), ("mortality", "deaths")):
        t = time.perf_counter()
        mean = _expected(measure, sites, pop, share, deps, years, seed)[..., keep] * scale
        counts = rng.poisson(mean)
        table = _draw_rows(measure, counts, sites, dep_codes, com, years[keep], rng)
        pacsv.write_csv(table, out / f"{name}.csv",
                        pacsv.WriteOptions(quoting_style="needed"))
        report.rows[name] = table.num_rows
        report.seconds[name] = time.perf_counter() - t

    t = time.perf_counter()
    if population_xlsx is not None:
        shutil.copyfile(population_xlsx, out / "population.xlsx")
        (out / "population.csv").unlink(missing_ok=True)
    else:
        long = pop_long[pop_long["year"].between(first_year, last_year)]
        long = long.assign(age_group=[AGE_LABELS[i] for i in long["age_group"]])
        long[["year", "department", "sex", "age_group", "population"]].to_csv(
            out / "population.csv", index=False)
        (out / "population.xlsx").unlink(missing_ok=True)
    com[["code", "quintile", "score"]].rename(columns={"code": "commune"}).round(
        {"score": 4}).to_csv(out / "deprivation.csv", index=False)
    report.rows["deprivation"] = len(com)
    report.seconds["population+deprivation"] = time.perf_counter() - t
    return report
