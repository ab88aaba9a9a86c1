"""In-memory, release-keyed index of the public tables: filtered rows without a database trip.

A release is small and immutable, so each process loads a public table once (one DuckDB scan,
in stored order, through the same ``SELECT`` as :func:`dashboard.api.queries.select_sql`) into
an Arrow table, with one array per filter of its endpoint (the filter's SQL expression,
evaluated by DuckDB in that scan) and, per filter value, the sorted positions of its rows. A
request then costs a few numpy operations on the candidate rows and an Arrow ``take``, instead
of DuckDB's planning and fetch (~5-10 ms per query nobody asked before). DuckDB stays the store
and the fallback: tables over ``MAX_ROWS`` rows are never loaded (flat memory for big exports).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from dashboard.api.params import Endpoint, Param, Selection
from dashboard.api.queries import table_sql
from dashboard.data_access import Release

MAX_ROWS = 500_000


@dataclass(frozen=True)
class TableIndex:
    """One public table in memory: its rows, each filter's values and row positions."""

    table: pa.Table
    values: dict[str, np.ndarray]  # filter name -> value of every row
    postings: dict[str, dict[object, np.ndarray]]  # filter name -> value -> sorted rows

    def rows(self, selection: Selection) -> np.ndarray:
        """Sorted positions of the rows matching every filter of ``selection``."""
        filters = sorted(selection.filters, key=lambda f: f[0].op != "IN")  # postings first
        rows: np.ndarray | None = None
        for param, wanted in filters:
            col = self.values[param.name]
            if rows is None and param.op == "IN":
                lists = [self.postings[param.name].get(v) for v in wanted]
                found = [p for p in lists if p is not None]
                rows = np.sort(np.concatenate(found)) if found else np.empty(0, np.int64)
                continue
            if rows is None:
                rows = np.arange(len(col))
            picked = col[rows]
            if param.op == "IN":
                keep = np.isin(picked, np.asarray(wanted, dtype=col.dtype))
            elif param.op == ">=":
                keep = picked >= wanted[0]
            else:
                keep = picked <= wanted[0]
            rows = rows[keep]
        return np.arange(self.table.num_rows) if rows is None else rows

    def batches(self, rows: np.ndarray, batch_rows: int) -> Iterator[pa.RecordBatch]:
        """The selected rows, in stored order, as record batches of at most ``batch_rows``."""
        if len(rows):
            yield from self.table.take(pa.array(rows)).to_batches(max_chunksize=batch_rows)


def _column(array: pa.ChunkedArray) -> np.ndarray:
    """A filter column as numpy (strings as objects, comparable with the request's values)."""
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        # NULL (a country's parent, say) never matches a request's value, nor does this.
        return np.asarray(["\0null" if v is None else v for v in array.to_pylist()],
                          dtype=object)
    return array.to_numpy()  # integers with NULLs come out as floats with NaN: never equal


def build(release: Release, endpoint: Endpoint) -> TableIndex | None:
    """Load ``endpoint``'s table and its filter columns in one scan (None when too big)."""
    table = endpoint.table
    n = int(release.query(f"SELECT count(*) AS n FROM {table}")["n"].iloc[0])
    if n > MAX_ROWS:
        return None
    params: list[Param] = [p for p in endpoint.params if p.sql is not None]
    extra = "".join(f", ({p.sql}) AS \"__filter_{i}\"" for i, p in enumerate(params))
    cur = release.cursor()
    try:
        scanned = cur.sql(_scan_sql(table, extra)).to_arrow_table()
    finally:
        cur.close()
    names = [f"__filter_{i}" for i in range(len(params))]
    values = {p.name: _column(scanned.column(name)) for p, name in zip(params, names, strict=True)}
    postings: dict[str, dict[object, np.ndarray]] = {}
    for p in params:
        if p.op != "IN":
            continue
        col = values[p.name]
        keys, inverse = np.unique(col, return_inverse=True)
        order = np.argsort(inverse, kind="stable")
        bounds = np.cumsum(np.bincount(inverse, minlength=len(keys)))[:-1]
        postings[p.name] = {_plain(k): rows for k, rows in
                            zip(keys, np.split(order, bounds), strict=True)}
    return TableIndex(scanned.drop_columns(names), values, postings)


def _scan_sql(table: str, extra: str) -> str:
    """``SELECT <contract columns>, <filter expressions> FROM table`` (stored order)."""
    base = table_sql(table)
    head, _, tail = base.rpartition(" FROM ")
    return f"{head}{extra} FROM {tail}"


def _plain(value: object) -> object:
    """numpy scalars as Python values (the request's values are ``str`` and ``int``)."""
    return value.item() if isinstance(value, np.generic) else value


class MemoryIndex:
    """The indexes of the current release in this process, built on first use of a table."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[int, str, str] | None = None  # (process, path, release id)
        self._tables: dict[str, TableIndex | None] = {}

    def get(self, release: Release, endpoint: Endpoint) -> TableIndex | None:
        """The index of ``endpoint``'s table in ``release`` (None: use DuckDB)."""
        key = (os.getpid(), str(release.path), release.release_id)
        with self._lock:
            if key != self._key:  # another release (hot swap) or a forked worker
                self._key, self._tables = key, {}
            if endpoint.name not in self._tables:
                self._tables[endpoint.name] = build(release, endpoint)
            return self._tables[endpoint.name]
