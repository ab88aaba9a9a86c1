"""Flask views of ``/api/v1`` and the download page ``/telechargements``.

Tabular endpoints validate their query against :mod:`dashboard.api.params`, answer
``304`` to a matching ``If-None-Match`` before touching the data, and stream large CSV and JSON
bodies batch by batch, from the release's in-memory index (:mod:`dashboard.api.memindex`) or
``Release.record_batches``. Small results (one batch) are built
whole and kept in a per-process body cache keyed by ETag.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from flask import Blueprint, Flask, Response, current_app, request, send_file
from flask_compress import Compress
from werkzeug.exceptions import HTTPException

from dashboard import release_reads
from dashboard.api import bulk, docs_page, downloads_page, openapi
from dashboard.api.formats import DIALECTS, FORMATS, encode
from dashboard.api.language import LANG_PARAM, error_lang, page_lang
from dashboard.api.memindex import MemoryIndex
from dashboard.api.metadata import file_headers, parquet_metadata, release_info
from dashboard.api.params import (
    ENDPOINTS,
    BadParameter,
    Endpoint,
    Selection,
    codebook,
    validate,
)
from dashboard.api.responses import (
    BodyCache,
    cache_headers,
    etag_for,
    json_error,
    json_response,
    not_modified,
    not_modified_response,
)
from dashboard.catalogue import catalogue
from dashboard.data_access import Release, ReleaseNotFound, get_release
from dashboard.release_schema import arrow_schema
from dashboard.web.i18n import DEFAULT_LANG, LANGS, t

API_PREFIX = "/api/v1"
DOWNLOAD_PAGE = "/telechargements"
EXTENSION_KEY = "registre_api"
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
ROW_LIMITED_FORMATS = ("json", "parquet")
log = logging.getLogger(__name__)
bp = Blueprint("api", __name__)


class TooManyRows(Exception):
    """A JSON or Parquet request selects more rows than ``API_MAX_ROWS``."""

    def __init__(self, rows: int, limit: int) -> None:
        super().__init__(f"{rows} rows selected, limit {limit}")
        self.rows, self.limit = rows, limit


@dataclass
class ApiState:
    """Per-application settings and caches of the API (``server.extensions['registre_api']``)."""

    release: Release | None
    max_rows: int
    max_age: int
    batch_rows: int
    download_dir: Path | None
    compressor: Compress
    bodies: BodyCache = field(default_factory=BodyCache)
    index: MemoryIndex = field(default_factory=MemoryIndex)

    def current_release(self) -> Release:
        return self.release or get_release()

    def release_id_or_none(self) -> str | None:
        """Release id of the current release, None when it cannot be read."""
        try:
            return self.current_release().release_id
        except (ReleaseNotFound, duckdb.Error):
            return None



def state() -> ApiState:
    return current_app.extensions[EXTENSION_KEY]


def prefix() -> str:
    """URL prefix of the API as seen by the client (honours a mount point)."""
    return request.script_root + API_PREFIX


# --- tabular endpoints -------------------------------------------------------------------------

def _filename(endpoint: Endpoint, fmt: str, release_id: str) -> str:
    suffix = "_excel" if fmt == "csv-excel" else ""
    return f"{endpoint.name}_{release_id}{suffix}.{FORMATS[fmt].extension}"


def _data_response(body: Any, fmt: str, disposition: str, etag: str,
                   headers: dict[str, str]) -> Response:
    response = Response(body, content_type=FORMATS[fmt].media_type)
    response.headers.update(headers)
    response.headers["Content-Disposition"] = disposition
    return cache_headers(response, etag, state().max_age)


def data_view(name: str) -> Response:
    """Rows of one public table for the request's filters, in the requested format."""
    st = state()
    endpoint = ENDPOINTS[name]
    release = st.current_release()
    cat = catalogue(release)
    selection = validate(endpoint, request.args, codebook(cat, endpoint), cat)
    info = release_info(release)
    headers = file_headers(info, prefix())
    etag = etag_for(release.release_id, endpoint.name, selection.query_string())
    if not_modified(etag):
        return not_modified_response(etag, st.max_age, headers)
    fmt = selection.fmt
    kind = "inline" if fmt == "json" else "attachment"
    disposition = f'{kind}; filename="{_filename(endpoint, fmt, release.release_id)}"'
    cached = st.bodies.get(etag)
    if cached is not None:
        return _data_response(cached[0], fmt, disposition, etag, headers)
    batches = _selected_batches(release, selection, st)
    if isinstance(batches, bytes):  # a CSV body made of the index's rendered lines
        st.bodies.put(etag, batches, FORMATS[fmt].media_type)
        return _data_response(batches, fmt, disposition, etag, headers)
    head = list(itertools.islice(batches, 2))  # runs the query now: errors surface here
    schema = arrow_schema(endpoint.table)
    meta = parquet_metadata(info)
    if len(head) < 2 or fmt == "parquet":
        body = b"".join(encode(fmt, schema, itertools.chain(head, batches), meta))
        st.bodies.put(etag, body, FORMATS[fmt].media_type)
        return _data_response(body, fmt, disposition, etag, headers)
    chunks = encode(fmt, schema, itertools.chain(head, batches), meta)
    return _data_response(_closing(chunks, batches), fmt, disposition, etag, headers)


def _selected_batches(release: Release, selection: Selection,
                      st: ApiState) -> Generator[Any, None, None] | bytes:
    """The selection's rows: from the release's in-memory index when its table has one (a
    CSV body of at most one batch of rows is returned whole, as bytes), else from DuckDB as
    record batches. Raises ``TooManyRows`` for a row-limited format."""
    limited = selection.fmt in ROW_LIMITED_FORMATS
    index = st.index.get(release, selection.endpoint)
    if index is not None:
        rows = index.rows(selection)
        if limited and len(rows) > st.max_rows:
            raise TooManyRows(len(rows), st.max_rows)
        dialect = DIALECTS.get(selection.fmt)
        if dialect is not None and len(rows) <= st.batch_rows:
            return index.csv(rows, dialect)
        return index.batches(rows, st.batch_rows)
    if limited:
        count = release_reads.selection_count(release, selection)
        if count > st.max_rows:
            raise TooManyRows(count, st.max_rows)
    return release_reads.selection_batches(release, selection, st.batch_rows)


def _closing(chunks: Iterator[bytes], source: Generator[Any, None, None]) -> Iterator[bytes]:
    """Yield ``chunks``; close the query's batch stream (its cursor) however the body ends."""
    try:
        yield from chunks
    finally:
        source.close()


_NAMES = ", ".join(f'"{name}"' for name in ENDPOINTS)
bp.add_url_rule(f"{API_PREFIX}/<any({_NAMES}):name>", "data", data_view)


# --- metadata, description, documentation ------------------------------------------------------

def _no_params(*accepted: str) -> None:
    """Endpoints without parameters (but ``accepted``) reject any other query parameter."""
    unknown = next((k for k in request.args if k not in accepted), None)
    if unknown is not None:
        raise BadParameter(unknown, "api_err_unknown_param", list(accepted), name=unknown)


def _doc_lang() -> str:
    """``lang`` of a documentation resource: ``fr`` (default) or ``en``, anything else a 400."""
    _no_params(LANG_PARAM)
    values = request.args.getlist(LANG_PARAM)
    if len(values) > 1:
        raise BadParameter(LANG_PARAM, "api_err_single", list(LANGS), name=LANG_PARAM)
    if values and values[0] not in LANGS:
        raise BadParameter(LANG_PARAM, "api_err_value", list(LANGS), name=LANG_PARAM,
                           raw=values[0], shown=", ".join(LANGS))
    return values[0] if values else DEFAULT_LANG


def _cached_json(payload_etag: str, build: Any) -> Response:
    st = state()
    release = st.current_release()
    headers = file_headers(release_info(release), prefix())
    etag = etag_for(release.release_id, payload_etag, prefix())
    if not_modified(etag):
        return not_modified_response(etag, st.max_age, headers)
    response = json_response(build(release), headers=headers)
    return cache_headers(response, etag, st.max_age)


@bp.route(f"{API_PREFIX}/release")
def release_view() -> Response:
    """Release facts (the sidecar of every file) and links to the other resources."""
    _no_params()
    return _cached_json("release", lambda release: {
        **release_info(release), "links": openapi.links(prefix())})


@bp.route(f"{API_PREFIX}/openapi.json")
def openapi_view() -> Response:
    """The OpenAPI 3.1 description (``?lang=fr|en``), generated from the parameter
    definitions, the contract and the message catalogues."""
    lang = _doc_lang()
    return _cached_json(f"openapi-{lang}", lambda release: openapi.spec(
        catalogue(release), release_info(release), prefix(), lang))


@bp.route(f"{API_PREFIX}/docs")
def docs_view() -> Response:
    """Readable documentation (plain HTML, ``?lang=fr|en``) generated from the OpenAPI
    description in the same language."""
    lang = page_lang()
    st = state()
    release = st.current_release()
    spec = openapi.spec(catalogue(release), release_info(release), prefix(), lang)
    response = Response(docs_page.render(spec, lang), content_type="text/html; charset=utf-8")
    response.headers["Content-Language"] = lang
    return cache_headers(response, etag_for(release.release_id, "docs", prefix(),
                                            request.query_string.decode("latin-1")), st.max_age)


@bp.route(API_PREFIX, methods=ALL_METHODS)
@bp.route(f"{API_PREFIX}/", methods=ALL_METHODS)
def index_view() -> Response:
    """Entry point: links to every resource."""
    if request.method not in ("GET", "HEAD"):
        return _method_not_allowed()
    _no_params()
    return json_response({"links": openapi.links(prefix()),
                          "endpoints": [f"{prefix()}/{name}" for name in ENDPOINTS]})


# --- bulk files and download page --------------------------------------------------------------

@bp.route(f"{API_PREFIX}/bulk/", strict_slashes=False)  # /bulk answers too, no HTML 308
def bulk_index_view() -> Response:
    """The bulk files with their sizes and checksums (JSON)."""
    _no_params()
    st = state()
    release = st.current_release()
    files = bulk.existing(release, st.download_dir)
    return json_response({"release_id": release.release_id,
                          "files": bulk.listing(files, f"{prefix()}/bulk")})


@bp.route(f"{API_PREFIX}/bulk/<name>")
def bulk_file_view(name: str) -> Response:
    """One bulk file: a public table as Parquet or CSV, or ``datapackage.json``."""
    _no_params()
    st = state()
    release = st.current_release()
    if name not in bulk.file_names():
        return json_error(404, t("api_err_no_bulk", error_lang(), name=name), parameter="name",
                          allowed=list(bulk.file_names()))
    headers = file_headers(release_info(release), prefix())
    etag = etag_for(release.release_id, "bulk", name)
    if not_modified(etag):
        return not_modified_response(etag, st.max_age, headers)
    directory = bulk.existing(release, st.download_dir)
    response = send_file(directory / name, mimetype=bulk.media_type(name),
                         as_attachment=name != bulk.DATAPACKAGE, conditional=False, etag=False,
                         download_name=bulk.download_name(name, release.release_id))
    response.headers.update(headers)
    return cache_headers(response, etag, st.max_age)


@bp.route(DOWNLOAD_PAGE)
def downloads_view() -> Response:
    """Download page (HTML, ``?lang=fr|en``): every bulk file with its size, licence and
    citation."""
    lang = page_lang()
    st = state()
    release = st.current_release()
    directory = bulk.existing(release, st.download_dir)
    html = downloads_page.render(release_info(release), bulk.listing(directory,
                                                                     f"{prefix()}/bulk"),
                                 prefix(), lang)
    response = Response(html, content_type="text/html; charset=utf-8")
    response.headers["Content-Language"] = lang
    return cache_headers(response, etag_for(release.release_id, "downloads", prefix(),
                                            request.query_string.decode("latin-1")),
                         st.max_age)


# --- errors ------------------------------------------------------------------------------------

def _method_not_allowed() -> Response:
    response = json_error(405, t("api_err_method", error_lang(), method=request.method,
                                 path=request.path), allowed_methods=["GET", "HEAD"])
    response.headers["Allow"] = "GET, HEAD, OPTIONS"
    return response


@bp.route(f"{API_PREFIX}/<path:rest>", methods=ALL_METHODS)
def unknown_view(rest: str) -> Response:
    """Unknown path under /api/v1 → 404 JSON; known path with another method → 405 JSON."""
    if request.method not in ("GET", "HEAD"):
        adapter = current_app.url_map.bind_to_environ(request.environ)
        try:
            endpoint, _ = adapter.match(method="GET")
        except HTTPException:
            endpoint = None
        if endpoint and endpoint != "api.unknown_view":
            return _method_not_allowed()
    return json_error(404, t("api_err_unknown_endpoint", error_lang(), path=request.path),
                      endpoints=[f"{prefix()}/{n}" for n in ENDPOINTS]
                      + [f"{prefix()}/{n}" for n in ("release", "openapi.json", "docs", "bulk/")])


def _is_api() -> bool:
    return request.path.startswith(API_PREFIX)


@bp.errorhandler(BadParameter)
def _bad_parameter(exc: BadParameter) -> Response:
    return json_error(400, exc.text(error_lang()), parameter=exc.parameter,
                      allowed=exc.allowed)


@bp.errorhandler(TooManyRows)
def _too_many_rows(exc: TooManyRows) -> Response:
    return json_error(
        413, t("api_err_too_many_rows", error_lang(), rows=exc.rows, limit=exc.limit,
               bulk=f"{prefix()}/bulk/"),
        parameter="format", allowed=["csv", "csv-excel"], rows=exc.rows, limit=exc.limit)


def _unavailable(key: str) -> Response:
    """503 with the message ``key``: JSON under the API (``Accept-Language``), else the
    download page's notice (``?lang=``)."""
    if _is_api():
        response = json_error(503, t(key, error_lang()))
    else:
        lang = page_lang()
        response = Response(downloads_page.unavailable(t(key, lang), lang), status=503,
                            content_type="text/html; charset=utf-8")
        response.headers["Cache-Control"] = "no-store"
    response.headers["Retry-After"] = "60"
    return response


@bp.errorhandler(ReleaseNotFound)
def _release_missing(exc: ReleaseNotFound) -> Response:
    log.error("API: %s", exc)
    return _unavailable("api_err_release_missing")


@bp.errorhandler(bulk.BulkFilesMissing)
def _bulk_missing(exc: bulk.BulkFilesMissing) -> Response:
    log.error("API: %s", exc)
    return _unavailable("api_err_bulk_missing")


@bp.errorhandler(duckdb.Error)
def _release_unreadable(exc: duckdb.Error) -> Response:
    log.exception("API: release unreadable")
    return _unavailable("api_err_unreadable")


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    if not _is_api():
        return exc.get_response()
    return json_error(exc.code or 500, t("api_err_http", error_lang(), code=exc.code,
                                         name=exc.name))


@bp.after_request
def _compress(response: Response) -> Response:
    """Compress API bodies (gzip, brotli, zstd; chunk by chunk when streamed), not bulk files."""
    if request.endpoint in ("api.bulk_file_view",):
        return response
    return state().compressor.after_request(response)


def compressor() -> Compress:
    """A flask-compress instance configured for the API only (CSV included, streams kept)."""
    holder = Flask("registre_api_compress")
    holder.config.update(
        COMPRESS_REGISTER=False,
        COMPRESS_MIMETYPES=["text/csv", "application/json", "text/html"],
        COMPRESS_ALGORITHM=["zstd", "br", "gzip", "deflate"],
        COMPRESS_ALGORITHM_STREAMING=["zstd", "br", "gzip", "deflate"],
        COMPRESS_STREAMS=True,
        COMPRESS_EVALUATE_CONDITIONAL_REQUEST=False,
    )
    return Compress(holder)

