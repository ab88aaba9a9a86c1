"""Number formatting in French and English."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from dashboard.web.formatting import (
    NNBSP,
    fmt_date,
    fmt_int,
    fmt_interval,
    fmt_number,
    fmt_percent,
    fmt_period,
    fmt_value_ci,
)


@pytest.mark.parametrize(("value", "lang", "decimals", "expected"), [
    (1234.5, "fr", 1, f"1{NNBSP}234,5"),
    (1234.5, "en", 1, "1,234.5"),
    (1234567, "fr", 0, f"1{NNBSP}234{NNBSP}567"),
    (0.123, "fr", 2, "0,12"),
    (-3.25, "fr", 1, "\u22123,2"),
    (-0.01, "fr", 1, "0,0"),
    (0, "en", 1, "0.0"),
])
def test_fmt_number(value: float, lang: str, decimals: int, expected: str) -> None:
    assert fmt_number(value, lang, decimals) == expected


def test_fmt_number_is_babels_format() -> None:
    """The fast formatter gives Babel's text: every magnitude, ties, both languages."""
    import random

    from babel.numbers import format_decimal

    from dashboard.web.formatting import LOCALES

    rng = random.Random(3)
    values = [0.05, 0.15, 0.25, 2.675, 1.005, 999.95, 1234.5, 99999.5, 1e-7, 1e16, 12345678.9]
    values += [rng.uniform(0, 10 ** rng.randint(0, 9)) for _ in range(3000)]
    values += [round(rng.uniform(0, 5000), rng.randint(0, 4)) for _ in range(3000)]
    for value in values:
        for lang, locale in LOCALES.items():
            for decimals in (0, 1, 2, 3):
                pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
                expected = format_decimal(value, format=pattern, locale=locale,
                                          group_separator=True)
                assert fmt_number(value, lang, decimals) == expected, (value, lang, decimals)
                assert fmt_number(-value, lang, decimals).lstrip("\u2212") == expected


@pytest.mark.parametrize("missing", [None, math.nan, float("nan"), "abc"])
def test_missing_values_are_a_dash(missing: object) -> None:
    assert fmt_number(missing) == "—"
    assert fmt_int(missing, "en") == "—"


def test_percent_and_sign() -> None:
    assert fmt_percent(2.345, "fr", 1, sign=True) == f"+2,3{NNBSP}%"
    assert fmt_percent(-1.5, "en", 1) == "\u22121.5%"


def test_interval_and_value() -> None:
    assert fmt_interval(1.2, 3.4, "fr") == f"IC 95{NNBSP}%{NNBSP}: 1,2 à 3,4"
    assert fmt_interval(1.2, 3.4, "en") == "95% CI: 1.2 to 3.4"
    assert fmt_interval(None, 3.4, "en") == ""
    assert fmt_value_ci(10, 9, 11, "en", 0) == "10 (95% CI: 9 to 11)"
    assert fmt_value_ci(None, 9, 11, "en") == "—"


def test_dates_and_periods() -> None:
    assert fmt_date(dt.date(2026, 1, 1), "fr") == "1er janvier 2026"
    assert fmt_date(dt.date(2026, 11, 29), "en") == "29 November 2026"
    assert fmt_period(2019, 2023) == "2019–2023"
    assert fmt_period(2021, 2021) == "2021"


def test_labels_inside_a_sentence() -> None:
    from dashboard.web.formatting import in_sentence

    assert in_sentence("Poumon, bronches, trachée") == "poumon, bronches, trachée"
    assert in_sentence("Œsophage") == "œsophage"
    assert in_sentence("Lymphomas (Hodgkin)") == "lymphomas (Hodgkin)"
    assert in_sentence("SIR") == "SIR" and in_sentence("") == ""


def test_fmt_date_reads_iso_text() -> None:
    from dashboard.web.formatting import fmt_date

    assert fmt_date("2026-12-01T04:10:00", "fr") == "1er décembre 2026"
    assert fmt_date("2026-11-29", "en") == "29 November 2026"
    assert fmt_date("not a date", "en") == "not a date"
