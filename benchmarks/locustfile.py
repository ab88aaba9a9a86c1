"""Visitors and analysts of the site, for locust (headless): ``locust -f benchmarks/locustfile.py``.

A visitor loads a page as a browser does (HTML, ``/_dash-layout``, ``/_dash-dependencies``, the
router callback, then the page's callbacks with the release id the page was rendered with),
changes controls (the same callbacks with other values), opens the map geometry and downloads
the view's CSV. An analyst queries the API. Each callback answer must come from the page's
release: a stale-page notice is counted apart (``STALE``), an answer from another release is a
failure (« mixed releases »). Used by ``benchmarks/bench_load.py`` and the CI load test.
"""

from __future__ import annotations

import random
from typing import Any
from urllib.parse import parse_qs

from locust import FastHttpUser, between, events, task

from dashboard.web.devserver import callback_payload

PAGES = {"carte": "/carte", "evolution": "/evolution", "inegalites": "/inegalites",
         "territoire": "/territoire/departement/{code}"}
INDICATORS = ["asr_world", "asr_europe", "crude_rate", "sir"]
# What the release holds (read from the API by the first user): codes the controls offer.
CODES: dict[str, list[Any]] = {}
_deps: list[dict[str, Any]] = []


def load_codes(client: Any) -> None:
    """Sites, periods and areas of the release, from the API."""
    spec = client.get("/api/v1/openapi.json", name="setup").json()
    params = spec["paths"]["/api/v1/indicators"]["get"]["parameters"]
    published = next(p for p in params if p["name"] == "site")["schema"]["items"]["enum"]
    sites = client.get("/api/v1/sites?format=json", name="setup").json()
    CODES["sites"] = [(s["site_code"], "all" if s["sexes"] == "both" else s["sexes"])
                      for s in sites if s["site_code"] in published]
    rows = client.get("/api/v1/indicators?measure=incidence&level=country&site=all&sex=all"
                      "&format=json", name="setup").json()
    periods = {(r["year_start"], r["year_end"]) for r in rows}
    CODES["periods"] = [str(a) if a == b else f"{a}-{b}" for a, b in sorted(periods)][-4:]
    for level in ("department", "region"):
        geo = client.get(f"/api/v1/geographies?level={level}&format=json", name="setup").json()
        CODES[level] = [g["code"] for g in geo]


def page_state(rng: random.Random) -> dict[str, Any]:
    site, sex = rng.choice(CODES["sites"])
    regions, departments = CODES["region"], CODES["department"]
    return {"mesure": rng.choice(["incidence", "mortality"]), "localisation": site,
            "sexe": rng.choice(["all", "male", "female"]) if sex == "all" else sex,
            "niveau": rng.choice(["department", "region"]),
            "periode": rng.choice(CODES["periods"]),
            "indicateur": rng.choice(INDICATORS), "zone": rng.choice(["FR", *regions]),
            "rythme": rng.choice(["annuel", "quinquennal"]),
            "comparer": [f"region-{rng.choice(regions)}", "aucun",
                         f"department-{rng.choice(departments)}"]}


def value_of(spec: dict[str, Any], state: dict[str, Any], search: str, area: dict[str, str],
             ) -> Any:
    """The value a page would send for one input or state of a callback."""
    cid, prop = spec["id"], spec["property"]
    if cid == "url":
        return search
    if prop == "data":
        return area
    key = cid.split("-", 1)[1]
    if key.startswith("comparer-"):
        return state["comparer"][int(key.split("-")[1]) - 1]
    return state.get(key)


def page_callbacks(page: str) -> list[dict[str, Any]]:
    """Server callbacks driven by a page's controls (what a control change fires)."""
    return [d for d in _deps if d.get("clientside_function") is None and d["inputs"]
            and all(i["id"].startswith(f"{page}-") and i["property"] == "value"
                    for i in d["inputs"])]


class Visitor(FastHttpUser):
    """Opens pages, changes controls, looks at the map, downloads what it sees."""

    wait_time = between(3, 8)  # reading a map or a chart before the next click
    weight = 4

    def on_start(self) -> None:
        self.rng = random.Random()
        if not CODES:
            load_codes(self.client)
        if not _deps:  # users start together: replace, never add twice
            _deps[:] = self.client.get("/_dash-dependencies", name="dash dependencies").json()

    def callback(self, dep: dict[str, Any], values: list[Any], state: list[Any],
                 release: str | None, name: str, parse: bool = False,
                 ) -> tuple[str | None, Any]:
        """Post one callback as the renderer does; the release that answered (and the body)."""
        body = callback_payload(dep, values, state)
        if release:
            body["release"] = release
        with self.client.post("/_dash-update-component", json=body, name=name,
                              catch_response=True) as r:
            if r.status_code not in (200, 204):
                r.failure(f"status {r.status_code}")
                return None, None
            answered = r.headers.get("X-Release-Id")
            if r.headers.get("X-Release-Stale"):
                events.request.fire(request_type="STALE", name="stale page notice",
                                    response_time=0, response_length=0, exception=None,
                                    context={})
            elif release and answered != release:
                r.failure(f"mixed releases: page {release}, answer {answered}")
            return answered, r.json() if parse and r.status_code == 200 else None

    def fire(self, page: str, deps: list[dict[str, Any]], view: dict[str, Any], name: str,
             ) -> None:
        for dep in deps:
            self.callback(dep, [value_of(s, view["state"], view["search"], view["area"])
                                for s in dep["inputs"]],
                          [value_of(s, view["state"], view["search"], view["area"])
                           for s in dep["state"]], view["release"], name)

    def open_page(self, page: str) -> dict[str, Any]:
        """Load a page as a browser does; the view (release, state, search, area) it shows."""
        code = self.rng.choice(CODES["department"])
        path = PAGES[page].format(code=code)
        search = "?lang=" + self.rng.choice(["fr", "fr", "en"])
        self.client.get(path + search, name=f"page {page}")
        self.client.get("/_dash-layout", name="dash layout")
        self.client.get("/_dash-dependencies", name="dash dependencies")
        router = next(d for d in _deps if d["output"] == "..page.children...page-meta.data..")
        release, out = self.callback(router, [path, None], [search], None, "cb router",
                                     parse=True)
        canonical = ((out or {}).get("response", {}).get("page-meta", {}).get("data") or {}
                     ).get("search") or search
        state = {k: v[-1] for k, v in parse_qs(canonical.lstrip("?")).items()}
        compared = [c for c in state.pop("comparer", "").split(",") if c]
        state["comparer"] = (compared + ["aucun"] * 3)[:3]
        view = {"release": release, "state": state, "search": canonical,
                "area": {"level": "department", "code": code}}
        # the router's answer is the whole page: its own callbacks wait for a control change
        return view

    @task(3)
    def browse(self) -> None:
        page = self.rng.choice(list(PAGES))
        view = self.open_page(page)
        if page == "carte" and view["release"]:
            level = self.rng.choice(["department", "region"])
            self.client.get(f"/geo/{view['release']}/{level}.json", name="geo",
                            headers={"Accept-Encoding": "br, gzip"})
        for _ in range(self.rng.randint(1, 3)):  # change one control at a time
            deps = page_callbacks(page)
            key = self.rng.choice(sorted({i["id"].split("-", 1)[1] for d in deps
                                          for i in d["inputs"]}))
            if key.startswith("comparer-"):
                view["state"]["comparer"] = page_state(self.rng)["comparer"]
            else:
                view["state"][key] = page_state(self.rng)[key]
            self.fire(page, [d for d in deps if any(i["id"] == f"{page}-{key}"
                                                    for i in d["inputs"])], view,
                      f"cb {page} change")

    @task(1)
    def download(self) -> None:
        site, sex = self.rng.choice(CODES["sites"])
        self.client.get(f"/api/v1/indicators?measure=incidence&level=department&sex={sex}"
                        f"&site={site}&period_length=5&format=csv",
                        name="api download csv", headers={"Accept-Encoding": "gzip"})


class Analyst(FastHttpUser):
    """Queries the API (JSON), as a script or notebook would."""

    wait_time = between(2, 5)
    weight = 1

    def on_start(self) -> None:
        if not CODES:
            load_codes(self.client)

    @task
    def query(self) -> None:
        rng = random.Random()
        site, sex = rng.choice(CODES["sites"])
        level = rng.choice(["region", "department"])
        length = 1 if level == "region" else 5  # departments: 5-year periods only
        self.client.get(f"/api/v1/indicators?measure={rng.choice(['incidence', 'mortality'])}"
                        f"&level={level}&site={site}&sex={sex}&period_length={length}"
                        "&format=json",
                        name="api indicators json", headers={"Accept-Encoding": "gzip"})
        self.client.get(f"/api/v1/trends?site={site}&level=region&format=json",
                        name="api trends json")
