"""Dashboard benchmark: map filter change vs no-op and geometry-inline updates, first load size.

Usage: ``python benchmarks/bench_dashboard.py [RELEASE] [--requests 200]``

RELEASE defaults to ``data/indicators.duckdb`` and falls back to the synthetic test fixture.
The app runs on a loopback port in this process; every request goes to 127.0.0.1 only.
Server time is measured inside the server (WSGI, request to finished response); sizes are response
bodies as sent (``Accept-Encoding`` given where stated). Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import itertools
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import orjson
from dash import Input, Output

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._common import release_path  # noqa: E402
from dashboard.web import queries  # noqa: E402
from dashboard.web.app import create_app  # noqa: E402
from dashboard.web.devserver import callback_payload, find_dependency, serve  # noqa: E402
from dashboard.web.pages.carte import map_view, map_view_props  # noqa: E402
from dashboard.web.server import PLOTLY_JS  # noqa: E402
from dashboard.web.state import parse, serialise  # noqa: E402

UPDATE = "/_dash-update-component"


def add_bench_callbacks(app: Any) -> None:
    """A no-op callback and a naive map update (geometry inline), for comparison."""

    @app.callback(Output("bench-noop", "children"), Input("bench-noop-in", "n_clicks"))
    def noop(n: int | None) -> str:
        return "ok"

    @app.callback(Output("bench-full", "data"),
                  *[Input(f"bench-full-{k}", "value") for k in
                    ("mesure", "localisation", "sexe", "periode", "indicateur", "niveau")])
    def full(*values: str) -> dict[str, Any]:
        keys = ("mesure", "localisation", "sexe", "periode", "indicateur", "niveau")
        state = dict(zip(keys, values, strict=True))
        view = map_view(tuple(state.items()), "fr")
        return {"shapes": json.loads(queries.map_shapes(state["niveau"])),
                **map_view_props(state, "fr", view)}

    inner = app.server.wsgi_app

    def timed(environ: dict[str, Any], start_response: Any) -> Any:
        """Server time: from the request to the finished (compressed) response."""
        t0 = time.perf_counter()

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            headers.append(("X-Bench-Ms", f"{(time.perf_counter() - t0) * 1000:.3f}"))
            return start_response(status, headers, exc_info)

        return inner(environ, start)

    app.server.wsgi_app = timed


class Client:
    """A keep-alive HTTP client to the loopback server."""

    def __init__(self, base: str) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=60)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
        self.conn.request(method, path, body=body, headers=headers or {})
        resp = self.conn.getresponse()
        data = resp.read()
        return resp.status, data, {k.lower(): v for k, v in resp.getheaders()}

    def post(self, payload: dict[str, Any], encoding: str = "") -> tuple[int, float]:
        """POST a callback; returns (body size as sent, server time in ms)."""
        head = {"Content-Type": "application/json"}
        if encoding:
            head["Accept-Encoding"] = encoding
        status, data, headers = self.request("POST", UPDATE, orjson.dumps(payload), head)
        if status != 200:
            raise RuntimeError(f"callback failed: {status} {data[:200]!r}")
        return len(data), float(headers["x-bench-ms"])


def map_states(cat: queries.Catalog, n: int) -> list[list[str]]:
    """``n`` distinct map filter states (site, sex, period, indicator) at department level."""
    out = []
    for site, period, ind in itertools.product(
            [s[0] for s in cat.sites],
            [f"{p[0]}-{p[1]}" if p[0] != p[1] else str(p[0]) for p in cat.periods],
            ("asr_world", "sir", "cases", "crude_rate")):
        sex = cat.site_sexes(site)[0]
        out.append(["incidence", site, sex, period, ind, "department"])
        if len(out) >= n:
            break
    return out


def measure(client: Client, payloads: list[dict[str, Any]], n: int) -> dict[str, float]:
    """Median size and server time over ``n`` requests cycling through ``payloads``."""
    sizes, times = [], []
    for i in range(n):
        size, ms = client.post(payloads[i % len(payloads)])
        sizes.append(size)
        times.append(ms)
    first = times[:len(payloads)] if len(payloads) < n else times
    return {"size": statistics.median(sizes), "ms": statistics.median(times),
            "cold_ms": statistics.median(first)}


def measure_encoded(client: Client, payloads: list[dict[str, Any]], n: int) -> float:
    """Median server time when the client accepts brotli (as browsers do)."""
    return statistics.median(client.post(payloads[i % len(payloads)], "br, gzip")[1]
                             for i in range(n))


def first_load(client: Client, path: str) -> list[tuple[str, int, int]]:
    """(resource, bytes sent compressed, uncompressed) of everything a first visit loads."""
    enc = {"Accept-Encoding": "br, gzip"}
    html = client.request("GET", path, headers=enc)[1]
    raw_html = client.request("GET", path)[1]
    rows = [(path, len(html), len(raw_html))]
    text = raw_html.decode()
    urls = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', text)
    # (absolute URLs are the page's canonical and language links: not loaded)
    urls = [u for u in urls if not u.startswith(("/_favicon", "http://", "https://"))]
    urls += ["/_dash-layout", "/_dash-dependencies"]
    if PLOTLY_JS in urls:  # a page with plotly charts: dcc.Graph's own chunk loads it
        urls.append("/_dash-component-suites/dash/dcc/async-graph.js")
    for u in urls:
        status, body, headers = client.request("GET", u, headers=enc)
        if status != 200:
            raise RuntimeError(f"{u}: HTTP {status}")
        if headers.get("content-encoding") == "gzip":
            raw = len(gzip.decompress(body))
        else:
            raw = len(client.request("GET", u)[1])
        rows.append((u, len(body), raw))
    return rows


def wait_precompression(app: Any, limit: float = 300.0) -> float:
    """Wait (bounded) for the server's background brotli-11 work; returns seconds waited."""
    start = time.monotonic()
    pre = app.server.extensions.get("precompressor")
    while pre is not None and pre.pending and time.monotonic() - start < limit:
        time.sleep(0.5)
    return time.monotonic() - start


def router_payload(deps: list[dict[str, Any]], path: str, search: str) -> dict[str, Any]:
    return callback_payload(find_dependency(deps, "page.children"), [path, None], [search])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("release", nargs="?")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    n = max(10, min(args.requests, 5000))
    path = release_path(args.release)
    # a measure sends thousands of callbacks from one client: the site's limits would answer 429
    os.environ.update({"API_RATE_LIMIT": "off", "CALLBACK_RATE_LIMIT": "off"})
    app = create_app(path)
    add_bench_callbacks(app)
    with serve(app.server) as base:
        client = Client(base)
        print(f"release {path} ({queries.release().release_id}), {n} requests per measure, "
              f"server {base}")
        deps = orjson.loads(client.request("GET", "/_dash-dependencies")[1])
        cat = queries.catalog()
        search = serialise("carte", parse("carte", "", cat).state, "fr")
        dep_map = find_dependency(deps, "carte-map.view")
        dep_full = find_dependency(deps, "bench-full.data")
        dep_noop = find_dependency(deps, "bench-noop.children")
        states = map_states(cat, 20)
        patches = [callback_payload(dep_map, s, [search], changed=1) for s in states]
        fulls = [callback_payload(dep_full, s, [], changed=1) for s in states]
        noop = [callback_payload(dep_noop, [1], [])]

        # first pass over the states: cold cache (release queries and map views)
        cold = measure(client, patches, len(patches))
        warm_noop = measure(client, noop, n)
        patch = measure(client, patches, n)
        full = measure(client, fulls, n)
        level = callback_payload(dep_map, ["incidence", "all", "all", states[0][3], "asr_world",
                                           "region"], [search], changed=5)
        level_size, _ = client.post(level)

        print("\nMap filter change (one callback = the map's colours and texts + legend + "
              "summary + URL), median:")
        gz, _ = client.post(patches[0], "br, gzip")
        patch_br = measure_encoded(client, patches, n)
        print(f"  change response      {patch['size'] / 1024:8.1f} KiB uncompressed JSON "
              f"({gz / 1024:.1f} KiB with br)")
        print(f"  change server time   {patch['ms']:8.2f} ms   (cold cache, first visit of "
              f"each state: {cold['ms']:.2f} ms)")
        print(f"  change server time, client accepting br: {patch_br:.2f} ms")
        print(f"  no-op server time    {warm_noop['ms']:8.2f} ms")
        print(f"  ratio change / no-op {patch['ms'] / warm_noop['ms']:8.2f} x   (target <= 2)")
        print(f"  geometry inline      {full['size'] / 1024:8.1f} KiB, {full['ms']:.2f} ms "
              "(naive approach: the map's paths in every answer)")
        print(f"  change / inline      size {patch['size'] / full['size']:.3f}, "
              f"time {patch['ms'] / full['ms']:.3f}")
        print(f"  level change (the other geometry by URL): {level_size / 1024:.1f} KiB")

        router = router_payload(deps, "/carte", "")
        cold_rows = first_load(client, "/carte")
        waited = wait_precompression(app)
        rows = first_load(client, "/carte")
        rows.append(("router callback (page content)", client.post(router, "br, gzip")[0],
                     client.post(router)[0]))
        print("\nFirst load of /carte (Accept-Encoding: br, gzip), once the server has "
              f"precompressed its bundles ({waited:.0f} s after start-up):")
        for url, sent, raw in rows:
            print(f"  {sent / 1024:9.1f} KiB  ({raw / 1024:8.1f} KiB raw)  {url[:90]}")
        total_sent = sum(r[1] for r in rows)
        total_raw = sum(r[2] for r in rows)
        cold_sent = sum(r[1] for r in cold_rows) + rows[-1][1]
        print(f"  TOTAL {total_sent / 1e6:.3f} MB = {total_sent / 2**20:.2f} MiB transferred "
              f"({total_raw / 1e6:.2f} MB uncompressed; target <= 1.5 MB)")
        print(f"  (first visitor right after a cold start, before precompression: "
              f"{cold_sent / 1e6:.3f} MB)")


if __name__ == "__main__":
    main()
