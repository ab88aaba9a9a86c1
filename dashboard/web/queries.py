"""Every read of the release by the dashboard: validated, then cached per release id.

The SQL lives in :mod:`dashboard.release_reads`; this module checks the page's values against
the release's catalogue (:mod:`dashboard.catalogue`) and caches the results twice: in the
process (a small dict, cheapest for hot callbacks) and in the shared flask-caching store, both
keyed by the release id so a new release never serves stale results.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import numpy as np
import pandas as pd
from flask import current_app, has_app_context

from dashboard import release_reads as reads
from dashboard.cache import cache
from dashboard.catalogue import Catalogue, catalogue
from dashboard.data_access import ReleaseNotFound
from dashboard.release_schema import INEQUALITY_STATISTICS
from dashboard.release_watch import LiveRelease, live
from dashboard.web.indicator_frame import KEYED, indicator_frame, keyed_table
from dashboard.web.map_shapes import project

T = TypeVar("T")


def _code_version() -> str:
    """Short hash of the dashboard's source and texts: cached objects (drawn pages included)
    never outlive the code and translations shaping them."""
    digest = hashlib.sha256()
    root = Path(__file__).parent
    for f in sorted([*root.rglob("*.py"), *root.rglob("*.po")]):
        digest.update(f.read_bytes())
    return digest.hexdigest()[:10]


CODE_VERSION = _code_version()
_release: LiveRelease | None = None
_local: OrderedDict[tuple, Any] = OrderedDict()
_local_lock = threading.Lock()
_LOCAL_MAX = 512



def use_release(path: str | Path | None) -> LiveRelease:
    """Point the dashboard at a release file (``None``: ``$RELEASE_PATH`` or the default)."""
    global _release
    _release = LiveRelease(path) if path else None
    with _local_lock:
        _local.clear()
    return release()


def release() -> LiveRelease:
    """The release the dashboard reads (the request's, when a new one is published)."""
    return _release if _release is not None else live()


def cached(fn: Callable[..., T]) -> Callable[..., T]:
    """Cache ``fn(*args)`` per release id: in-process LRU, then the shared server cache."""
    memo = cache.memoize()(fn)

    @wraps(fn)
    def wrapper(*args: Any) -> T:
        rid = f"{release().release_id}:{CODE_VERSION}"
        key = (f"{fn.__module__}.{fn.__qualname__}", rid, *args)
        with _local_lock:
            if key in _local:
                _local.move_to_end(key)
                return _local[key]
        use_shared = has_app_context() and "cache" in current_app.extensions
        value = memo(rid, *args) if use_shared else fn(rid, *args)
        with _local_lock:
            _local[key] = value
            while len(_local) > _LOCAL_MAX:
                _local.popitem(last=False)
        return value

    wrapper.uncached = fn  # type: ignore[attr-defined]
    return wrapper


def local_cached(fn: Callable[..., T]) -> Callable[..., T]:
    """Cache ``fn(*args)`` per release id in this process only (values that don't pickle well:
    Dash components, callback answers). Callers must not mutate the returned value."""

    @wraps(fn)
    def wrapper(*args: Any) -> T:
        key = ("local:" + fn.__module__ + fn.__name__, release().release_id, CODE_VERSION, *args)
        with _local_lock:
            if key in _local:
                _local.move_to_end(key)
                return _local[key]
        value = fn(*args)
        with _local_lock:
            _local[key] = value
            while len(_local) > _LOCAL_MAX:
                _local.popitem(last=False)
        return value

    return wrapper


def check(column: str, value: Any, table: str = "indicator") -> Any:
    """Raise ``ValueError`` unless ``value`` is a value of ``column`` in ``table``."""
    if value not in catalog().values[table][column]:
        raise ValueError(f"unknown {column}: {value!r}")
    return value


# --- catalogue -------------------------------------------------------------------------------

def warm() -> None:
    """Read the release's in-memory tables now, so that a worker's first visitor doesn't wait
    for them (nothing when the release cannot be read: the pages say so)."""
    with contextlib.suppress(ReleaseNotFound, duckdb.Error):
        indicator_frame(release())
        for name in KEYED:
            keyed_table(release(), name)


def catalog() -> Catalogue:
    """The catalogue of the release in force (built once per release id)."""
    return catalogue(release())


@cached
def geometry(_rid: str, level: str) -> str:
    """The GeoJSON text of a geometry level (``department``, ``region``, ``paris_zoom``)."""
    return reads.geometry(release(), level)


MAP_GROUPS = {"department": {"areas": "department", "inset": "paris_zoom"},
              "region": {"areas": "region"}}


@cached
def map_shapes(_rid: str, level: str) -> str:
    """The map of a level as SVG paths (:func:`map_shapes.project`, JSON text): its areas and
    any inset drawn with them (the Paris zoom of the departments), framed together."""
    if level not in MAP_GROUPS:
        raise ValueError(f"no map of level {level!r}")
    groups = {name: json.loads(geometry(source)).get("features", [])
              for name, source in MAP_GROUPS[level].items()}
    return json.dumps(project(groups), separators=(",", ":"))


# --- indicators ------------------------------------------------------------------------------

def _check_cell(measure: str, site: str, sex: str, year_start: int, year_end: int) -> None:
    check("measure", measure)
    check("site_code", site)
    check("sex", sex)
    check("year_start", year_start)
    check("year_end", year_end)


def _check_area(level: str, code: str) -> None:
    check("level", level)
    check("geo_code", code)


def level_values(measure: str, site: str, sex: str, year_start: int, year_end: int,
                 level: str) -> pd.DataFrame:
    """Every indicator column of the areas of ``level`` (one row per area, geo order); from the
    table in memory (:mod:`dashboard.web.indicator_frame`: faster than any cache)."""
    _check_cell(measure, site, sex, year_start, year_end)
    check("level", level)
    return indicator_frame(release()).level_values(measure, site, sex, (year_start, year_end),
                                                   level)


def level_columns(measure: str, site: str, sex: str, year_start: int, year_end: int,
                  level: str) -> dict[str, np.ndarray]:
    """:func:`level_values` as one array per column (no pandas: for views computed in plain
    Python, see :meth:`indicator_frame.PlainColumns.columns`)."""
    _check_cell(measure, site, sex, year_start, year_end)
    check("level", level)
    return indicator_frame(release()).level_columns(measure, site, sex, (year_start, year_end),
                                                    level)


def cell(measure: str, site: str, sex: str, year_start: int, year_end: int, level: str,
         code: str) -> dict[str, Any] | None:
    """One indicator row as a plain record (``None`` when absent; from memory)."""
    _check_cell(measure, site, sex, year_start, year_end)
    _check_area(level, code)
    return indicator_frame(release()).cell_record(measure, site, sex, (year_start, year_end),
                                                  level, code)


def series(measure: str, site: str, sex: str, level: str, code: str,
           pooled: bool) -> list[dict[str, Any]]:
    """Indicator rows of one area over time, as plain records: single years, or 5-year periods
    if ``pooled`` (from the table in memory)."""
    _check_series(measure, site, sex, level, code)
    return indicator_frame(release()).series_records(measure, site, sex, level, code, pooled)


@cached
def sites_of_area(_rid: str, measure: str, sex: str, year_start: int, year_end: int,
                  level: str, code: str) -> pd.DataFrame:
    """All sites of one area (with the site's labels) for a measure, sex and period.

    Sex-specific sites are included with their own sex when ``sex`` is ``all``.
    """
    check("measure", measure)
    check("sex", sex)
    check("year_start", year_start)
    check("year_end", year_end)
    _check_area(level, code)
    return reads.sites_of_area(release(), measure, sex, (year_start, year_end), level, code)


# --- trends ----------------------------------------------------------------------------------

def _check_series(measure: str, site: str, sex: str, level: str, code: str) -> None:
    check("measure", measure)
    check("site_code", site)
    check("sex", sex)
    _check_area(level, code)


def trend(measure: str, site: str, sex: str, level: str, code: str) -> dict[str, Any] | None:
    """The joinpoint summary of a series, a plain record (``None`` when not fitted); from
    memory."""
    _check_series(measure, site, sex, level, code)
    found = keyed_table(release(), "trend").records(measure, site, sex, level, code)
    return found[0] if found else None


def trend_segments(measure: str, site: str, sex: str, level: str,
                   code: str) -> list[dict[str, Any]]:
    """Joinpoint segments (APC) of a series, as plain records; from memory."""
    _check_series(measure, site, sex, level, code)
    return keyed_table(release(), "trend_segment").records(measure, site, sex, level, code)


def trend_fitted(measure: str, site: str, sex: str, level: str,
                 code: str) -> list[tuple[int, float]]:
    """Fitted world-standardised rates of a series: (year, rate) pairs; from memory."""
    _check_series(measure, site, sex, level, code)
    return [(r["year"], r["asr_world_fitted"]) for r in keyed_table(release(), "trend_fitted")
            .records(measure, site, sex, level, code)]


# --- inequalities ----------------------------------------------------------------------------

def quintiles(measure: str, site: str, sex: str, year_start: int, year_end: int, level: str,
              code: str) -> list[dict[str, Any]]:
    """Rates by deprivation quintile of one area and period, as plain records (the rows of
    :func:`dashboard.release_reads.quintiles`; from memory)."""
    _check_cell(measure, site, sex, year_start, year_end)
    _check_area(level, code)
    return keyed_table(release(), "inequality").records(measure, site, sex, level, code,
                                                        year_start, year_end)


def _only(records: list[dict[str, Any]], columns: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{c: r[c] for c in columns} for r in records]


def inequality_stats(measure: str, site: str, sex: str, year_start: int, year_end: int,
                     level: str, code: str) -> list[dict[str, Any]]:
    """Rate ratio, rate difference, SII and RII of one area and period, as plain records (the
    rows of :func:`dashboard.release_reads.inequality_stats`; from memory)."""
    _check_cell(measure, site, sex, year_start, year_end)
    _check_area(level, code)
    return _only(keyed_table(release(), "inequality_summary").records(
        measure, site, sex, level, code, year_start, year_end), reads.INEQUALITY_STATS_COLUMNS)


def inequality_over_time(measure: str, site: str, sex: str,
                         statistic: str) -> list[dict[str, Any]]:
    """A national inequality statistic by single year, as plain records (the rows of
    :func:`dashboard.release_reads.inequality_over_time`; from memory)."""
    check("measure", measure)
    check("site_code", site)
    check("sex", sex)
    if statistic not in INEQUALITY_STATISTICS:
        raise ValueError(f"unknown statistic: {statistic!r}")
    rows = keyed_table(release(), "inequality_by_statistic").records(measure, site, sex,
                                                                     "country", statistic)
    return _only([{**r, "year": r["year_start"]} for r in rows
                  if r["year_start"] == r["year_end"]], reads.OVER_TIME_COLUMNS)


@cached
def inequality_zones(_rid: str) -> tuple[str, ...]:
    """Area codes with deprivation-quintile rates (``FR`` first, then regions)."""
    return reads.inequality_zones(release())


# --- home ------------------------------------------------------------------------------------

@cached
def top_sites(_rid: str, measure: str, year_start: int, year_end: int,
              limit: int = 5) -> pd.DataFrame:
    """The most frequent sites in France over a period (both sexes, or the site's sex)."""
    df = sites_of_area(measure, "all", year_start, year_end, "country", "FR")
    return df.dropna(subset=["cases"]).head(limit).reset_index(drop=True)
