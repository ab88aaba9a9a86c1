"""Every page, both languages, through the real HTTP app: a view's download returns the rows the
view displays (same keys, same values), never more (no 5-year and single-year mix)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from dash import Dash

from dashboard.web.devserver import callback_payload, find_dependency
from dashboard.web.formatting import fmt_int, fmt_number
from dashboard.web.i18n import t
from dashboard.web.indicators import trend_label

pytest.importorskip("dashboard.api")

Row = dict[str, Any]
Cells = Callable[[Row, str, Callable[[Row], str]], tuple[str, ...]]


def _as_components(tree: Any) -> Any:
    """A plain part's tree (``static_tree.Static``) in the shape of Dash's components."""
    if not isinstance(tree, dict):
        return tree
    return {"type": tree["t"].capitalize(),
            "props": {**tree["p"], "children": [_as_components(c) for c in tree["c"]]}}


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get("type") == "Static":
            yield from _walk(_as_components(node["props"]["tree"]))
        elif "props" in node:
            yield node
            yield from _walk(node["props"].get("children"))
    elif isinstance(node, list):
        for child in node:
            yield from _walk(child)


def _text(node: Any) -> str:
    if isinstance(node, (str, int, float)):
        return str(node)
    if isinstance(node, list):
        return "".join(_text(n) for n in node)
    if isinstance(node, dict) and node.get("type") == "Static":
        return _text(_as_components(node["props"]["tree"]))
    if isinstance(node, dict) and "props" in node:
        return _text(node["props"].get("children"))
    return ""


def _by_id(page: Any, id_: str) -> dict[str, Any]:
    return next(n for n in _walk(page) if n["props"].get("id") == id_)


def _table_rows(node: Any) -> list[list[str]]:
    """The body rows of the first data table under ``node`` (one ``DataTable`` component)."""
    table = next(n for n in _walk(node) if n["type"] == "DataTable")
    return [list(row) for row in table["props"]["rows"]]


def _hrefs(node: Any, endpoint: str) -> list[str]:
    return [n["props"]["href"] for n in _walk(node)
            if n["type"] == "A" and f"/api/v1/{endpoint}?" in n["props"].get("href", "")
            and n["props"]["href"].endswith("format=json")]


def _period(row: Row) -> str:
    ys, ye = row["year_start"], row["year_end"]
    return str(ys) if ys == ye else f"{ys}–{ye}"


def _value(row: Row, column: str, lang: str, decimals: int) -> str:
    return fmt_number(row[column], lang, decimals) if row["status"] == "published" \
        else t("suppressed", lang)


def _map(row: Row, lang: str, name: Callable[[Row], str]) -> tuple[str, ...]:
    return (name(row), _value(row, "asr_world", lang, 1),
            fmt_number(row["cases"], lang, 0) if row["status"] == "published" else "")


def _top_sites(row: Row, lang: str, name: Callable[[Row], str]) -> tuple[str, ...]:
    return (fmt_int(row["cases"], lang), t(f"sex_{row['sex']}", lang))


def _quintiles(row: Row, lang: str, name: Callable[[Row], str]) -> tuple[str, ...]:
    return (_value(row, "asr_world", lang, 1),
            fmt_int(row["cases"], lang) if row["status"] == "published" else "")


def _funnel(row: Row, lang: str, name: Callable[[Row], str]) -> tuple[str, ...]:
    return (name(row), fmt_number(row["sir"], lang, 2))


def _series(row: Row, lang: str, name: Callable[[Row], str]) -> tuple[str, ...]:
    return (f"{name(row)}, {_period(row)}", _value(row, "asr_world", lang, 1))


def _trends(row: Row, lang: str, name: Callable[[Row], str]) -> tuple[str, ...]:
    return (name(row), trend_label(row["label"] if row["status"] == "published" else None,
                                   lang))


def _profile(row: Row, lang: str, name: Callable[[Row], str]) -> tuple[str, ...]:
    cases = fmt_int(row["cases"], lang) if row["status"] == "published" \
        else t("suppressed", lang)
    return (name(row), cases)


# (path, search, table container id or caption key, downloads container id, endpoint,
#  displayed cells to compare (column indexes), expected cells of a download row)
VIEWS: list[tuple[str, str, str, str | None, str, tuple[int, ...], Cells]] = [
    ("/", "", "caption:home_top_sites_caption", None, "indicators", (2, 4), _top_sites),
    ("/carte", "", "carte-table", "carte-downloads", "indicators", (0, 1, 3), _map),
    ("/carte", "?niveau=region&periode=2021&localisation=lung&sexe=male", "carte-table",
     "carte-downloads", "indicators", (0, 1, 3), _map),
    ("/inegalites", "", "inegalites-qtable", "inegalites-downloads", "inequalities", (1, 3),
     _quintiles),
    ("/inegalites", "?niveau=region&zone=84", "inegalites-ftable", "inegalites-fdownloads",
     "indicators", (0, 2), _funnel),
    ("/evolution", "?comparer=region-84,department-2A", "evolution-data",
     "evolution-downloads", "indicators", (0, 1), _series),
    ("/evolution", "?rythme=quinquennal&comparer=region-84", "evolution-data",
     "evolution-downloads", "indicators", (0, 1), _series),
    ("/evolution", "?comparer=region-84,department-2A", "evolution-trends",
     "evolution-downloads", "trends", (0, 1), _trends),
    ("/territoire/departement/69", "", "territoire-compare", "territoire-downloads",
     "indicators", (0, 1), _profile),
    ("/territoire/region/84", "?periode=2021", "territoire-compare", "territoire-downloads",
     "indicators", (0, 1), _profile),
]


def _page(client: Any, path: str, search: str) -> Any:
    dep = find_dependency(client.get("/_dash-dependencies").get_json(), "page.children")
    r = client.post("/_dash-update-component", json=callback_payload(dep, [path, None], [search]))
    assert r.status_code == 200
    return r.get_json()["response"]["page"]["children"]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(("path", "search", "table", "downloads", "endpoint", "columns",
                          "cells"), VIEWS)
def test_download_rows_are_the_displayed_rows(dash_app: Dash, lang: str, path: str,
                                              search: str, table: str, downloads: str | None,
                                              endpoint: str, columns: tuple[int, ...],
                                              cells: Cells) -> None:
    client = dash_app.server.test_client()
    sep = "&" if search else "?"
    page = _page(client, path, f"{search}{sep}lang={lang}")
    if table.startswith("caption:"):
        caption = t(table.split(":", 1)[1], lang)
        node = next(n for n in _walk(page) if n["type"] == "DataTable"
                    and caption in n["props"]["caption"])
    else:
        node = _by_id(page, table)
    displayed = [tuple(row[i] for i in columns) for row in _table_rows(node)]
    hrefs = _hrefs(_by_id(page, downloads) if downloads else page, endpoint)
    assert hrefs, "the view offers no download"
    rows: list[Row] = []
    for href in hrefs:
        response = client.get(href)
        assert response.status_code == 200, href
        rows += response.get_json()
    geo = client.get("/api/v1/geographies?format=json").get_json()
    names = {(g["level"], g["code"]): g["name"] for g in geo}

    def name(row: Row) -> str:
        if row["level"] == "country" and not path.startswith("/carte"):
            return t("france", lang)
        return names[(row["level"], row["geo_code"])]

    downloaded = [cells(row, lang, name) for row in rows]
    if endpoint == "trends":  # an area without any trend row is still listed, as "no trend"
        none = t("trend_none", lang)
        displayed = [d for d in displayed if d[1] != none or d in downloaded]
    assert Counter(downloaded) == Counter(displayed)
    assert len({(r["year_end"] - r["year_start"]) for r in rows if "year_end" in r}) <= 1 \
        or endpoint == "trends"
