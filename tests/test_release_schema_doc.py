"""docs/release-schema.md is generated from the contract and documents every column."""

import re
from pathlib import Path

from dashboard.release_schema import CONTRACT, TABLES, columns, ddl, markdown

DOC = Path(__file__).resolve().parents[1] / "docs" / "release-schema.md"


def documented() -> dict[str, set[str]]:
    """Columns named in the first cell of each table row, per ``## `table` `` section."""
    out: dict[str, set[str]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^## `(\w+)`", line)
        if heading:
            current = heading.group(1)
            out[current] = set()
        elif current and line.startswith("| `"):
            out[current] |= set(re.findall(r"`(\w+)`", line.split("|")[1]))
    return out


def test_schema_doc_is_generated_from_the_contract():
    assert DOC.read_text(encoding="utf-8") == markdown(), (
        "docs/release-schema.md is stale: run `python -m dashboard.release_schema`")


def test_every_release_column_is_documented():
    docs = documented()
    missing = {t: sorted({c for c, _ in columns(t)} - docs.get(t, set())) for t in TABLES}
    assert {t: m for t, m in missing.items() if m} == {}


def test_documentation_names_no_column_the_release_lacks():
    docs = documented()
    extra = {t: sorted(cols - {c for c, _ in columns(t)}) for t, cols in docs.items()}
    assert {t: e for t, e in extra.items() if e} == {}


def test_every_column_is_described_in_both_languages_and_keys_exist():
    for table in CONTRACT.values():
        names = [c.name for c in table.columns]
        assert set(table.key) <= set(names), table.name
        for column in table.columns:
            assert column.en.strip() and column.fr.strip(), f"{table.name}.{column.name}"
            assert column.nullable or f"{column.name} {column.type} NOT NULL" in ddl(table.name)
