"""Every read of the public release: the one module that writes SQL for the pages and the API.

Table and column names come from the contract (:mod:`dashboard.release_schema`); filters are
:class:`~dashboard.row_filter.RowFilter` objects (also what download links are built from);
user values reach DuckDB only as bound parameters, after a check against the release's
catalogue. Callers (``dashboard.web.queries``, which caches per release id, the API views, the
catalogue, the bulk writer) never write SQL themselves.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from dashboard.release_schema import GEOMETRY_LEVELS, INEQUALITY_STATISTICS, PUBLIC_TABLES, columns
from dashboard.row_filter import RowFilter

if TYPE_CHECKING:
    from dashboard.api.params import Selection
    from dashboard.data_access import Release


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


# --- whole tables, the release row, the catalogue ----------------------------------------------

def _quoted_columns(table: str) -> str:
    if table not in PUBLIC_TABLES:
        raise ValueError(f"not a public table: {table}")
    return ", ".join(f'"{name}"' for name, _ in columns(table))


def table_sql(table: str) -> str:
    """A whole public table, every column of the contract, in stored order (bulk export)."""
    return f"SELECT {_quoted_columns(table)} FROM {table}"


def table_rows(release: Release, table: str) -> int:
    """Number of rows of a public table."""
    return int(release.query(f"SELECT count(*) AS n FROM {table}")["n"].iloc[0])


def table_with_expressions(release: Release, table: str, expressions: dict[str, str]
                           ) -> pa.Table:
    """A whole public table (contract columns, stored order) as Arrow, plus one column per
    SQL expression (``name -> expression``, e.g. the API's filter expressions)."""
    extra = "".join(f', ({sql}) AS "{name}"' for name, sql in expressions.items())
    cur = release.cursor()
    try:
        return cur.sql(f"SELECT {_quoted_columns(table)}{extra} FROM {table}").to_arrow_table()
    finally:
        cur.close()


def release_row(release: Release) -> dict[str, Any]:
    """The single row of the ``release`` table as plain Python values."""
    batches = list(release.record_batches("SELECT * FROM release"))
    return pa.Table.from_batches(batches).to_pylist()[0]


def fetch_all(release: Release, sql: str) -> list[tuple[Any, ...]]:
    """Rows of a constant query (no user value) as tuples."""
    cur = release.cursor()
    try:
        return cur.execute(sql).fetchall()
    finally:
        cur.close()


def distinct_values(release: Release, table: str, column: str) -> tuple[Any, ...]:
    """Sorted distinct non-NULL values of a contract column."""
    if column not in {c for c, _ in columns(table)}:
        raise ValueError(f"{table} has no column {column}")
    rows = fetch_all(release, f'SELECT DISTINCT "{column}" FROM {table} '
                              f'WHERE "{column}" IS NOT NULL')
    return tuple(sorted(_plain(r[0]) for r in rows))


def combinations(release: Release, table: str, with_period: bool) -> list[tuple[Any, ...]]:
    """Distinct (measure, site, sex, level[, year_start, year_end]) of a cell table."""
    cols = "measure, site_code, sex, level" + (", year_start, year_end" if with_period else "")
    columns(table)  # a contract table
    return fetch_all(release, f"SELECT DISTINCT {cols} FROM {table}")


def published_sites(release: Release) -> list[tuple[Any, ...]]:
    """(code, label_fr, label_en, sexes) of the sites with indicators, « all » first."""
    return fetch_all(release, "SELECT site_code, label_fr, label_en, sexes FROM site "
                              "WHERE site_code IN (SELECT DISTINCT site_code FROM indicator) "
                              "ORDER BY site_code = 'all' DESC, label_fr")


def areas(release: Release) -> list[tuple[Any, ...]]:
    """(level, code, name, parent_code) of every area: France, regions, departments."""
    return fetch_all(release, "SELECT level, code, name, parent_code FROM geo ORDER BY CASE level "
                              "WHEN 'country' THEN 0 WHEN 'region' THEN 1 ELSE 2 END, code")


# --- the API: a validated selection --------------------------------------------------------------

def selection_where(selection: Selection) -> tuple[str, list[Any]]:
    """``WHERE`` clause (or ``""``) and its parameters for an API selection's filters."""
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


def selection_batches(release: Release, selection: Selection,
                      batch_rows: int) -> Generator[pa.RecordBatch, None, None]:
    """The selection's rows, every column of the contract, in stored order, batch by batch.

    Rows come in the table's stored order (the writer sorts every table by its key and DuckDB
    preserves insertion order): no ``ORDER BY``, so a full-table export stays a streaming scan.
    """
    table = selection.endpoint.table
    where, params = selection_where(selection)
    return release.record_batches(f"SELECT {_quoted_columns(table)} FROM {table}{where}",
                                  params, batch_rows)


def selection_count(release: Release, selection: Selection) -> int:
    """Number of rows of the selection."""
    table = selection.endpoint.table
    _quoted_columns(table)
    where, params = selection_where(selection)
    return int(release.query(f"SELECT count(*) AS n FROM {table}{where}", params)["n"].iloc[0])


# --- the dashboard's views ---------------------------------------------------------------------

def rows(release: Release, row_filter: RowFilter, order_by: Sequence[str] = ()) -> pd.DataFrame:
    """Every column of the rows a filter selects (``order_by``: contract columns)."""
    known = {c for c, _ in columns(row_filter.table)}
    if not set(order_by) <= known:
        raise ValueError(f"unknown order column in {order_by}")
    where, params = row_filter.where()
    order = f" ORDER BY {', '.join(order_by)}" if order_by else ""
    return release.query(f"SELECT * FROM {row_filter.table}{where}{order}", params)


def cell_filter(table: str, measure: str, site: str, sex: str, level: str | None = None,
                code: str | None = None, period: tuple[int, int] | None = None) -> RowFilter:
    """The filter of one measure × site × sex (× level × area × period) of a cell table."""
    values: list[tuple[str, tuple[Any, ...]]] = [("measure", (measure,))]
    if level is not None:
        values.append(("level", (level,)))
    if code is not None:
        values.append(("geo_code", (code,)))
    values += [("sex", (sex,)), ("site_code", (site,))]
    bounds = None if period is None else (period[0], period[1], period[1] - period[0] + 1)
    return RowFilter(table, tuple(values), bounds)


def level_values(release: Release, measure: str, site: str, sex: str, period: tuple[int, int],
                 level: str) -> pd.DataFrame:
    """Every indicator column of the areas of ``level``, with their names (geo order). The
    dashboard takes these rows from memory (:mod:`dashboard.web.indicator_frame`); this query
    is the definition its tests compare with."""
    where, params = cell_filter("indicator", measure, site, sex, level, None, period).where()
    return release.query(f"SELECT i.*, g.name FROM (SELECT * FROM indicator{where}) i JOIN geo g "
                         "ON g.level = i.level AND g.code = i.geo_code ORDER BY geo_code", params)


def indicator_rows(release: Release) -> pd.DataFrame:
    """The whole ``indicator`` table with each area's ``name`` and ``_in_geo`` (whether the
    area is in ``geo``: :func:`level_values` joins, :func:`series` doesn't), in map-view order
    (series, period, area code): what :mod:`dashboard.web.indicator_frame` holds."""
    return release.query(
        "SELECT i.*, g.name, g.code IS NOT NULL AS _in_geo FROM indicator i "
        "LEFT JOIN geo g ON g.level = i.level AND g.code = i.geo_code "
        "ORDER BY measure, site_code, sex, level, year_start, year_end, geo_code")


def series(release: Release, measure: str, site: str, sex: str, level: str, code: str,
           pooled: bool) -> pd.DataFrame:
    """Indicator rows of one area over time: single years, or 5-year periods if ``pooled``
    (the definition :mod:`dashboard.web.indicator_frame` is compared with)."""
    where, params = cell_filter("indicator", measure, site, sex, level, code).where()
    cond = "year_end > year_start" if pooled else "year_end = year_start"
    return release.query(f"SELECT * FROM indicator{where} AND {cond} ORDER BY year_end", params)


def sites_of_area(release: Release, measure: str, sex: str, period: tuple[int, int],
                  level: str, code: str) -> pd.DataFrame:
    """All sites of one area (with the site's labels) for a measure, sex and period.

    Sex-specific sites are included with their own sex when ``sex`` is ``all``.
    """
    return release.query(
        "SELECT i.*, s.label_fr, s.label_en, s.sexes FROM indicator i "
        "JOIN site s USING (site_code) WHERE measure = ? AND year_start = ? "
        "AND year_end = ? AND level = ? AND geo_code = ? AND site_code <> 'all' "
        "AND (sex = ? OR (? = 'all' AND s.sexes <> 'both' AND sex = s.sexes)) "
        "ORDER BY cases DESC NULLS LAST",
        [measure, period[0], period[1], level, code, sex, sex])


TREND_ORDER = {"trend": (), "trend_segment": ("segment",), "trend_fitted": ("year",)}
SERIES_KEY = ("measure", "site_code", "sex", "level", "geo_code")


def trend_rows(release: Release, table: str, measure: str, site: str, sex: str, level: str,
               code: str) -> pd.DataFrame:
    """Rows of one series of a trend table (``trend``, ``trend_segment``, ``trend_fitted``).
    The dashboard takes them from memory (:mod:`dashboard.web.indicator_frame`); this query
    is the definition its tests compare with."""
    return rows(release, cell_filter(table, measure, site, sex, level, code),
                TREND_ORDER[table])


def quintiles(release: Release, measure: str, site: str, sex: str, period: tuple[int, int],
              level: str, code: str) -> pd.DataFrame:
    """Rates by deprivation quintile of one area and period."""
    return rows(release, cell_filter("inequality", measure, site, sex, level, code, period),
                ("quintile",))


INEQUALITY_STATS_COLUMNS = ("statistic", "value", "low", "high", "status")
OVER_TIME_COLUMNS = ("year", "value", "low", "high", "status")


def inequality_stats(release: Release, measure: str, site: str, sex: str,
                     period: tuple[int, int], level: str, code: str) -> pd.DataFrame:
    """Rate ratio, rate difference, SII and RII of one area and period, by statistic."""
    return rows(release, cell_filter("inequality_summary", measure, site, sex, level, code,
                                     period), ("statistic",))[list(INEQUALITY_STATS_COLUMNS)]


def inequality_over_time(release: Release, measure: str, site: str, sex: str,
                         statistic: str) -> pd.DataFrame:
    """A national inequality statistic by single year."""
    if statistic not in INEQUALITY_STATISTICS:
        raise ValueError(statistic)
    where, params = cell_filter("inequality_summary", measure, site, sex, "country").where()
    return release.query(f"SELECT year_start AS {', '.join(OVER_TIME_COLUMNS)} "
                         f"FROM inequality_summary{where} AND year_start = year_end "
                         "AND statistic = ? ORDER BY year_start", [*params, statistic])


def inequality_zones(release: Release) -> tuple[str, ...]:
    """Area codes with deprivation-quintile rates (``FR`` first, then regions)."""
    found = fetch_all(release, "SELECT DISTINCT level, geo_code FROM inequality "
                               "ORDER BY level = 'country' DESC, geo_code")
    return tuple(str(code) for _level, code in found)


def geometry(release: Release, level: str) -> str:
    """The GeoJSON text of a geometry level (``department``, ``region``, ``paris_zoom``)."""
    if level not in GEOMETRY_LEVELS:
        raise ValueError(f"unknown geometry level: {level!r}")
    df = release.query("SELECT geojson FROM geometry WHERE level = ?", [level])
    if df.empty:
        raise LookupError(level)
    return str(df.geojson.iloc[0])
