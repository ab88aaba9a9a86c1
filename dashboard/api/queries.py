"""SQL for the data API: whitelisted tables and columns, user values only as bound parameters.

Rows come out in the table's stored order (the writer sorts every table by its ``SORT_KEYS`` and
DuckDB preserves insertion order), so no ``ORDER BY`` is needed: a download lists rows in the
same order as the release, and a full-table export stays a streaming scan.
"""

from __future__ import annotations

from typing import Any

from dashboard.api.params import Selection
from dashboard.release_schema import PUBLIC_TABLES, columns


def _quoted_columns(table: str) -> str:
    if table not in PUBLIC_TABLES:
        raise ValueError(f"not a public table: {table}")
    return ", ".join(f'"{name}"' for name, _ in columns(table))


def where_clause(selection: Selection) -> tuple[str, list[Any]]:
    """``WHERE`` clause (or ``""``) and its parameters for the selection's filters."""
    parts, params = [], []
    for param, values in selection.filters:
        assert param.sql is not None
        if param.op == "IN":
            parts.append(f"({param.sql}) IN ({', '.join('?' for _ in values)})")
        else:
            assert param.op in (">=", "<=") and len(values) == 1
            parts.append(f"({param.sql}) {param.op} ?")
        params.extend(values)
    return (" WHERE " + " AND ".join(parts) if parts else ""), params


def select_sql(selection: Selection) -> tuple[str, list[Any]]:
    """The rows of the selection, every column of the contract, in stored order."""
    table = selection.endpoint.table
    where, params = where_clause(selection)
    return f"SELECT {_quoted_columns(table)} FROM {table}{where}", params


def count_sql(selection: Selection) -> tuple[str, list[Any]]:
    """Number of rows of the selection."""
    table = selection.endpoint.table
    _quoted_columns(table)
    where, params = where_clause(selection)
    return f"SELECT count(*) AS n FROM {table}{where}", params


def table_sql(table: str) -> str:
    """A whole public table (bulk export)."""
    return f"SELECT {_quoted_columns(table)} FROM {table}"
