"""Ingest the source folder: read, validate, account for every row, report rejections."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard.sources.errors import SourceError
from dashboard.sources.population import read_population
from dashboard.sources.readers import find_source, read_table
from dashboard.sources.validate import (
    DEPRIVATION_COLUMNS,
    EVENT_COLUMNS,
    REASONS,
    Validated,
    validate_deprivation,
    validate_events,
)

SAMPLE_ROWS = 5


@dataclass
class Sources:
    """Validated sources, ready to aggregate."""

    cases: Validated
    deaths: Validated
    deprivation: Validated
    population: pd.DataFrame
    years: range

    def validated(self) -> list[Validated]:
        return [self.cases, self.deaths, self.deprivation]


class RejectionThresholdExceeded(SourceError):
    """Too many rows were rejected for the build to go on."""


def population_file(directory: Path) -> Path:
    """``population.xlsx`` (INSEE's workbook) or ``population.csv``/``.parquet`` (long form)."""
    xlsx = directory / "population.xlsx"
    return xlsx if xlsx.exists() else find_source(directory, "population")


def ingest(directory: Path, years: range, max_rejected_share: float = 0.02) -> Sources:
    """Read and validate every source in ``directory`` for the given years of coverage."""
    if not directory.is_dir():
        raise SourceError(f"source folder not found: {directory}")
    validated = {}
    for name in ("cases", "deaths"):
        raw = read_table(find_source(directory, name), EVENT_COLUMNS[name])
        validated[name] = validate_events(raw, name, years.start, years.stop - 1)
    raw = read_table(find_source(directory, "deprivation"), DEPRIVATION_COLUMNS)
    validated["deprivation"] = validate_deprivation(raw)
    population = read_population(population_file(directory), years)
    sources = Sources(validated["cases"], validated["deaths"], validated["deprivation"],
                      population, years)
    for v in sources.validated():
        share = v.n_rejected / v.read if v.read else 1.0
        if v.read == 0:
            raise SourceError(f"{v.source}: the file has no rows")
        if share > max_rejected_share:
            raise RejectionThresholdExceeded(
                f"{v.source}: {v.n_rejected} of {v.read} rows rejected ({share:.1%}), above the "
                f"limit of {max_rejected_share:.1%}; see the rejection report")
    return sources


def rejection_report(sources: list[Validated]) -> dict:
    """Counts read/accepted/rejected per source and per reason, with sample rejected rows."""
    report: dict = {"reasons": REASONS, "sources": {}}
    for v in sources:
        samples = {
            reason: rows.head(SAMPLE_ROWS).drop(columns="reason").to_dict("records")
            for reason, rows in v.rejected.groupby("reason", sort=True)
        }
        report["sources"][v.source] = {
            "read": v.read, "accepted": len(v.accepted), "rejected": v.n_rejected,
            "by_reason": dict(sorted(v.counts.items())), "samples": samples,
        }
    return report


def write_rejection_report(report: dict, path: Path) -> None:
    """Write the report as JSON (it holds sample rows: keep it on the secure side)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str),
                    encoding="utf-8")


def format_rejections(report: dict) -> str:
    """Human summary of the rejection report, one line per source and reason."""
    lines = []
    for name, r in report["sources"].items():
        lines.append(f"{name}: read {r['read']:,}, accepted {r['accepted']:,}, "
                     f"rejected {r['rejected']:,}")
        for reason, n in r["by_reason"].items():
            lines.append(f"    {reason:<22} {n:>8,}  {report['reasons'][reason]}")
    return "\n".join(lines)
