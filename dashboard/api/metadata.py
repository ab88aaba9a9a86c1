"""Metadata that travels with every file: release facts, column descriptions, types and units.

Column descriptions are parsed from ``docs/release-schema.md`` (the contract's documentation),
never copied by hand; types come from ``dashboard.release_schema``.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa

from dashboard.data_access import Release
from dashboard.release_schema import columns

SCHEMA_DOC = Path(__file__).resolve().parents[2] / "docs" / "release-schema.md"
LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Etalab 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
# Release facts every file carries (HTTP headers, sidecars, Parquet schema metadata).
RELEASE_FACTS = ("release_id", "data_kind", "created_at", "standards", "interval_methods",
                 "suppression_threshold", "suppression_rule", "citation", "licence", "sources",
                 "schema_version")

_ARROW_TYPES = {"VARCHAR": pa.string(), "SMALLINT": pa.int16(), "INTEGER": pa.int32(),
                "BIGINT": pa.int64(), "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_(),
                "TIMESTAMP": pa.timestamp("us")}
TABLE_SCHEMA_TYPES = {"VARCHAR": "string", "SMALLINT": "integer", "INTEGER": "integer",
                      "BIGINT": "integer", "DOUBLE": "number", "BOOLEAN": "boolean",
                      "TIMESTAMP": "datetime"}

_RATE = "per 100,000 person-years"
_UNITS = {
    "cases": "cases (or deaths)", "population": "person-years", "expected": "cases (or deaths)",
    "crude_rate": _RATE, "asr_world": _RATE, "asr_europe": _RATE, "asr_world_fitted": _RATE,
    "sir": "ratio", "sir_smoothed": "ratio", "sir_prob_above": "probability",
    "aapc": "%", "aapc_last5": "%", "apc": "%", "year_start": "year", "year_end": "year",
    "year": "year", "first_year": "year", "last_year": "year",
}


def unit(column: str) -> str | None:
    """Unit of a column (confidence limits share their estimate's unit), or None."""
    return _UNITS.get(re.sub(r"_(low|high)$", "", column))


def arrow_schema(table: str) -> pa.Schema:
    """Arrow schema of a release table as the contract defines it (types, nullability)."""
    ddl = {name: dtype for name, dtype in columns(table)}
    described = descriptions().get(table, {})
    fields = []
    for name, dtype in ddl.items():
        meta = {"description": described[name]} if name in described else None
        fields.append(pa.field(name, _ARROW_TYPES[dtype], metadata=meta))
    return pa.schema(fields)


_HEADING = re.compile(r"^##\s+`(\w+)`")
_ROW = re.compile(r"^\|\s*(`[^|]+`)\s*\|\s*(.+?)\s*\|\s*$")
_AS_IN = re.compile(r"^As in `(\w+)`\.?$")


def parse_schema_doc(text: str) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Column descriptions ``{table: {column: text}}`` and table descriptions of the schema doc.

    A row may document several columns (``| `a`, `b` | ... |``); "As in `t`." refers to the
    description of the same column in table ``t``.
    """
    cols: dict[str, dict[str, str]] = {}
    headings: dict[str, str] = {}
    paragraphs: dict[str, list[str]] = {}
    table: str | None = None
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading:
            table = heading.group(1)
            cols[table], paragraphs[table] = {}, []
            headings[table] = line[heading.end():].strip().strip("()")
            continue
        if table is None:
            continue
        row = _ROW.match(line)
        if row:
            for name in re.findall(r"`(\w+)`", row.group(1)):
                cols[table][name] = row.group(2)
        elif line.strip() and not line.startswith("|"):
            paragraphs[table].append(line.strip())
    tables = {t: ". ".join(filter(None, (headings[t][:1].upper() + headings[t][1:],
                                         " ".join(paragraphs[t]))))
              for t in cols}
    for table_cols in cols.values():
        for name, text_ in table_cols.items():
            ref = _AS_IN.match(text_)
            source = ref.group(1) if ref else "indicator" if text_ == "Series keys." else None
            if source and name in cols.get(source, {}):
                prefix = "" if ref else "Series key. "
                table_cols[name] = prefix + cols[source][name]
    return cols, tables


@cache
def _parsed() -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    if not SCHEMA_DOC.exists():
        return {}, {}
    return parse_schema_doc(SCHEMA_DOC.read_text(encoding="utf-8"))


def descriptions() -> dict[str, dict[str, str]]:
    """Column descriptions per table, from ``docs/release-schema.md``."""
    return _parsed()[0]


def table_descriptions() -> dict[str, str]:
    """Table descriptions, from ``docs/release-schema.md``."""
    return _parsed()[1]


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


_INFO_CACHE: dict[tuple[str, str], dict[str, Any]] = {}


def release_info(release: Release) -> dict[str, Any]:
    """The ``release`` row as plain JSON-able Python values (memoised per file and release id)."""
    key = (str(release.path), release.release_id)
    if key not in _INFO_CACHE:
        batches = list(release.record_batches("SELECT * FROM release"))
        row = pa.Table.from_batches(batches).to_pylist()[0]
        _INFO_CACHE[key] = {k: _json_value(v) for k, v in row.items()}
    return dict(_INFO_CACHE[key])


def facts(info: dict[str, Any]) -> dict[str, Any]:
    """The release facts that accompany every file."""
    return {key: info[key] for key in RELEASE_FACTS if key in info}


def parquet_metadata(info: dict[str, Any]) -> dict[str, str]:
    """Parquet key-value metadata (all values as text)."""
    return {key: str(value) for key, value in facts(info).items()}


def _ascii(text: str) -> str:
    return text.encode("ascii", "replace").decode("ascii")


def file_headers(info: dict[str, Any], prefix: str) -> dict[str, str]:
    """HTTP headers carrying the release facts and links to the sidecars (ASCII only)."""
    return {
        "X-Release-Id": str(info["release_id"]),
        "X-Data-Kind": str(info["data_kind"]),
        "X-Licence": _ascii(str(info.get("licence", LICENCE["title"]))),
        "Link": ", ".join((
            f'<{prefix}/bulk/datapackage.json>; rel="describedby"; '
            'type="application/vnd.datapackage+json"',
            f'<{prefix}/release>; rel="describedby"; type="application/json"',
            f'<{prefix}/docs>; rel="help"',
            f'<{LICENCE["path"]}>; rel="license"',
        )),
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": "X-Release-Id, X-Data-Kind, X-Licence, Link, ETag",
    }
