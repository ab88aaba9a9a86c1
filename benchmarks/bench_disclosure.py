"""Benchmark of disclosure control on a synthetic, full-scale release.

Builds finest counts with French-like magnitudes (per site, sex and measure), spreads them over
the 101 departments by population share and over deprivation quintiles with a gradient (Poisson
noise, fixed seed), builds the published cell set of the release, then times `protect` and
`audit` and compares with a smallest-sibling baseline.

    python benchmarks/bench_disclosure.py --scale 0.1 --sites lung,testis
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

import dashboard
from dashboard.disclosure import audit, protect
from dashboard.disclosure.baseline import smallest_sibling

REFERENCE = Path(dashboard.__file__).parent / "reference"
YEARS = list(range(2010, 2024))
# Non-overlapping 5-year periods counted back from the last year, as the release.
PERIODS = [(2014, 2018), (2019, 2023)]

# National annual incidence (men, women) and mortality/incidence ratio.
SITES: dict[str, tuple[float, float, float]] = {
    "all": (230_000, 200_000, 0.40),
    "lip_mouth_pharynx": (11_000, 4_500, 0.25),
    "oesophagus": (3_700, 1_300, 0.75),
    "stomach": (4_300, 2_300, 0.60),
    "colorectum": (24_000, 20_000, 0.40),
    "liver": (8_500, 2_100, 0.80),
    "pancreas": (7_900, 7_100, 0.90),
    "larynx": (2_600, 450, 0.30),
    "lung": (33_000, 19_000, 0.65),
    "melanoma": (8_000, 7_500, 0.12),
    "breast": (0, 58_000, 0.21),
    "cervix": (0, 3_000, 0.35),
    "corpus_uteri": (0, 8_200, 0.30),
    "ovary": (0, 5_200, 0.65),
    "prostate": (60_000, 0, 0.15),
    "testis": (2_800, 0, 0.03),
    "kidney": (10_000, 4_500, 0.35),
    "bladder": (11_000, 2_500, 0.35),
    "cns": (3_200, 2_700, 0.70),
    "thyroid": (2_400, 6_600, 0.04),
    "lymphoma": (11_000, 9_000, 0.30),
    "myeloma": (2_900, 2_400, 0.55),
    "leukaemia": (6_000, 4_500, 0.45),
}
YOUNG = {"976": 0.3, "973": 0.5, "974": 0.8, "971": 0.9, "972": 0.9}
QUINTILE_SHARES = np.array([0.02, 0.18, 0.19, 0.20, 0.20, 0.21])  # unknown, Q1..Q5


def reference() -> tuple[dict[str, str], pd.Series]:
    """Department → region map and department weights (population × age factor)."""
    deps = pd.read_csv(REFERENCE / "departments.csv", dtype=str)
    dep_region = dict(zip(deps["code"], deps["region"], strict=True))
    communes = pd.read_csv(
        REFERENCE / "communes.csv.gz", dtype={"department": str}, usecols=["department",
                                                                          "population_2017"]
    )
    pop = communes.groupby("department")["population_2017"].sum().reindex(deps["code"])
    pop = pop.fillna(0.0)
    if pop.get("976", 0) <= 0:
        pop["976"] = 280_000.0
    weight = pop * pd.Series(YOUNG).reindex(pop.index).fillna(1.0)
    return dep_region, weight / weight.sum()


def synthetic_base(
    sites: list[str], scale: float, dep_weight: pd.Series, seed: int = 2026
) -> pd.DataFrame:
    """Finest counts: measure × site × department × quintile × sex × year."""
    rng = np.random.default_rng(seed)
    deps = dep_weight.index.to_numpy()
    frames = []
    for measure in ("incidence", "mortality"):
        for site in sites:
            men, women, mort = SITES[site]
            for sex, national in (("male", men), ("female", women)):
                if national <= 0:
                    continue
                level = national * scale * (mort if measure == "mortality" else 1.0)
                gradient = np.linspace(0.9, 1.1, 5) if measure == "incidence" else np.linspace(
                    0.8, 1.2, 5)
                qshare = QUINTILE_SHARES * np.r_[1.0, gradient]
                qshare = qshare / qshare.sum()
                trend = 1.0 + 0.01 * (np.array(YEARS) - 2010)
                lam = (level * dep_weight.to_numpy()[:, None, None] * qshare[None, :, None]
                       * trend[None, None, :])
                counts = rng.poisson(lam)
                d, q, y = np.meshgrid(np.arange(len(deps)), np.arange(6), np.arange(len(YEARS)),
                                      indexing="ij")
                frame = pd.DataFrame({
                    "measure": measure, "site_code": site, "department": deps[d.ravel()],
                    "quintile": q.ravel(), "sex": sex, "year": np.array(YEARS)[y.ravel()],
                    "count": counts.ravel(),
                })
                frames.append(frame[frame["count"] > 0])
    return pd.concat(frames, ignore_index=True)


def published_cells(
    base: pd.DataFrame, sites: list[str], dep_region: dict[str, str]
) -> pd.DataFrame:
    """The release's cell set with true counts."""
    regions = sorted(set(dep_region.values()))
    deps = sorted(dep_region)
    spans = [(y, y) for y in YEARS] + PERIODS
    rows = []
    for measure in ("incidence", "mortality"):
        for site in sites:
            men, women, _ = SITES[site]
            sexes = [s for s, n in (("male", men), ("female", women)) if n > 0]
            if len(sexes) == 2:
                sexes.append("all")
            geos = [("country", "FR")] + [("region", r) for r in regions]
            geos += [("department", d) for d in deps]
            for sex in sexes:
                for ys, ye in spans:
                    for level, geo in geos:
                        if level == "department" and ys == ye:
                            continue  # departments: 5-year periods only (as the release)
                        rows.append(("indicator", measure, level, geo, sex, site, ys, ye, None))
                    for q in range(1, 6):
                        rows.append(("inequality", measure, "country", "FR", sex, site, ys, ye,
                                     q))
                        if ys != ye:
                            for r in regions:
                                rows.append(("inequality", measure, "region", r, sex, site, ys,
                                             ye, q))
    cells = pd.DataFrame(rows, columns=["table", "measure", "level", "geo_code", "sex",
                                        "site_code", "year_start", "year_end", "quintile"])
    cells["quintile"] = cells["quintile"].astype("Int64")
    cells["cases"] = true_cases(base, cells, dep_region)
    return cells


def true_cases(base: pd.DataFrame, cells: pd.DataFrame, dep_region: dict[str, str]) -> np.ndarray:
    """Sum of base over each cell's members (straightforward pandas, for the benchmark)."""
    b = base.copy()
    b["region"] = b["department"].map(dep_region)
    out = np.zeros(len(cells), dtype=np.int64)
    keys = ["measure", "site_code", "sex", "year", "quintile"]
    for level, geo_col in (("country", None), ("region", "region"), ("department", "department")):
        by = keys + ([geo_col] if geo_col else [])
        agg = b.groupby(by, observed=True)["count"].sum()
        sel = np.flatnonzero(cells["level"].to_numpy() == level)
        sub = cells.iloc[sel]
        frame = agg.reset_index()
        if geo_col is None:
            frame["geo"] = "FR"
        else:
            frame["geo"] = frame[geo_col]
        exp = sub[["measure", "site_code", "geo_code", "sex", "year_start", "year_end",
                   "quintile"]].copy()
        exp["cell"] = sel
        exp["year"] = [list(range(a, b_ + 1)) for a, b_ in zip(exp["year_start"],
                                                                exp["year_end"], strict=True)]
        exp = exp.explode("year")
        exp["year"] = exp["year"].astype(int)
        exp["sex"] = exp["sex"].map({"male": ["male"], "female": ["female"],
                                     "all": ["male", "female"]})
        exp = exp.explode("sex")
        exp["quintile"] = [list(range(6)) if pd.isna(q) else [int(q)] for q in exp["quintile"]]
        exp = exp.explode("quintile")
        exp["quintile"] = exp["quintile"].astype(int)
        merged = exp.merge(frame, left_on=["measure", "site_code", "geo_code", "sex", "year",
                                           "quintile"],
                           right_on=["measure", "site_code", "geo", "sex", "year", "quintile"],
                           how="left")
        sums = merged.groupby("cell")["count"].sum()
        out[sums.index.to_numpy()] = sums.to_numpy()
    return out


def shares(cells: pd.DataFrame) -> pd.DataFrame:
    """Share of cells suppressed (primary, complementary) by table and level."""
    g = cells.assign(
        primary=cells["reason"].eq("primary"), complementary=cells["reason"].eq("complementary")
    ).groupby(["table", "level"])
    out = g[["primary", "complementary"]].mean().mul(100).round(2)
    out["cells"] = g.size()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="multiplier of counts")
    parser.add_argument("--sites", default="", help="comma-separated site codes (default: all)")
    parser.add_argument("--threshold", type=int, default=11)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    sites = [s for s in args.sites.split(",") if s] or list(SITES)

    dep_region, weight = reference()
    t0 = time.perf_counter()
    base = synthetic_base(sites, args.scale, weight)
    cells = published_cells(base, sites, dep_region)
    print(f"synthetic data: {len(base):,} base rows, {len(cells):,} cells, "
          f"{time.perf_counter() - t0:.1f} s")

    t0 = time.perf_counter()
    out = protect(base, cells, dep_region, threshold=args.threshold, n_jobs=args.jobs)
    t_protect = time.perf_counter() - t0
    t0 = time.perf_counter()
    report = audit(base, out, dep_region, threshold=args.threshold, n_jobs=args.jobs)
    t_audit = time.perf_counter() - t0
    n = len(cells)
    print(f"protect: {t_protect:.1f} s ({n / t_protect:,.0f} cells/s)")
    print(f"audit:   {t_audit:.1f} s ({n / t_audit:,.0f} cells/s), passed={report.passed}")
    comp_cases = out.loc[out["reason"].eq("complementary"), "cases"].sum()
    print(f"suppressed: {out['status'].eq('suppressed').mean():.2%} of cells "
          f"(primary {out['reason'].eq('primary').mean():.2%}, "
          f"complementary {out['reason'].eq('complementary').mean():.2%}); "
          f"cases in complementary cells: {comp_cases:,}")
    print(shares(out).to_string())

    if not args.no_baseline:
        t0 = time.perf_counter()
        base_out = smallest_sibling(cells, dep_region, threshold=args.threshold)
        t_base = time.perf_counter() - t0
        base_report = audit(base, base_out, dep_region, threshold=args.threshold,
                            n_jobs=args.jobs)
        print(f"\nbaseline (smallest sibling, no LP): {t_base:.1f} s, "
              f"complementary {base_out['reason'].eq('complementary').mean():.2%}, "
              f"cases {base_out.loc[base_out['reason'].eq('complementary'), 'cases'].sum():,}, "
              f"audit passed={base_report.passed} "
              f"({len(base_report.failures)} under-protected cells)")
        print(shares(base_out).to_string())


if __name__ == "__main__":
    main()
