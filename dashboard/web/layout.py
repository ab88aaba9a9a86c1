"""The page shell: skip link, header and navigation, simulated-data banner, main, footer."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard.web import queries
from dashboard.web.formatting import fmt_date
from dashboard.web.i18n import t
from dashboard.web.state import lang_only, parse, serialise
from dashboard.web.static_tree import IN_APP, static

INDEX_STRING = """<!DOCTYPE html>
<html lang="{%lang%}">
<head>
{%metas%}
<title>{%title%}</title>
{%favicon%}
{%css%}
</head>
<body>
<noscript><p>{%noscript%}</p></noscript>
{%app_entry%}
{%config%}
{%scripts%}
{%renderer%}
</body>
</html>"""

META_TAGS = [
    {"name": "viewport", "content": "width=device-width, initial-scale=1"},
    {"name": "theme-color", "content": "#000091"},
]

NAV = [("home", "/"), ("map", "/carte"), ("trends", "/evolution"),
       ("inequalities", "/inegalites"), ("methods", "/methodes")]


def default_search(path: str, lang: str) -> str:
    """The canonical query string of a page's default view (no extra history entry)."""
    return serialise(path.strip("/"), parse(path.strip("/"), "", queries.catalog()).state, lang)


def nav_section(path: str) -> str:
    """Which navigation entry a path belongs to."""
    for key, href in reversed(NAV):
        if href != "/" and path.startswith(href):
            return key
    if path.startswith("/territoire"):
        return "map"
    return "home" if path == "/" else ""


def header(path: str, lang: str, banner: html.Div | None = None,
           other_search: str | None = None) -> html.Header:
    """Site title, main navigation, the language switch (to the same view: ``other_search``,
    the view's query string in the other language) and the simulated-data banner."""
    current = nav_section(path)
    links = []
    for key, href in NAV:
        here = {"aria-current": "page"} if key == current else {}
        links.append(html.Li(html.A(t(f"nav_{key}", lang), href=href + default_search(href, lang),
                                    className="nav-link active" if here else "nav-link",
                                    **{"data-link": IN_APP}, **here)))
    other = "en" if lang == "fr" else "fr"
    return html.Header(className="site-header", children=[
        html.Div(className="header-inner", children=[
            dcc.Link(href="/" + lang_only(lang), className="brand", children=[
                html.Span(t("site_title", lang), className="brand-title"),
                html.Span(t("site_subtitle", lang), className="brand-subtitle")]),
            html.A(t("switch_lang", lang), id="lang-switch",
                   href=path + (other_search or lang_only(other)),
                   hrefLang=other, lang=other, className="lang-switch",
                   title=t("switch_lang_label", lang)),
        ]),
        html.Nav(className="site-nav", **{"aria-label": t("nav_label", lang)},
                 children=html.Ul(links)),
        banner,
    ])


def simulated_banner(info: dict[str, Any], lang: str) -> html.Div | None:
    """The "simulated data — do not cite" banner (on every page of a simulated release)."""
    if info.get("data_kind") != "simulated":
        return None
    return html.Div(className="banner-simulated", role="note",
                    children=html.P([html.Strong("⚠ "), t("simulated_banner", lang)]))


def footer(info: dict[str, Any], lang: str) -> html.Footer:
    """Release identifier and date, licence, the data for analysts, accessibility status."""
    return html.Footer(className="site-footer", children=[
        html.P(t("footer_release", lang, release_id=info.get("release_id", ""),
                 date=fmt_date(info.get("created_at"), lang))),
        html.P(t("footer_licence", lang, licence=t("licence_title", lang))),
        html.Nav(**{"aria-label": t("footer_nav_label", lang)}, children=html.Ul(
            className="footer-links", children=[
                html.Li(html.A(t("nav_downloads", lang),
                               href="/telechargements" + lang_only(lang))),
                html.Li(html.A(t("nav_api", lang), href="/api/v1/docs" + lang_only(lang))),
                html.Li(dcc.Link(t("footer_accessibility", lang),
                                 href="/methodes" + lang_only(lang) + "#accessibilite")),
            ])),
    ])


def shell(path: str, lang: str, info: dict[str, Any], content: Any,
          other_search: str | None = None, prefetch: list[str] | None = None) -> list[Any]:
    """The whole page around ``content`` (``other_search``: see :func:`header`; ``prefetch``:
    URLs the browser fetches when idle, see ``static/prefetch.js``). Around the content, the
    parts are plain (one component each, see :mod:`static_tree`)."""
    return [
        static(html.A(t("skip_link", lang), href="#contenu", className="skip-link")),
        static(header(path, lang, simulated_banner(info, lang), other_search)),
        html.Main(id="contenu", tabIndex="-1", className="main", children=content,
                  **{"data-release": info.get("release_id", ""),  # sent with callbacks
                     "data-prefetch": " ".join(prefetch or [])}),
        static(footer(info, lang)),
    ]
