"""What a reader, a search engine or a link preview gets: the served document per page and
language, the icon, alphabetical order and agreement of counts."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from dash import Dash

from dashboard.web.collation import by_label
from dashboard.web.i18n import count_areas, t

PAGES = ["/", "/carte?niveau=region", "/evolution", "/inegalites", "/methodes",
         "/territoire/departement/69", "/territoire/region/84"]
SITE = {"fr": "Les cancers en France", "en": "Cancer in France"}


class Head(HTMLParser):
    """The document's ``lang``, title, meta and link tags, and its visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.meta: dict[str, str] = {}
        self.links: list[dict[str, str]] = []
        self.text: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang", "")
        elif tag == "meta" and ("name" in a or "property" in a):
            self.meta[a.get("name") or a["property"]] = a.get("content", "")
        elif tag == "link":
            self.links.append(a)
        self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if data.strip() and not {"script", "style"} & set(self._in):
            self.text.append(data.strip())


def served(app: Dash, url: str) -> Head:
    resp = app.server.test_client().get(url)
    assert resp.status_code in (200, 404)
    head = Head()
    head.feed(resp.get_data(as_text=True))
    return head


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_each_page_is_served_in_its_language_with_its_metadata(dash_app: Dash, path: str,
                                                               lang: str) -> None:
    url = path + ("&" if "?" in path else "?") + f"lang={lang}"
    head = served(dash_app, url)
    assert head.lang == lang
    title = head.meta["og:title"]
    assert title.endswith(SITE[lang]) and head.meta["twitter:title"] == title
    assert len(head.meta["description"]) > 40
    assert head.meta["og:description"] == head.meta["description"]
    assert head.meta["og:locale"] == {"fr": "fr_FR", "en": "en_GB"}[lang]
    canonical = [x["href"] for x in head.links if x.get("rel") == "canonical"]
    assert len(canonical) == 1 and canonical[0].endswith(f"lang={lang}")
    assert canonical[0].split("?")[0].endswith(path.split("?")[0])
    alternates = {x["hreflang"]: x["href"] for x in head.links if x.get("rel") == "alternate"}
    assert set(alternates) == {"fr", "en", "x-default"}
    assert alternates[lang] == canonical[0]
    if "niveau=region" in path:  # the view's state travels to the other language
        assert all("niveau=region" in href for href in alternates.values())
    # a reader without JavaScript gets the page's title and what it shows, in its language
    text = " ".join(head.text)
    assert title.split(" — ")[0] in text and head.meta["description"] in text
    assert t("noscript", lang) in text
    other = "en" if lang == "fr" else "fr"
    assert t("noscript", other) not in text and t("loading", other) not in text


def test_profile_and_unknown_pages_are_named(dash_app: Dash) -> None:
    assert "Rhône" in served(dash_app, "/territoire/departement/69").meta["og:title"]
    unknown = served(dash_app, "/territoire/departement/999?lang=en")
    assert unknown.meta["og:title"].startswith("Page not found")


def test_favicon_is_the_sites_own(dash_app: Dash) -> None:
    client = dash_app.server.test_client()
    resp = client.get("/favicon.ico")
    assert resp.status_code == 200 and resp.mimetype == "image/vnd.microsoft.icon"
    assert resp.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    head = served(dash_app, "/")
    icons = [x["href"] for x in head.links if "icon" in x.get("rel", "")]
    assert icons and all("favicon.ico" in h for h in icons)


def test_every_page_links_to_downloads_and_api_docs(dash_app: Dash) -> None:
    from dashboard.web.layout import footer

    for lang in ("fr", "en"):
        hrefs = re.findall(r"href='([^']+)'", str(footer({}, lang)))
        assert any(h.startswith("/telechargements") for h in hrefs)
        assert any(h.startswith("/api/v1/docs") for h in hrefs)


def test_sites_sort_as_a_reader_expects() -> None:
    fr = ["Tous cancers", "Œsophage", "Myélome", "Lymphomes", "Mélanome", "Lèvre", "Ovaire",
          "Estomac", "Encéphale"]
    got = [label for _, label in by_label([(x, x) for x in fr], first=("Tous cancers",))]
    assert got == ["Tous cancers", "Encéphale", "Estomac", "Lèvre", "Lymphomes", "Mélanome",
                   "Myélome", "Œsophage", "Ovaire"]


@pytest.mark.parametrize("n", [0, 1, 2, 18])
def test_counts_agree_in_number_and_gender(n: int) -> None:
    fr = {"region": "région", "department": "département"}
    en = {"region": "region", "department": "department"}
    for level in ("region", "department"):
        word = count_areas(n, level, "fr")
        assert word == f"{n} {fr[level]}" + ("s" if n >= 2 else "")
        assert count_areas(n, level, "en") == f"{n} {en[level]}" + ("" if n == 1 else "s")
        text = t("summary_suppressed", "fr", n=word)
        # the participle agrees with « données », whatever the area's gender or number
        assert "Données non diffusées" in text and "diffusés" not in text
        dispersion = t("dispersion_text", "fr", areas=word, out95=0, exp95="0", out998=0,
                       iqr="1")
        assert not re.search(r"régions? publiés|départements? publiées", dispersion)


def test_corrected_parameters_are_named_as_a_reader_would(ctx: None) -> None:
    from dashboard.web.routing import render

    content, _ = render("/carte", "?localisation=rein-gauche&sexe=x")
    text = str(content)
    nnbsp = "\\u202f"  # as repr() shows it
    assert f"«{nnbsp}Tous cancers (hors carcinomes cutanés){nnbsp}» est affiché" in text
    assert f"«{nnbsp}Les deux sexes{nnbsp}» est affiché" in text
    assert f"«{nnbsp}all{nnbsp}»" not in text


def test_download_page_speaks_french_throughout(dash_app: Dash) -> None:
    html_text = dash_app.server.test_client().get("/telechargements").get_data(as_text=True)
    files = re.search(r'<table class="cards">.*?</table>', html_text, flags=re.S).group(0)
    rows = re.findall(r"<tr><th scope=\"row\">.*?</tr>", files, flags=re.S)
    assert rows
    for row in rows:  # every table says what it holds, in French
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        assert cells[0].strip(), row
        assert "One row" not in row
    facts = re.search(r"<dl>.*?</dl>", html_text, flags=re.S).group(0)
    assert "<dd>simulated</dd>" not in facts and "<dd>observed</dd>" not in facts
    assert ("Counts from 1" not in facts and "jamais publiés" in facts) or "pas publiés" in facts
