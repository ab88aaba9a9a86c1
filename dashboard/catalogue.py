"""What a release contains, computed once when it is opened: the one catalogue of allowed values.

For every public table with cell keys: which (measure, site, sex, level, period) combinations
exist, the distinct values of every filterable column, the sites' French and English labels,
the areas' names and the levels' names (measure and sex labels are the pages', in
``dashboard.web.i18n``). The pages' option lists and URL-state correction, the API's validation and
per-endpoint OpenAPI enums, and the download-link builder all read it, so a value offered
anywhere is a value the release can return.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from dashboard import release_reads as reads
from dashboard.data_access import Release
from dashboard.release_schema import CONTRACT, LEVELS, MEASURES

Period = tuple[int, int]
# Tables whose rows are cells of (measure, site, sex, level, area[, period]).
CELL_TABLES = ("indicator", "inequality", "inequality_summary", "age_specific", "trend",
               "trend_segment", "trend_fitted")
PERIOD_TABLES = ("indicator", "inequality", "inequality_summary", "age_specific")
# Columns whose distinct values the catalogue keeps (per table, when the table has them).
FILTER_COLUMNS = ("measure", "level", "geo_code", "sex", "site_code", "year_start", "year_end",
                  "quintile", "status", "statistic", "label", "age_group")

# Level names of the API's messages (the pages' own labels are in dashboard.web.i18n).
LABELS: dict[str, dict[str, dict[str, str]]] = {
    "level": {"country": {"fr": "France", "en": "France"},
              "region": {"fr": "régions", "en": "regions"},
              "department": {"fr": "départements", "en": "departments"}},
}


FOR_LEVEL_FR = {"country": "pour la France", "region": "pour les régions",
                "department": "pour les départements"}


def period_text(period: Period) -> str:
    """``2021`` or ``2019-2023``."""
    return str(period[0]) if period[0] == period[1] else f"{period[0]}-{period[1]}"


@dataclass(frozen=True)
class Catalogue:
    """The release's codes, combinations and labels (immutable; one per release id)."""

    release_id: str
    measures: tuple[str, ...]
    sites: tuple[tuple[str, str, str, str], ...]  # (code, label_fr, label_en, sexes)
    periods: tuple[Period, ...]  # indicator periods: single years then 5-year, ascending
    areas: tuple[tuple[str, str, str, str | None], ...]  # (level, code, name, parent)
    first_year: int
    last_year: int
    # table -> column -> sorted distinct values
    values: dict[str, dict[str, tuple[Any, ...]]] = field(default_factory=dict)
    # table -> level -> periods present (ascending by length, then end)
    level_periods: dict[str, dict[str, tuple[Period, ...]]] = field(default_factory=dict)
    # table -> {(measure, site, sex, level, period or None)}
    combos: dict[str, frozenset[tuple[Any, ...]]] = field(default_factory=dict)

    # --- labels ---------------------------------------------------------------------------
    def site_label(self, code: str, lang: str) -> str:
        for c, fr, en, _s in self.sites:
            if c == code:
                return fr if lang == "fr" else en
        return code

    def site_sexes(self, code: str) -> tuple[str, ...]:
        for c, _fr, _en, sexes in self.sites:
            if c == code:
                return ("all", "male", "female") if sexes == "both" else (sexes,)
        return ("all",)

    def label(self, column: str, code: str, lang: str) -> str:
        """Label of a code of ``level`` or ``site_code`` (else the code itself)."""
        if column == "site_code":
            return self.site_label(code, lang)
        return LABELS.get(column, {}).get(code, {}).get(lang, code)

    def area_name(self, level: str, code: str) -> str:
        for lv, c, name, _p in self.areas:
            if lv == level and c == code:
                return name
        return code

    def area_parent(self, level: str, code: str) -> str | None:
        for lv, c, _n, parent in self.areas:
            if lv == level and c == code:
                return parent
        return None

    def codes_of(self, level: str) -> list[str]:
        return [c for lv, c, _n, _p in self.areas if lv == level]

    def names_of(self, level: str) -> list[str]:
        return [n for lv, _c, n, _p in self.areas if lv == level]

    # --- periods and combinations -----------------------------------------------------------
    @property
    def single_years(self) -> list[Period]:
        return [p for p in self.periods if p[0] == p[1]]

    @property
    def pooled_periods(self) -> list[Period]:
        return [p for p in self.periods if p[0] != p[1]]

    def periods_of(self, table: str, level: str | None = None) -> tuple[Period, ...]:
        """Periods of ``table`` (at ``level``), single years first, ascending."""
        by_level = self.level_periods.get(table, {})
        found = set(by_level.get(level, ())) if level else {p for ps in by_level.values()
                                                            for p in ps}
        return tuple(sorted(found, key=lambda p: (p[1] - p[0], p[1], p[0])))

    def period_lengths(self, table: str, level: str | None = None) -> tuple[int, ...]:
        return tuple(sorted({p[1] - p[0] + 1 for p in self.periods_of(table, level)}))

    def levels_of(self, table: str) -> tuple[str, ...]:
        present = set(self.values.get(table, {}).get("level", ()))
        return tuple(lv for lv in LEVELS if lv in present)

    def has(self, table: str, measure: str, site: str, sex: str, level: str,
            period: Period | None = None) -> bool:
        """Whether ``table`` holds rows for this combination (suppressed rows included)."""
        return (measure, site, sex, level, period) in self.combos.get(table, frozenset())

    def periods_message(self, table: str, level: str, lang: str = "en") -> str:
        """What exists at a level, e.g. "departments are published for 5-year periods: ..."."""
        periods = self.periods_of(table, level)
        name = self.label("level", level, lang)
        if not periods:
            return (f"aucune donnée n'est publiée au niveau {name}" if lang == "fr"
                    else f"{name} are not published in this table")
        groups = []
        for length in self.period_lengths(table, level):
            listed = ", ".join(period_text(p) for p in periods if p[1] - p[0] + 1 == length)
            if length == 1:
                kind = "années" if lang == "fr" else "single years"
            else:
                kind = (f"périodes de {length}\u202fans" if lang == "fr"
                        else f"{length}-year periods")
            groups.append(f"{kind}\u202f: {listed}" if lang == "fr" else f"{kind}: {listed}")
        joined = ("\u202f; " if lang == "fr" else "; ").join(groups)
        return (f"{FOR_LEVEL_FR.get(level, name)}, publication par {joined}" if lang == "fr"
                else f"{name} are published for {joined}")


def build(release: Release) -> Catalogue:
    """Read the catalogue of a release (a few DISTINCT scans, :mod:`dashboard.release_reads`)."""
    values: dict[str, dict[str, tuple[Any, ...]]] = {}
    level_periods: dict[str, dict[str, tuple[Period, ...]]] = {}
    combos: dict[str, frozenset[tuple[Any, ...]]] = {}
    for table in CELL_TABLES:
        names = {c.name for c in CONTRACT[table].columns}
        values[table] = {c: reads.distinct_values(release, table, c)
                         for c in FILTER_COLUMNS if c in names}
        period = table in PERIOD_TABLES
        found = set()
        per_level: dict[str, set[Period]] = {}
        for row in reads.combinations(release, table, period):
            key = (*row[:4], (int(row[4]), int(row[5])) if period else None)
            found.add(key)
            if period:
                per_level.setdefault(row[3], set()).add(key[4])
        combos[table] = frozenset(found)
        level_periods[table] = {lv: tuple(sorted(ps)) for lv, ps in per_level.items()}
    values["geo"] = {c: reads.distinct_values(release, "geo", c)
                     for c in ("level", "code", "parent_code")}
    values["site"] = {c: reads.distinct_values(release, "site", c) for c in ("site_code", "sexes")}
    sites = reads.published_sites(release)
    areas = reads.areas(release)
    periods = sorted({p for ps in level_periods["indicator"].values() for p in ps},
                     key=lambda p: (p[0] != p[1], p[1], p[0]))
    info = release.info
    return Catalogue(
        release_id=release.release_id,
        measures=tuple(m for m in MEASURES if m in values["indicator"]["measure"]),
        sites=tuple((str(a), str(b), str(c), str(d)) for a, b, c, d in sites),
        periods=tuple(periods),
        areas=tuple((str(lv), str(c), str(n), None if p is None else str(p))
                    for lv, c, n, p in areas),
        first_year=int(info["first_year"]), last_year=int(info["last_year"]),
        values=values, level_periods=level_periods, combos=combos)


_cache: dict[tuple[str, str], Catalogue] = {}
_lock = threading.Lock()


def catalogue(release: Release) -> Catalogue:
    """The catalogue of a release, built once per (file, release id) in this process."""
    key = (str(release.path), release.release_id)
    found = _cache.get(key)
    if found is None:
        with _lock:
            found = _cache.get(key)
            if found is None:
                found = build(release)
                stale = [k for k in _cache if k[0] == key[0]]
                for k in stale:
                    del _cache[k]
                _cache[key] = found
    return found
