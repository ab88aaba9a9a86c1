"""Page state <-> URL query string.

Each page declares the URL parameters it understands (French keys, data codes as values).
``parse`` never fails: an unknown or stale value falls back to the default and yields a note
shown on the page; ``serialise`` writes the canonical query string (parameters in a fixed
order, ``lang`` last).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

from dashboard.catalogue import Catalogue, period_text
from dashboard.web.i18n import normalise_lang

# European standardised rates are published for France only (docs/release-schema.md): the
# views that compare areas offer the world standard.
MAP_INDICATORS = ("asr_world", "crude_rate", "cases", "sir", "sir_smoothed")
TREND_INDICATORS = ("asr_world", "crude_rate")
INEQ_INDICATORS = ("asr_world",)
LEVELS = ("department", "region")
RHYTHMS = ("annuel", "quinquennal")
MAX_COMPARE = 3


period_key = period_text  # ``2021`` or ``2019-2023`` (URL form of a period)


def parse_period(text: str) -> tuple[int, int]:
    """Inverse of :func:`period_key` (raises ``ValueError``)."""
    a, _, b = text.partition("-")
    return (int(a), int(b or a))


def area_key(level: str, code: str) -> str:
    """``region-84`` / ``department-75`` (URL form of an area)."""
    return f"{level}-{code}"


def parse_area(token: str) -> tuple[str, str]:
    level, _, code = token.partition("-")
    return level, code


Choices = Callable[[Catalogue, dict[str, str]], list[str]]


@dataclass(frozen=True)
class UrlParam:
    """One URL parameter: its allowed values (given the state parsed so far) and default."""

    key: str
    choices: Choices
    default: Callable[[Catalogue, dict[str, str]], str] = field(default=lambda c, s: "")
    multi: bool = False


def _first(ch: Choices) -> Callable[[Catalogue, dict[str, str]], str]:
    return lambda c, s: ch(c, s)[0]


def _measures(c: Catalogue, s: dict[str, str]) -> list[str]:
    return list(c.measures)


def _sites(c: Catalogue, s: dict[str, str]) -> list[str]:
    return [code for code, *_ in c.sites]


def _sexes(c: Catalogue, s: dict[str, str]) -> list[str]:
    return list(c.site_sexes(s.get("localisation", "all")))


def _periods(c: Catalogue, s: dict[str, str]) -> list[str]:
    # The periods published at the level (departments: 5-year periods only), from the catalogue.
    level = s.get("niveau")
    return [period_key(p) for p in (c.periods_of("indicator", level) if level else c.periods)]


def _latest_period(c: Catalogue, s: dict[str, str]) -> str:
    pooled = c.pooled_periods
    return period_key(pooled[-1] if pooled else c.periods[-1])


def _fixed(*values: str) -> Choices:
    return lambda c, s: list(values)


def _compare(c: Catalogue, s: dict[str, str]) -> list[str]:
    return [area_key(lv, code) for lv, code, _n, _p in c.areas if lv != "country"]


def _zones(c: Catalogue, s: dict[str, str]) -> list[str]:
    return ["FR", *c.codes_of("region")]


COMMON = [
    UrlParam("mesure", _measures, _first(_measures)),
    UrlParam("localisation", _sites, _first(_sites)),
    UrlParam("sexe", _sexes, _first(_sexes)),
]

PAGES: dict[str, list[UrlParam]] = {
    "carte": [*COMMON, UrlParam("niveau", _fixed(*LEVELS), lambda c, s: "department"),
              UrlParam("periode", _periods, _latest_period),
              UrlParam("indicateur", _fixed(*MAP_INDICATORS), lambda c, s: "asr_world")],
    "evolution": [*COMMON,
                  UrlParam("indicateur", _fixed(*TREND_INDICATORS), lambda c, s: "asr_world"),
                  UrlParam("rythme", _fixed(*RHYTHMS), lambda c, s: "annuel"),
                  UrlParam("comparer", _compare, lambda c, s: "", multi=True)],
    "inegalites": [*COMMON, UrlParam("niveau", _fixed(*LEVELS), lambda c, s: "department"),
                   UrlParam("periode", _periods, _latest_period),
                   UrlParam("indicateur", _fixed(*INEQ_INDICATORS), lambda c, s: "asr_world"),
                   UrlParam("zone", _zones, lambda c, s: "FR")],
    "territoire": [*COMMON, UrlParam("periode", _periods, _latest_period)],
}


@dataclass
class Parsed:
    """A page state, its language and the notes about corrected parameters."""

    state: dict[str, str]
    lang: str
    notes: list[tuple[str, str, str]]  # (key, bad value, default used)


def parse(page: str, search: str | None, catalog: Catalogue,
          context: Mapping[str, str] | None = None) -> Parsed:
    """Parse a query string into a valid state for ``page``.

    ``context`` holds what the path fixes (a profile's ``niveau``): it constrains the allowed
    values and stays in the state, but is not a URL parameter.
    """
    raw = {k: v[-1] for k, v in parse_qs((search or "").lstrip("?")).items()}
    lang = normalise_lang(raw.get("lang"))
    state: dict[str, str] = dict(context or {})
    notes: list[tuple[str, str, str]] = []
    for param in PAGES.get(page, []):
        allowed = param.choices(catalog, state)
        default = param.default(catalog, state)
        value = raw.get(param.key)
        if param.multi:
            tokens = [t for t in (value or "").split(",") if t]
            good = [t for t in tokens if t in allowed][:MAX_COMPARE]
            bad = [t for t in tokens if t not in good]
            if bad:
                notes.append((param.key, ",".join(bad), default or "—"))
            state[param.key] = ",".join(dict.fromkeys(good))
        elif value is None or value == "":
            state[param.key] = default
        elif value in allowed:
            state[param.key] = value
        else:
            state[param.key] = default
            notes.append((param.key, value, default))
    return Parsed(state, lang, notes)


def serialise(page: str, state: Mapping[str, str], lang: str) -> str:
    """The canonical query string (with leading ``?``) of a page state."""
    pairs = [(p.key, state[p.key]) for p in PAGES.get(page, []) if state.get(p.key)]
    pairs.append(("lang", lang))
    return "?" + urlencode(pairs, safe=",-")


def lang_only(lang: str) -> str:
    """Query string of a page without state."""
    return serialise("", {}, lang)
