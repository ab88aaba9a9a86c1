"""The dashboard in a real headless Chromium: rendering, map, URL state, language, axe-core.

Needs ``chromium`` and ``chromedriver`` (Debian packages), the ``selenium`` Python package and
axe-core's ``axe.min.js`` (``$AXE_CORE_JS``, or ``npm install --prefix .cache axe-core``).
Skipped when any is missing, except with ``CI=true`` where a missing piece fails the run.
One app server and one browser per session.
"""

from __future__ import annotations

import itertools
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from dash import Dash

from dashboard.web.devserver import serve

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["/", "/carte", "/evolution?comparer=region-84", "/inegalites",
         "/territoire/departement/69", "/territoire/region/84", "/methodes"]
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--window-size=1280,1000",
                "--disable-dev-shm-usage"]
N_DEPARTMENTS = 101


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run on CI: {reason}")
    pytest.skip(reason)


def _find_binary(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def _axe_path() -> Path | None:
    candidates = [os.environ.get("AXE_CORE_JS"),
                  ROOT / ".cache" / "node_modules" / "axe-core" / "axe.min.js",
                  ROOT / "node_modules" / "axe-core" / "axe.min.js"]
    for c in candidates:
        if c and Path(c).is_file():
            return Path(c)
    return None


@pytest.fixture(scope="session")
def live_url(dash_app: Dash) -> Iterator[str]:
    with serve(dash_app.server) as url:
        yield url


@pytest.fixture(scope="session")
def driver() -> Iterator[Any]:
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("selenium is not installed")
    chromium = _find_binary("chromium", "chromium-browser", "google-chrome")
    chromedriver = _find_binary("chromedriver")
    if not chromium or not chromedriver:
        _unavailable("chromium and chromedriver are not installed "
                     "(apt-get install chromium chromium-driver)")
    opts = webdriver.ChromeOptions()
    for flag in CHROME_FLAGS:
        opts.add_argument(flag)
    opts.binary_location = chromium
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver path: Selenium Manager never downloads anything.
    drv = webdriver.Chrome(service=Service(executable_path=chromedriver), options=opts)
    drv.set_page_load_timeout(30)
    yield drv
    drv.quit()


@pytest.fixture(scope="session")
def axe_source() -> str:
    path = _axe_path()
    if path is None:
        _unavailable("axe-core not found: set AXE_CORE_JS or run "
                     "`npm install --prefix .cache axe-core`")
    return path.read_text(encoding="utf-8")


def wait_for(fn: Callable[[], Any], timeout: float = 15.0, what: str = "condition") -> Any:
    """Poll ``fn`` until it returns a truthy value."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = fn()
        except Exception as exc:  # the DOM changes under us while Dash renders
            last = exc
        else:
            if last:
                return last
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


def open_page(driver: Any, url: str) -> None:
    """Load a page and wait until Dash has rendered its main heading."""
    driver.get(url)
    wait_for(lambda: driver.execute_script(
        "return document.querySelector('#contenu h1') !== null"), what=f"page {url}")
    wait_for(lambda: driver.execute_script(
        "return !document.querySelector('[data-dash-is-loading=\"true\"]')"), what="callbacks")


def severe_logs(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def map_paths(driver: Any) -> int:
    """Areas drawn and painted on the map (``static/area_map.js``)."""
    return driver.execute_script(
        "return document.querySelectorAll('#carte-map path.area[fill]').length")


def query(driver: Any) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(driver.current_url).query).items()}


def choose(driver: Any, select_id: str, value: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element(By.ID, select_id)).select_by_value(value)


def run_axe(driver: Any, axe_source: str) -> list[tuple[str, str, list[Any]]]:
    """axe-core violations of the current page, of any impact."""
    driver.execute_script(axe_source)
    violations = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations));")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations]


SITE = {"fr": "Les cancers en France", "en": "Cancer in France"}
SIMULATED = {"fr": "Données simulées", "en": "Simulated data"}
DOWNLOAD_PNG = {"fr": "Télécharger le graphique en PNG", "en": "Download plot as a PNG"}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_page_renders_cleanly_and_passes_axe(driver: Any, live_url: str, axe_source: str,
                                             path: str, lang: str) -> None:
    driver.get_log("browser")  # drop earlier messages
    open_page(driver, live_url + path + ("&" if "?" in path else "?") + f"lang={lang}")
    if "carte" in path:
        wait_for(lambda: map_paths(driver) >= N_DEPARTMENTS, what="map")
    assert driver.title.endswith(SITE[lang])
    assert driver.execute_script("return document.documentElement.lang") == lang
    banner = driver.execute_script(
        "return document.querySelector('.banner-simulated').innerText")
    assert SIMULATED[lang] in banner
    assert run_axe(driver, axe_source) == []
    assert severe_logs(driver) == []
    hosts = driver.execute_script(  # nothing fetched from elsewhere (plotly included)
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).host)")
    assert set(hosts) <= {urlparse(live_url).netloc}
    titles = driver.execute_script(
        "return Array.from(document.querySelectorAll('.modebar-btn'))"
        ".map(b => b.getAttribute('data-title'))")
    if titles:  # plotly's toolbar speaks the page's language, and sends nothing outside
        assert DOWNLOAD_PNG[lang] in titles
        assert not any("Share" in (x or "") for x in titles)


def test_not_found_page(driver: Any, live_url: str) -> None:
    open_page(driver, live_url + "/nulle-part")
    assert "Page introuvable" in driver.title


def test_map_draws_every_area_without_leaving_the_site(driver: Any, live_url: str) -> None:
    open_page(driver, live_url + "/carte")
    # each area once (and the Paris zoom's four), each painted
    wait_for(lambda: map_paths(driver) == N_DEPARTMENTS + 4, what="every area")
    assert driver.execute_script("return document.querySelectorAll('#carte-map path').length"
                                 ) == N_DEPARTMENTS + 4 + 1  # and the outline of the pointed
    hosts = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).host)")
    assert set(hosts) <= {urlparse(live_url).netloc}


def test_controls_update_values_and_url(driver: Any, live_url: str) -> None:
    open_page(driver, live_url + "/carte")
    wait_for(lambda: map_paths(driver) >= N_DEPARTMENTS, what="map")
    get_values = ("return [...document.querySelectorAll('#carte-map path.area')]"
                  ".map(p => p.getAttribute('fill')).join('|')")
    before = driver.execute_script(get_values)
    choose(driver, "carte-localisation", "lung")
    wait_for(lambda: query(driver).get("localisation") == "lung", what="URL update")
    wait_for(lambda: driver.execute_script(get_values) != before, what="new map values")
    assert "poumon" in driver.find_element("id", "carte-title").text  # inside the sentence
    choose(driver, "carte-localisation", "prostate")
    wait_for(lambda: query(driver).get("sexe") == "male", what="sex follows the site")
    choose(driver, "carte-niveau", "region")
    wait_for(lambda: query(driver).get("niveau") == "region", what="level in URL")
    wait_for(lambda: map_paths(driver) == 18, what="map of regions")


def test_copied_url_restores_the_view(driver: Any, live_url: str) -> None:
    url = (live_url + "/carte?mesure=mortality&localisation=breast&sexe=female&periode=2021"
           "&indicateur=sir&niveau=region&lang=fr")
    open_page(driver, url)
    values = driver.execute_script(
        "return ['carte-mesure','carte-localisation','carte-sexe','carte-periode',"
        "'carte-indicateur','carte-niveau'].map(id => document.getElementById(id).value)")
    assert values == ["mortality", "breast", "female", "2021", "sir", "region"]
    assert "2021" in driver.find_element("id", "carte-title").text


def test_stale_url_falls_back_with_a_note(driver: Any, live_url: str) -> None:
    open_page(driver, live_url + "/carte?periode=1850&indicateur=bogus")
    note = driver.find_element("css selector", ".notice").text
    assert "1850" in note and "bogus" in note
    wait_for(lambda: "periode=2019-2023" in driver.current_url, what="canonical URL")
    assert "indicateur=asr_world" in driver.current_url


def test_language_switch(driver: Any, live_url: str) -> None:
    open_page(driver, live_url + "/carte?localisation=lung")
    driver.execute_script("window.__sameDocument = true")
    driver.find_element("id", "lang-switch").click()
    # (<html lang> changes at the click, the page when the router's answer is drawn)
    wait_for(lambda: driver.execute_script(
        "const b = document.querySelector('.banner-simulated');"
        "return document.documentElement.lang === 'en' && !!b"
        " && b.innerText.includes('Simulated data')"
        " && document.title.endsWith('Cancer in France')"), what="English page")
    assert query(driver).get("lang") == "en" and query(driver).get("localisation") == "lung"
    assert driver.title.endswith("Cancer in France")
    assert "Simulated data" in driver.find_element("css selector", ".banner-simulated").text
    assert "lung" in driver.find_element("id", "carte-title").text  # the view, in English
    wait_for(lambda: map_paths(driver) >= N_DEPARTMENTS, what="map in English")
    # drawn in the page (no new document), focus back on the switch for keyboard users
    assert driver.execute_script("return window.__sameDocument === true")
    wait_for(lambda: driver.switch_to.active_element.get_attribute("id") == "lang-switch",
             what="focus on the language switch")
    driver.find_element("id", "lang-switch").click()
    wait_for(lambda: driver.execute_script("return document.documentElement.lang") == "fr",
             what="back to French")
    assert query(driver).get("localisation") == "lung"
    driver.back()  # the browser's history holds each language
    wait_for(lambda: driver.execute_script("return document.documentElement.lang") == "en"
             and "Simulated data" in driver.find_element(
                 "css selector", ".banner-simulated").text, what="back to English")
    # a new tab or a page without scripts: the switch stays a plain link to the view
    href = driver.find_element("id", "lang-switch").get_attribute("href")
    assert urlparse(href).path == "/carte" and "lang=fr" in href and "localisation=lung" in href


def test_back_before_the_other_language_arrives(driver: Any, live_url: str) -> None:
    """Back pressed while the router's answer for the other language is still on its way: the
    page ends in the language of the address, not in the one the late answer carries."""
    open_page(driver, live_url + "/carte?localisation=lung")
    wait_for(lambda: map_paths(driver) >= N_DEPARTMENTS, what="map")
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": False, "latency": 700, "downloadThroughput": -1, "uploadThroughput": -1})
    try:
        driver.find_element("id", "lang-switch").click()
        wait_for(lambda: query(driver).get("lang") == "en", what="English address")
        driver.back()
        wait_for(lambda: query(driver).get("lang", "fr") == "fr", what="French address again")
        time.sleep(2.5)  # both answers, the English one first asked, have arrived
        wait_for(lambda: driver.execute_script(
            "return !document.querySelector('[data-dash-is-loading=\"true\"]')"),
            what="callbacks")
    finally:
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
            "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    assert query(driver).get("lang", "fr") == "fr" and query(driver).get("localisation") == "lung"
    assert driver.execute_script("return document.documentElement.lang") == "fr"
    assert "Données simulées" in driver.find_element("css selector", ".banner-simulated").text
    assert "poumon" in driver.find_element("id", "carte-title").text.lower()


def test_back_button_restores_the_previous_view(driver: Any, live_url: str) -> None:
    open_page(driver, live_url + "/carte")
    choose(driver, "carte-localisation", "lung")
    wait_for(lambda: query(driver).get("localisation") == "lung", what="URL update")
    choose(driver, "carte-mesure", "mortality")
    wait_for(lambda: query(driver).get("mesure") == "mortality", what="URL update")
    driver.back()
    wait_for(lambda: query(driver).get("mesure") == "incidence", what="previous address")
    wait_for(lambda: driver.execute_script(
        "return document.getElementById('carte-mesure').value") == "incidence",
        what="previous view drawn")
    assert driver.execute_script(
        "return document.getElementById('carte-localisation').value") == "lung"
    assert "poumon" in driver.find_element("id", "carte-title").text
    driver.forward()
    wait_for(lambda: driver.execute_script(
        "return document.getElementById('carte-mesure').value") == "mortality",
        what="next view drawn")


def test_control_change_draws_what_the_page_would(driver: Any, live_url: str) -> None:
    """After a control change, the legend and the language switch are those of the view's own
    page (sent with the map's answer / set in the browser, not by later callbacks)."""
    shown = ("return [document.querySelector('.legend').innerText, "
             "document.getElementById('lang-switch').getAttribute('href')]")
    open_page(driver, live_url + "/carte")
    before = driver.execute_script(shown)
    choose(driver, "carte-indicateur", "sir")
    wait_for(lambda: query(driver).get("indicateur") == "sir", what="URL update")
    wait_for(lambda: driver.execute_script(shown) != before, what="legend and switch updated")
    wait_for(lambda: driver.execute_script(
        "return !document.querySelector('[data-dash-is-loading=\"true\"]')"), what="callbacks")
    after = driver.execute_script(shown)
    assert "indicateur=sir" in after[1] and "lang=en" in after[1]
    open_page(driver, driver.current_url)
    assert driver.execute_script(shown) == after


def test_skip_link_and_keyboard(driver: Any, live_url: str) -> None:
    from selenium.webdriver.common.keys import Keys

    open_page(driver, live_url + "/")
    body = driver.find_element("tag name", "body")
    body.send_keys(Keys.TAB)
    active = driver.switch_to.active_element
    assert active.text == "Aller au contenu"
    active.send_keys(Keys.ENTER)
    wait_for(lambda: driver.current_url.endswith("#contenu"), what="jump to content")


def test_the_map_tables_area_names_open_their_profiles_from_the_keyboard(
        driver: Any, live_url: str) -> None:
    """What a click on the map does, the keyboard does from the data table: each area's name
    is a link to its profile in the view's terms, followed in the page."""
    from selenium.webdriver.common.keys import Keys

    open_page(driver, live_url + "/carte?localisation=lung")
    driver.execute_script("window.__sameDocument = true")
    summary = driver.find_element("css selector", ".table-details summary")
    summary.send_keys(Keys.ENTER)  # open the folded table
    link = wait_for(lambda: driver.find_element(
        "css selector", '#carte-table th a[href^="/territoire/departement/69?"]'), what="link")
    assert link.text == "Rhône" and "localisation=lung" in link.get_attribute("href")
    link.send_keys(Keys.ENTER)
    wait_for(lambda: driver.find_element("css selector", "#contenu h1").text == "Rhône",
             what="profile page")
    assert query(driver).get("localisation") == "lung"
    assert driver.execute_script("return window.__sameDocument === true")


WARMED = ("return performance.getEntriesByType('resource').map(e => e.name)"
          ".filter(n => n.includes('/_warm?to='))"
          ".map(n => decodeURIComponent(n.split('/_warm?to=')[1]))")


def test_a_resting_pointer_has_the_view_drawn_ahead(driver: Any, live_url: str) -> None:
    """A pointer resting on an area of the map or on the language switch asks the server to
    draw that view (``/_warm``, 204), once per address, before the click. (Other links the
    pointer happens to rest on as the page scrolls under it may be drawn ahead too.)"""
    from selenium.webdriver.common.action_chains import ActionChains

    def warmed(prefix: str) -> list[str]:
        return [a for a in driver.execute_script(WARMED) if a.startswith(prefix)]

    open_page(driver, live_url + "/carte?localisation=lung")
    wait_for(lambda: map_paths(driver) >= N_DEPARTMENTS, what="map")
    assert warmed("/territoire/departement/69?") == []
    area = driver.find_element("css selector", '#carte-map path.area[data-code="69"]')
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", area)
    ActionChains(driver).move_to_element(area).pause(0.3).move_by_offset(1, 1).pause(
        0.3).perform()
    profile = wait_for(lambda: warmed("/territoire/departement/69?"), what="profile ahead")
    assert len(profile) == 1 and "localisation=lung" in profile[0] and "lang=fr" in profile[0]
    switch = driver.find_element("id", "lang-switch")
    driver.execute_script("window.scrollTo(0, 0)")
    ActionChains(driver).move_to_element(switch).pause(0.3).perform()
    english = wait_for(lambda: [a for a in warmed("/carte?") if "lang=en" in a],
                       what="other language drawn ahead")
    assert len(english) == 1 and "localisation=lung" in english[0]
    switch.click()
    wait_for(lambda: driver.execute_script("return document.documentElement.lang") == "en"
             and "Simulated data" in driver.find_element(
                 "css selector", ".banner-simulated").text, what="English page")
    status = driver.execute_script(
        "return performance.getEntriesByType('resource')"
        ".filter(e => e.name.includes('/_warm?')).map(e => e.responseStatus)")
    assert status and set(status) <= {204}, status


TIP = ("const t = document.querySelector('#carte-map .area-map-tip');"
       "return t.hidden ? null : t.innerText;")


def test_pointing_at_an_area_shows_it_and_a_click_opens_its_profile(driver: Any,
                                                                   live_url: str) -> None:
    """Real pointer input: the area pointed at is outlined, its name, value (as the table
    shows it) and unit beside the pointer; a click opens its profile, in the view's terms."""
    from selenium.webdriver.common.action_chains import ActionChains

    open_page(driver, live_url + "/carte?localisation=lung")
    wait_for(lambda: map_paths(driver) >= N_DEPARTMENTS, what="map")
    area = driver.find_element("css selector", '#carte-map path.area[data-code="69"]')
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", area)
    ActionChains(driver).move_to_element(area).perform()
    tip = wait_for(lambda: driver.execute_script(TIP), what="tip")
    name, value, unit = tip.split("\n")
    assert name == "Rhône" and "pour 100" in unit
    rows = driver.execute_script(
        "return [...document.querySelectorAll('#carte-table tbody tr')]"
        ".map(r => [...r.children].map(c => c.textContent))")
    row = next(r for r in rows if r[0] == "Rhône")
    assert value == f"{row[1]} ({row[2]})"  # value and interval, as in the table
    assert driver.execute_script(
        "return document.querySelector('#carte-map .area-pointed').getAttribute('d')"
    ) == area.get_attribute("d")
    time.sleep(0.5)  # the map page draws no plotly chart: plotly.js is not evaluated
    assert driver.execute_script("return window.Plotly === undefined")
    ActionChains(driver).click().perform()
    wait_for(lambda: "/territoire/departement/69" in driver.current_url, what="profile URL")
    assert query(driver).get("localisation") == "lung"
    wait_for(lambda: driver.find_element("css selector", "#contenu h1").text == "Rhône",
             what="profile page")
    # the profile's plotly chart, scrolled to, has plotly.js evaluated once, and draws
    driver.execute_script(SCROLL_TO_BOX, "territoire-funnel_fig")
    wait_for(lambda: driver.execute_script(
        "return document.querySelectorAll('.js-plotly-plot .main-svg').length > 0"),
        what="profile charts")
    assert driver.execute_script(
        "return document.querySelectorAll('script[src*=\"plotly.min.js\"]').length") == 1


@pytest.mark.parametrize("path", ["/carte?lang=en&niveau=region&indicateur=sir",
                                  "/inegalites?lang=en&zone=84", "/nulle-part"])
def test_axe_other_views(driver: Any, live_url: str, axe_source: str, path: str) -> None:
    open_page(driver, live_url + path)
    if "carte" in path:
        wait_for(lambda: map_paths(driver) > 0, what="map")
    assert run_axe(driver, axe_source) == []


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", ["/api/v1/docs", "/telechargements"])
def test_api_pages_pass_axe(driver: Any, live_url: str, axe_source: str, path: str,
                            lang: str) -> None:
    """The API's HTML pages (no script of their own), in both languages and at phone width."""
    driver.get_log("browser")  # drop earlier messages
    driver.get(f"{live_url}{path}?lang={lang}")
    assert driver.execute_script("return document.documentElement.lang") == lang
    assert run_axe(driver, axe_source) == []
    size = driver.get_window_size()
    try:
        driver.set_window_size(390, 900)
        assert run_axe(driver, axe_source) == []
        assert driver.execute_script(  # nothing wider than the phone's screen
            "return document.documentElement.scrollWidth") <= 390
    finally:
        driver.set_window_size(size["width"], size["height"])
    assert severe_logs(driver) == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_profile_at_phone_width(driver: Any, live_url: str, axe_source: str, lang: str) -> None:
    """At 390 px the page is no wider than the screen, the comparison and trend tables are
    cards whose cells say their column, and axe still finds nothing."""
    size = driver.get_window_size()
    try:
        driver.set_window_size(390, 900)
        open_page(driver, f"{live_url}/territoire/region/84?lang={lang}")
        assert driver.execute_script("return document.documentElement.scrollWidth") <= 390
        shown = driver.execute_script(
            "const td = document.querySelector('table.stack td[data-label]');"
            "return [getComputedStyle(td).display, getComputedStyle(td, '::before').content];")
        assert shown[0] == "block" and shown[1] not in ("none", "normal", "")
        assert run_axe(driver, axe_source) == []
    finally:
        driver.set_window_size(size["width"], size["height"])


def test_navigation_keeps_language_and_marks_current_page(driver: Any, live_url: str) -> None:
    open_page(driver, live_url + "/?lang=en")
    driver.execute_script("window._sameDocument = true; window.scrollTo(0, 400);")
    driver.find_element("css selector", ".site-nav a[href^='/carte']").click()
    wait_for(lambda: driver.title.startswith("Map of areas"), what="map page")
    # the header is a plain part (static_tree.py): its links are followed in the page, as
    # dcc.Link's are, and the new page is shown from its top (its content has the focus)
    assert driver.execute_script("return window._sameDocument === true && window.scrollY <= "
                                 "document.getElementById('contenu').offsetTop")
    current = driver.execute_script(
        "return document.querySelector('.site-nav a[aria-current=\"page\"]').textContent")
    assert current == "Map"
    assert query(driver).get("lang") == "en" and query(driver).get("niveau") == "department"
    assert driver.switch_to.active_element.get_attribute("id") == "contenu"


PLOT_DATA = ("const p = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');"
             "return p && p.data ? JSON.stringify(p.data.map(t => [t.x, t.y])) : null;")


SCROLL_TO_BOX = "document.getElementById(arguments[0] + '-box').scrollIntoView()"


def test_charts_out_of_view_are_redrawn_when_in_view(driver: Any, live_url: str) -> None:
    """A chart far below is drawn when the reader scrolls to it; a filter change redraws at
    once the charts on screen, one far below waits likewise, its summary and table changing
    at once."""
    open_page(driver, live_url + "/territoire/departement/69")
    funnel = "territoire-funnel_fig"
    time.sleep(0.3)
    # below the fold: not even mounted (no plotly drawing), an empty box of its height
    assert driver.execute_script(PLOT_DATA, funnel) is None
    assert not driver.find_elements("id", funnel)
    box = driver.execute_script(
        "const b = document.getElementById(arguments[0] + '-box');"
        "return b && !b.firstChild"
        " && [b.getBoundingClientRect().height, b.getBoundingClientRect().top];", funnel)
    height = driver.execute_script("return innerHeight")
    assert box and box[0] > 200 and box[1] > 1.5 * height, (box, height)
    # more than half a window's height away: plotly.js not evaluated yet (main thread spared)
    time.sleep(0.5)
    assert driver.execute_script("return window.Plotly === undefined")
    # within half a window's height: evaluated when the browser is idle, before it is needed
    driver.execute_script("window.scrollTo(0, arguments[0])", box[1] - 1.4 * height)
    wait_for(lambda: driver.execute_script("return !!window.Plotly"), what="plotly.js")
    assert not driver.find_elements("id", funnel)
    driver.execute_script(SCROLL_TO_BOX, funnel)
    wait_for(lambda: driver.execute_script(PLOT_DATA, funnel) not in (None, "[]"),
             what="funnel drawn when seen")
    # the trend chart above it (SVG, no plotly) likewise: drawn once scrolled to
    driver.execute_script("window.scrollTo(0, 0)")
    trend = "territoire-trend_fig"
    driver.get(driver.current_url)
    wait_for(lambda: driver.execute_script(
        "return !!document.getElementById(arguments[0] + '-box')", trend), what="profile")
    assert not driver.find_elements("id", trend)
    driver.execute_script(SCROLL_TO_BOX, trend)
    wait_for(lambda: len(driver.execute_script(TREND, trend)["series"]) >= 1,
             what="trend chart drawn when seen")
    driver.execute_script(SCROLL_TO_BOX, funnel)
    wait_for(lambda: driver.execute_script(PLOT_DATA, funnel) not in (None, "[]"),
             what="funnel drawn when seen")
    assert driver.execute_script(  # evaluated once (dcc.Graph used the one loaded)
        "return document.querySelectorAll('script[src*=\"plotly.min.js\"]').length") == 1
    driver.execute_script("window.scrollTo(0, 0)")
    before = driver.execute_script(PLOT_DATA, funnel)
    text = driver.find_element("id", "territoire-funnel_text").text
    choose(driver, "territoire-localisation", "lung")
    wait_for(lambda: driver.find_element("id", "territoire-funnel_text").text != text,
             what="funnel summary")
    time.sleep(0.3)
    assert driver.execute_script(PLOT_DATA, funnel) == before  # out of view: not yet drawn
    driver.execute_script(SCROLL_TO_BOX, funnel)
    wait_for(lambda: driver.execute_script(PLOT_DATA, funnel) != before, what="funnel redrawn")
    # printing draws the charts still waiting
    driver.execute_script("window.scrollTo(0, 0)")
    waiting = driver.execute_script(PLOT_DATA, funnel)
    text = driver.find_element("id", "territoire-funnel_text").text
    site = driver.execute_script(
        "return [...document.querySelectorAll('#territoire-localisation option')]"
        ".map(o => o.value).find(v => v && v !== 'all' && v !== 'lung')")
    choose(driver, "territoire-localisation", site)
    wait_for(lambda: driver.find_element("id", "territoire-funnel_text").text != text,
             what="summaries")
    time.sleep(0.3)
    assert driver.execute_script(PLOT_DATA, funnel) == waiting
    driver.execute_script("window.dispatchEvent(new Event('beforeprint'))")
    wait_for(lambda: driver.execute_script(PLOT_DATA, funnel) != waiting, what="drawn to print")
    # a figure still waiting when the page is drawn again (here in English) is forgotten
    text = driver.find_element("id", "territoire-funnel_text").text
    choose(driver, "territoire-localisation", "lung")
    wait_for(lambda: driver.find_element("id", "territoire-funnel_text").text != text,
             what="summaries")
    driver.find_element("id", "lang-switch").click()
    wait_for(lambda: driver.execute_script("return document.documentElement.lang") == "en",
             what="English page")
    driver.execute_script(SCROLL_TO_BOX, funnel)
    time.sleep(0.5)
    names = driver.execute_script(
        "return document.querySelector('#' + arguments[0] + ' .js-plotly-plot').data"
        ".map(t => t.name).join('|')", funnel)
    assert "Limites" not in names and "limits" in names, names
    # a chart in view beside the controls is redrawn at once
    open_page(driver, live_url + "/inegalites")
    wait_for(lambda: driver.execute_script(QUINTILES)["dots"] == 5, what="quintiles drawn")
    shown = driver.execute_script(QUINTILES)
    choose(driver, "inegalites-localisation", "lung")
    wait_for(lambda: driver.execute_script(QUINTILES)["values"] != shown["values"],
             what="quintiles")


QUINTILES = """
const chart = document.getElementById('inegalites-quintiles');
const svg = chart && chart.querySelector('svg');
const box = (el) => { const b = el.getBoundingClientRect(); return [b.left, b.right]; };
return svg ? {
    dots: svg.querySelectorAll('.quintile-dot').length,
    bars: svg.querySelectorAll('.quintile-point path').length,
    heights: [...svg.querySelectorAll('.quintile-dot')].map(c => Number(c.getAttribute('cy'))),
    values: [...svg.querySelectorAll('.quintile-value')].map(t => t.textContent),
    titles: [...svg.querySelectorAll('.quintile-point title')].map(t => t.textContent),
    categories: [...svg.querySelectorAll('.quintile-category tspan')].map(t => t.textContent),
    labels: [...svg.querySelectorAll('.quintile-category tspan')].map(box),
    chart: box(svg), name: svg.getAttribute('aria-label'),
    empty: (svg.querySelector('.quintile-empty') || {}).textContent || null,
} : {dots: 0};"""


EVIL = "<img src=x onerror=\"window.__injected=1\">&amp;"  # text a chart must draw as text


def set_chart_data(driver: Any, chart: str, data: dict[str, Any]) -> None:
    """Give an SVG chart component new ``data``, as a callback would."""
    driver.execute_script(
        "window.dash_clientside.set_props(arguments[0], {data: arguments[1]})", chart, data)


def injected(driver: Any, chart: str) -> bool:
    """Whether ``EVIL`` became markup in ``chart`` (or ran)."""
    return driver.execute_script(
        "return document.querySelectorAll('#' + arguments[0] + ' img').length > 0"
        " || window.__injected !== undefined", chart)


@pytest.mark.parametrize("width", [1280, 390])
def test_quintile_chart_draws_the_rates_of_its_table(driver: Any, live_url: str,
                                                     width: int) -> None:
    """The quintile chart (drawn without plotly): a dot per published rate, higher rates
    higher, each with its interval and its value shown on pointing, the categories inside the
    chart at phone width too; a view without rates says so; text stays text."""
    size = driver.get_window_size()
    try:
        driver.set_window_size(width, size["height"])
        open_page(driver, live_url + "/inegalites?lang=fr&mesure=mortality&localisation=lung")
        got = wait_for(lambda: (q := driver.execute_script(QUINTILES))["dots"] == 5 and q,
                       what="quintiles")
        table = driver.execute_script(
            "return [...document.querySelectorAll('#inegalites-qtable tbody tr')]"
            ".map(r => r.cells[1].textContent)")
        assert got["values"] == table  # the table's values, in the same order
        rates = [float(v.replace("\u202f", "").replace(",", ".")) for v in table]
        order = sorted(range(5), key=lambda i: rates[i])
        assert sorted(got["heights"], reverse=True) == [got["heights"][i] for i in order]
        assert got["bars"] == 5 and got["name"]
        assert got["titles"][0].startswith("Q1 (moins défavorisé)\u202f: " + table[0])
        assert got["categories"][:2] == ["Q1", "(moins défavorisé)"]
        left, right = got["chart"]
        assert all(left <= a and b <= right + 1 for a, b in got["labels"]), got
        assert driver.execute_script(  # values hidden until pointed at
            "return [...document.querySelectorAll('#inegalites-quintiles .quintile-value')]"
            ".every(t => getComputedStyle(t).visibility === 'hidden')")
        from selenium.webdriver.common.action_chains import ActionChains
        dot = driver.find_elements("css selector", "#inegalites-quintiles .quintile-dot")[2]
        ActionChains(driver).move_to_element(dot).perform()
        wait_for(lambda: driver.find_elements(
            "css selector", "#inegalites-quintiles .quintile-value")[2].is_displayed(),
            what="value shown on pointing")
    finally:
        driver.set_window_size(size["width"], size["height"])
    set_chart_data(driver, "inegalites-quintiles", {
        "points": [], "categories": [], "axisTitle": EVIL, "label": EVIL, "empty": EVIL,
        "separators": ".,"})
    wait_for(lambda: driver.execute_script(QUINTILES)["empty"] == EVIL, what="empty chart")
    assert not injected(driver, "inegalites-quintiles")


TREND = """
const chart = document.getElementById(arguments[0]);
const svg = chart && chart.querySelector('svg');
const box = (el) => { const b = el.getBoundingClientRect(); return [b.left, b.right]; };
return svg ? {
    series: [...svg.querySelectorAll('.trend-series')].map(
        g => [...g.querySelectorAll('circle')].map(c => Number(c.getAttribute('cy')))),
    bands: svg.querySelectorAll('.trend-band').length,
    fitted: svg.querySelectorAll('.trend-fitted').length,
    years: [...svg.querySelectorAll('.trend-year')].map(t => [t.textContent, ...box(t)]),
    chart: box(svg), name: svg.getAttribute('aria-label'),
    keys: [...chart.querySelectorAll('.trend-legend button')].map(
        b => [b.textContent, b.getAttribute('aria-pressed')]),
    tip: getComputedStyle(chart.querySelector('.trend-tip')).display === 'none' ? null
        : chart.querySelector('.trend-tip').innerText,
    empty: (svg.querySelector('.trend-empty') || {}).textContent || null,
} : {series: []};"""


def _number(text: str, lang: str = "en") -> float:
    text = text.replace("\u202f", "")
    return float(text.replace(",", ".") if lang == "fr" else text.replace(",", ""))


def assert_one_scale(values: list[float], heights: list[float]) -> None:
    """Every point at the height of its value on one linear scale, higher values higher."""
    assert len(values) == len(heights) >= 2
    pairs = sorted(zip(values, heights, strict=True))
    (v0, y0), (v1, y1) = pairs[0], pairs[-1]
    assert v1 > v0 and y1 < y0
    slope = (y1 - y0) / (v1 - v0)
    assert all(abs(y0 + slope * (v - v0) - cy) <= 0.3 for v, cy in pairs), pairs


def test_rate_ratio_over_time_is_drawn_when_scrolled_to(driver: Any, live_url: str) -> None:
    """/inegalites' rate ratio by year (the trend chart, one series): mounted when scrolled
    to, its points at the heights of the table's values, the reference line at 1, no
    legend."""
    open_page(driver, live_url + "/inegalites?lang=fr")
    chart = "inegalites-over-time"
    assert not driver.find_elements("id", chart)
    driver.execute_script(SCROLL_TO_BOX, chart)
    got = wait_for(lambda: len((q := driver.execute_script(TREND, chart))["series"]) == 1
                   and q, what="rate ratio drawn")
    rows = driver.execute_script(
        "return [...document.querySelectorAll('#inegalites-over-table tbody tr')]"
        ".map(r => r.cells[1].textContent)")
    values = [_number(v, "fr") for v in rows if v != "—"]
    assert len(values) == len(got["series"][0]) >= 2
    reference = driver.execute_script(
        "const l = document.querySelector('#' + arguments[0] + ' .trend-reference');"
        "return l && Number(l.getAttribute('y1'));", chart)
    assert reference is not None
    assert_one_scale([*values, 1.0], [*got["series"][0], reference])
    assert got["keys"] == [] and not driver.find_elements(
        "css selector", f"#{chart} .trend-legend")


@pytest.mark.parametrize("width", [1280, 390])
def test_trend_chart_draws_the_values_of_its_table(driver: Any, live_url: str,
                                                   width: int) -> None:
    """The trend chart (drawn without plotly): a line of points per area with a value, each
    point at the height of its table value, the years inside the chart without overlapping;
    pointing at a point names its area, period and value; the legend's buttons hide and show
    an area from the keyboard; an area without values is named; text stays text."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    size = driver.get_window_size()
    chart = "evolution-graph"
    try:
        driver.set_window_size(width, size["height"])
        open_page(driver, live_url + "/evolution?lang=en&comparer=region-84")
        got = wait_for(lambda: len((q := driver.execute_script(TREND, chart))["series"]) == 2
                       and q, what="two series")
        rows = driver.execute_script(
            "return [...document.querySelectorAll('#evolution-data tbody tr')]"
            ".map(r => [r.cells[0].textContent, r.cells[1].textContent])")
        values = [[_number(v) for name, v in rows if name.startswith(area + ", ")]
                  for area in ("France", "Auvergne-Rhône-Alpes")]
        assert [len(v) for v in values] == [len(s) for s in got["series"]]
        assert_one_scale([v for vs in values for v in vs],
                         [cy for cys in got["series"] for cy in cys])
        assert got["fitted"] == 2 and got["name"].startswith("Trend: ")
        years = got["years"]
        left, right = got["chart"]
        assert years and all(left <= a and b <= right + 1 for _, a, b in years), years
        assert all(b < c for (_, _, b), (_, c, _) in itertools.pairwise(years)), years
        assert [k for k, _ in got["keys"]] == ["France", "Auvergne-Rhône-Alpes"]
        point = driver.find_elements("css selector", f"#{chart} .trend-series circle")[1]
        ActionChains(driver).move_to_element(point).perform()
        tip = wait_for(lambda: driver.execute_script(TREND, chart)["tip"], what="tooltip")
        assert tip.split("\n")[0] == "France"
        france = [r for r in rows if r[0].startswith("France, ")]
        assert tip.split("\n")[1] == france[1][0].split(", ")[1] + ": " + france[1][1]
        # the legend from the keyboard: the region hidden, then shown again
        button = driver.find_elements("css selector", f"#{chart} .trend-legend button")[1]
        driver.execute_script("arguments[0].focus()", button)
        button.send_keys(Keys.ENTER)
        hidden = wait_for(lambda: len((q := driver.execute_script(TREND, chart))["series"]) == 1
                          and q, what="region hidden")
        assert hidden["keys"][1][1] == "false" and len(hidden["series"][0]) == len(values[0])
        assert driver.switch_to.active_element == button
        button.send_keys(Keys.SPACE)
        wait_for(lambda: len(driver.execute_script(TREND, chart)["series"]) == 2,
                 what="region shown")
    finally:
        driver.set_window_size(size["width"], size["height"])
    set_chart_data(driver, chart, {
        "series": [{"name": EVIL, "colour": "#000091", "fitted": [],
                    "points": [[2020, 1, None, None, EVIL]]},
                   {"name": "None", "colour": "#d55e00", "points": [], "fitted": []}],
        "axisTitle": EVIL, "label": EVIL, "separators": ".,", "empty": "x", "noValue": EVIL,
        "fittedLabel": "f", "legendLabel": "l"})
    wait_for(lambda: driver.execute_script(TREND, chart)["keys"] == [[EVIL, "true"]],
             what="injected names")
    assert EVIL in driver.find_element("css selector", f"#{chart} .trend-key-none").text
    set_chart_data(driver, chart, {"series": [], "label": "l", "empty": EVIL,
                                   "separators": ".,"})
    wait_for(lambda: driver.execute_script(TREND, chart)["empty"] == EVIL, what="empty chart")
    assert not injected(driver, chart)


TRANSFERS = ("return Object.fromEntries(performance.getEntriesByType('resource')"
             ".map(e => [new URL(e.name).pathname, e.transferSize]))")


# Counts plotly's drawings of each chart, charts mounted later included (the language switch
# draws the page anew): a chart is counted from the moment plotly takes it (its class).
COUNT_DRAWS = """
window.dashboardDraws = {};
const watch = () => {
    for (const gd of document.querySelectorAll('.js-plotly-plot')) {
        if (gd.dashboardCounted) { continue; }
        gd.dashboardCounted = true;
        const id = gd.parentNode.id;
        window.dashboardDraws[id] = 0;
        gd.on('plotly_afterplot', () => { window.dashboardDraws[id] += 1; });
    }
};
watch();
new MutationObserver(watch).observe(document.body, {
    subtree: true, childList: true, attributes: true, attributeFilter: ['class']});"""


def test_a_new_figure_is_drawn_once_and_a_resize_redraws(driver: Any, live_url: str) -> None:
    """A control change draws a chart once; so does the language switch, which mounts a new
    chart (plotly's resize after a first drawing would draw it a second time); a window resize
    still redraws at the new width."""
    open_page(driver, live_url + "/inegalites?lang=fr")
    chart = "inegalites-funnel"
    driver.execute_script(SCROLL_TO_BOX, chart)
    wait_for(lambda: driver.execute_script(PLOT_DATA, chart), what="chart")
    time.sleep(0.5)  # the first drawing's own resize
    driver.execute_script(COUNT_DRAWS)
    shown = driver.execute_script(PLOT_DATA, chart)
    choose(driver, "inegalites-localisation", "lung")  # (scrolls to the select)
    driver.execute_script(SCROLL_TO_BOX, chart)
    wait_for(lambda: driver.execute_script(PLOT_DATA, chart) != shown, what="new figure")
    time.sleep(0.8)  # plotly's resize waits 100 ms: a second drawing would come by now
    draws = "return window.dashboardDraws[arguments[0]]"
    assert driver.execute_script(draws, chart) == 1
    driver.find_element("id", "lang-switch").click()
    wait_for(lambda: driver.execute_script("return document.documentElement.lang") == "en",
             what="English page")
    driver.execute_script(SCROLL_TO_BOX, chart)  # (mounted again when near the view)
    wait_for(lambda: driver.execute_script(draws, chart) == 1, what="chart in English")
    time.sleep(0.8)
    assert driver.execute_script(draws, chart) == 1
    size = driver.get_window_size()
    try:
        driver.set_window_size(900, size["height"])
        wait_for(lambda: driver.execute_script(
            "const gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');"
            "return Math.abs(gd._fullLayout.width - gd.clientWidth) <= 1"
            " && window.dashboardDraws[arguments[0]] === 2", chart),
            what="chart redrawn at the new width")
    finally:
        driver.set_window_size(size["width"], size["height"])


MAP_STATE = """const map = document.getElementById('carte-map');
const label = map.querySelector('.inset-label');
return {paths: Object.fromEntries([...map.querySelectorAll('path.area')].map(
            p => [p.parentNode.getAttribute('class') + ' ' + p.getAttribute('data-code'),
                  p.getAttribute('d')])),
        kept: map.querySelector('path.area').dashboardMark === true,
        fills: [...map.querySelectorAll('path.area')].map(p => p.getAttribute('fill')).join(),
        label: label ? label.textContent : null,
        labelPx: label ? label.getBoundingClientRect().height : null,
        fits: Math.abs(map.querySelector('svg').getBoundingClientRect().width
                       - map.clientWidth) <= 1,
        fetches: performance.getEntriesByType('resource')  // downloads, not cache hits
            .filter(e => e.name.endsWith(map.getAttribute('data-shapes'))
                         && e.transferSize > 0).length};"""


def test_the_map_paints_its_paths_in_place(driver: Any, live_url: str) -> None:
    """A filter change recolours the paths already drawn (the same elements, the same
    geometry); the language switch draws the map again from the geometry it has (no new
    download); the drawing fits any width, the inset's label at the same size in pixels."""
    open_page(driver, live_url + "/carte?lang=fr")
    wait_for(lambda: map_paths(driver) == N_DEPARTMENTS + 4, what="map")
    driver.execute_script("document.querySelector('#carte-map path.area').dashboardMark = true")
    first = driver.execute_script(MAP_STATE)
    assert first["label"] == "Paris et petite couronne" and first["fits"]
    assert first["fetches"] <= 1 and first["kept"]  # (0: in the browser's cache already)
    title = driver.find_element("id", "carte-title").text
    choose(driver, "carte-mesure", "mortality")
    wait_for(lambda: driver.find_element("id", "carte-title").text != title, what="new view")
    wait_for(lambda: driver.execute_script(MAP_STATE)["fills"] != first["fills"],
             what="new colours")
    after = driver.execute_script(MAP_STATE)
    assert after["kept"] and after["paths"] == first["paths"]
    assert after["fetches"] == first["fetches"]
    size = driver.get_window_size()
    try:
        driver.set_window_size(600, size["height"])
        wait_for(lambda: driver.execute_script(MAP_STATE)["fits"], what="resized")
        narrow = driver.execute_script(MAP_STATE)
        assert abs(narrow["labelPx"] - first["labelPx"]) <= 1.5, (narrow, first)
    finally:
        driver.set_window_size(size["width"], size["height"])
    driver.find_element("id", "lang-switch").click()
    wait_for(lambda: driver.execute_script(MAP_STATE)["label"] == "Paris and inner suburbs",
             what="map in English")
    english = driver.execute_script(MAP_STATE)
    assert english["paths"] == first["paths"] and english["fetches"] == first["fetches"]
    assert not english["kept"]  # a new map, drawn from the geometry the page has
    choose(driver, "carte-niveau", "region")
    wait_for(lambda: map_paths(driver) == 18, what="map of regions")
    regions = driver.execute_script(MAP_STATE)
    assert regions["label"] is None and len(regions["paths"]) == 18
    assert regions["fetches"] <= 1  # prefetched when idle, or fetched: downloaded once


RANKING_STATE = """
const box = document.querySelector('.ranking-scroll');
const rows = [...document.querySelectorAll('#carte-ranking .ranking-row')];
const centre = el => { const b = el.getBoundingClientRect(); return b.left + b.width / 2; };
return {
    names: rows.map(r => r.querySelector('.ranking-name').textContent),
    table: [...document.querySelectorAll('#carte-table tbody th')].map(th => th.textContent),
    x: rows.map(r => r.querySelector('circle, path')).filter(m => m).map(centre),
    values: [...document.querySelectorAll('#carte-ranking .ranking-value')].map(
        v => Number(v.textContent.replace(/\u202f/g, '').replace(',', '.'))),
    left: document.querySelector('#carte-ranking .ranking-rows').getBoundingClientRect().left,
    suppressed: rows.filter(r => r.querySelector('.ranking-suppressed')).length,
    reference: centre(document.querySelector('#carte-ranking .ranking-rows > line:last-child')),
    ticks: [...document.querySelectorAll('#carte-ranking .ranking-tick')].map(t => t.textContent),
    width: document.querySelector('#carte-ranking .ranking-rows').getBoundingClientRect().width,
    boxWidth: box.clientWidth,
};"""


def test_ranking_lists_every_area_in_the_table_order(driver: Any, live_url: str) -> None:
    """The ranking (drawn without plotly) lists the areas of the view highest first, in the
    order of the data table, suppressed areas last; its scale stays in view while the list
    scrolls; pointing at a row shows its value; its texts stay text; it follows the width of
    its box."""
    open_page(driver, live_url + "/carte?lang=fr&localisation=lung&sexe=female")
    got = wait_for(lambda: (s := driver.execute_script(RANKING_STATE))["names"] and s,
                   what="ranking")
    assert got["names"] == got["table"] and len(got["names"]) == N_DEPARTMENTS
    assert len(got["x"]) + got["suppressed"] == N_DEPARTMENTS and len(got["x"]) > 1
    # positions on one linear scale (values as shown: 1 decimal, hence the tolerance)
    x, v = got["x"], got["values"]
    slope = (x[0] - x[-1]) / (v[0] - v[-1])
    assert slope > 0 and all(abs(x[-1] + slope * (b - v[-1]) - a) <= 0.06 * slope + 0.5
                             for a, b in zip(x, v, strict=True))
    assert got["left"] < got["reference"] < got["left"] + got["width"]
    assert len(got["ticks"]) >= 3 and all("." not in t for t in got["ticks"])
    assert abs(got["width"] - got["boxWidth"]) <= 1
    scale = driver.find_element("css selector", "#carte-ranking .ranking-scale")
    box = driver.find_element("css selector", ".ranking-scroll")
    driver.execute_script("arguments[0].scrollTop = arguments[0].scrollHeight", box)
    wait_for(lambda: abs(scale.rect["y"] - box.rect["y"]) <= 2, what="scale kept in view")
    row = driver.find_elements("css selector", "#carte-ranking .ranking-row")[-1]
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", row)
    from selenium.webdriver.common.action_chains import ActionChains

    value = row.find_elements("css selector", ".ranking-value")
    if value:  # the last row may be suppressed: point at the first published one instead
        target = row
    else:
        target = driver.find_elements("css selector", "#carte-ranking .ranking-row")[0]
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", target)
    shown = target.find_element("css selector", ".ranking-value")
    assert not shown.is_displayed()
    ActionChains(driver).move_to_element(target.find_element(
        "css selector", ".ranking-name")).perform()
    wait_for(shown.is_displayed, what="value shown on pointing")
    assert shown.text and shown.text[0].isdigit()
    # the chart is written as markup: text stays text
    evil = "<img src=x onerror=\"window.__injected=1\">&amp;"
    driver.execute_script(
        "window.dash_clientside.set_props('carte-ranking', {data: {rows: [[arguments[0], 1, "
        "0.5, 1.5, 'higher', arguments[0], '1']], reference: 1, axisTitle: arguments[0], "
        "legend: [['higher', arguments[0]]], labelWidth: 120, separators: ',\u202f', "
        "suppressed: '', label: arguments[0]}})", evil)
    wait_for(lambda: driver.execute_script(
        "return document.querySelector('#carte-ranking .ranking-name').textContent"
        " === arguments[0]", evil), what="the name drawn as text")
    assert driver.execute_script(
        "return document.querySelectorAll('#carte-ranking img').length === 0"
        " && window.__injected === undefined"
        " && document.querySelector('#carte-ranking .ranking-legend li').textContent"
        " === arguments[0]", evil)
    size = driver.get_window_size()
    try:
        driver.set_window_size(700, size["height"])
        wait_for(lambda: abs((s := driver.execute_script(RANKING_STATE))["width"]
                             - s["boxWidth"]) <= 1 and abs(s["width"] - got["width"]) > 50,
                 what="ranking at the new width")
    finally:
        driver.set_window_size(size["width"], size["height"])
    # the France line stops where it would cross a "not published" label, and only there
    driver.execute_script(
        "window.dash_clientside.set_props('carte-ranking', {data: {rows: ["
        "['A', 2, null, null, 'higher', 'A', '2'], ['B', null, null, null, null, 'B', ''], "
        "['C', 1.1, null, null, 'lower', 'C', '1,1']], reference: 1, axisTitle: 'x', "
        "legend: [], labelWidth: 120, separators: ',\u202f', suppressed: 'non diffusable', "
        "label: 'x'}})")
    gap = wait_for(lambda: driver.execute_script(REFERENCE_GAP), what="ranking redrawn")
    assert len(gap["lines"]) == 2 and len({x for x, _, _ in gap["lines"]}) == 1
    assert gap["lines"][0][1] == 0 and gap["lines"][-1][2] == gap["height"]
    assert all(y2 <= gap["row"][0] or y1 >= gap["row"][1] for _, y1, y2 in gap["lines"])


REFERENCE_GAP = """
const label = document.querySelector('#carte-ranking .ranking-suppressed');
if (!label || document.querySelectorAll('#carte-ranking .ranking-row').length !== 3) {
    return null;
}
const box = label.getBBox();  // the label's own box in the chart's coordinates
const y = box.y, h = box.height;
const svg = document.querySelector('#carte-ranking .ranking-rows');
return {row: [y, y + h], height: Number(svg.getAttribute('height')) - 6,
        lines: [...svg.querySelectorAll(':scope > line[stroke-dasharray="6 4"]')].map(
            l => [Number(l.getAttribute('x1')), Number(l.getAttribute('y1')),
                  Number(l.getAttribute('y2'))])};"""


def test_idle_prefetch_serves_the_map_from_cache(driver: Any, live_url: str) -> None:
    """The home page fetches the map's geometry (and the funnels' plotly.js) when idle; the
    map then downloads neither (it draws without plotly.js), and prefetches the other level's
    geometry for a level change."""
    open_page(driver, live_url + "/")
    wanted = driver.find_element("id", "contenu").get_attribute("data-prefetch").split()
    assert any(u.endswith("plotly.min.js") for u in wanted)
    assert any(u.endswith("/department.json") for u in wanted)
    wait_for(lambda: set(wanted) <= set(driver.execute_script(TRANSFERS)), what="prefetch")
    driver.execute_script("performance.clearResourceTimings()")
    driver.find_element("css selector", ".cards a.card[href^='/carte?']").click()
    wait_for(lambda: map_paths(driver) >= N_DEPARTMENTS, what="map")
    got = driver.execute_script(TRANSFERS)
    department = next(u for u in wanted if u.endswith("/department.json"))
    assert got.get(department) == 0, got  # from the browser's cache
    assert all(got.get(u) in (0, None) for u in wanted), got
    wait_for(lambda: any(u.endswith("/region.json") for u in driver.execute_script(TRANSFERS)),
             what="prefetch of the region geometry")


CALLBACK_REQUESTS = ("return performance.getEntriesByType('resource')"
                     ".filter(e => e.name.includes('/_dash-update-component')).length")


@pytest.mark.parametrize("path", ["/carte", "/evolution", "/inegalites",
                                  "/territoire/departement/69"])
def test_a_page_load_costs_one_callback_request(driver: Any, live_url: str, path: str) -> None:
    """The router's request draws the page; its own callbacks wait for a control change."""
    open_page(driver, live_url + path)
    time.sleep(0.5)  # a callback chained to the render would have been sent by now
    assert driver.execute_script(CALLBACK_REQUESTS) == 1
    # and a click on the map opens the profile with one: the router's (the map moves the
    # browser itself)
    if path == "/carte":
        wait_for(lambda: map_paths(driver) >= N_DEPARTMENTS, what="map")
        driver.execute_script(
            "performance.clearResourceTimings();"
            "document.querySelector('#carte-map path.area[data-code=\"69\"]')"
            ".dispatchEvent(new MouseEvent('click', {bubbles: true, button: 0}))")
        wait_for(lambda: driver.find_element("css selector", "#contenu h1").text == "Rhône",
                 what="profile page")
        time.sleep(0.5)
        assert driver.execute_script(CALLBACK_REQUESTS) == 1


CSP_LISTENER = ("window.__csp = []; document.addEventListener('securitypolicyviolation', "
                "function (e) { window.__csp.push(e.violatedDirective + ' ' + e.blockedURI); });")


def test_no_content_security_policy_violation(driver: Any, live_url: str) -> None:
    """Every page, its callbacks and a control change run under the strict policy."""
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_LISTENER})
    for path in [*PAGES, "/nulle-part", "/carte?niveau=region&lang=en"]:
        open_page(driver, live_url + path)
        if "carte" in path:
            wait_for(lambda: map_paths(driver) > 0, what="map")
            choose(driver, "carte-localisation", "lung")
            wait_for(lambda: query(driver).get("localisation") == "lung", what="URL update")
        assert driver.execute_script("return window.__csp") == [], path
    for path in ["/telechargements", "/api/v1/docs"]:
        driver.get(live_url + path)
        assert driver.execute_script("return window.__csp") == [], path
    policy = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch('/carte').then(r => done(r.headers.get('content-security-policy')));")
    assert "script-src 'self' 'sha256-" in policy and "unsafe-inline' 'sha" not in policy


def test_stale_page_gets_the_reload_notice(driver: Any, live_url: str) -> None:
    """A page of an older release asks to reload instead of mixing numbers."""
    open_page(driver, live_url + "/carte")
    wait_for(lambda: map_paths(driver) > 0, what="map")
    before = driver.find_element("id", "carte-title").text
    driver.execute_script("document.getElementById('contenu').dataset.release = '20200101-old'")
    choose(driver, "carte-localisation", "lung")
    notice = wait_for(lambda: driver.find_element("id", "release-notice").text, what="notice")
    assert "Nouvelle version des données publiée" in notice and "rechargez" in notice
    assert driver.find_element("id", "carte-title").text == before  # no numbers of another


def test_the_benchmark_settles_on_the_last_change_that_stays(driver: Any,
                                                           live_url: str) -> None:
    """The browser benchmark's figure is the last DOM change still there when a frame is
    drawn: an attribute set and restored in one task (dcc.Graph's flag around a resize with
    nothing to do) is not counted; the time of any mutation is given apart."""
    open_page(driver, live_url + "/methodes?lang=fr")
    driver.execute_script((ROOT / "benchmarks" / "browser_instrument.js").read_text())
    r = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const el = document.getElementById('contenu');  // (it has a class)
        const start = performance.timeOrigin + performance.now();
        setTimeout(() => el.setAttribute('data-bench-test', '1'), 60);  // a change
        setTimeout(() => {  // a flag set, then cleared by a promise of the same task
            el.classList.add('bench-flag');
            Promise.resolve().then(() => el.classList.remove('bench-flag'));
        }, 250);
        window.__bench.settle(start, 300, 5000).then(done);""")
    assert 50 <= r["ms"] < 240, r
    assert r["anyMs"] >= 240, r
