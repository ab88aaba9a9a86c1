"""Full-scale demo pipeline: generate, ingest, aggregate, statistics; figures printed.

Usage: ``python benchmarks/bench_pipeline.py [--scale 1.0] [--out DIR]``

Prints seconds and rows/s per step, peak memory (ru_maxrss), the statistics throughput
(indicator cells/s, all cells treated as published: disclosure control is measured by
bench_disclosure.py) and the comparison of the simulated national figures with the published
ones (counts by site and sex, all-cancer world-standardised rates; required within ±3%).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

from dashboard.demo.calibration import published_figures
from dashboard.demo.generator import write_demo_sources
from dashboard.demo.territory import OVERSEAS
from dashboard.pipeline import published_cells
from dashboard.pipeline.aggregate import aggregate
from dashboard.pipeline.indicator_values import indicator_table
from dashboard.pipeline.ingest import ingest
from dashboard.pipeline.trends import trend_tables
from dashboard.stats.standard_populations import weights

YEARS = range(2010, 2024)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def compare_with_published(agg) -> list[tuple[str, float, float, float]]:
    """(label, published, simulated, relative difference) for metropolitan France."""
    metro = np.array([d not in OVERSEAS for d in agg.departments])
    pub = published_figures()
    out = []
    w = weights("world")
    for r in pub.itertuples():
        if not str(r.year).isdigit() or int(r.year) not in YEARS or r.sex == "all":
            continue
        if r.statistic not in ("cases", "deaths", "asr_world"):
            continue
        x = 0 if r.sex == "male" else 1
        i = int(r.year) - YEARS.start
        counts = agg.counts[r.measure][:, metro][..., x, :, i]  # (slot, dep, q, age)
        if r.site != "all":
            counts = counts[agg.slots.index(r.site)][None]
        by_age = counts.sum(axis=(0, 1, 2))
        if r.statistic == "asr_world":
            if r.site != "all":
                continue
            pop = agg.population[metro][:, :, x, :, i].sum(axis=(0, 1))
            value = float((by_age / pop) @ w * 1e5)
        else:
            value = float(by_age.sum())
        out.append((f"{r.measure} {r.site} {r.sex} {r.year} {r.statistic}", r.value, value,
                    value / r.value - 1))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="demo-bench-"))
    t0 = time.perf_counter()
    report = write_demo_sources(out, scale=args.scale)
    t_gen = time.perf_counter() - t0
    rows = report.rows["cases"] + report.rows["deaths"]
    print(f"generate : {t_gen:6.1f} s  {rows:,} event rows ({rows / t_gen:,.0f} rows/s); "
          f"cases/year {report.rows['cases'] / len(YEARS):,.0f}, "
          f"deaths/year {report.rows['deaths'] / len(YEARS):,.0f}")
    t = time.perf_counter()
    sources = ingest(out, YEARS)
    t_ing = time.perf_counter() - t
    print(f"ingest   : {t_ing:6.1f} s  ({rows / t_ing:,.0f} rows/s)")
    t = time.perf_counter()
    agg = aggregate(sources)
    t_agg = time.perf_counter() - t
    print(f"aggregate: {t_agg:6.1f} s  ({rows / t_agg:,.0f} rows/s)")
    total = time.perf_counter() - t0
    print(f"generate + ingest + aggregate: {total:.1f} s (target <= 180 s); "
          f"peak memory {peak_mb():,.0f} MB (target <= 4096 MB)")

    t = time.perf_counter()
    n_cells = 0
    frames = []
    for measure in ("incidence", "mortality"):
        table = published_cells.indicator_cells(agg, measure)
        n_cells += len(table.keys)
        frames.append(indicator_table(table, np.ones(len(table.keys), dtype=bool)))
    import pandas as pd

    trend_tables(pd.concat(frames, ignore_index=True))
    t_stats = time.perf_counter() - t
    print(f"indicator statistics: {n_cells:,} cells in {t_stats:.1f} s "
          f"({n_cells / t_stats:,.0f} cells/s, target <= 60 s)")

    print("\nsimulated vs published (metropolitan France):")
    worst = 0.0
    for label, published, simulated, diff in compare_with_published(agg):
        worst = max(worst, abs(diff))
        print(f"  {label:<45} {published:>10,.1f} {simulated:>10,.1f} {diff:+7.2%}")
    print(f"largest difference {worst:.2%} (required within 3%)")


if __name__ == "__main__":
    main()
