"""URL state: parse, serialise, fall back to defaults with a note."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from dashboard.catalogue import Catalogue
from dashboard.web import queries
from dashboard.web.state import PAGES, parse, parse_area, parse_period, period_key, serialise


@pytest.fixture
def cat(ctx: None) -> Catalogue:
    return queries.catalog()


def test_defaults_without_query(cat: queries.Catalog) -> None:
    p = parse("carte", "", cat)
    assert p.lang == "fr" and not p.notes
    assert p.state == {"mesure": "incidence", "localisation": "all", "sexe": "all",
                       "periode": "2019-2023", "indicateur": "asr_world",
                       "niveau": "department"}


def test_round_trip(cat: queries.Catalog) -> None:
    query = ("?mesure=mortality&localisation=lung&sexe=female&niveau=region&periode=2021"
             "&indicateur=sir&lang=en")
    p = parse("carte", query, cat)
    assert not p.notes and p.lang == "en"
    assert serialise("carte", p.state, p.lang) == query


@pytest.mark.parametrize(("query", "key", "bad"), [
    ("?periode=1990", "periode", "1990"),
    ("?mesure=survival", "mesure", "survival"),
    ("?localisation=<script>", "localisation", "<script>"),
    ("?indicateur=DROP TABLE", "indicateur", "DROP TABLE"),
    ("?localisation=prostate&sexe=female", "sexe", "female"),
])
def test_bad_values_fall_back_with_a_note(cat: queries.Catalog, query: str, key: str,
                                          bad: str) -> None:
    p = parse("carte", query, cat)
    assert [(n[0], n[1]) for n in p.notes] == [(key, bad)]
    allowed = next(par for par in PAGES["carte"] if par.key == key).choices(cat, p.state)
    assert p.state[key] in allowed


def test_sex_follows_site(cat: queries.Catalog) -> None:
    assert parse("carte", "?localisation=prostate", cat).state["sexe"] == "male"
    assert parse("carte", "?localisation=breast", cat).state["sexe"] == "female"


def test_compare_list_keeps_valid_tokens(cat: queries.Catalog) -> None:
    p = parse("evolution", "?comparer=region-84,department-75,department-xx,region-84", cat)
    assert p.state["comparer"] == "region-84,department-75"
    assert p.notes and p.notes[0][1] == "department-xx"
    q = parse_qs(serialise("evolution", p.state, "fr").lstrip("?"))
    assert q["comparer"] == ["region-84,department-75"]


def test_unknown_lang_is_french(cat: queries.Catalog) -> None:
    assert parse("carte", "?lang=de", cat).lang == "fr"


def test_helpers() -> None:
    assert period_key((2019, 2023)) == "2019-2023"
    assert parse_period("2021") == (2021, 2021)
    assert parse_area("department-2A") == ("department", "2A")


def test_departments_are_offered_five_year_periods_only(cat: queries.Catalog) -> None:
    p = parse("carte", "?niveau=department&periode=2021", cat)
    assert p.state["periode"] == "2019-2023"
    assert p.notes == [("periode", "2021", "2019-2023")]
    assert parse("carte", "?niveau=region&periode=2021", cat).state["periode"] == "2021"
