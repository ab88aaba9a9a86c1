"""The API's pages, its OpenAPI description and its error messages exist in French and English,
and each speaks one language only."""

from __future__ import annotations

import re
import string
from html.parser import HTMLParser
from typing import Any

import pytest

from dashboard.release_schema import CONTRACT
from dashboard.web.i18n import LANGS, message_ids, t

PAGES = ("/api/v1/docs", "/telechargements")


def _other(lang: str) -> str:
    return "en" if lang == "fr" else "fr"


def _pieces(lang: str) -> set[str]:
    """The literal parts (between placeholders) of every message and contract description."""
    texts = [t(k, lang) for k in message_ids()]
    for table in CONTRACT.values():
        texts.append(table.description(lang))
        texts.extend(c.description(lang) for c in table.columns)
    return {literal.strip() for text in texts
            for literal, *_ in string.Formatter().parse(text.replace("{{", "").replace("}}", ""))
            if literal.strip()}


def foreign_texts(lang: str) -> set[str]:
    """Recognisable texts of the other language: literal parts of its messages and contract
    descriptions (12 characters or more) that no text of ``lang`` has."""
    return {p for p in _pieces(_other(lang)) - _pieces(lang) if len(p) >= 12}


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.lang = ""
        self.alternates: dict[str, str] = {}
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang") or ""
        if tag == "link" and a.get("rel") == "alternate":
            self.alternates[a.get("hreflang") or ""] = a.get("href") or ""
        self._style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._style = False

    def handle_data(self, data: str) -> None:
        if not self._style:
            self.parts.append(data)


def page(client: Any, path: str) -> _Text:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    parser = _Text()
    parser.feed(response.data.decode())
    return parser


@pytest.mark.parametrize(("path", "lang"), [(p, lg) for p in PAGES for lg in LANGS])
def test_api_pages_speak_one_language(client, path: str, lang: str) -> None:
    url = path if lang == "fr" else f"{path}?lang={lang}"
    parsed = page(client, url)
    assert parsed.lang == lang
    text = re.sub(r"\s+", " ", " ".join(parsed.parts))
    found = sorted(f for f in foreign_texts(lang) if f in text)
    assert not found, found[:5]
    assert set(parsed.alternates) == {"fr", "en", "x-default"}
    assert parsed.alternates["en"].endswith(f"{path}?lang=en")
    assert parsed.alternates["fr"].endswith(path)


def test_api_pages_link_to_each_other_in_the_same_language(client) -> None:
    docs = client.get("/api/v1/docs?lang=en").data.decode()
    assert 'href="/telechargements?lang=en"' in docs and 'href="openapi.json?lang=en"' in docs
    downloads = client.get("/telechargements?lang=en").data.decode()
    assert 'href="/api/v1/docs?lang=en"' in downloads
    assert "Download the data" in downloads and "Télécharger" not in downloads


def test_unknown_page_language_falls_back_to_french(client) -> None:
    assert page(client, "/api/v1/docs?lang=de").lang == "fr"


@pytest.mark.parametrize("lang", LANGS)
def test_openapi_description_speaks_one_language(client, lang: str) -> None:
    spec = client.get(f"/api/v1/openapi.json?lang={lang}").get_json()
    assert spec["info"]["title"] == t("api_title", lang)
    text = " ".join(_strings(spec))
    found = sorted(f for f in foreign_texts(lang) if f in text)
    assert not found, found[:5]
    # parameter descriptions come from the contract's column descriptions
    params = spec["paths"]["/api/v1/indicators"]["get"]["parameters"]
    sex = next(p for p in params if p["name"] == "sex")
    assert sex["description"].startswith(CONTRACT["indicator"].column("sex").description(lang))
    row = spec["components"]["schemas"]["indicator"]["properties"]["status"]
    assert row["description"] == CONTRACT["indicator"].column("status").description(lang)


def test_openapi_language_is_validated(client) -> None:
    response = client.get("/api/v1/openapi.json?lang=de")
    assert response.status_code == 400
    assert response.get_json()["parameter"] == "lang"
    assert response.get_json()["allowed"] == list(LANGS)
    assert client.get("/api/v1/openapi.json?lang=en&x=1").status_code == 400


@pytest.mark.parametrize(("url", "method", "status"), [
    ("/api/v1/indicators?sex=nobody", "GET", 400),
    ("/api/v1/indicators?colour=red", "GET", 400),
    ("/api/v1/indicators?year_start=x", "GET", 400),
    ("/api/v1/indicators?year_start=2023&year_end=2019", "GET", 400),
    ("/api/v1/nowhere", "GET", 404),
    ("/api/v1/bulk/nothing.csv", "GET", 404),
    ("/api/v1/indicators", "POST", 405),
])
def test_error_messages_follow_accept_language(client, url: str, method: str,
                                               status: int) -> None:
    """French by default and for a language we do not speak; English when asked."""
    answers = {}
    for header in (None, "en-GB,en;q=0.9", "de-DE", "de;q=1, fr;q=0.5", "en;q=0.2, fr;q=0.8"):
        headers = {"Accept-Language": header} if header else {}
        response = client.open(url, method=method, headers=headers)
        assert response.status_code == status
        answers[header] = response.get_json()["error"]
    assert answers[None] == answers["de-DE"] == answers["de;q=1, fr;q=0.5"]
    assert answers["en;q=0.2, fr;q=0.8"] == answers[None]
    assert answers["en-GB,en;q=0.9"] != answers[None]
    english_only = {f for f in foreign_texts("fr") if f in answers["en-GB,en;q=0.9"]}
    assert english_only, answers  # the English answer is made of English messages
    assert not any(f in answers[None] for f in foreign_texts("fr")), answers[None]

