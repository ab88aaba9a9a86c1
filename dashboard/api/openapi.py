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
from dashboard.api.params import ENDPOINTS, Endpoint, Param, codebook, param_description
from dashboard.catalogue import Catalogue
from dashboard.release_schema import table_schema
from dashboard.web.i18n import DEFAULT_LANG, LANGS, t

_JSON_TYPES = {"string": "string", "integer": "integer", "number": "number",
               "boolean": "boolean", "datetime": "string"}
_METADATA_HEADERS = {"X-Release-Id": "api_header_release_id", "X-Data-Kind": "api_header_data_kind",
                     "ETag": "api_header_etag", "Link": "api_header_link"}
_ERROR = {"$ref": "#/components/schemas/Error"}


def links(prefix: str) -> dict[str, str]:
    """Links to the API's resources."""
    return {"release": f"{prefix}/release", "openapi": f"{prefix}/openapi.json",
            "docs": f"{prefix}/docs", "bulk": f"{prefix}/bulk/",
            "datapackage": f"{prefix}/bulk/{DATAPACKAGE}", "downloads": "/telechargements"}


def parameter(param: Param, book: Mapping[str, Sequence[Any]], table: str, lang: str,
              ) -> dict[str, Any]:
    """OpenAPI parameter object of a query parameter (of an endpoint on ``table``)."""
    item: dict[str, Any] = {"type": param.kind, "enum": list(book[param.source])}
    if param.multi:
        schema: dict[str, Any] = {"type": "array", "items": item, "minItems": 1}
    else:
        schema = {**item, "default": "csv"} if param.name == "format" else item
    out: dict[str, Any] = {"name": param.name, "in": "query", "required": False,
                           "description": param_description(param, table, lang), "schema": schema}
    if param.multi:
        out.update(style="form", explode=True)
    return out


def row_schema(table: str, lang: str = "en") -> dict[str, Any]:
    """JSON Schema of one row of a table in the JSON format (NULL → ``null``), described in
    ``lang``."""
    ts = table_schema(table, foreign_keys=False)
    props: dict[str, Any] = {}
    for field in ts["fields"]:
        kind = _JSON_TYPES[field["type"]]
        required = field.get("constraints", {}).get("required", False)
        prop: dict[str, Any] = {"type": kind if required else [kind, "null"]}
        if "description" in field:
            prop["description"] = field["description_fr" if lang == "fr" else "description"]
        props[field["name"]] = prop
    return {"type": "object", "properties": props, "required": list(props),
            "additionalProperties": False}


def _headers(lang: str) -> dict[str, Any]:
    return {name: {"description": t(key, lang), "schema": {"type": "string"}}
            for name, key in _METADATA_HEADERS.items()}


def _errors(lang: str, *codes: int) -> dict[str, Any]:
    return {str(code): {"description": t(f"api_resp_{code}", lang),
                        "content": {"application/json": {"schema": _ERROR}}} for code in codes}


def _operation(endpoint: Endpoint, book: Mapping[str, Sequence[Any]], lang: str,
               ) -> dict[str, Any]:
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
        "summary": endpoint.summary(lang),
        "description": f"{endpoint.description(lang)} {t('api_formats_note', lang)}",
        "tags": [t("api_tag_data", lang)],
        "parameters": [parameter(p, book, endpoint.table, lang) for p in endpoint.params],
        "responses": {
            "200": {"description": t("api_rows_ok", lang),
                    "headers": _headers(lang), "content": content},
            "304": {"description": t("api_not_modified", lang)},
            **_errors(lang, 400, 413, 503),
        },
    }


def _simple(name: str, lang: str, content: dict[str, Any],
            params: list[dict[str, Any]] | None = None, errors: tuple[int, ...] = (400, 503),
            ) -> dict[str, Any]:
    """A metadata endpoint (messages ``api_<name>_summary`` and ``api_<name>_description``)."""
    return {"get": {
        "summary": t(f"api_{name}_summary", lang),
        "description": t(f"api_{name}_description", lang),
        "tags": [t("api_tag_metadata", lang)],
        "parameters": params or [],
        "responses": {"200": {"description": "OK", "content": content},
                      "304": {"description": t("api_not_modified", lang)},
                      **_errors(lang, *errors)},
    }}


def lang_parameter(lang: str) -> dict[str, Any]:
    """The ``lang`` parameter of the documentation resources."""
    return {"name": "lang", "in": "query", "required": False,
            "description": t("api_lang_param", lang),
            "schema": {"type": "string", "enum": list(LANGS), "default": DEFAULT_LANG}}


def spec(cat: Catalogue, info: Mapping[str, Any], prefix: str, lang: str = DEFAULT_LANG,
         ) -> dict[str, Any]:
    """The OpenAPI document of a release, in ``lang``: each endpoint's enums are what its
    table holds; texts come from the contract and the message catalogues."""
    any_json = {"application/json": {"schema": {"type": "object"}}}
    paths: dict[str, Any] = {
        f"{prefix}/{e.name}": {"get": _operation(e, codebook(cat, e), lang)}
        for e in ENDPOINTS.values()}
    paths[f"{prefix}/release"] = _simple(
        "release", lang,
        {"application/json": {"schema": {"$ref": "#/components/schemas/release"}}})
    paths[f"{prefix}/openapi.json"] = _simple("openapi", lang, any_json,
                                              params=[lang_parameter(lang)])
    paths[f"{prefix}/bulk/"] = _simple("bulk", lang, any_json)
    paths[f"{prefix}/bulk/{{name}}"] = _simple(
        "bulk_file", lang,
        {"text/csv": {"schema": {"type": "string"}},
         FORMATS["parquet"].media_type: {"schema": {"type": "string"}},
         "application/json": {"schema": {"type": "object"}}},
        params=[{"name": "name", "in": "path", "required": True,
                 "description": t("api_file_name", lang),
                 "schema": {"type": "string", "enum": list(file_names())}}],
        errors=(400, 404, 503))
    schemas: dict[str, Any] = {e.table: row_schema(e.table, lang) for e in ENDPOINTS.values()}
    schemas["release"] = row_schema("release", lang)
    schemas["release"]["properties"]["links"] = {"type": "object"}
    schemas["Error"] = {
        "type": "object", "required": ["error"],
        "properties": {"error": {"type": "string"}, "parameter": {"type": "string"},
                       "allowed": {"type": "array"}, "rows": {"type": "integer"},
                       "limit": {"type": "integer"}},
    }
    kind = t("api_kind_simulated" if info.get("data_kind") == "simulated"
             else "api_kind_observed", lang)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": t("api_title", lang),
            "version": f"1 (release {info.get('release_id', '?')})",
            "description": t("api_description", lang, kind=kind),
            "license": {"name": t("licence_title", lang), "identifier": "etalab-2.0"},
        },
        "paths": paths,
        "components": {"schemas": schemas},
    }
