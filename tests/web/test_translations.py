"""The gettext catalogues: complete in both languages, consistent, and each page speaks one
language only."""

from __future__ import annotations

import re
import string

import pytest

from dashboard.web.i18n import LANGS, catalogue, message_ids, t

FORMATTER = string.Formatter()


def placeholders(text: str) -> set[str]:
    """Named placeholders; ``x_cap`` (capitalised in one language) counts as ``x``."""
    return {name.removesuffix("_cap") for _, name, _, _ in FORMATTER.parse(text) if name}


def test_every_message_is_translated_in_both_languages() -> None:
    ids = {lang: {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue(lang) if m.id}
           for lang in LANGS}
    assert ids["fr"] == ids["en"]
    for lang in LANGS:
        for m in catalogue(lang):
            if not m.id:
                continue
            forms = m.string if isinstance(m.string, tuple) else (m.string,)
            assert all(forms), (lang, m.id, "untranslated")
            assert not m.fuzzy, (lang, m.id, "fuzzy")
            assert len(forms) == (catalogue(lang).num_plurals if isinstance(m.id, tuple) else 1)


def test_both_languages_fill_the_same_placeholders() -> None:
    for key in message_ids():
        assert placeholders(t(key, "fr")) == placeholders(t(key, "en")), key


def test_french_typography() -> None:
    for key in message_ids():
        text = t(key, "fr")
        assert not re.search(r"\w[:;!?]( |$)", text), (key, "no space before the colon")
        assert not re.search(r" [:;!?%»]|« ", text), (key, "a breaking space in French")


@pytest.mark.parametrize(("path", "lang"), [
    (p, lang) for p in ("/", "/carte", "/evolution", "/inegalites", "/methodes",
                        "/territoire/region/84", "/nulle-part") for lang in LANGS])
def test_pages_carry_no_message_of_the_other_language(ctx: None, path: str, lang: str) -> None:
    """Every page rendered in one language holds none of the other language's messages
    (those that differ between the languages and are long enough to be recognisable)."""
    from dashboard.web.routing import render

    other = "en" if lang == "fr" else "fr"
    foreign = {t(k, other).split("{")[0].strip() for k in message_ids()
               if t(k, other) != t(k, lang)}
    foreign = {f for f in foreign if len(f) >= 12}
    content, _ = render(path, f"?lang={lang}")
    found = sorted(f for f in foreign if f in str(content))
    assert not found, found[:5]


def test_dashboard_links_to_the_api_pages_in_its_language(ctx: None) -> None:
    from dashboard.web.routing import render

    for path in ("/", "/methodes"):
        content, _ = render(path, "?lang=en")
        text = str(content)
        assert "/api/v1/docs?lang=en" in text and "/telechargements?lang=en" in text
    assert "/api/v1/openapi.json?lang=en" in str(render("/methodes", "?lang=en")[0])


def test_download_groups_keep_proper_names(ctx: None) -> None:
    """« Télécharger les données (France et départements) », never « (france … »."""
    from dashboard.web.routing import render

    text = str(render("/territoire/departement/69", "?lang=fr")[0])
    assert "(France et départements)" in text and "(france" not in text

