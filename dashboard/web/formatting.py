"""Numbers and dates in each language's conventions (Babel, CLDR data): French 1 234,5 (narrow
no-break space), 1er décembre 2026; English 1,234.5, 1 December 2026."""

from __future__ import annotations

import math
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

NNBSP = "\u202f"  # espace fine insécable: French thousands separator and before % : ; ! ?
NBSP = "\u00a0"
MINUS = "\u2212"
MISSING = "—"
LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def is_missing(x: Any) -> bool:
    """``None``, NaN or anything that is not a number."""
    if x is None:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def period_label(p: tuple[int, int]) -> str:
    """``2023`` for a single year, ``2019–2023`` for a period."""
    return str(p[0]) if p[0] == p[1] else f"{p[0]}–{p[1]}"


def colon(lang: str = "fr") -> str:
    """`` : `` in French, ``: `` in English."""
    return f"{NNBSP}: " if lang == "fr" else ": "


def fmt_number(x: Any, lang: str = "fr", decimals: int = 1, sign: bool = False) -> str:
    """Format a number with grouped thousands; ``—`` when missing."""
    if is_missing(x):
        return MISSING
    value = float(x)
    if value == 0:
        value = 0.0  # no "-0,0"
    text = _grouped(abs(value), LOCALES.get(lang, "fr_FR"), max(decimals, 0))
    if value < 0 and text.strip("0,.\u202f") != "":
        text = MINUS + text
    elif sign and value > 0:
        text = "+" + text
    return text


def _grouped(value: float, locale: str, decimals: int) -> str:
    """``format_decimal(value, "#,##0.0…", locale)`` without its per-call pattern and locale
    work (a map view formats ~400 numbers: Babel took ~30 ms of a filter change): the same
    decimal value (``Decimal(repr(value))``), the same half-even rounding, the locale's CLDR
    symbols. Numbers whose digits are not plain (infinity) go to Babel itself."""
    if not math.isfinite(value):
        pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
        return format_decimal(value, format=pattern, locale=locale, group_separator=True)
    return format(Decimal(repr(value)), f",.{decimals}f").translate(_symbols(locale))


@cache
def _symbols(locale: str) -> dict[int, str]:
    """``str.translate`` table from Python's grouping and decimal marks to the locale's."""
    return {ord(","): get_group_symbol(locale), ord("."): get_decimal_symbol(locale)}


def fmt_int(x: Any, lang: str = "fr") -> str:
    """Format a count (no decimals)."""
    return fmt_number(x, lang, 0)


def fmt_percent(x: Any, lang: str = "fr", decimals: int = 1, sign: bool = False) -> str:
    """Format a percentage: ``12,3 %`` (fr) or ``12.3%`` (en)."""
    if is_missing(x):
        return MISSING
    number = fmt_number(x, lang, decimals, sign)
    return f"{number}{NNBSP}%" if lang == "fr" else f"{number}%"


def fmt_interval(low: Any, high: Any, lang: str = "fr", decimals: int = 1,
                 percent: bool = False) -> str:
    """Format a 95% confidence interval: ``IC 95 % : 1,2 à 3,4`` / ``95% CI: 1.2 to 3.4``."""
    if is_missing(low) or is_missing(high):
        return ""
    f = fmt_percent if percent else fmt_number
    lo, hi = f(low, lang, decimals), f(high, lang, decimals)
    if lang == "fr":
        return f"IC 95{NNBSP}%{NNBSP}: {lo} à {hi}"
    return f"95% CI: {lo} to {hi}"


def fmt_value_ci(value: Any, low: Any, high: Any, lang: str = "fr", decimals: int = 1) -> str:
    """``123,4 (IC 95 % : 110,2 à 130,5)``; only the value when the interval is missing."""
    text = fmt_number(value, lang, decimals)
    ci = fmt_interval(low, high, lang, decimals)
    return f"{text} ({ci})" if ci and text != MISSING else text


def decimals_for(indicator: str) -> int:
    """Display precision of an indicator."""
    if indicator == "cases":
        return 0
    if indicator.startswith("sir"):
        return 2
    return 1


def fmt_date(value: Any, lang: str = "fr") -> str:
    """A date (or an ISO text) as ``29 novembre 2026`` / ``29 November 2026`` (``1er`` in
    French)."""
    try:
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        day = value.day
        text = format_date(value, format="d MMMM y", locale=LOCALES.get(lang, "fr_FR"))
    except (AttributeError, TypeError, ValueError):
        return str(value)
    return "1er" + text[1:] if lang == "fr" and day == 1 else text


def fmt_period(year_start: int, year_end: int, lang: str = "fr") -> str:
    """``2021`` or ``2019–2023``."""
    if int(year_start) == int(year_end):
        return str(int(year_start))
    return f"{int(year_start)}–{int(year_end)}"


def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: first letter lower-cased (``Poumon`` →
    ``poumon``), acronyms kept (``SIR``)."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]
