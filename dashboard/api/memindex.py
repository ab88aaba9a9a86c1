"""In-memory, release-keyed index of the public tables: filtered rows without a database trip.

A release is small and immutable, so each process loads a public table once (one DuckDB scan,
in stored order, through the same columns as :func:`dashboard.release_reads.table_sql`) into
an Arrow table, with one array per filter of its endpoint (the filter's SQL expression,
evaluated by DuckDB in that scan) and, per filter value, the sorted positions of its rows; the
CSV line of every row is rendered once per dialect. A request then costs a few numpy
operations on the candidate rows and a join of their lines (or an Arrow ``take`` for the other
formats), instead of DuckDB's planning and fetch and the encoding (~5-10 ms per query nobody
asked before). DuckDB stays the store
and the fallback: tables over ``MAX_ROWS`` rows are never loaded (flat memory for big exports).
"""

from __future__ import annotations

import itertools
import math
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dashboard import release_reads
from dashboard.api.formats import CsvDialect, csv_header, csv_lines
from dashboard.api.params import Endpoint, Param, Selection
from dashboard.data_access import Release

MAX_ROWS = 500_000
# The filters naming one series of a cell table (the leading keys of the stored order): their
# combined postings start a map view's query from its own few hundred rows.
SERIES = ("measure", "site", "sex", "level")
MAX_SERIES_COMBOS = 64  # more combinations asked: start from one filter's postings instead
MAX_RUNS = 256  # a CSV body of more runs of consecutive rows is gathered by Arrow instead


@dataclass
class TableIndex:
    """One public table in memory: its rows, each filter's values and row positions.

    ``IN`` filters are kept as integer codes (``codes``: value -> code) with the sorted rows of
    every code (``postings``), and the rows of every series (``series_postings``: the codes of
    the ``SERIES`` filters the table has -> sorted rows); range filters (``>=``, ``<=``) as
    their values.
    """

    table: pa.Table
    values: dict[str, np.ndarray]  # filter name -> code (IN) or value (range) of every row
    codes: dict[str, dict[object, int]]  # IN filter name -> value -> code
    postings: dict[str, list[np.ndarray]]  # IN filter name -> code -> sorted rows
    series: tuple[str, ...] = ()  # the SERIES filters of the table (empty: fewer than 2)
    series_postings: dict[tuple[int, ...], np.ndarray] = field(default_factory=dict)
    lines: dict[CsvDialect, pa.Array] = field(default_factory=dict)  # CSV line of every row
    line_bytes: dict[CsvDialect, tuple[memoryview, np.ndarray]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def rows(self, selection: Selection) -> np.ndarray:
        """Sorted positions of the rows matching every filter of ``selection``."""
        ins, ranges = [], []
        for param, wanted in selection.filters:
            if param.op == "IN":
                known = self.codes[param.name]
                ins.append((param.name, [known[v] for v in wanted if v in known]))
            else:
                ranges.append((param, wanted[0]))
        if any(not codes for _, codes in ins):
            return np.empty(0, np.int64)
        rows, ins = self._candidates(ins)
        for name, codes in ins:
            picked = self.values[name][rows]
            if len(codes) == 1:
                rows = rows[picked == codes[0]]
            else:  # a lookup table of the wanted codes (np.isin costs ~50 µs on small arrays)
                wanted = np.zeros(len(self.postings[name]), bool)
                wanted[codes] = True
                rows = rows[wanted[picked]]
        for param, bound in ranges:
            picked = self.values[param.name][rows]
            rows = rows[picked >= bound if param.op == ">=" else picked <= bound]
        return rows

    def _candidates(self, ins: list[tuple[str, list[int]]],
                    ) -> tuple[np.ndarray, list[tuple[str, list[int]]]]:
        """Sorted rows to start from and the ``IN`` filters still to check on them: the rows
        of the series asked (``series_postings``) when every series filter is given with few
        values (a map view: a few hundred rows), else the smallest union of one filter's
        posting lists."""
        given = dict(ins)
        if self.series and all(name in given for name in self.series) and math.prod(
                len(given[name]) for name in self.series) <= MAX_SERIES_COMBOS:
            combos = itertools.product(*(given[name] for name in self.series))
            lists = [p for p in map(self.series_postings.get, combos) if p is not None]
            rest = [(name, codes) for name, codes in ins if name not in self.series]
            if not lists:
                return np.empty(0, np.int64), rest
            return (lists[0] if len(lists) == 1 else np.sort(np.concatenate(lists))), rest
        if not ins:
            return np.arange(self.table.num_rows), []
        ins = sorted(ins, key=lambda f: sum(len(self.postings[f[0]][c]) for c in f[1]))
        name, codes = ins[0]
        lists = [self.postings[name][c] for c in codes]
        return (lists[0] if len(lists) == 1 else np.sort(np.concatenate(lists))), ins[1:]

    def batches(self, rows: np.ndarray, batch_rows: int) -> Iterator[pa.RecordBatch]:
        """The selected rows, in stored order, as record batches of at most ``batch_rows``."""
        if len(rows):
            yield from self.table.take(pa.array(rows)).to_batches(max_chunksize=batch_rows)

    def csv(self, rows: np.ndarray, dialect: CsvDialect) -> bytes:
        """The CSV body of the selected rows: header and lines (each table's lines rendered
        once, on first use, into one Arrow string array: the same bytes as
        :func:`dashboard.api.formats.csv_chunks`). Rows come in runs of consecutive rows (the
        table is stored sorted by series and period, a map view is one run or a few): each run
        is one slice of the array's data buffer, joined without copying the lines twice."""
        with self.lock:
            if dialect not in self.lines:
                lines = csv_lines(self.table, dialect)
                lines = lines.combine_chunks() if isinstance(lines, pa.ChunkedArray) else lines
                self.lines[dialect] = lines
                self.line_bytes[dialect] = _string_buffers(lines)
                pa.default_memory_pool().release_unused()  # the per-column intermediates
        head = csv_header(self.table.schema, dialect)
        if not len(rows):
            return head
        breaks = np.flatnonzero(np.diff(rows) != 1) + 1
        if len(breaks) < MAX_RUNS:
            data, offsets = self.line_bytes[dialect]
            starts = offsets[rows[np.concatenate(([0], breaks))]].tolist()
            ends = offsets[rows[np.concatenate((breaks - 1, [-1]))] + 1].tolist()
            return b"".join([head, *map(data.__getitem__, map(slice, starts, ends))])
        taken = self.lines[dialect].take(pa.array(rows, pa.int64()))
        one = pc.binary_join(pa.ListArray.from_arrays(pa.array([0, len(taken)], pa.int32()),
                                                      taken), "")
        return head + one[0].as_buffer().to_pybytes()


def _string_buffers(lines: pa.Array) -> tuple[memoryview, np.ndarray]:
    """The data buffer of a string array and the offsets of its items (item ``i`` is
    ``data[offsets[i]:offsets[i + 1]]``; no copy)."""
    _, offset_buffer, data = lines.buffers()
    kind = np.int64 if pa.types.is_large_string(lines.type) else np.int32
    offsets = np.frombuffer(offset_buffer, dtype=kind)[lines.offset:lines.offset + len(lines) + 1]
    return memoryview(data) if data is not None else memoryview(b""), offsets.astype(np.int64)


def _column(array: pa.ChunkedArray) -> np.ndarray:
    """A filter column as numpy (strings as objects, comparable with the request's values)."""
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        # NULL (a country's parent, say) never matches a request's value, nor does this.
        return np.asarray(["\0null" if v is None else v for v in array.to_pylist()] + [None],
                          dtype=object)[:-1]
    return array.to_numpy()  # integers with NULLs come out as floats with NaN: never equal


def build(release: Release, endpoint: Endpoint) -> TableIndex | None:
    """Load ``endpoint``'s table and its filter columns in one scan (None when too big)."""
    table = endpoint.table
    if release_reads.table_rows(release, table) > MAX_ROWS:
        return None
    params: list[Param] = [p for p in endpoint.params if p.sql is not None]
    names = [f"__filter_{i}" for i in range(len(params))]
    scanned = release_reads.table_with_expressions(
        release, table, {name: p.sql for name, p in zip(names, params, strict=True)})
    values: dict[str, np.ndarray] = {}
    codes: dict[str, dict[object, int]] = {}
    postings: dict[str, list[np.ndarray]] = {}
    for p, name in zip(params, names, strict=True):
        col = _column(scanned.column(name))
        if p.op != "IN":
            values[p.name] = col
            continue
        keys, inverse = np.unique(col, return_inverse=True)
        order = np.argsort(inverse, kind="stable")
        bounds = np.cumsum(np.bincount(inverse, minlength=len(keys)))[:-1]
        values[p.name] = inverse.astype(np.int32)
        codes[p.name] = {_plain(k): i for i, k in enumerate(keys)}
        postings[p.name] = np.split(order, bounds)
    series = tuple(name for name in SERIES if name in postings)
    if len(series) < 2:
        series = ()
    return TableIndex(scanned.drop_columns(names), values, codes, postings, series,
                      _series_postings(values, series))


def _series_postings(values: dict[str, np.ndarray], series: tuple[str, ...],
                     ) -> dict[tuple[int, ...], np.ndarray]:
    """The sorted rows of every combination of the ``series`` filters' codes in the table."""
    if not series:
        return {}
    keys = np.stack([values[name] for name in series], axis=1)
    combos, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    order = np.argsort(inverse, kind="stable")
    bounds = np.cumsum(np.bincount(inverse, minlength=len(combos)))[:-1]
    return {tuple(c): rows for c, rows in zip(combos.tolist(), np.split(order, bounds),
                                               strict=True)}


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
