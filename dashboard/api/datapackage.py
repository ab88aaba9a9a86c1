"""Frictionless Data Package (``datapackage.json``) describing the bulk files of a release.

Table schemas (types, units, allowed values, descriptions, keys) come from the contract
(``dashboard.release_schema``), checksums from the bytes written.
"""

from __future__ import annotations

import re
from typing import Any

from dashboard.api.metadata import LICENCE, facts
from dashboard.release_schema import CONTRACT, table_schema
from dashboard.web.i18n import t

CSV_DIALECT = {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"',
               "doubleQuote": True, "header": True}


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
        "description": CONTRACT[table].description("en"),
        "description_fr": CONTRACT[table].description("fr"),
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
        # English first with French alongside (``*_fr``), as in the table schemas' fields
        **{f"{field}{suffix}": t(f"dp_{field}", lang, kind=t(
            "api_kind_observed" if observed else "api_kind_simulated", lang))
           for field in ("title", "description") for lang, suffix in (("en", ""), ("fr", "_fr"))},
        "created": _rfc3339(info.get("created_at")),
        "licenses": [LICENCE],
        "sources": [{"title": str(info.get("sources", "")),
                     "title_fr": str(info.get("sources_fr") or info.get("sources", ""))}],
        "citation": info.get("citation"),
        "release": facts(info),
        "resources": resources,
    }
