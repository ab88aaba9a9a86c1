"""OpenAPI 3.1 description of ``/api/v1``, generated from :mod:`dashboard.api.params`.

Parameters, allowed values and response row schemas come from the same definitions the views
validate with, and the allowed values from the release itself: the description is exact for the
release being served.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dashboard.api.bulk import DATAPACKAGE, file_names
from dashboard.api.formats import FORMATS
from dashboard.api.params import ENDPOINTS, Endpoint, Param, codebook
from dashboard.catalogue import Catalogue
from dashboard.release_schema import table_schema

_JSON_TYPES = {"string": "string", "integer": "integer", "number": "number",
               "boolean": "boolean", "datetime": "string"}
_METADATA_HEADERS = {
    "X-Release-Id": "Identifiant de la release (release id).",
    "X-Data-Kind": "`simulated` (données simulées) ou `observed`.",
    "ETag": "Validateur lié à la release et à la requête normalisée.",
    "Link": "Liens vers datapackage.json, /release, la documentation et la licence.",
}
_ERROR = {"$ref": "#/components/schemas/Error"}


def links(prefix: str) -> dict[str, str]:
    """Links to the API's resources."""
    return {"release": f"{prefix}/release", "openapi": f"{prefix}/openapi.json",
            "docs": f"{prefix}/docs", "bulk": f"{prefix}/bulk/",
            "datapackage": f"{prefix}/bulk/{DATAPACKAGE}", "downloads": "/telechargements"}


def parameter(param: Param, book: Mapping[str, Sequence[Any]]) -> dict[str, Any]:
    """OpenAPI parameter object of a query parameter."""
    item: dict[str, Any] = {"type": param.kind, "enum": list(book[param.source])}
    if param.multi:
        schema: dict[str, Any] = {"type": "array", "items": item, "minItems": 1}
    else:
        schema = {**item, "default": "csv"} if param.name == "format" else item
    out: dict[str, Any] = {"name": param.name, "in": "query", "required": False,
                           "description": param.description, "schema": schema}
    if param.multi:
        out.update(style="form", explode=True)
    return out


def row_schema(table: str) -> dict[str, Any]:
    """JSON Schema of one row of a table in the JSON format (NULL → ``null``)."""
    ts = table_schema(table, foreign_keys=False)
    props: dict[str, Any] = {}
    for field in ts["fields"]:
        kind = _JSON_TYPES[field["type"]]
        required = field.get("constraints", {}).get("required", False)
        prop: dict[str, Any] = {"type": kind if required else [kind, "null"]}
        if "description" in field:
            prop["description"] = field["description"]
        props[field["name"]] = prop
    return {"type": "object", "properties": props, "required": list(props),
            "additionalProperties": False}


def _headers() -> dict[str, Any]:
    return {name: {"description": text, "schema": {"type": "string"}}
            for name, text in _METADATA_HEADERS.items()}


def _errors(*codes: int) -> dict[str, Any]:
    texts = {
        400: "Paramètre inconnu ou valeur non autorisée (`parameter`, `allowed`).",
        404: "Ressource inconnue.",
        413: "Trop de lignes pour JSON/Parquet : filtrer, ou utiliser CSV ou les fichiers "
             "complets.",
        503: "Release indisponible (fichier absent ou illisible).",
    }
    return {str(code): {"description": texts[code],
                        "content": {"application/json": {"schema": _ERROR}}} for code in codes}


def _operation(endpoint: Endpoint, book: Mapping[str, Sequence[Any]]) -> dict[str, Any]:
    content: dict[str, Any] = {
        "text/csv": {"schema": {"type": "string"}},
        FORMATS["parquet"].media_type: {"schema": {"type": "string",
                                                   "contentMediaType": "application/octet-stream"}},
        "application/json": {"schema": {"type": "array",
                                        "items": {"$ref": f"#/components/schemas/"
                                                          f"{endpoint.table}"}}},
    }
    return {
        "operationId": endpoint.name.replace("-", "_"),
        "summary": endpoint.summary,
        "description": endpoint.description
        + " Formats : `csv` (défaut) et `csv-excel` → text/csv, `parquet`, `json`.",
        "tags": ["données"],
        "parameters": [parameter(p, book) for p in endpoint.params],
        "responses": {
            "200": {"description": "Lignes de la table, dans l'ordre de la release.",
                    "headers": _headers(), "content": content},
            "304": {"description": "Non modifié (If-None-Match)."},
            **_errors(400, 413, 503),
        },
    }


def _simple(summary: str, description: str, content: dict[str, Any],
            params: list[dict[str, Any]] | None = None, errors: tuple[int, ...] = (400, 503),
            ) -> dict[str, Any]:
    return {"get": {
        "summary": summary, "description": description, "tags": ["métadonnées"],
        "parameters": params or [],
        "responses": {"200": {"description": "OK", "content": content},
                      "304": {"description": "Non modifié (If-None-Match)."},
                      **_errors(*errors)},
    }}


def spec(cat: Catalogue, info: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    """The OpenAPI document of a release: each endpoint's enums are what its table holds."""
    any_json = {"application/json": {"schema": {"type": "object"}}}
    paths: dict[str, Any] = {f"{prefix}/{e.name}": {"get": _operation(e, codebook(cat, e))}
                             for e in ENDPOINTS.values()}
    paths[f"{prefix}/release"] = _simple(
        "Métadonnées de la release (release metadata)",
        "Identifiant, nature des données (simulées/observées), populations standard, méthodes "
        "d'intervalles, règle de secret statistique, sources, citation, licence.",
        {"application/json": {"schema": {"$ref": "#/components/schemas/release"}}})
    paths[f"{prefix}/openapi.json"] = _simple(
        "Description OpenAPI", "Ce document (OpenAPI 3.1).", any_json)
    paths[f"{prefix}/bulk/"] = _simple(
        "Fichiers complets (bulk files)",
        "Liste des fichiers complets (Parquet, CSV, datapackage.json) avec tailles et sha256.",
        any_json)
    paths[f"{prefix}/bulk/{{name}}"] = _simple(
        "Un fichier complet (bulk file)",
        "Une table publique complète en Parquet ou CSV, ou le Data Package (Frictionless).",
        {"text/csv": {"schema": {"type": "string"}},
         FORMATS["parquet"].media_type: {"schema": {"type": "string"}},
         "application/json": {"schema": {"type": "object"}}},
        params=[{"name": "name", "in": "path", "required": True,
                 "description": "Nom du fichier.",
                 "schema": {"type": "string", "enum": list(file_names())}}],
        errors=(400, 404, 503))
    schemas: dict[str, Any] = {e.table: row_schema(e.table) for e in ENDPOINTS.values()}
    schemas["release"] = row_schema("release")
    schemas["release"]["properties"]["links"] = {"type": "object"}
    schemas["Error"] = {
        "type": "object", "required": ["error"],
        "properties": {"error": {"type": "string"}, "parameter": {"type": "string"},
                       "allowed": {"type": "array"}, "rows": {"type": "integer"},
                       "limit": {"type": "integer"}},
    }
    kind = "simulées (not real data)" if info.get("data_kind") == "simulated" else "observées"
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "API des indicateurs du registre national des cancers",
            "version": f"1 (release {info.get('release_id', '?')})",
            "description": "Indicateurs publics agrégés et soumis au secret statistique "
                           f"(données {kind}). Filtres nommés comme les colonnes de la release ; "
                           "valeurs multiples répétées ou séparées par des virgules ; "
                           "`year_start`/`year_end` sont des bornes. Cellules "
                           "supprimées : valeurs vides, `status = suppressed`.",
            "license": {"name": "Licence Ouverte / Etalab 2.0", "identifier": "etalab-2.0"},
        },
        "paths": paths,
        "components": {"schemas": schemas},
    }
