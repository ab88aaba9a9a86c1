"""The Flask/Dash server: pages, 404, geometry, compression, cache headers, callbacks."""

from __future__ import annotations

import gzip
import json
import re
from typing import Any

import pytest
from dash import Dash
from plotly.io.json import to_json_plotly

from dashboard.web import queries
from dashboard.web.devserver import callback_payload, find_dependency
from dashboard.web.routing import render, resolve

PAGES = ["/", "/carte", "/evolution", "/inegalites", "/methodes",
         "/territoire/departement/69", "/territoire/region/84", "/territoire/departement/2A"]
MAP_STATE = ["incidence", "lung", "all", "department", "2019-2023", "asr_world"]
MAP_SEARCH = ("?mesure=incidence&localisation=all&sexe=all&periode=2019-2023"
              "&indicateur=asr_world&niveau=department&lang=fr")


def _json(component: Any) -> str:
    return json.dumps(json.loads(to_json_plotly(component)), ensure_ascii=False)


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_page_renders(ctx: None, path: str, lang: str) -> None:
    page, meta = render(path, f"?lang={lang}")
    text = _json(page)
    assert meta["lang"] == lang and meta["title"]
    assert "contenu" in text  # skip-link target
    assert ("Données simulées" if lang == "fr" else "Simulated data") in text


@pytest.mark.parametrize("path", ["/carte", "/territoire/departement/69", "/evolution"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_drawn_page_is_sent_as_drawn_and_kept_for_every_worker(
        ctx: None, path: str, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The router's answer for a canonical address is the page as drawn, kept in the shared
    cache: another worker (its own memory empty) sends the same bytes without drawing it."""
    from dashboard.web import routing

    route = routing.resolve(path)
    parsed = routing._parsed(route, f"?lang={lang}")
    fresh = routing._draw(path, route, parsed)
    first = render(path, f"?lang={lang}")
    assert _json(first) == _json(fresh)
    queries._local.clear()  # as another worker, or this one after its memory was evicted
    module = routing.PAGES[route.page]
    monkeypatch.setattr(module, "render", lambda *a: pytest.fail("drawn again"))
    assert _json(render(path, f"?lang={lang}")) == _json(fresh)
    # the address written out in full is the same view
    assert _json(render(path, first[1]["search"])) == _json(fresh)


def test_addresses_with_stale_values_or_bad_paths_are_drawn_each_time(
        ctx: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """A corrected address's notice names what was asked (drawn for each address); an unknown
    path leaves no cache entry (no cache growth from made-up paths)."""
    for asked in ("1850", "1851"):
        page, meta = render("/carte", f"?periode={asked}")
        assert asked in _json(page) and "periode=2019-2023" in meta["search"]
    from dashboard.web import routing

    monkeypatch.setattr(routing, "drawn", lambda *a: pytest.fail("cached"))
    render("/pas-de-page", "")
    render("/territoire/departement/999", "?lang=en")


def test_a_view_drawn_ahead_of_a_click_is_served_drawn(
        dash_app: Dash, monkeypatch: pytest.MonkeyPatch) -> None:
    """``/_warm`` (a pointer resting on a link) draws the view; the router's answer is then a
    lookup. Only the site's own pages: anything else is a 404 and draws nothing."""
    from dashboard.web import routing

    client = dash_app.server.test_client()
    target = "/territoire/departement/13?localisation=lung&lang=en"
    queries._local.clear()
    resp = client.get("/_warm", query_string={"to": target})
    assert resp.status_code == 204 and resp.data == b""
    assert resp.headers["Cache-Control"] == "no-store"
    queries._local.clear()  # the click reaches another worker
    monkeypatch.setattr(routing.PAGES["territoire"], "render",
                        lambda *a: pytest.fail("drawn again"))
    with dash_app.server.app_context():
        page, meta = render("/territoire/departement/13", "?localisation=lung&lang=en")
    assert meta["lang"] == "en" and "Bouches-du-Rhône" in _json(page)
    for bad in ("", "carte", "//example.org/carte", "https://example.org/carte",
                "/api/v1/indicators", "/pas-de-page", "/territoire/departement/999"):
        assert client.get("/_warm", query_string={"to": bad}).status_code == 404, bad
    monkeypatch.setattr(routing, "render", lambda *a: pytest.fail("drawn"))
    assert client.get("/_warm?to=/geo/x/department.json").status_code == 404


def test_routes() -> None:
    assert resolve("/territoire/departement/2A").args == {"level": "department", "code": "2A"}
    assert resolve("/territoire/commune/75056").page == "introuvable"
    assert resolve("/carte/").page == "carte"


def test_unknown_paths_get_a_french_404(dash_app: Dash) -> None:
    client = dash_app.server.test_client()
    assert client.get("/carte").status_code == 200
    assert client.get("/pas-de-page").status_code == 404
    assert client.get("/territoire/departement/999").status_code == 404
    page, meta = render("/pas-de-page", "")
    assert "Page introuvable" in meta["title"] and "Retour à l’accueil" in _json(page)


def test_bad_url_values_give_a_visible_note(ctx: None) -> None:
    page, meta = render("/carte", "?periode=1990&localisation=nope")
    text = _json(page)
    assert "Adresse corrigée" in text and "1990" in text
    assert "periode=2019-2023" in meta["search"]


def test_download_links_carry_the_view_filters(ctx: None) -> None:
    page, _ = render("/carte", "?localisation=lung&sexe=male&periode=2021&niveau=region")
    text = _json(page)
    for fmt in ("csv", "csv-excel", "parquet", "json"):
        assert (f"/api/v1/indicators?measure=incidence&level=region&sex=male&site=lung"
                f"&year_start=2021&year_end=2021&period_length=1&format={fmt}") in text


def test_geometry_route_is_cached_and_compressed(dash_app: Dash) -> None:
    from dashboard.web import queries

    client = dash_app.server.test_client()
    rid = queries.release().release_id
    r = client.get(f"/geo/{rid}/department.json", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and "immutable" in r.headers["Cache-Control"]
    assert r.headers.get("Content-Encoding") == "gzip"
    assert client.get("/geo/other-release/department.json").status_code == 404
    assert client.get(f"/geo/{rid}/commune.json").status_code == 404
    assert client.get(f"/geo/{rid}/paris_zoom.json").status_code == 404  # an inset, not a map
    shapes = client.get(f"/geo/{rid}/department.json").get_json()  # SVG paths, every area
    codes = [code for code, _d in shapes["groups"]["areas"]]
    assert codes == queries.catalog().codes_of("department")
    assert shapes["viewBox"][:3] == [0, 0, 1000]


def test_static_files_have_long_cache_and_brotli(dash_app: Dash) -> None:
    client = dash_app.server.test_client()
    r = client.get("/assets/style.css?m=1", headers={"Accept-Encoding": "br, gzip"})
    assert r.status_code == 200 and "max-age=31536000" in r.headers["Cache-Control"]
    assert r.headers.get("Content-Encoding") == "br"
    # unversioned URLs (plotly's lazily loaded bundle) are only kept for a day
    r = client.get("/_dash-component-suites/dash/dcc/async-graph.js")
    assert r.headers["Cache-Control"] == "public, max-age=86400"


def test_index_is_french_and_has_viewport(dash_app: Dash) -> None:
    html = dash_app.server.test_client().get("/").get_data(as_text=True)
    assert '<html lang="fr">' in html and 'name="viewport"' in html


def test_map_filter_change_sends_colours_not_geometry(dash_app: Dash) -> None:
    client = dash_app.server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    dep = find_dependency(deps, "carte-map.view")
    body = callback_payload(dep, MAP_STATE, [MAP_SEARCH], changed=1)
    r = client.post("/_dash-update-component", json=body)
    assert r.status_code == 200
    assert len(r.data) <= 16_000
    out = r.get_json()["response"]
    view = out["carte-map"]["view"]
    codes = queries.catalog().codes_of("department")
    assert sorted(view["fills"]) == sorted(view["texts"]) == sorted(codes)
    assert out["carte-map"]["shapes"] == f"/geo/{queries.release().release_id}/department.json"
    assert '"d"' not in r.get_data(as_text=True) and "M" not in "".join(view["fills"].values())
    assert out["carte-address"]["data"].startswith("?mesure=incidence&localisation=lung")


def test_map_table_links_each_area_to_its_profile(dash_app: Dash) -> None:
    client = dash_app.server.test_client()
    dep = find_dependency(client.get("/_dash-dependencies").get_json(), "carte-table.children")
    state = [*MAP_STATE[:3], "region", *MAP_STATE[4:]]
    r = client.post("/_dash-update-component", json=callback_payload(dep, state, [MAP_SEARCH]))
    table = json.dumps(r.get_json()["response"]["carte-table"]["children"])
    links = re.findall(r'"(/territoire/region/(\w+)\?[^"]*)"', table)
    assert sorted(code for _l, code in links) == sorted(queries.catalog().codes_of("region"))
    assert all("localisation=lung" in link and "niveau" not in link for link, _c in links)


def test_level_change_points_the_map_at_the_other_geometry(dash_app: Dash) -> None:
    client = dash_app.server.test_client()
    dep = find_dependency(client.get("/_dash-dependencies").get_json(), "carte-map.view")
    state = [*MAP_STATE[:3], "region", *MAP_STATE[4:]]
    r = client.post("/_dash-update-component", json=callback_payload(dep, state, [MAP_SEARCH], 5))
    out = r.get_json()["response"]["carte-map"]
    assert out["shapes"].endswith("/region.json") and len(out["view"]["fills"]) == 18
    assert out["view"]["inset"] is None and out["view"]["link"][0] == "/territoire/region/"


def test_click_on_map_opens_profile_in_the_browser(dash_app: Dash) -> None:
    """A click on an area opens its profile without a request of its own: the map holds where
    its areas lead (path prefix and the profiles' query string of the view) and moves the
    browser itself (``static/area_map.js``): no callback of the page listens to it."""
    client = dash_app.server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    assert not [d for d in deps if any(i["id"] == "carte-map" for i in d["inputs"])]
    dep = find_dependency(deps, "carte-map.view")
    r = client.post("/_dash-update-component", json=callback_payload(dep, MAP_STATE, [MAP_SEARCH]))
    prefix, search = r.get_json()["response"]["carte-map"]["view"]["link"]
    assert prefix == "/territoire/departement/"
    # the view's measure, site, sex and period, in its language; no map-only parameter
    assert "localisation=lung" in search and "periode=2019-2023" in search
    assert "indicateur" not in search and "niveau" not in search
    assert "lang=fr" in search and "niveau" not in search and "indicateur" not in search


def test_download_links_are_served_by_the_api(dash_app: Dash) -> None:
    import re

    api = pytest.importorskip("dashboard.api")
    if not hasattr(api, "init_app"):
        pytest.skip("the analyst API is not installed")
    client = dash_app.server.test_client()
    with dash_app.server.app_context():
        page, _ = render("/evolution", "?comparer=region-84")
        links = set(re.findall(r'/api/v1/[^"]*?format=[a-z-]+', _json(page)))
    assert len(links) == 8
    for link in links:
        assert client.get(link).status_code == 200, link


def test_missing_release_gives_a_polite_page(dash_app: Dash, fixture_release: Any,
                                             tmp_path: Any) -> None:
    from dashboard.web import queries
    from dashboard.web.app import create_app

    try:
        app = create_app(tmp_path / "absent.duckdb")
        client = app.server.test_client()
        assert client.get("/carte").status_code == 200
        assert client.get("/territoire/departement/69").status_code == 200
        assert client.get("/geo/x/department.json").status_code == 503
        dep = find_dependency(client.get("/_dash-dependencies").get_json(), "page.children")
        r = client.post("/_dash-update-component",
                        json=callback_payload(dep, ["/carte", None], ["?lang=en"]))
        assert r.status_code == 200 and "Data unavailable" in r.get_data(as_text=True)
        assert "absent.duckdb" not in r.get_data(as_text=True)
    finally:
        queries.use_release(fixture_release)


@pytest.mark.parametrize(("output", "inputs", "state"), [
    ("carte-ranking.data", MAP_STATE, [MAP_SEARCH]),
    ("evolution-graph.data",
     ["mortality", "lung", "male", "asr_europe", "quinquennal", "region-84", "aucun",
      "department-2A"], ["?lang=en"]),
    ("inegalites-quintiles.data",
     ["incidence", "all", "all", "region", "2019-2023", "asr_world", "84"], ["?lang=fr"]),
    ("inegalites-funnel-next.data",
     ["incidence", "all", "all", "region", "2019-2023", "asr_world", "FR"], ["?lang=fr"]),
    ("territoire-trend_fig.data", ["incidence", "lung", "female", "2021"],
     [{"level": "department", "code": "69"}, "?lang=fr"]),
])
def test_page_callbacks_answer(dash_app: Dash, output: str, inputs: list[Any],
                               state: list[Any]) -> None:
    client = dash_app.server.test_client()
    dep = find_dependency(client.get("/_dash-dependencies").get_json(), output)
    r = client.post("/_dash-update-component", json=callback_payload(dep, inputs, state))
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    response = r.get_json()["response"]
    out_id = output.split(".")[0]
    assert out_id in response
    if out_id.endswith("-next"):  # a chart's next figure, drawn when in view
        assert {"data", "layout"} <= set(response[out_id]["data"])
    if out_id in ("evolution-graph", "territoire-trend_fig"):  # the trend chart's series
        assert any(s["points"] for s in response[out_id]["data"]["series"])
    address = response.get(f"{out_id.split('-')[0]}-address")
    if address:
        assert address["data"].endswith(state[-1].split("lang=")[-1])


@pytest.mark.parametrize("path", ["/telechargements", "/api/v1/docs"])
def test_api_html_pages_are_not_taken_for_unknown_dash_pages(dash_app: Dash, path: str) -> None:
    resp = dash_app.server.test_client().get(path)
    assert resp.status_code == 200 and resp.mimetype == "text/html"


def test_evolution_explains_departments_are_published_by_period(ctx: None) -> None:
    from dashboard.web.pages.evolution import view_outputs

    state = {"mesure": "incidence", "localisation": "all", "sexe": "all",
             "indicateur": "asr_world", "rythme": "annuel", "comparer": "department-59"}
    summary = _json(view_outputs(state, "fr")[1])
    assert "périodes de 5 ans seulement" in summary
    state["rythme"] = "quinquennal"
    assert "périodes de 5 ans seulement" not in _json(view_outputs(state, "fr")[1])


def test_plotly_is_the_partial_bundle_fetched_when_idle_for_the_funnels(dash_app: Dash) -> None:
    """plotly.js (the funnels' only) is never in a page's first load: the pages that lead to
    a funnel list it for the browser to fetch when idle."""
    from dashboard.web.routing import prefetch_urls

    client = dash_app.server.test_client()
    url = "/_dash-component-suites/plotly/package_data/plotly.min.js"
    r = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.mimetype == "application/javascript"
    assert b"plotly.js (basic - minified)" in gzip.decompress(r.get_data())[:200]
    # (the map, the trends and the quintiles are drawn without plotly: static/*.js)
    for path in ("/evolution", "/territoire/region/84", "/", "/methodes", "/carte"):
        assert url not in client.get(path).get_data(as_text=True), path
    for page, fetched in [("accueil", True), ("carte", True), ("inegalites", True),
                          ("territoire", True), ("evolution", False), ("methodes", False)]:
        assert (url in prefetch_urls(page, {"niveau": "department"})) is fetched, page


def _component_ids(component: Any) -> set[str]:
    """Ids of a component tree."""
    found = {component.id} if isinstance(getattr(component, "id", None), str) else set()
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if hasattr(child, "to_plotly_json"):
            found |= _component_ids(child)
    return found


def _output_ids(dep: dict[str, Any]) -> set[str]:
    """Component ids of a dependency's outputs (none for an output-less callback)."""
    if dep.get("no_output"):
        return set()
    spec = dep["output"]
    parts = spec[2:-2].split("...") if spec.startswith("..") else [spec]
    return {part.split("@")[0].rsplit(".", 1)[0] for part in parts}


def test_page_callbacks_do_not_run_again_after_a_page_render(dash_app: Dash) -> None:
    """Dash runs a callback whose inputs a render inserts unless its outputs come with them
    (``prevent_initial_call`` notwithstanding): a page callback writing to the shell (the
    address bar, say) would cost every page load a round trip and a second draw of its
    charts. Page callbacks must write inside their page."""
    layout = dash_app.layout() if callable(dash_app.layout) else dash_app.layout
    shell = _component_ids(layout)
    assert {"url", "page", "page-meta"} <= shell
    deps = dash_app.server.test_client().get("/_dash-dependencies").get_json()
    page_callbacks = [d for d in deps if any(i["id"] not in shell for i in d["inputs"])]
    assert len(page_callbacks) >= 10
    for dep in page_callbacks:
        assert not _output_ids(dep) & shell, dep["output"]


def test_map_page_preloads_the_geometry_its_first_map_fetches(dash_app: Dash) -> None:
    """The map's geometry downloads with the bundles, not after them: the page preloads the
    geometry of the level in its address, in the mode the map fetches it (fetch(): CORS,
    same-origin credentials), and nothing else."""
    client = dash_app.server.test_client()
    release = queries.release().release_id

    def preloaded(path: str) -> list[str]:
        html = client.get(path).get_data(as_text=True)
        return re.findall(r'<link rel="preload" href="([^"]+)" as="fetch" '
                          r'crossorigin="anonymous">', html)

    assert preloaded("/carte") == [f"/geo/{release}/department.json"]
    assert preloaded("/carte?niveau=region&lang=en") == [f"/geo/{release}/region.json"]
    assert preloaded("/carte?niveau=nowhere") == preloaded("/carte")  # default level
    for path in ("/", "/evolution", "/territoire/departement/69", "/methodes"):
        assert preloaded(path) == [], path
    for url in preloaded("/carte"):
        assert client.get(url).status_code == 200
