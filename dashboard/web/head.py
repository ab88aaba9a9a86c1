"""The HTML document a page URL is served in, per page and language, before any JavaScript.

Search engines, link previews and readers without JavaScript see this document only: its
``lang``, ``<title>``, description, canonical and alternate-language links, Open Graph and
Twitter card text, and a short text summary of the page inside the application's entry point
(replaced by the page itself once Dash renders it).
"""

from __future__ import annotations

from html import escape

from flask import request

from dashboard.data_access import ReleaseNotFound
from dashboard.web import queries
from dashboard.web.i18n import LANGS, normalise_lang, t
from dashboard.web.meta_tags import Head
from dashboard.web.routing import SITE_NAME, resolve
from dashboard.web.state import parse, serialise

TITLE_KEYS = {"accueil": "title_home", "carte": "title_map", "evolution": "title_trends",
              "inegalites": "title_inequalities", "methodes": "title_methods",
              "introuvable": "title_not_found"}


def page_head(path: str, search: str) -> Head:
    """Title, description and the same view's address in each language."""
    route = resolve(path)
    try:
        cat = queries.catalog()
    except ReleaseNotFound:
        lang = normalise_lang(dict(request.args).get("lang"))
        return Head(lang, t("title_unavailable", lang), t("release_unavailable", lang),
                    {lg: serialise("", {}, lg) for lg in LANGS})
    parsed = parse(route.page, search, cat)
    lang = parsed.lang
    page = route.page
    if page == "territoire" and route.args["code"].upper() not in cat.codes_of(
            route.args["level"]):
        page = "introuvable"
    if page == "territoire":
        name = cat.area_name(route.args["level"], route.args["code"].upper())
        title = t("title_profile", lang, name=name)
    else:
        title = t(TITLE_KEYS[page], lang)
    links = {lg: serialise(route.page, parsed.state, lg) for lg in LANGS}
    return Head(lang, f"{title} — {SITE_NAME[lang]}", t(f"desc_{page}", lang), links)


def entry_summary(head: Head) -> str:
    """The text a reader without JavaScript gets in place of the application."""
    title = head.title.split(" — ")[0]
    return (f'<div class="_dash-loading static-summary"><h1>{escape(title)}</h1>'
            f"<p>{escape(head.description)}</p>"
            f'<p role="status">{escape(t("loading", head.lang))}</p></div>')
