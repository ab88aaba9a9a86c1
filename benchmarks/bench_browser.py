"""Browser benchmark: first render and change-to-settled of every control, in headless Chromium.

Usage: ``python benchmarks/bench_browser.py [--release FILE] [--repeat 5] [--pages /,/carte]
[--langs fr,en] [--ref GIT_REF] [--trace PAGE:CONTROL]``

The dashboard is served as deployed (gunicorn, 2 workers × 4 threads, compression and
precompressed bundles) on a loopback port; Debian's ``chromium`` is driven through Selenium
(``chromedriver`` from PATH: nothing is downloaded). Nothing leaves 127.0.0.1.

What is measured, per page and language (``?lang=fr``, ``?lang=en``):

* **first render, cold cache**: browser cache cleared, navigation (from ``about:blank``, like a
  visitor arriving from another site) start to settled;
* **first render, warm cache**: the same page loaded again (a returning visitor; one sample
  before every control sample below);
* **every control**: each native select (radio, checkbox) of the page's filter form, changed to
  ``--repeat`` different values, plus the page's links that change the view (in-app links, the
  language switch, a click on an area of the map): from the triggering event (its
  ``Event.timeStamp``) to settled. Every control sample starts from the page's base view,
  freshly loaded.

**Settled** (``browser_instrument.js``): no DOM mutation for ``--quiet-ms`` (300) ms, no fetch or
XHR in flight (Dash callbacks, the map's geometry), no script or stylesheet still loading, no
``data-dash-is-loading`` element, ``document.readyState`` complete and the Dash page rendered.
The figure is the time of the **last DOM change** (MutationObserver; that is, the end of the
task that made it) minus the start: the quiet window detects the end and is not counted. A
change is a mutation still there when the next frame is drawn: a frame's mutations that leave
the DOM as it was (an attribute set and restored before any drawing, such as dcc.Graph's class
flag around a resize with nothing to do, 50 ms after every chart drawn) never reach the
screen. The median time of the last mutation of any kind is printed too (``any ms``).
Bytes are the compressed transfer (resource timing ``transferSize``) of what was fetched from
the start on. Prints medians, minimum and maximum; asserts nothing.

``--ref GIT_REF`` also serves that commit (a temporary ``git worktree``, same virtualenv, same
release) and alternates every sample between the two servers (order swapped every round), then
prints both tables and the ratios of the medians.

``--trace PAGE:CONTROL`` (e.g. ``/carte:carte-localisation``, ``/carte?lang=en:load``) records a
Chrome performance trace of one interaction into ``benchmarks/results/`` (open it in Chrome's
DevTools Performance panel or ui.perfetto.dev) and prints where the time goes: main-thread self
time by category (scripting, rendering, painting...), the long tasks, the scripts and functions
sampled by V8's profiler.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import (
    ROOT,
    format_table,
    free_port,
    gunicorn,
    load_line,
    release_path,
    server,
    summarise,
    wait_idle,
)
from dashboard.web import vendor

PAGES = ("/", "/carte", "/evolution", "/inegalites", "/territoire/departement/69",
         "/territoire/region/84", "/methodes")
LANGS = ("fr", "en")
CHROME_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--window-size=1280,1000",
                "--disable-dev-shm-usage")
INSTRUMENT = Path(__file__).with_name("browser_instrument.js")
RESULTS = ROOT / "benchmarks" / "results"
LOAD_COLD, LOAD_WARM = "first render, cold cache", "first render, warm cache"
MAP_CLICK = "map click (area 69)"
# First visits of a profile: a new area each sample (none of them opened before on that server),
# clicked at once or after the pointer rested on it as a person's does (the rest is not
# counted: the time runs from the click).
NEW_AREAS = ("13", "33", "59", "31", "44", "67", "06", "35", "34", "76", "38", "62", "57", "29",
             "14", "74")
MAP_CLICK_NEW = "map click, area not opened before"
MAP_CLICK_RESTED = "map click, area not opened before, pointer rested 0.3 s"
REST_S = 0.3
TIMEOUT_S = 30.0
# Links that change the view, per page path: (name, kind, CSS selector). Kind "link" stays in
# the document (dcc.Link, navigation.js); "page" loads a new document. The language switch is on
# every page; it stays in the document (navigation.js: the router draws the other language).
LINKS: dict[str, list[tuple[str, str, str]]] = {
    "/": [(f"link {p}", "link", f".cards a.card[href^='{p}?']")
          for p in ("/carte", "/evolution", "/inegalites", "/methodes")],
    "/methodes": [("link /", "link", ".site-nav a[href^='/?']")],
    "/territoire/departement/69": [
        ("link region", "link", "#contenu .lead a[href^='/territoire/region/']"),
        ("link /carte", "link", "#contenu .lead a[href^='/carte']")],
    "/territoire/region/84": [("link /carte", "link", "#contenu .lead a[href^='/carte']")],
}
LANG_SWITCH = ("language switch", "link", "#lang-switch")
TRACE_CATEGORIES = ["-*", "devtools.timeline", "disabled-by-default-devtools.timeline",
                    "disabled-by-default-devtools.timeline.frame",
                    "disabled-by-default-devtools.timeline.stack", "v8.execute", "v8",
                    "blink.user_timing", "loading", "latencyInfo", "toplevel",
                    "disabled-by-default-v8.cpu_profiler"]


# --- pure helpers (tested without a browser) ---------------------------------------------------

@dataclass(frozen=True)
class Control:
    """One way to change a page's view: a form control or a link."""

    name: str
    kind: str  # "load", "select", "radio", "checkbox", "link", "page", "click", "rested-click"
    target: str = ""  # element id, radio name or CSS selector
    values: tuple[str, ...] = ()  # values to choose, one per repeat (form controls)


@dataclass
class Sample:
    """One measurement: milliseconds to settled (NaN: timed out), compressed bytes and
    milliseconds to the last mutation of any kind (see ``browser_instrument.js``)."""

    ms: float
    bytes: int = 0
    any_ms: float = float("nan")


@dataclass
class Results:
    """Samples of one served tree: (page URL, control name) -> samples, in insertion order."""

    label: str
    samples: dict[tuple[str, str], list[Sample]] = field(default_factory=dict)

    def add(self, page: str, control: str, sample: Sample) -> None:
        self.samples.setdefault((page, control), []).append(sample)


def alternatives(options: Sequence[str], current: str, n: int) -> tuple[str, ...]:
    """``n`` values other than ``current``, spread over the options (cycled when too few)."""
    others = [o for o in options if o != current]
    if not others or n <= 0:
        return ()
    if len(others) >= n:
        return tuple(others[int(i * len(others) / n)] for i in range(n))
    return tuple(others[i % len(others)] for i in range(n))


def page_url(path: str, lang: str) -> str:
    """A page's base URL in a language (``/carte?lang=en``)."""
    return f"{path}?lang={lang}"


def parse_trace_spec(spec: str) -> tuple[str, str]:
    """``PAGE:CONTROL`` -> (page URL with a language, control name); ``load`` is first render."""
    page, sep, control = spec.rpartition(":")
    if not sep or not page.startswith("/") or not control:
        raise ValueError(f"--trace wants PAGE:CONTROL, e.g. /carte:carte-localisation ({spec!r})")
    if "lang=" not in page:
        page = page_url(page.split("?")[0], "fr")
    return page, control


def result_rows(results: Results) -> list[list[object]]:
    """Table rows: page, control, n, median / min / max ms, failures, median kB transferred."""
    rows: list[list[object]] = []
    for (page, control), samples in results.samples.items():
        s = summarise([x.ms for x in samples])
        kb = summarise([x.bytes / 1000 for x in samples if math.isfinite(x.ms)]).median
        any_ms = summarise([x.any_ms for x in samples]).median
        rows.append([page, control, s.n, s.median, s.low, s.high, s.failed or "",
                     _kb(kb), "—" if math.isnan(any_ms) else any_ms])
    return rows


TABLE_HEADER = ("page", "control", "n", "median ms", "min", "max", "fail", "kB", "any ms")
TABLE_RIGHT = (False, False, True, True, True, True, True, True, True)


def ratio_rows(mine: Results, ref: Results) -> list[list[object]]:
    """Median of ``mine`` / median of ``ref`` for every row both have."""
    rows: list[list[object]] = []
    for key, samples in mine.samples.items():
        if key not in ref.samples:
            continue
        a = summarise([x.ms for x in samples]).median
        b = summarise([x.ms for x in ref.samples[key]]).median
        ratio = f"{a / b:.2f}" if b and math.isfinite(a) and math.isfinite(b) else "—"
        rows.append([*key, a, b, ratio])
    return rows


def geometric_mean(rows: Sequence[Sequence[object]]) -> str:
    """Geometric mean of the ratio column of :func:`ratio_rows` (one figure for a change)."""
    ratios = [float(str(r[-1])) for r in rows if r[-1] != "—"]
    if not ratios:
        return "—"
    return f"{math.exp(sum(math.log(x) for x in ratios) / len(ratios)):.2f}"


def _kb(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.1f}" if value < 100 else f"{value:.0f}"


# --- trace summary -----------------------------------------------------------------------------

RENDERING = {"UpdateLayoutTree", "RecalculateStyles", "Layout", "InvalidateLayout",
             "ScheduleStyleRecalculation", "HitTest", "UpdateLayerTree", "LayoutShift",
             "IntersectionObserverController::computeIntersections", "ScrollLayer",
             "BeginMainThreadFrame", "Animation"}
PAINTING = {"PrePaint", "Paint", "PaintImage", "PaintSetup", "Layerize", "CompositeLayers",
            "Commit", "UpdateLayer", "Decode Image", "ImageDecodeTask", "RasterTask"}
LOADING = {"ParseHTML", "ParseAuthorStyleSheet", "ResourceSendRequest", "ResourceWillSendRequest",
           "ResourceReceiveResponse", "ResourceReceivedData", "ResourceFinish",
           "ResourceMarkAsCached"}
SCRIPTING = {"EvaluateScript", "FunctionCall", "EventDispatch", "TimerFire", "FireAnimationFrame",
             "FireIdleCallback", "RunMicrotasks", "XHRReadyStateChange", "XHRLoad",
             "TimerInstall", "TimerRemove", "RequestAnimationFrame", "CompileScript",
             "CompileModule", "EvaluateModule", "JSFrame", "UserTiming", "TimeStamp",
             "MarkLoad", "MarkDOMContent", "CancelAnimationFrame", "RequestIdleCallback"}
TOP_TASKS = {"RunTask", "ThreadControllerImpl::RunTask"}
LONG_TASK_MS = 50.0


def category(name: str) -> str:
    """DevTools-like category of a main-thread trace event (GC apart from scripting)."""
    if "GC" in name:
        return "garbage collection"
    if name in RENDERING:
        return "rendering (style, layout)"
    if name in PAINTING:
        return "painting, compositing"
    if name in LOADING:
        return "loading, parsing"
    if name in SCRIPTING or name.lower().startswith("v8"):
        return "scripting"
    return "other"


@dataclass
class Span:
    """A complete trace event on one thread."""

    name: str
    start: float  # µs
    end: float
    args: dict[str, Any]
    children: list[Span] = field(default_factory=list)


def thread_spans(events: Sequence[dict[str, Any]], pid: int, tid: int) -> list[Span]:
    """Top-level spans of a thread (``X`` events and ``B``/``E`` pairs), children nested."""
    flat: list[Span] = []
    open_: list[dict[str, Any]] = []
    for e in sorted((e for e in events if e.get("pid") == pid and e.get("tid") == tid),
                    key=lambda e: e.get("ts", 0)):
        ph = e.get("ph")
        if ph == "X" and "dur" in e:
            flat.append(Span(e["name"], e["ts"], e["ts"] + e["dur"], e.get("args", {})))
        elif ph == "B":
            open_.append(e)
        elif ph == "E" and open_:
            b = open_.pop()
            flat.append(Span(b["name"], b["ts"], e["ts"], b.get("args", {})))
    flat.sort(key=lambda s: (s.start, -(s.end - s.start)))
    roots: list[Span] = []
    stack: list[Span] = []
    for span in flat:
        while stack and stack[-1].end <= span.start:
            stack.pop()
        (stack[-1].children if stack else roots).append(span)
        stack.append(span)
    return roots


def self_times(spans: Sequence[Span], lo: float, hi: float,
               into: dict[str, float] | None = None) -> dict[str, float]:
    """Self time (ms) by category of ``spans`` and their descendants, clipped to [lo, hi] µs."""
    into = {} if into is None else into
    for s in spans:
        own = max(0.0, min(s.end, hi) - max(s.start, lo))
        own -= sum(max(0.0, min(c.end, hi) - max(c.start, lo)) for c in s.children)
        cat = category(s.name)
        into[cat] = into.get(cat, 0.0) + own / 1000
        self_times(s.children, lo, hi, into)
    return into


def describe(span: Span) -> str:
    """What a task mostly ran: its longest child chain, with the script or event named."""
    node = span
    parts = []
    while node.children:
        node = max(node.children, key=lambda c: c.end - c.start)
        data = node.args.get("data", {}) if isinstance(node.args, dict) else {}
        detail = data.get("functionName") or data.get("type") or ""
        url = data.get("url") or ""
        if url:
            detail = f"{detail} {url.rsplit('/', 1)[-1].split('?')[0]}".strip()
        parts.append(f"{node.name}({detail})" if detail else node.name)
        if len(parts) == 3:
            break
    return " > ".join(parts) or span.name


def main_thread(events: Sequence[dict[str, Any]]) -> tuple[int, int, float, float] | None:
    """(pid, tid, window start, window end in µs) from the ``bench:*`` user-timing marks."""
    marks = {e["name"]: e for e in events
             if e.get("cat") == "blink.user_timing" and e.get("name", "").startswith("bench:")}
    if "bench:start" not in marks or "bench:settled" not in marks:
        return None
    start, end = marks["bench:start"], marks["bench:settled"]
    return start["pid"], start["tid"], float(start["ts"]), float(end["ts"])


def profile_samples(events: Sequence[dict[str, Any]], pid: int, tid: int, lo: float,
                    hi: float) -> dict[tuple[str, str], float]:
    """V8 CPU profile of the thread: ms sampled in [lo, hi] µs by (function, script:line:col)."""
    frames: dict[tuple[Any, int], tuple[str, str]] = {}
    clock: dict[Any, float] = {}
    out: dict[tuple[str, str], float] = defaultdict(float)
    for e in sorted(events, key=lambda e: e.get("ts", 0)):
        if e.get("ph") != "P" or e.get("pid") != pid:
            continue
        data = e.get("args", {}).get("data", {})
        pid_key = e.get("id")
        if e["name"] == "Profile":  # emitted on the profiled thread; its chunks elsewhere
            if e.get("tid") == tid:
                clock[pid_key] = float(data.get("startTime", e["ts"]))
            continue
        if e["name"] != "ProfileChunk" or pid_key not in clock:
            continue
        profile = data.get("cpuProfile", {})
        for node in profile.get("nodes", []):
            cf = node.get("callFrame", {})
            url = cf.get("url", "").rsplit("/", 1)[-1].split("?")[0]
            where = (f"{url}:{cf.get('lineNumber', -1) + 1}:{cf.get('columnNumber', -1) + 1}"
                     if url else "")
            frames[(pid_key, node["id"])] = (cf.get("functionName") or "(anonymous)", where)
        for node_id, delta in zip(profile.get("samples", []), data.get("timeDeltas", []),
                                  strict=False):
            clock[pid_key] += delta
            if lo <= clock[pid_key] <= hi:
                fn = frames.get((pid_key, node_id), ("?", ""))
                if fn[0] != "(idle)":
                    out[fn] += delta / 1000
    return out


def requests_in(events: Sequence[dict[str, Any]], pid: int, lo: float,
                hi: float) -> list[tuple[float, float, float, str]]:
    """(sent, finished in ms from ``lo``, kB transferred, URL) of the renderer's requests sent
    in [lo, hi]."""
    sent: dict[str, tuple[float, str]] = {}
    out = []
    for e in sorted(events, key=lambda e: e.get("ts", 0)):
        if e.get("pid") != pid or e.get("name") not in ("ResourceSendRequest", "ResourceFinish"):
            continue
        data = e.get("args", {}).get("data", {})
        if e["name"] == "ResourceSendRequest" and lo <= e["ts"] <= hi:
            sent[data.get("requestId")] = ((e["ts"] - lo) / 1000, data.get("url", ""))
        elif e["name"] == "ResourceFinish" and data.get("requestId") in sent:
            start, url = sent.pop(data["requestId"])
            out.append((start, (e["ts"] - lo) / 1000, data.get("encodedDataLength", 0) / 1000,
                        url))
    return out


def summarise_trace(events: Sequence[dict[str, Any]]) -> list[str]:
    """Lines saying where the time of the traced interaction went."""
    where = main_thread(events)
    if where is None:
        return ["  (no bench:start / bench:settled marks in the trace: nothing to summarise)"]
    pid, tid, lo, hi = where
    roots = thread_spans(events, pid, tid)
    total = (hi - lo) / 1000
    cats = self_times(roots, lo, hi)
    busy = sum(cats.values())
    lines = [f"  window (start to last DOM change): {total:.0f} ms; main thread busy "
             f"{busy:.0f} ms ({busy / total:.0%}), idle or waiting {total - busy:.0f} ms"
             if total > 0 else "  empty window"]
    requests = requests_in(events, pid, lo, hi)
    if requests:
        last = max(r[1] for r in requests)
        lines.append(f"  {len(requests)} requests ({sum(r[2] for r in requests):.0f} kB), the "
                     f"last response complete at {last:.0f} ms; then {total - last:.0f} ms of "
                     "browser work to the last DOM change; the largest:")
        largest = sorted(sorted(requests, key=lambda r: -r[2])[:12])
        lines.append(format_table(
            ("sent ms", "done ms", "kB", "request"),
            [[f"{a:.0f}", f"{b:.0f}", f"{kb:.1f}", re.sub(r"^https?://[^/]+", "", u)[:70]]
             for a, b, kb, u in largest], (True, True, True, False)))
    lines.append("")
    lines.append(format_table(("main thread, self time", "ms", "share"),
                              [[c, f"{v:.1f}", f"{v / total:.0%}" if total else ""]
                               for c, v in sorted(cats.items(), key=lambda kv: -kv[1])],
                              (False, True, True)))
    tasks = [s for s in roots if s.name in TOP_TASKS and s.end > lo and s.start < hi
             and (s.end - s.start) / 1000 >= LONG_TASK_MS]
    tasks.sort(key=lambda s: s.start - s.end)
    lines.append(f"\n  long tasks (≥ {LONG_TASK_MS:.0f} ms): {len(tasks)}, "
                 f"{sum(s.end - s.start for s in tasks) / 1000:.0f} ms in all; the longest:")
    lines.append(format_table(
        ("at ms", "ms", "mostly", "runs"),
        [[f"{(s.start - lo) / 1000:.0f}", f"{(s.end - s.start) / 1000:.0f}",
          max(self_times([s], lo, hi).items(), key=lambda kv: kv[1])[0], describe(s)[:110]]
         for s in tasks[:8]], (True, True, False, False)))
    samples = profile_samples(events, pid, tid, lo, hi)
    if samples:
        by_script: dict[str, float] = defaultdict(float)
        for (fn, place), ms in samples.items():
            by_script[place.split(":", 1)[0] or fn] += ms
        top = sorted(by_script.items(), key=lambda kv: -kv[1])[:8]
        lines.append("\n  V8 CPU profile, self time by script:")
        lines.append(format_table(("script", "ms"), [[k, f"{v:.0f}"] for k, v in top],
                                  (False, True)))
        lines.append("\n  hottest functions:")
        lines.append(format_table(("function", "where", "ms"),
                                  [[fn[:40], place, f"{ms:.0f}"] for (fn, place), ms in
                                   sorted(samples.items(), key=lambda kv: -kv[1])[:12]],
                                  (False, False, True)))
    return lines


# --- browser ---------------------------------------------------------------------------------

def find_binary(*names: str) -> str | None:
    """The first of ``names`` found on PATH."""
    return next((found for n in names if (found := shutil.which(n))), None)


class DevTools:
    """A raw Chrome DevTools Protocol connection to the browser target (for tracing)."""

    def __init__(self, address: str) -> None:
        import websocket  # websocket-client, a dependency of selenium

        with urllib.request.urlopen(f"http://{address}/json/version", timeout=10) as resp:
            url = json.loads(resp.read())["webSocketDebuggerUrl"]
        self.ws = websocket.create_connection(url, suppress_origin=True, timeout=120)
        self.next_id = 0

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params or {}}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def start_trace(self) -> None:
        self.call("Tracing.start", {"traceConfig": {"includedCategories": TRACE_CATEGORIES,
                                                    "recordMode": "recordAsMuchAsPossible"},
                                    "transferMode": "ReportEvents"})

    def stop_trace(self) -> list[dict[str, Any]]:
        self.call("Tracing.end")
        events: list[dict[str, Any]] = []
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("method") == "Tracing.dataCollected":
                events += msg["params"]["value"]
            elif msg.get("method") == "Tracing.tracingComplete":
                return events

    def close(self) -> None:
        self.ws.close()


class Browser:
    """Headless Chromium with the settle instrumentation injected into every document."""

    def __init__(self, quiet_ms: int) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        chromium = find_binary("chromium", "chromium-browser", "google-chrome")
        chromedriver = find_binary("chromedriver")
        if not chromium or not chromedriver:
            raise RuntimeError("chromium and chromedriver are needed "
                               "(apt-get install chromium chromium-driver)")
        opts = webdriver.ChromeOptions()
        for flag in CHROME_FLAGS:
            opts.add_argument(flag)
        opts.binary_location = chromium
        # An explicit driver path: Selenium Manager never downloads anything.
        self.driver = webdriver.Chrome(service=Service(executable_path=chromedriver),
                                       options=opts)
        self.driver.set_page_load_timeout(TIMEOUT_S * 2)
        self.driver.set_script_timeout(TIMEOUT_S + 10)
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                                    {"source": INSTRUMENT.read_text(encoding="utf-8")})
        self.quiet = quiet_ms
        self.version = self.driver.capabilities.get("browserVersion", "?")

    def devtools(self) -> DevTools:
        return DevTools(self.driver.capabilities["goog:chromeOptions"]["debuggerAddress"])

    def quit(self) -> None:
        self.driver.quit()

    def _settle(self, start_epoch: float | None) -> Sample:
        if start_epoch is None:
            return Sample(float("nan"))
        r = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "window.__bench.settle(arguments[0], arguments[1], arguments[2]).then(done);",
            start_epoch, self.quiet, TIMEOUT_S * 1000)
        if r.get("timeout"):
            print(f"    timeout: {r}", file=sys.stderr)
            return Sample(float("nan"))
        return Sample(float(r["ms"]), int(r["bytes"]), float(r["anyMs"]))

    def _doc(self) -> str | None:
        return self.driver.execute_script("return window.__bench ? window.__bench.id : null")

    def load(self, url: str, cold: bool) -> Sample:
        """Navigate to ``url`` (browser cache cleared first if ``cold``) and wait until settled."""
        if cold:
            self.driver.execute_cdp_cmd("Network.clearBrowserCache", {})
        self.driver.get("about:blank")
        self.driver.get(url)
        return self._settle(self.driver.execute_script("return performance.timeOrigin"))

    def controls(self) -> list[dict[str, Any]]:
        """The form controls of the current page (see ``browser_instrument.js``)."""
        return self.driver.execute_script("return window.__bench.controls()")

    def change(self, control: Control, value: str = "") -> Sample:
        """Operate a control of the current page and wait until settled."""
        if control.kind in ("click", "rested-click"):
            return self._settle(self._click_area(value or "69", control.kind == "rested-click"))
        before = self._doc()
        start = self.driver.execute_script("return window.__bench.act(...arguments)",
                                           control.kind, control.target, value)
        if start is not None and control.kind == "page":
            deadline = time.monotonic() + TIMEOUT_S
            while self._doc() in (before, None) and time.monotonic() < deadline:
                time.sleep(0.02)
        sample = self._settle(start)
        if start is not None and control.kind == "link" and self._doc() != before:
            raise RuntimeError(f"{control.name!r} loaded a new document: declare it kind 'page' "
                               "(a 'link' is measured in the document it starts from)")
        return sample

    def _click_area(self, code: str, rest: bool = False) -> float | None:
        """A real mouse click (CDP input events) on an area of the map, after the pointer
        rested on it for ``REST_S`` if ``rest``; returns the click's epoch."""
        from selenium.webdriver.common.action_chains import ActionChains

        # the SVG map, or the plotly map of a reference tree before it
        path = self.driver.execute_script(
            "const ps = [...document.querySelectorAll("
            "'#carte-map .areas:not(.inset) path.area[data-code=\"' + arguments[0] + '\"]')];"
            "const old = [...document.querySelectorAll('#carte-map .choroplethlocation')]"
            ".filter(p => p.__data__ && p.__data__.loc === arguments[0]);"
            "return ps[0] || old[old.length - 1] || null;", code)
        if path is None:
            return None
        self.driver.execute_script("window.scrollTo(0, 0); "
                                   "arguments[0].scrollIntoView({block: 'center'})", path)
        self.driver.execute_script("window.__bench.arm('click')")
        ActionChains(self.driver).move_to_element(path).pause(REST_S if rest else 0).click(
        ).perform()
        return self.driver.execute_script("return window.__bench.inputEpoch()")


# --- serving -----------------------------------------------------------------------------------

@dataclass
class Target:
    """One served tree of the project."""

    label: str
    base: str
    pid: int
    results: Results = field(init=False)

    def __post_init__(self) -> None:
        self.results = Results(self.label)


def git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout.strip()


def describe_tree() -> str:
    """``abc1234`` or ``abc1234+changes`` for the working tree."""
    head = git("rev-parse", "--short", "HEAD")
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return f"working tree {head}{'+changes' if dirty else ''}"


@contextlib.contextmanager
def ref_worktree(ref: str, parent: Path) -> Iterator[Path]:
    """``ref`` checked out (detached) in a temporary git worktree, removed afterwards.

    The fetched plotly bundles (not committed, ``dashboard.web.vendor``) this tree has are
    copied in, so the reference serves its own partial bundle (else it would load the full
    bundle and its first render would not compare): fetch the reference's with its
    ``python -m dashboard.web.vendor`` once if it pins another."""
    path = parent / "ref"
    git("worktree", "add", "--detach", "--quiet", str(path), ref)
    static = Path(vendor.SCRIPT).parent
    for bundle in (ROOT / "dashboard" / static).glob("plotly-*.min.js"):
        (path / "dashboard" / static).mkdir(parents=True, exist_ok=True)
        shutil.copy2(bundle, path / "dashboard" / static / bundle.name)
    try:
        yield path
    finally:
        git("worktree", "remove", "--force", str(path))


@contextlib.contextmanager
def serve_tree(tree: Path, label: str, release: Path, cache_dir: Path) -> Iterator[Target]:
    """The dashboard of ``tree`` under gunicorn as deployed (2 workers × 4 threads)."""
    env = {"RELEASE_PATH": str(release), "CACHE_DIR": str(cache_dir), "PYTHONPATH": str(tree)}
    origin = subprocess.run([sys.executable, "-c", "import dashboard; print(dashboard.__file__)"],
                            cwd=tree, env={**os.environ, **env}, capture_output=True,
                            text=True, check=True).stdout.strip()
    if not Path(origin).resolve().is_relative_to(tree.resolve()):
        raise RuntimeError(f"{label}: the package resolves to {origin}, not to {tree}")
    port = free_port()
    with server(gunicorn("app:server", port), port, "/", env, cwd=tree) as proc:
        yield Target(label, f"http://127.0.0.1:{port}", proc.pid)


def warm_up(browser: Browser, targets: Sequence[Target], pages: Sequence[str]) -> None:
    """Visit every page once per server (bundles compressed, server caches filled), then wait
    until the servers are idle (bounded)."""
    for target in targets:
        for page in pages:
            browser.load(target.base + page, cold=False)
    waited = [wait_idle(t.pid) for t in targets]
    print(f"warm-up done; servers idle after {', '.join(f'{w:.0f}' for w in waited)} s")


# --- runs ------------------------------------------------------------------------------------

def page_controls(browser: Browser, path: str, repeat: int) -> list[Control]:
    """Every control of the page currently loaded: form controls, then links."""
    out = [Control(c["target"], c["kind"], c["target"],
                   alternatives(c["options"], c["value"], repeat))
           for c in browser.controls()]
    out += [Control(name, kind, sel) for name, kind, sel in LINKS.get(path, [])]
    if path == "/carte":
        out.append(Control(MAP_CLICK, "click"))
        out.append(Control(MAP_CLICK_NEW, "click", values=new_areas(0, repeat)))
        out.append(Control(MAP_CLICK_RESTED, "rested-click", values=new_areas(1, repeat)))
    out.append(Control(*LANG_SWITCH))
    return out


def measure_page(browser: Browser, targets: Sequence[Target], path: str, lang: str,
                 repeat: int) -> None:
    """All rows of one page in one language, samples alternating between the targets."""
    url = page_url(path, lang)
    browser.load(targets[0].base + url, cold=False)
    controls = page_controls(browser, path, repeat)
    for r in range(repeat):
        order = targets if r % 2 == 0 else list(reversed(targets))
        for t in order:
            t.results.add(url, LOAD_COLD, browser.load(t.base + url, cold=True))
        for c in controls:
            value = c.values[r] if c.values else ""
            for t in order:
                t.results.add(url, LOAD_WARM, browser.load(t.base + url, cold=False))
                t.results.add(url, _label(c), browser.change(c, value))
        print(f"  {url}: round {r + 1}/{repeat} done", file=sys.stderr)


def new_areas(which: int, repeat: int) -> tuple[str, ...]:
    """Areas for the first-visit rows: ``which`` 0 or 1 takes every other one of NEW_AREAS
    (the two rows never share an area), one per sample (again from the first past 8)."""
    pool = NEW_AREAS[which::2]
    return tuple(pool[i % len(pool)] for i in range(repeat))


def _label(c: Control) -> str:
    return c.name if c.kind in ("click", "rested-click", "page", "link") else \
        f"{c.name} ({c.kind})"


def print_results(targets: Sequence[Target]) -> None:
    for t in targets:
        print(f"\n== {t.label}: time to settled (ms), kB transferred (compressed, median)")
        print(format_table(TABLE_HEADER, result_rows(t.results), TABLE_RIGHT))
    if len(targets) == 2:
        a, b = targets
        print(f"\n== ratio of medians, {a.label} / {b.label} (< 1: {a.label} faster)")
        rows = ratio_rows(a.results, b.results)
        print(format_table(("page", "control", "mine ms", "ref ms", "ratio"), rows,
                           (False, False, True, True, True)))
        print(f"geometric mean of the ratios: {geometric_mean(rows)}")


def run_trace(browser: Browser, target: Target, spec: str) -> None:
    """Record a Chrome performance trace of one interaction and summarise it."""
    url, name = parse_trace_spec(spec)
    path = url.split("?")[0]
    browser.load(target.base + url, cold=False)
    control = Control(name, "load")
    if name != "load":
        found = [c for c in page_controls(browser, path, 1) if c.name == name]
        if not found:
            names = ", ".join(c.name for c in page_controls(browser, path, 1))
            raise SystemExit(f"no control {name!r} on {url}; controls: load, {names}")
        control = found[0]
        browser.load(target.base + url, cold=False)
    devtools = browser.devtools()
    devtools.start_trace()
    if control.kind == "load":
        sample = browser.load(target.base + url, cold=True)
    else:
        sample = browser.change(control, control.values[0] if control.values else "")
    time.sleep(0.5)  # let the last frames and profile chunks reach the trace
    events = devtools.stop_trace()
    devtools.close()
    RESULTS.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", f"{url}-{name}").strip("-")
    out = RESULTS / f"trace-{slug}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({"traceEvents": events,
                               "metadata": {"interaction": f"{url} {name}",
                                            "settled_ms": sample.ms}}))
    print(f"\ntrace of {url} {name}: settled after {sample.ms:.0f} ms, "
          f"{sample.bytes / 1000:.1f} kB; {len(events)} events written to "
          f"{out.relative_to(ROOT)}")
    print("\n".join(summarise_trace(events)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", help="release file (default data/indicators.duckdb)")
    parser.add_argument("--repeat", type=int, default=5, help="samples per row")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated paths")
    parser.add_argument("--langs", default=",".join(LANGS))
    parser.add_argument("--ref", help="git ref also measured, alternating with the working tree")
    parser.add_argument("--quiet-ms", type=int, default=300, help="quiet window of 'settled'")
    parser.add_argument("--trace", metavar="PAGE:CONTROL",
                        help="record a performance trace of one interaction instead")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # tables and progress (stderr) in order
    repeat = max(1, min(args.repeat, 100))
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    langs = [lang.strip() for lang in args.langs.split(",") if lang.strip()]
    try:
        import selenium  # noqa: F401
        browser = Browser(args.quiet_ms)
    except (ImportError, RuntimeError) as exc:
        print(f"browser benchmark skipped: {exc}")
        return
    release = release_path(args.release)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp, \
                contextlib.ExitStack() as stack:
            work = Path(tmp)
            cache = work / "cache"  # one per run: bundles compressed once, keys per code hash
            targets = [stack.enter_context(serve_tree(ROOT, describe_tree(), release, cache))]
            if args.ref and not args.trace:
                tree = stack.enter_context(ref_worktree(args.ref, work))
                label = f"ref {args.ref} ({git('rev-parse', '--short', 'HEAD', cwd=tree)})"
                targets.append(stack.enter_context(serve_tree(tree, label, release, cache)))
            print(f"browser benchmark: Chromium {browser.version}, release {release.name}, "
                  f"{repeat} samples per row, quiet window {args.quiet_ms} ms; {load_line()}")
            if args.trace:
                warm_up(browser, targets, [parse_trace_spec(args.trace)[0]])
                run_trace(browser, targets[0], args.trace)
                return
            warm_up(browser, targets, [page_url(p, lang) for p in pages for lang in langs])
            for path in pages:
                for lang in langs:
                    measure_page(browser, targets, path, lang, repeat)
            print_results(targets)
            print(f"\n{load_line()} at the end. Targets (issue 12): every control ≤ 300 ms "
                  "median and ≤ 500 ms worst; /carte first render ≤ 1500 ms; first load "
                  "≤ 1000 kB compressed.")
    finally:
        browser.quit()


if __name__ == "__main__":
    main()
