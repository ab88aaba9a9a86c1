"""One read layer: only dashboard.release_reads (and the release's own plumbing) writes SQL."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "dashboard"
SQL = re.compile(r"\bSELECT\b|release\(?\)?\.query\(|\.execute\(|record_batches\(\"")


def test_pages_endpoints_and_catalogue_write_no_sql() -> None:
    readers = [*(PACKAGE / "web").rglob("*.py"), *(PACKAGE / "api").rglob("*.py"),
               PACKAGE / "catalogue.py", PACKAGE / "row_filter.py"]
    offenders = [str(p.relative_to(PACKAGE)) for p in readers
                 if SQL.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
