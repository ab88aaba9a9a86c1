"""Is a release file usable? One clear reason when it is not (missing, not DuckDB, wrong schema).

``python -m dashboard.release_check [FILE]`` prints one line and exits 0 (usable) or 3; the
gunicorn configuration runs the same check before starting the workers, the release watcher
before switching to a newly published file, and the publish command before publishing.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import duckdb

from dashboard.data_access import release_path
from dashboard.release_schema import TABLES, columns

EXIT_UNUSABLE = 3


def problem(path: str | Path) -> str | None:
    """Why the release file at ``path`` cannot be served, or ``None`` when it can."""
    path = Path(path)
    if not path.is_file():
        return f"release file not found: {path.name}"
    try:
        con = duckdb.connect(str(path), read_only=True)
    except (duckdb.Error, OSError) as exc:
        return f"release file {path.name} is not a readable DuckDB database ({_first_line(exc)})"
    try:
        return _schema_problem(con, path.name)
    except duckdb.Error as exc:
        return f"release file {path.name} cannot be read ({_first_line(exc)})"
    finally:
        con.close()


def _schema_problem(con: duckdb.DuckDBPyConnection, name: str) -> str | None:
    found: dict[str, set[str]] = {}
    for table, column in con.execute(
            "SELECT table_name, column_name FROM information_schema.columns").fetchall():
        found.setdefault(table, set()).add(column)
    for table in TABLES:
        if table not in found:
            return f"release file {name} has the wrong schema: table {table!r} is missing"
        missing = [c for c, _type in columns(table) if c not in found[table]]
        if missing:
            return (f"release file {name} has the wrong schema: table {table!r} lacks "
                    f"{', '.join(missing)}")
    rows = con.execute("SELECT count(*) FROM release").fetchone()
    if not rows or rows[0] != 1:
        return f"release file {name} has the wrong schema: 'release' must hold one row"
    return None


def _first_line(exc: BaseException) -> str:
    """The first line of an error, with file paths cut to their names (no server path)."""
    text = str(exc).strip().splitlines()
    line = text[0][:300] if text else type(exc).__name__
    return re.sub(r"/(?:[^/\s\"']+/)+([^/\s\"']+)", r"\1", line)


def main(argv: list[str] | None = None) -> int:
    """Check the file given (default ``$RELEASE_PATH``): one line, exit 0 or 3."""
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else release_path()
    reason = problem(path)
    if reason is None:
        print(f"release file {path.name} is usable")
        return 0
    print(f"error: {reason}", file=sys.stderr)
    return EXIT_UNUSABLE


if __name__ == "__main__":
    sys.exit(main())
