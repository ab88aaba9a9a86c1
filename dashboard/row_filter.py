"""Row filters: the one description of "which rows of a table", for queries and download links.

A :class:`RowFilter` names a public table, a set of values per key column and, for tables with
periods, the period bounds and length. The same object gives the SQL ``WHERE`` clause (bound
parameters only) and the ``/api/v1`` query string, so a download built from the filter that
selected a view's rows returns exactly those rows. :func:`cover` turns the keys of the rows a
view displays into the fewest such filters whose union is exactly those rows.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from dashboard.release_schema import CONTRACT

Period = tuple[int, int]
# /api/v1 names: endpoint of each table, parameter of each key column.
ENDPOINT_OF_TABLE = {"indicator": "indicators", "inequality": "inequalities",
                     "inequality_summary": "inequality-summary", "trend": "trends",
                     "trend_segment": "trend-segments", "trend_fitted": "trend-fitted",
                     "geo": "geographies", "site": "sites"}
PARAM_OF_COLUMN = {"geo_code": "geo", "site_code": "site"}
_PERIOD_COLUMNS = ("year_start", "year_end")


@dataclass(frozen=True)
class RowFilter:
    """Rows of ``table`` whose key columns take the listed values (and within the periods)."""

    table: str
    values: tuple[tuple[str, tuple[Any, ...]], ...]  # (column, values) in key order
    periods: tuple[int, int, int] | None = None  # (first year_start, last year_end, length)

    def where(self) -> tuple[str, list[Any]]:
        """SQL ``WHERE`` clause (or ``""``) and its bound parameters."""
        parts, params = [], []
        for column, values in self.values:
            parts.append(f'"{column}" IN ({", ".join("?" for _ in values)})')
            params.extend(values)
        if self.periods is not None:
            first, last, length = self.periods
            parts.append("year_start >= ? AND year_end <= ? AND year_end - year_start + 1 = ?")
            params += [first, last, length]
        return (" WHERE " + " AND ".join(parts) if parts else ""), params

    def query(self) -> list[tuple[str, str]]:
        """The ``/api/v1`` query parameters selecting the same rows."""
        pairs = [(PARAM_OF_COLUMN.get(c, c), ",".join(str(v) for v in values))
                 for c, values in self.values]
        if self.periods is not None:
            first, last, length = self.periods
            pairs += [("year_start", str(first)), ("year_end", str(last)),
                      ("period_length", str(length))]
        return pairs

    def href(self, fmt: str, prefix: str = "/api/v1") -> str:
        """Download URL of these rows in format ``fmt``."""
        query = urlencode([*self.query(), ("format", fmt)], safe=",")
        return f"{prefix}/{ENDPOINT_OF_TABLE[self.table]}?{query}"


def key_columns(table: str) -> tuple[str, ...]:
    """Key columns of a table, in contract order (the filterable identity of a row)."""
    spec = CONTRACT[table]
    return tuple(c.name for c in spec.columns if spec.is_key(c.name))


def _key_of(row: Mapping[str, Any], columns: Sequence[str]) -> tuple[Any, ...]:
    return tuple(_plain(row[c]) for c in columns)


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def cover(table: str, rows: Iterable[Mapping[str, Any]], periods: Sequence[Period] = (),
          areas: Mapping[str, Collection[str]] | None = None,
          ) -> list[tuple[tuple[tuple[str, Any], ...], RowFilter]]:
    """The fewest filters (found greedily) whose union is exactly ``rows``' keys.

    ``periods`` are every period of the table (from the catalogue): a set of periods becomes
    bounds plus a length only when no other period of that length lies within the bounds.
    ``areas`` are every area code of each level: a filter on all of a level's areas omits them.
    Returns ``[(split, filter), ...]`` where ``split`` lists the (column, value) pairs that
    separate a filter from the others (empty when one filter covers everything).
    """
    columns = key_columns(table)
    keys = {_key_of(r, columns) for r in rows}
    if not keys:
        return []
    return _merge_areas(_cover(table, columns, keys, tuple(periods), areas or {}, ()),
                        areas or {})


def _area_size(values: Mapping[str, Sequence[Any]], areas: Mapping[str, Collection[str]]) -> int:
    """Rows a filter's key values select per period (only existing (level, area) pairs)."""
    size = 1
    for column, found in values.items():
        if column not in ("level", "geo_code"):
            size *= len(found)
    levels = values.get("level", ())
    codes = values.get("geo_code")
    if codes is None:
        return size * sum(len(areas.get(lv, ())) or 1 for lv in levels) if levels else size
    return size * sum(1 for lv in levels for g in codes if g in areas.get(lv, ()))


def _with_codes(values: dict[str, tuple[Any, ...]], areas: Mapping[str, Collection[str]],
                ) -> dict[str, tuple[Any, ...]]:
    """Key values with the area codes spelled out when a filter takes every area of its level."""
    if "level" in values and "geo_code" not in values:
        values["geo_code"] = tuple(sorted({c for lv in values["level"] for c in areas.get(lv, ())}))
    return values


def _merge_areas(found: list[tuple[tuple[tuple[str, Any], ...], RowFilter]],
                 areas: Mapping[str, Collection[str]],
                 ) -> list[tuple[tuple[tuple[str, Any], ...], RowFilter]]:
    """Merge filters that differ only in their areas when the merge stays exact (France and
    regions in one filter, beside departments whose codes overlap the regions')."""
    if not areas:
        return found
    out = list(found)
    merged = True
    while merged:
        merged = False
        for i, j in itertools.combinations(range(len(out)), 2):
            (split_a, a), (split_b, b) = out[i], out[j]
            va, vb = _with_codes(dict(a.values), areas), _with_codes(dict(b.values), areas)
            others = set(va) | set(vb)
            if a.periods != b.periods or "level" not in va or "level" not in vb or any(
                    va.get(c) != vb.get(c) for c in others - {"level", "geo_code"}):
                continue
            union = {c: tuple(sorted(set(va.get(c, ())) | set(vb.get(c, ()))))
                     for c in ("level", "geo_code") if c in va and c in vb}
            both = {**va, **union}
            if set(va) != set(vb) or _area_size(both, areas) != (
                    _area_size(va, areas) + _area_size(vb, areas)):
                continue
            values = tuple((c, both[c]) for c in key_columns(a.table) if c in both)
            common = tuple(p for p in split_a if p in split_b)
            label = tuple(p for p in split_a + split_b if p not in common)
            out[i] = ((*common, ("areas", label)), RowFilter(a.table, values, a.periods))
            del out[j]
            merged = True
            break
    return out


def _cover(table: str, columns: tuple[str, ...], keys: set[tuple[Any, ...]],
           periods: tuple[Period, ...], areas: Mapping[str, Collection[str]],
           split: tuple[tuple[str, Any], ...],
           ) -> list[tuple[tuple[tuple[str, Any], ...], RowFilter]]:
    has_period = all(c in columns for c in _PERIOD_COLUMNS)
    index = {c: i for i, c in enumerate(columns)}
    plain = [c for c in columns if not (has_period and c in _PERIOD_COLUMNS)]
    distinct = {c: sorted({k[index[c]] for k in keys}) for c in plain}
    size = 1
    for c, values in distinct.items():
        size *= len(values) if not (areas and c in ("level", "geo_code")) else 1
    if areas and "level" in distinct and "geo_code" in distinct:
        # Only existing (level, area) pairs count: FR is no region, region 84 no country.
        size *= sum(1 for lv in distinct["level"] for g in distinct["geo_code"]
                    if g in areas.get(lv, ()))
    found_periods: list[Period] = []
    period_bounds = None
    if has_period:
        found_periods = sorted({(k[index["year_start"]], k[index["year_end"]]) for k in keys})
        period_bounds = _as_bounds(found_periods, periods)
        size *= len(found_periods)
    if size == len(keys) and (not has_period or period_bounds is not None):
        levels = distinct.get("level", [])
        every_area = (len(levels) == 1 and "geo_code" in distinct
                      and set(distinct["geo_code"]) == set(areas.get(levels[0], ())))
        values = tuple((c, tuple(distinct[c])) for c in plain
                       if not (every_area and c == "geo_code"))
        return [(split, RowFilter(table, values, period_bounds))]
    # Not a product: split on the column with the fewest values (periods last) and recurse.
    candidates = [c for c in plain if len(distinct[c]) > 1]
    if has_period and len(found_periods) > 1:
        candidates.append("period")
    column = min(candidates, key=lambda c: len(found_periods) if c == "period"
                 else len(distinct[c]))
    out = []
    if column == "period":
        for p in found_periods:
            part = {k for k in keys if (k[index["year_start"]], k[index["year_end"]]) == p}
            out += _cover(table, columns, part, periods, areas, (*split, ("period", p)))
    else:
        for value in distinct[column]:
            part = {k for k in keys if k[index[column]] == value}
            out += _cover(table, columns, part, periods, areas, (*split, (column, value)))
    return out


def _as_bounds(found: list[Period], every: Sequence[Period]) -> tuple[int, int, int] | None:
    """(first, last, length) selecting exactly ``found`` among ``every``, or None."""
    lengths = {p[1] - p[0] + 1 for p in found}
    if len(lengths) != 1:
        return None
    length = lengths.pop()
    first, last = found[0][0], max(p[1] for p in found)
    within = {p for p in (*every, *found)
              if p[1] - p[0] + 1 == length and p[0] >= first and p[1] <= last}
    return (first, last, length) if within == set(found) else None
