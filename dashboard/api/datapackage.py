"""Frictionless Data Package (``datapackage.json``) describing the bulk files of a release.

Types come from the contract (``dashboard.release_schema``), descriptions from
``docs/release-schema.md`` (via :mod:`dashboard.api.metadata`), primary keys from the tables'
sort keys, checksums from the bytes written.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from dashboard.api.metadata import (
    LICENCE,
    TABLE_SCHEMA_TYPES,
    descriptions,
    facts,
    table_descriptions,
    unit,
)
from dashboard.release_schema import (
    INEQUALITY_STATISTICS,
    LEVELS,
    MEASURES,
    SEXES,
    SIR_FLAGS,
    SORT_KEYS,
    STATUSES,
    TABLES,
    TREND_LABELS,
    columns,
)

PRIMARY_KEYS: dict[str, tuple[str, ...]] = {**SORT_KEYS, "release": ("release_id",)}
_ENUMS: dict[str, tuple[str, ...]] = {
    "measure": MEASURES, "level": LEVELS, "sex": SEXES, "status": STATUSES,
    "sir_flag": SIR_FLAGS, "label": TREND_LABELS, "statistic": INEQUALITY_STATISTICS,
    "sexes": ("both", "male", "female"),
}
_FOREIGN_KEYS: dict[str, list[dict[str, Any]]] = {
    table: [
        {"fields": ["level", "geo_code"], "reference": {"resource": "geo",
                                                       "fields": ["level", "code"]}},
        {"fields": "site_code", "reference": {"resource": "site", "fields": "site_code"}},
    ]
    for table in ("indicator", "inequality", "inequality_summary", "trend", "trend_segment",
                  "trend_fitted")
}
CSV_DIALECT = {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"',
               "doubleQuote": True, "header": True}


def _not_null(table: str) -> set[str]:
    return {line.split()[0] for line in TABLES[table].strip().splitlines()
            if "NOT NULL" in line}


def table_schema(table: str, foreign_keys: bool = True) -> dict[str, Any]:
    """Frictionless Table Schema of a release table."""
    described = descriptions().get(table, {})
    required = _not_null(table)
    fields = []
    for name, dtype in columns(table):
        field: dict[str, Any] = {"name": name, "type": TABLE_SCHEMA_TYPES[dtype]}
        if name in described:
            field["description"] = described[name]
        if unit(name):
            field["unit"] = unit(name)
        constraints: dict[str, Any] = {}
        if name in required:
            constraints["required"] = True
        if name in _ENUMS and table != "geometry":
            constraints["enum"] = list(_ENUMS[name])
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    order = [name for name, _ in columns(table)]
    schema: dict[str, Any] = {
        "fields": fields,
        "missingValues": [""],
        "primaryKey": sorted(PRIMARY_KEYS[table], key=order.index),
    }
    if foreign_keys and table in _FOREIGN_KEYS:
        schema["foreignKeys"] = copy.deepcopy(_FOREIGN_KEYS[table])
    return schema


def file_entry(path: str, size: int, sha256: str) -> dict[str, Any]:
    """Path, size and checksum of one written file."""
    return {"path": path, "bytes": size, "hash": f"sha256:{sha256}"}


def resource(table: str, csv: dict[str, Any], parquet: dict[str, Any]) -> dict[str, Any]:
    """The resource of one table: its CSV file, with the Parquet twin in ``parquet``.

    The CSV file is the Frictionless resource (validated against the schema); the Parquet file
    holds the same rows and schema and is listed with its own size and checksum (Frictionless
    tooling does not check Parquet sizes and hashes).
    """
    return {
        "name": table.replace("_", "-"),
        **csv,
        "profile": "tabular-data-resource",
        "title": table,
        "description": table_descriptions().get(table, ""),
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": CSV_DIALECT,
        "parquet": {**parquet, "format": "parquet",
                    "mediatype": "application/vnd.apache.parquet"},
        "schema": table_schema(table),
    }


def _rfc3339(value: Any) -> str | None:
    """ISO timestamp in UTC with its ``Z`` (``created_at`` is a naive UTC timestamp)."""
    if not value:
        return None
    text = str(value).replace(" ", "T")
    return text if text.endswith("Z") or "+" in text else text + "Z"


def package(info: dict[str, Any], resources: list[dict[str, Any]]) -> dict[str, Any]:
    """The ``datapackage.json`` descriptor of a release."""
    release_id = str(info["release_id"])
    observed = info.get("data_kind") == "observed"
    return {
        "profile": "tabular-data-package",
        "name": "registre-national-cancers-" + re.sub(r"[^a-z0-9._-]", "-", release_id.lower()),
        "id": release_id,
        "title": "Registre national des cancers — indicateurs publics "
                 f"({'données observées' if observed else 'données simulées'})",
        "description": "Indicateurs agrégés et soumis au secret statistique : incidence et "
                       "mortalité, taux standardisés, SIR, inégalités sociales, tendances. "
                       "Les cellules supprimées sont vides avec status = suppressed.",
        "created": _rfc3339(info.get("created_at")),
        "licenses": [LICENCE],
        "sources": [{"title": str(info.get("sources", ""))}],
        "citation": info.get("citation"),
        "release": facts(info),
        "resources": resources,
    }
