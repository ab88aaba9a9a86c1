"""Audit report: counts, shares and under-protected cells, with a Markdown rendering.

The report holds true values of sensitive cells: write it beside the sources, never into the
public release.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class AuditReport:
    """Outcome of `audit`. `failures` lists every under-protected cell (true count, interval)."""

    passed: bool
    threshold: int
    n_cells: int
    n_sensitive: int
    n_published: int
    n_suppressed: int
    n_primary: int
    n_complementary: int
    cases_suppressed: int
    shares: pd.DataFrame
    failures: pd.DataFrame
    seconds: float
    n_solves: int = 0
    notes: list[str] = field(default_factory=list)

    def to_markdown(self) -> str:
        """Human-readable report (contains confidential values when there are failures)."""
        lines = [
            "# Disclosure-control audit",
            "",
            f"- Result: **{'PASSED' if self.passed else 'FAILED'}** (threshold {self.threshold})",
            f"- Cells: {self.n_cells:,}; published {self.n_published:,}; "
            f"suppressed {self.n_suppressed:,} (primary {self.n_primary:,}, "
            f"complementary {self.n_complementary:,})",
            f"- Sensitive cells (1 ≤ count < {self.threshold}): {self.n_sensitive:,}",
            f"- Cases in suppressed cells: {self.cases_suppressed:,}",
            f"- Audit time: {self.seconds:.1f} s, {self.n_solves:,} linear programmes",
            "",
            "## Suppressed share by table and level (%)",
            "",
            _table(self.shares.reset_index()),
            "",
            f"## Under-protected cells ({len(self.failures)})",
            "",
        ]
        lines.append(_table(self.failures) if len(self.failures) else "None.")
        lines += [""] + [f"- {n}" for n in self.notes]
        return "\n".join(lines) + "\n"


def _table(df: pd.DataFrame) -> str:
    cols = [str(c) for c in df.columns]
    rows = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for rec in df.itertuples(index=False):
        rows.append("| " + " | ".join("" if pd.isna(v) else str(v) for v in rec) + " |")
    return "\n".join(rows)


def share_table(cells: pd.DataFrame) -> pd.DataFrame:
    """Per table and level: cells, % suppressed primary / complementary."""
    g = cells.assign(
        primary=cells["reason"].eq("primary"),
        complementary=cells["reason"].eq("complementary"),
    ).groupby(["table", "level"], sort=True)
    out = (g[["primary", "complementary"]].mean() * 100).round(2)
    out.insert(0, "cells", g.size())
    return out
