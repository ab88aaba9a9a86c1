"""Every user-facing message of the dashboard, in French (first) and English.

The messages live in gettext catalogues (``dashboard/web/locale/<lang>/LC_MESSAGES/
messages.po``, read with Babel), keyed by a stable message id. ``t(key, lang, **values)``
returns the message in ``lang`` (French when the language is unknown) with ``str.format``
placeholders filled; ``count_areas`` uses the catalogue's plural forms (French: 0 and 1 are
singular). Typography: French uses a narrow no-break space (U+202F) before ``: ; ! ? %`` and
French quotation marks.
"""

from __future__ import annotations

import gettext
from functools import lru_cache
from importlib import resources
from io import BytesIO

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

LANGS = ("fr", "en")
DEFAULT_LANG = "fr"


@lru_cache(maxsize=len(LANGS))
def catalogue(lang: str) -> Catalog:
    """The Babel catalogue of ``lang`` (package data)."""
    path = resources.files("dashboard.web") / "locale" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


@lru_cache(maxsize=len(LANGS))
def translations(lang: str) -> gettext.GNUTranslations:
    """gettext's view of the catalogue (compiled in memory: no build step, no .mo files)."""
    buf = BytesIO()
    write_mo(buf, catalogue(lang))
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def message_ids() -> list[str]:
    """Ids of the singular messages (the French catalogue is the reference)."""
    return [m.id for m in catalogue(DEFAULT_LANG) if m.id and isinstance(m.id, str)]


def has_message(msg: str) -> bool:
    """True when ``msg`` is a message id of the catalogues."""
    return msg in catalogue(DEFAULT_LANG)


class _Keep(dict):
    """Leaves unknown placeholders in place (templates filled later)."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(text: str, values: dict[str, object]) -> str:
    return text.format_map(_Keep(**values)) if "{" in text else text


def t(msg: str, lang: str = DEFAULT_LANG, /, **values: object) -> str:
    """The message ``msg`` in ``lang`` (French fallback), placeholders filled."""
    lang = normalise_lang(lang)
    text = translations(lang).gettext(msg)
    if text == msg and msg not in catalogue(lang):
        raise KeyError(msg)
    return _fill(text, values)


def count_areas(n: int, level: str, lang: str = DEFAULT_LANG) -> str:
    """``0 département``, ``3 départements``, ``1 region``: the language's plural rule."""
    key = f"n_areas_{level}"
    return _fill(translations(normalise_lang(lang)).ngettext(key, key + "_plural", n),
                 {"n": n})


def accepted_lang(header: str | None) -> str:
    """The language of ``Accept-Language`` we speak best, French when it names neither."""
    accept = parse_accept_header(header, LanguageAccept)
    return accept.best_match(LANGS, default=DEFAULT_LANG) or DEFAULT_LANG


def normalise_lang(value: str | None) -> str:
    """``en`` or ``fr`` (the default) from a URL value."""
    return value if value in LANGS else DEFAULT_LANG
