"""Query parameters of the data API: one definition feeds validation, SQL and OpenAPI.

Every filter is named after the release column it filters (``geo`` and ``site`` are the short
names of ``geo_code`` and ``site_code``) and is checked against the values the endpoint's table
holds (the catalogue, :mod:`dashboard.catalogue`). Code filters accept one or more values
(repeated, or a comma list); ``year_start`` and ``year_end`` are bounds (``year_start >=
value``, ``year_end <= value``) that, with ``period_length``, select a series of single years or
of 5-year periods, or one period.
Nothing the user sends reaches SQL except as a bound parameter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

from dashboard.catalogue import Catalogue, period_text
from dashboard.release_schema import CONTRACT, LEVELS, SITE_SEXES
from dashboard.web.i18n import has_message, t

FORMAT_NAMES = ("csv", "csv-excel", "parquet", "json")
DEFAULT_FORMAT = "csv"
PERIOD_LENGTHS = (1, 5)
_INTEGER = re.compile(r"-?[0-9]{1,9}")
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*")


def _quote(value: str) -> str:
    """``urlencode``'s quoting of one value (codes are plain: a comma is the only escape)."""
    if _UNRESERVED.fullmatch(value.replace(",", "")):
        return value.replace(",", "%2C")
    return quote_plus(value)


class BadParameter(ValueError):
    """A query parameter is unknown, repeated or has a value outside its allowed values.

    The message is a catalogue message (``key``) filled with ``values``, rendered in the
    language of the answer; a value may be a function of the language.
    """

    def __init__(self, parameter: str, key: str, allowed: Sequence[Any], **values: Any) -> None:
        self.parameter = parameter
        self.key = key
        self.values = values
        self.allowed = list(allowed)
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        """The message in ``lang``."""
        return t(self.key, lang, **{k: v(lang) if callable(v) else v
                                    for k, v in self.values.items()})


@dataclass(frozen=True)
class Param:
    """A query parameter: name, SQL expression filtered, type and where its values come from.

    ``sql`` is a trusted constant (a column of the contract, or an expression on columns);
    ``source`` names the entry of the code book (see :func:`codebook`) listing allowed values.
    """

    name: str
    sql: str | None
    kind: str  # "string" or "integer"
    source: str
    multi: bool = True
    op: str = "IN"  # "IN" (list of values), ">=" or "<=" (a bound; single value)


@dataclass(frozen=True)
class Endpoint:
    """A tabular endpoint of ``/api/v1``: one public table, its filters and its documentation."""

    name: str
    table: str
    params: tuple[Param, ...]

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def summary(self, lang: str) -> str:
        """Short title (message ``api_ep_<name>``)."""
        return t(f"api_ep_{self.name}", lang)

    def description(self, lang: str) -> str:
        """What the endpoint returns: its table's title and notes in the contract."""
        return f"{CONTRACT[self.table].description(lang)} (table `{self.table}`)."


def param_description(param: Param, table: str, lang: str) -> str:
    """A parameter's documentation: the contract's description of the column it filters, the
    parameter's own note (message ``api_param_<name>``) and how to give several values."""
    spec = CONTRACT[table]
    parts = []
    if param.sql in {c.name for c in spec.columns}:
        parts.append(spec.column(param.sql).description(lang))
    if has_message(f"api_param_{param.name}"):
        parts.append(t(f"api_param_{param.name}", lang))
    if param.multi:
        parts.append(t("api_use_multi", lang))
    return " ".join(parts)


MEASURE = Param("measure", "measure", "string", "measure")
LEVEL = Param("level", "level", "string", "level")
GEO = Param("geo", "geo_code", "string", "geo_code")
SEX = Param("sex", "sex", "string", "sex")
SITE = Param("site", "site_code", "string", "site_code")
YEAR_START = Param("year_start", "year_start", "integer", "year_start", multi=False, op=">=")
YEAR_END = Param("year_end", "year_end", "integer", "year_end", multi=False, op="<=")
PERIOD_LENGTH = Param("period_length", "year_end - year_start + 1", "integer", "period_length")
STATUS = Param("status", "status", "string", "status")
QUINTILE = Param("quintile", "quintile", "integer", "quintile")
STATISTIC = Param("statistic", "statistic", "string", "statistic")
LABEL = Param("label", "label", "string", "label")
GEO_TABLE = Param("geo", "code", "string", "geo_table_code")
PARENT = Param("parent_code", "parent_code", "string", "geo_parent_code")
GEO_LEVEL = Param("level", "level", "string", "geo_level")
SITE_TABLE = Param("site", "site_code", "string", "site_table_code")
SEXES_PARAM = Param("sexes", "sexes", "string", "sexes")
FORMAT = Param("format", None, "string", "format", multi=False)

_SERIES = (MEASURE, LEVEL, GEO, SEX, SITE)
_CELL = (*_SERIES, YEAR_START, YEAR_END, PERIOD_LENGTH)

ENDPOINTS: dict[str, Endpoint] = {e.name: e for e in (
    Endpoint("indicators", "indicator", (*_CELL, STATUS, FORMAT)),
    Endpoint("inequalities", "inequality", (*_CELL, QUINTILE, STATUS, FORMAT)),
    Endpoint("inequality-summary", "inequality_summary", (*_CELL, STATISTIC, STATUS, FORMAT)),
    Endpoint("trends", "trend", (*_SERIES, LABEL, STATUS, FORMAT)),
    Endpoint("trend-segments", "trend_segment", (*_SERIES, FORMAT)),
    Endpoint("trend-fitted", "trend_fitted", (*_SERIES, FORMAT)),
    Endpoint("geographies", "geo", (GEO_LEVEL, GEO_TABLE, PARENT, FORMAT)),
    Endpoint("sites", "site", (SITE_TABLE, SEXES_PARAM, FORMAT)),
)}
TABLE_ENDPOINTS = {e.table: e for e in ENDPOINTS.values()}


def codebook(cat: Catalogue, endpoint: Endpoint) -> dict[str, tuple[Any, ...]]:
    """Allowed values of each parameter source for one endpoint: those its table can return.

    Read from the release's catalogue, so an endpoint never advertises (in OpenAPI) nor
    accepts a value its table does not hold (``level=department`` on the trend tables).
    """
    values = cat.values.get(endpoint.table, {})
    book: dict[str, tuple[Any, ...]] = dict(values)
    if "level" in values:
        book["level"] = cat.levels_of(endpoint.table)
    book.update({
        "period_length": cat.period_lengths(endpoint.table),
        "geo_table_code": cat.values["geo"]["code"],
        "geo_parent_code": cat.values["geo"]["parent_code"],
        "geo_level": tuple(lv for lv in LEVELS if lv in cat.values["geo"]["level"]),
        "site_table_code": cat.values["site"]["site_code"],
        "sexes": tuple(s for s in SITE_SEXES if s in cat.values["site"]["sexes"]),
        "format": FORMAT_NAMES,
    })
    for param in endpoint.params:
        book.setdefault(param.source, ())
    return book


@dataclass(frozen=True)
class Selection:
    """A validated request: the endpoint, its filters (values sorted, unique) and the format."""

    endpoint: Endpoint
    filters: tuple[tuple[Param, tuple[Any, ...]], ...]
    fmt: str

    def values(self, name: str) -> tuple[Any, ...]:
        """Values of the filter ``name`` (empty when not filtered)."""
        return next((values for p, values in self.filters if p.name == name), ())

    def query_string(self) -> str:
        """Canonical query string (parameters in definition order): keys caches and ETags."""
        pairs = [(p.name, ",".join(map(str, values))) for p, values in self.filters]
        return "&".join(f"{name}={_quote(value)}" for name, value in
                        [*pairs, ("format", self.fmt)])


def _parse(param: Param, raw: str, allowed: Sequence[Any]) -> Any:
    if param.kind == "integer":
        if not _INTEGER.fullmatch(raw):
            raise BadParameter(param.name, "api_err_integer", allowed, name=param.name, raw=raw)
        value: Any = int(raw)
    else:
        value = raw
    if value not in allowed:
        shown = ", ".join(str(v) for v in list(allowed)[:12]) + (", …" if len(allowed) > 12
                                                                  else "")
        raise BadParameter(param.name, "api_err_value", allowed, name=param.name, raw=raw,
                           shown=shown)
    return value


def validate(endpoint: Endpoint, args: Mapping[str, Any], book: Mapping[str, Sequence[Any]],
             cat: Catalogue | None = None) -> Selection:
    """Check a request's query arguments (a werkzeug ``MultiDict``) and return the selection.

    Raises :class:`BadParameter` for an unknown parameter, a repeated single-valued one, an
    empty value, a value outside the endpoint's codes, bounds in the wrong order, or (with the
    catalogue) a level asked for a period length it is not published for.
    """
    names = [p.name for p in endpoint.params]
    for key in args:
        if key not in names:
            raise BadParameter(key, "api_err_unknown_param", names, name=key)
    filters = []
    fmt = DEFAULT_FORMAT
    for param in endpoint.params:
        raws: list[str] = args.getlist(param.name) if hasattr(args, "getlist") else (
            [args[param.name]] if param.name in args else [])
        if not raws:
            continue
        allowed = book[param.source]
        if not param.multi and len(raws) > 1:
            raise BadParameter(param.name, "api_err_single", allowed, name=param.name)
        pieces = [piece for raw in raws for piece in (raw.split(",") if param.multi else [raw])]
        values = {_parse(param, piece, allowed) for piece in pieces}
        if param is FORMAT:
            fmt = pieces[0]
        else:
            filters.append((param, tuple(sorted(values))))
    selection = Selection(endpoint, tuple(filters), fmt)
    _check_bounds(selection)
    if cat is not None:
        _check_periods(selection, cat)
    return selection


def _check_bounds(selection: Selection) -> None:
    start, end = selection.values("year_start"), selection.values("year_end")
    if start and end and start[0] > end[0]:
        raise BadParameter("year_start", "api_err_bounds", [], start=start[0], end=end[0])


def _check_periods(selection: Selection, cat: Catalogue) -> None:
    """Levels asked whose periods never match the bounds and lengths: say what exists.

    A 400 only when no level asked can return a row (``level=department,region`` with
    ``period_length=1`` still returns the regions' single years).
    """
    table = selection.endpoint.table
    levels = selection.values("level")
    by_level = cat.level_periods.get(table, {})
    if not levels or not any(by_level.values()):
        return
    lengths = selection.values("period_length")
    start, end = selection.values("year_start"), selection.values("year_end")

    def matches(p: tuple[int, int]) -> bool:
        return ((not lengths or p[1] - p[0] + 1 in lengths)
                and (not start or p[0] >= start[0]) and (not end or p[1] <= end[0]))

    if any(matches(p) for level in levels for p in by_level.get(level, ())):
        return
    raise BadParameter(
        "period_length" if lengths else "year_start", "api_err_periods",
        [period_text(p) for level in levels for p in cat.periods_of(table, level)],
        detail=lambda lang: ("\u202f; " if lang == "fr" else "; ").join(
            cat.periods_message(table, level, lang) for level in levels))
