"""Write the public release file from data frames, following ``dashboard.release_schema``."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pandas as pd

from dashboard.release_schema import SORT_KEYS, TABLES, columns, ddl


class ReleaseSchemaError(ValueError):
    """A table handed to the writer does not match the release contract."""


def write_release(path: str | Path, tables: dict[str, pd.DataFrame]) -> Path:
    """Write every table of the release contract into a new DuckDB file at ``path``.

    The file is written under a temporary name and renamed, so readers never see a partial
    release. Each table must carry exactly the contract's columns; rows are sorted by the
    table's sort keys (DuckDB zone maps then serve the usual filters).
    """
    path = Path(path)
    missing = set(TABLES) - set(tables)
    if missing:
        raise ReleaseSchemaError(f"missing release tables: {', '.join(sorted(missing))}")
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        for name in TABLES:
            frame = tables[name]
            cols = [c for c, _ in columns(name)]
            extra = set(frame.columns) - set(cols)
            absent = set(cols) - set(frame.columns)
            if extra or absent:
                raise ReleaseSchemaError(
                    f"table {name}: unexpected columns {sorted(extra)}, missing {sorted(absent)}"
                )
            frame = frame[cols]
            keys = [k for k in SORT_KEYS.get(name, ()) if k in cols]
            if keys:
                frame = frame.sort_values(keys, kind="stable")
            con.execute(ddl(name))
            con.register("frame_view", frame)
            con.execute(f"INSERT INTO {name} SELECT * FROM frame_view")
            con.unregister("frame_view")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(tmp, path)
    return path
