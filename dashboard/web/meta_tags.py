"""The ``<head>`` tags that say what a page is, per language: shared by the dashboard's pages
and the API's HTML pages (documentation, downloads).

Description, canonical and alternate-language links (``hreflang``, with ``x-default`` on
French), Open Graph and Twitter card text.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from dashboard.web.i18n import LANGS, t

OG_LOCALE = {"fr": "fr_FR", "en": "en_GB"}


@dataclass(frozen=True)
class Head:
    """What the server says about one page URL."""

    lang: str
    title: str
    description: str
    links: dict[str, str]  # language -> query string of the same view in that language


def _meta(attr: str, key: str, value: str) -> str:
    return f'<meta {attr}="{escape(key)}" content="{escape(value)}">'


def head_tags(head: Head, base: str, path: str) -> str:
    """Description, canonical and alternate links, Open Graph and Twitter card tags."""
    url = base + path
    other = [lg for lg in LANGS if lg != head.lang]
    tags = [
        _meta("name", "description", head.description),
        f'<link rel="canonical" href="{escape(url + head.links[head.lang])}">',
        *(f'<link rel="alternate" hreflang="{lg}" href="{escape(url + head.links[lg])}">'
          for lg in LANGS),
        f'<link rel="alternate" hreflang="x-default" href="{escape(url + head.links["fr"])}">',
        _meta("property", "og:type", "website"),
        _meta("property", "og:site_name", t("site_title", head.lang)),
        _meta("property", "og:title", head.title),
        _meta("property", "og:description", head.description),
        _meta("property", "og:url", url + head.links[head.lang]),
        _meta("property", "og:locale", OG_LOCALE[head.lang]),
        *(_meta("property", "og:locale:alternate", OG_LOCALE[lg]) for lg in other),
        _meta("name", "twitter:card", "summary"),
        _meta("name", "twitter:title", head.title),
        _meta("name", "twitter:description", head.description),
    ]
    return "\n".join(tags)
