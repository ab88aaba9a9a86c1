"""The ``indicator`` table in memory, indexed by map view and by series, and the trend and
inequality tables, by key (per release, per process).

A map view (the areas of one level for a measure, site, sex and period), the series of one
area, its trend or the quintile rates of a cell is then a dictionary lookup and a row take
instead of a DuckDB query (about 5-15 ms: planning, a scan of the table, the conversion to
pandas) and a cache entry, which every new view of the dashboard paid several times. The
tables are read once per release through the same conversion
(:func:`dashboard.release_reads.indicator_rows`, :func:`~dashboard.release_reads.rows`), so the
values are DuckDB's. A map view comes as a data frame with DuckDB's dtypes
(:func:`_as_queried`, ~1 ms) or as column arrays; series, cells and the keyed tables' rows as
plain records (:class:`PlainColumns`, tens of µs). ``tests/web/test_indicator_frame.py``
compares every view and a sample of the series and cells with the SQL of
:mod:`dashboard.release_reads`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd
from pandas.api.types import is_integer_dtype, is_numeric_dtype, is_string_dtype

from dashboard import release_reads as reads
from dashboard.data_access import Release
from dashboard.release_watch import LiveRelease
from dashboard.row_filter import RowFilter

_VIEW = ["measure", "site_code", "sex", "level", "year_start", "year_end"]
_SERIES = list(reads.SERIES_KEY)
T = TypeVar("T")


@dataclass(frozen=True)
class PlainColumns:
    """A table's columns as numpy arrays, to give a few of its rows as plain-value records: the
    dicts ``_as_queried(frame, rows, nullable).to_dict("records")`` gives (Python ``int``,
    ``float``, ``str``; a null integer ``None``; a null text ``nan``, or ``None`` when none of
    the rows has a text there), without pandas' cost per call (~1 ms for a take and its
    conversion, whatever the number of rows: several per trend view)."""

    names: tuple[str, ...]
    values: tuple[np.ndarray, ...]  # numbers; text codes into ``texts``; integers, 0 for null
    texts: tuple[np.ndarray | None, ...]  # a text column's values, and ``nan`` last (code -1)
    nulls: tuple[np.ndarray | None, ...]  # an integer column's nulls

    @classmethod
    def of(cls, frame: pd.DataFrame) -> PlainColumns:
        values, texts, nulls = [], [], []
        for name in frame.columns:
            col = frame[name]
            text = null = None
            if is_string_dtype(col.dtype):
                codes, uniques = pd.factorize(col, use_na_sentinel=True)
                value = codes
                text = np.array([*uniques.tolist(), float("nan")], dtype=object)
            elif is_integer_dtype(col.dtype) and isinstance(col.dtype,
                                                            pd.api.extensions.ExtensionDtype):
                null = col.isna().to_numpy()
                value = col.to_numpy(dtype="int64", na_value=0)
            elif is_numeric_dtype(col.dtype) and not isinstance(
                    col.dtype, pd.api.extensions.ExtensionDtype):
                value = col.to_numpy()
            else:
                raise TypeError(f"column {name!r}: no plain records of dtype {col.dtype}")
            values.append(value)
            texts.append(text)
            nulls.append(null)
        return cls(tuple(frame.columns), tuple(values), tuple(texts), tuple(nulls))

    def records(self, rows: np.ndarray | None) -> list[dict[str, object]]:
        """Rows ``rows`` (positions) as records, in that order."""
        if rows is None or not len(rows):
            return []
        columns = [self._column(i, rows).tolist() for i in range(len(self.names))]
        return [dict(zip(self.names, row, strict=True)) for row in zip(*columns, strict=True)]

    def columns(self, rows: np.ndarray | None) -> dict[str, np.ndarray]:
        """Rows ``rows`` (positions) as one array per column: numbers, or objects (text, and
        integers with a null) with the records' values."""
        rows = np.asarray(rows if rows is not None else [], dtype=int)
        return {name: self._column(i, rows) for i, name in enumerate(self.names)}

    def _column(self, i: int, rows: np.ndarray) -> np.ndarray:
        part, text, null = self.values[i][rows], self.texts[i], self.nulls[i]
        if text is not None:
            return np.full(len(rows), None, dtype=object) if (part < 0).all() else text[part]
        if null is not None and null[rows].any():
            out = part.astype(object)
            out[null[rows]] = None
            return out
        return part


@dataclass(frozen=True)
class IndicatorFrame:
    """The table (with each area's name) and the row positions of every view and series."""

    frame: pd.DataFrame
    views: dict[tuple[object, ...], np.ndarray]
    series_rows: dict[tuple[object, ...], np.ndarray]
    nullable: tuple[str, ...]  # integer and text columns with nulls (see _as_queried)
    plain: PlainColumns

    @classmethod
    def read(cls, release: Release) -> IndicatorFrame:
        frame = reads.indicator_rows(release)
        in_geo = frame.pop("_in_geo").to_numpy(bool)
        views = {key: rows[in_geo[rows]] for key, rows in
                 frame.groupby(_VIEW, sort=False).indices.items()}
        pooled = (frame.year_end > frame.year_start).to_numpy()
        order = np.lexsort((frame.year_start.to_numpy(), frame.year_end.to_numpy()))
        series: dict[tuple[object, ...], np.ndarray] = {}
        for key, rows in frame.iloc[order].groupby(_SERIES, sort=False).indices.items():
            rows = order[rows]
            series[(*key, True)] = rows[pooled[rows]]
            series[(*key, False)] = rows[~pooled[rows]]
        return cls(frame, views, series, _nullable(frame), PlainColumns.of(frame))

    def level_values(self, measure: str, site: str, sex: str, period: tuple[int, int],
                     level: str) -> pd.DataFrame:
        """As :func:`dashboard.release_reads.level_values`: the areas of ``level``, by code."""
        rows = self.views.get((measure, site, sex, level, period[0], period[1]))
        return _as_queried(self.frame, rows, self.nullable)

    def series_records(self, measure: str, site: str, sex: str, level: str, code: str,
                       pooled: bool) -> list[dict[str, object]]:
        """As :func:`dashboard.release_reads.series` (one area's periods by end year), as plain
        records (:class:`PlainColumns`)."""
        out = self.plain.records(self.series_rows.get((measure, site, sex, level, code,
                                                       pooled)))
        for record in out:
            del record["name"]
        return out

    def level_columns(self, measure: str, site: str, sex: str, period: tuple[int, int],
                      level: str) -> dict[str, np.ndarray]:
        """:meth:`level_values` as one array per column (:meth:`PlainColumns.columns`)."""
        return self.plain.columns(self.views.get((measure, site, sex, level, *period)))

    def cell_record(self, measure: str, site: str, sex: str, period: tuple[int, int],
                    level: str, code: str) -> dict[str, object] | None:
        """One area's row of :meth:`level_values` as a plain record (``None`` when absent;
        its nulls as in the view's records)."""
        columns = self.level_columns(measure, site, sex, period, level)
        at = np.flatnonzero(columns["geo_code"] == code)
        return {name: values[at[:1]].tolist()[0] for name, values in columns.items()} \
            if len(at) else None


@dataclass(frozen=True)
class KeyedTable:
    """A release table in memory (its columns, :class:`PlainColumns`) and the row positions of
    each value of a key, in a given order (see :data:`KEYED`)."""

    groups: dict[tuple[object, ...], np.ndarray]
    plain: PlainColumns

    @classmethod
    def read(cls, release: Release, table: str, key: tuple[str, ...],
             order: tuple[str, ...] = ()) -> KeyedTable:
        frame = reads.rows(release, RowFilter(table, ()), (*key, *order))
        return cls(frame.groupby(list(key), sort=False).indices, PlainColumns.of(frame))

    def records(self, *key: object) -> list[dict[str, object]]:
        """As a query of the rows with this key, in the table's order, as plain records
        (:class:`PlainColumns`)."""
        return self.plain.records(self.groups.get(key))


_CELL = (*reads.SERIES_KEY, "year_start", "year_end")
# name -> (table, key, order): the trend tables by series (:func:`dashboard.release_reads.
# trend_rows`); the quintile rates and inequality statistics by cell (``quintiles``,
# ``inequality_stats``); the national statistics by statistic, over time
# (``inequality_over_time``).
KEYED: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    **{table: (table, reads.SERIES_KEY, order) for table, order in reads.TREND_ORDER.items()},
    "inequality": ("inequality", _CELL, ("quintile",)),
    "inequality_summary": ("inequality_summary", _CELL, ("statistic",)),
    "inequality_by_statistic": ("inequality_summary",
                                ("measure", "site_code", "sex", "level", "statistic"),
                                ("geo_code", "year_start", "year_end")),
}


def _nullable(frame: pd.DataFrame) -> tuple[str, ...]:
    """The integer and text columns of ``frame`` with nulls (see :func:`_as_queried`)."""
    return tuple(c for c in frame.columns if frame[c].hasnans and isinstance(
        frame[c].dtype, pd.api.extensions.ExtensionDtype) and (
        is_integer_dtype(frame[c].dtype) or is_string_dtype(frame[c].dtype)))


def _as_queried(frame: pd.DataFrame, rows: np.ndarray | None,
                nullable: tuple[str, ...]) -> pd.DataFrame:
    """Rows ``rows`` of ``frame`` as a query returning just them would: a fresh index and
    DuckDB's types for such a result. A query gives an integer column with nulls the nullable
    ``Int64`` type, without nulls a plain integer; a text column without any text (all null,
    or no rows), ``object`` (``None``): so are the ``nullable`` columns (those with nulls in
    ``frame``) converted, and every text column of an empty result."""
    part = frame.iloc[rows if rows is not None else []].reset_index(drop=True)
    if part.empty:  # and so without any text
        nullable = tuple(dict.fromkeys(
            [c for c in part.columns if is_string_dtype(part[c].dtype)] + list(nullable)))
    for column in nullable:
        values = part[column]
        dtype = values.dtype
        if is_integer_dtype(dtype) and not values.hasnans:
            part[column] = values.to_numpy(dtype.numpy_dtype)
        elif is_string_dtype(dtype) and values.isna().all():
            part[column] = pd.Series([None] * len(part), dtype=object)
    return part


_tables: dict[str, dict[str, object]] = {}  # release key -> table name -> table in memory
_lock = threading.Lock()


def _in_memory(release: Release | LiveRelease, name: str, read: Callable[[Release], T]) -> T:
    """Table ``name`` of a release (the one in force, for a live release), read by ``read``
    once per (file, release id) in this process."""
    with release.pinned() as pinned:
        key = f"{pinned.path}:{pinned.release_id}"
        found = _tables.get(key, {}).get(name)
        if found is None:
            with _lock:
                found = _tables.get(key, {}).get(name)
                if found is None:
                    found = read(pinned)
                    if key not in _tables:
                        while len(_tables) >= 2:  # the release in force and, while it is
                            del _tables[next(iter(_tables))]  # swapped, one more
                        _tables[key] = {}
                    _tables[key][name] = found
    return found  # type: ignore[return-value]


def indicator_frame(release: Release | LiveRelease) -> IndicatorFrame:
    """The in-memory ``indicator`` table of a release."""
    return _in_memory(release, "indicator", IndicatorFrame.read)


def keyed_table(release: Release | LiveRelease, name: str) -> KeyedTable:
    """An in-memory table of a release, by key (:data:`KEYED`)."""
    if name not in KEYED:
        raise ValueError(f"not a keyed table: {name!r}")
    return _in_memory(release, name, lambda pinned: KeyedTable.read(pinned, *KEYED[name]))
