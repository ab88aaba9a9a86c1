"""Metadata that travels with every file: release facts, licence, HTTP headers.

Column types, units and descriptions come from the contract (``dashboard.release_schema``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dashboard import release_reads
from dashboard.data_access import Release

LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Etalab 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
# Release facts every file carries (HTTP headers, sidecars, Parquet schema metadata).
RELEASE_FACTS = ("release_id", "data_kind", "created_at", "standards", "standards_fr",
                 "interval_methods", "interval_methods_fr", "suppression_threshold",
                 "suppression_rule", "suppression_rule_fr", "citation", "licence", "sources",
                 "sources_fr", "schema_version")

def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


_INFO_CACHE: dict[tuple[str, str], dict[str, Any]] = {}


def release_info(release: Release) -> dict[str, Any]:
    """The ``release`` row as plain JSON-able Python values (memoised per file and release id)."""
    key = (str(release.path), release.release_id)
    if key not in _INFO_CACHE:
        row = release_reads.release_row(release)
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
