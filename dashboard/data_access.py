"""Read-only access to the public release: the only door from the web tier to the data.

One DuckDB connection per process, opened lazily and read-only (DuckDB connections are not
fork-safe: gunicorn workers each open their own after forking). Queries are parameterised;
callers validate user values against the release's catalogue (``dashboard.catalogue``) and
build every statement in ``dashboard.release_reads``, never passing user text as SQL.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

DEFAULT_RELEASE = Path("data") / "indicators.duckdb"


def release_path() -> Path:
    """Path of the release file: ``$RELEASE_PATH``, else ``data/indicators.duckdb`` under the
    working directory (the checkout in development; set ``RELEASE_PATH`` elsewhere)."""
    return Path(os.environ.get("RELEASE_PATH", DEFAULT_RELEASE))


class ReleaseNotFound(FileNotFoundError):
    """The release file does not exist (build it with ``make data``)."""


class Release:
    """A read-only handle on one release file, safe to share between threads of one process."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else release_path()
        self._pid: int | None = None
        self._con: duckdb.DuckDBPyConnection | None = None
        self._lock = threading.Lock()

    def _connection(self) -> duckdb.DuckDBPyConnection:
        pid = os.getpid()
        if self._con is None or self._pid != pid:
            with self._lock:
                if self._con is None or self._pid != pid:
                    if not self.path.exists():
                        raise ReleaseNotFound(f"release file not found: {self.path}")
                    self._con = duckdb.connect(str(self.path), read_only=True)
                    self._pid = pid
        return self._con

    @contextlib.contextmanager
    def pinned(self) -> Iterator[Release]:
        """This release for the duration of the block (a live release keeps the one in force
        open until the block ends: :meth:`dashboard.release_watch.LiveRelease.pinned`)."""
        yield self

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor of the process connection (one per thread of use)."""
        return self._connection().cursor()

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        """Run a parameterised query and return a data frame."""
        cur = self.cursor()
        try:
            return cur.execute(sql, params or []).df()
        finally:
            cur.close()

    def record_batches(
        self, sql: str, params: Sequence[Any] | None = None, batch_rows: int = 50_000
    ) -> Iterator[pa.RecordBatch]:
        """Stream a query's result as Arrow record batches (flat memory for large downloads)."""
        cur = self.cursor()
        try:
            reader = cur.sql(sql, params=list(params or [])).to_arrow_reader(batch_rows)
            yield from reader
        finally:
            cur.close()

    @cached_property
    def info(self) -> dict[str, Any]:
        """The single row of the ``release`` table as a dict."""
        row = self.query("SELECT * FROM release")
        return row.iloc[0].to_dict()

    @property
    def release_id(self) -> str:
        return str(self.info["release_id"])

    @property
    def simulated(self) -> bool:
        return self.info["data_kind"] == "simulated"


_default: tuple[str | None, Release] | None = None


def get_release() -> Release:
    """The process-wide release handle (path from ``$RELEASE_PATH``, read on every call: a
    handle is made again when it changes)."""
    global _default
    raw = os.environ.get("RELEASE_PATH")
    if _default is None or _default[0] != raw:
        _default = (raw, Release())
    return _default[1]
