"""Analyst data API (``/api/v1``), bulk downloads and the download page (``/telechargements``).

``init_app(server)`` mounts everything on a Flask app (the Dash server or a bare Flask app);
``download_url(...)`` builds the "Télécharger les données" links of the dashboard. See
``docs/api.md``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Flask, has_request_context, request

from dashboard.data_access import Release

__all__ = ["download_url", "init_app"]

DEFAULTS: dict[str, Any] = {
    "API_MAX_ROWS": 200_000,  # JSON and Parquet responses (CSV streams without limit)
    "API_MAX_AGE": 3600,  # Cache-Control max-age, seconds (ETags revalidate after)
    "API_BATCH_ROWS": 10_000,  # rows per streamed chunk
    "API_DOWNLOAD_DIR": None,  # bulk cache; default: downloads/ next to the release file
    "API_MICROCACHE": True,  # replay small cacheable responses before Flask (see microcache)
    "API_BODY_CACHE": 512,  # encoded bodies kept per process (0: off)
    "API_FAST_PATH": True,  # answer data requests before Flask when it can (see fastpath)
}


def init_app(server: Flask, release: Release | None = None) -> None:
    """Register the API on ``server``; ``release`` defaults to ``get_release()`` per request.

    Settings (``server.config``, else the environment variable of the same name):
    ``API_MAX_ROWS``, ``API_MAX_AGE``, ``API_BATCH_ROWS``, ``API_DOWNLOAD_DIR``,
    ``API_MICROCACHE``, ``API_BODY_CACHE``, ``API_FAST_PATH``. The fast path of the data
    endpoints wraps ``server.wsgi_app``, the micro-cache wraps both.
    """
    from dashboard.api.fastpath import FastData
    from dashboard.api.microcache import MicroCache
    from dashboard.api.responses import BodyCache
    from dashboard.api.routes import API_PREFIX, EXTENSION_KEY, ApiState, bp, compressor

    def setting(name: str) -> Any:
        return server.config.get(name, os.environ.get(name, DEFAULTS[name]))

    download_dir = setting("API_DOWNLOAD_DIR")
    state = server.extensions[EXTENSION_KEY] = ApiState(
        release=release,
        max_rows=int(setting("API_MAX_ROWS")),
        max_age=int(setting("API_MAX_AGE")),
        batch_rows=int(setting("API_BATCH_ROWS")),
        download_dir=Path(download_dir) if download_dir else None,
        compressor=compressor(),
        bodies=BodyCache(max_items=int(setting("API_BODY_CACHE"))),
    )
    server.register_blueprint(bp)
    if _enabled(setting("API_FAST_PATH")):
        server.wsgi_app = FastData(server.wsgi_app, state, API_PREFIX)  # type: ignore
    if _enabled(setting("API_MICROCACHE")):
        server.wsgi_app = MicroCache(server.wsgi_app, state.release_id_or_none,  # type: ignore
                                     API_PREFIX)


def _enabled(value: Any) -> bool:
    return str(value).lower() not in ("0", "false", "no", "off")


def download_url(table: str, fmt: str = "csv", **filters: Any) -> str:
    """URL of a filtered download, e.g. ``download_url("indicator", "csv", site="lung")``.

    ``table`` is a table (``indicator``) or endpoint name (``indicators``); filters use the
    API parameter names (``geo``, ``site``) or the release column names (``geo_code``,
    ``site_code``); a list gives several values (``year_start`` and ``year_end`` are single
    bounds); ``None`` is skipped. Raises ``ValueError`` for an unknown table, format or filter.
    """
    from dashboard.api.params import ENDPOINTS, FORMAT_NAMES, TABLE_ENDPOINTS
    from dashboard.api.routes import API_PREFIX

    endpoint = ENDPOINTS.get(table) or TABLE_ENDPOINTS.get(table)
    if endpoint is None:
        raise ValueError(f"unknown table {table!r}")
    if fmt not in FORMAT_NAMES:
        raise ValueError(f"unknown format {fmt!r}: one of {', '.join(FORMAT_NAMES)}")
    by_column = {p.sql: p.name for p in endpoint.params if p.sql}
    named: dict[str, Any] = {}
    for key, value in filters.items():
        name = key if endpoint.param(key) else by_column.get(key)
        if name is None or name == "format":
            raise ValueError(f"unknown filter {key!r} for {endpoint.name}")
        named[name] = value
    pairs = []
    for param in endpoint.params:
        value = named.get(param.name)
        values = value if isinstance(value, Iterable) and not isinstance(value, str) else [value]
        if value is None or not values:
            continue
        if not param.multi and len(values) > 1:
            raise ValueError(f"{param.name} takes a single value")
        pairs.append((param.name, ",".join(str(v) for v in values)))
    pairs.append(("format", fmt))
    root = request.script_root if has_request_context() else ""
    return f"{root}{API_PREFIX}/{endpoint.name}?{urlencode(pairs, safe=',')}"
