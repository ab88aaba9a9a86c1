"""The benchmarks' pure helpers (summaries, tables, trace summary, URL lists) keep working.

No browser and no server: the benchmarks themselves are run by hand (``make bench``).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import _common, bench_api, bench_browser
from benchmarks.bench_browser import Results, Sample


def test_summarise_counts_failures_apart() -> None:
    s = _common.summarise([300.0, 100.0, float("nan"), 200.0])
    assert (s.n, s.median, s.low, s.high, s.failed) == (3, 200.0, 100.0, 300.0, 1)
    empty = _common.summarise([float("nan")])
    assert empty.n == 0 and empty.failed == 1 and math.isnan(empty.median)


def test_format_table_aligns_columns() -> None:
    text = _common.format_table(("page", "ms"), [["/carte", 1234.4], ["/", 5.0]], (False, True))
    lines = text.splitlines()
    assert lines[0] == "page      ms"
    assert lines[1] == "------  ----"
    assert lines[2] == "/carte  1234"
    assert lines[3] == "/       5.00"


def test_alternatives_are_spread_and_never_the_current_value() -> None:
    options = [str(i) for i in range(10)]
    picked = bench_browser.alternatives(options, "0", 3)
    assert picked == ("1", "4", "7")
    assert bench_browser.alternatives(["a", "b"], "a", 3) == ("b", "b", "b")
    assert bench_browser.alternatives(["a"], "a", 3) == ()


def test_first_visit_rows_never_share_an_area() -> None:
    a, b = bench_browser.new_areas(0, 8), bench_browser.new_areas(1, 8)
    assert len(set(a)) == len(set(b)) == 8 and not set(a) & set(b)
    assert "69" not in a + b  # the area of the row whose profile is drawn once
    assert bench_browser.new_areas(0, 10)[8:] == a[:2]


def test_trace_spec() -> None:
    assert bench_browser.parse_trace_spec("/carte:carte-niveau") == ("/carte?lang=fr",
                                                                     "carte-niveau")
    assert bench_browser.parse_trace_spec("/carte?lang=en:load") == ("/carte?lang=en", "load")
    try:
        bench_browser.parse_trace_spec("carte")
    except ValueError:
        pass
    else:
        raise AssertionError("a spec without a control is refused")


def test_result_and_ratio_tables(capsys) -> None:
    mine, ref = Results("mine"), Results("ref")
    for ms in (100.0, 300.0, 200.0):
        mine.add("/carte?lang=fr", "carte-niveau (select)", Sample(ms, 4000, ms + 50))
        ref.add("/carte?lang=fr", "carte-niveau (select)", Sample(ms * 2, 4000))
    mine.add("/carte?lang=fr", "carte-niveau (select)", Sample(float("nan")))
    row = bench_browser.result_rows(mine)[0]
    assert row == ["/carte?lang=fr", "carte-niveau (select)", 3, 200.0, 100.0, 300.0, 1, "4.0",
                   250.0]
    assert bench_browser.result_rows(ref)[0][-1] == "—"  # no time of the last mutation
    assert bench_browser.ratio_rows(mine, ref)[0][-1] == "0.50"
    assert bench_browser.geometric_mean([["a", "b", 1, 1, "0.50"], ["c", "d", 1, 1, "2.00"],
                                         ["e", "f", 1, 0, "—"]]) == "1.00"
    targets = [bench_browser.Target("mine", "", 0), bench_browser.Target("ref", "", 0)]
    targets[0].results, targets[1].results = mine, ref
    bench_browser.print_results(targets)
    out = capsys.readouterr().out
    assert "ratio of medians" in out and "0.50" in out


def _trace() -> list[dict]:
    """A tiny trace: two marks, a long task (script then layout), a profile of one function."""
    main = {"pid": 1, "tid": 1}
    return [
        {**main, "cat": "blink.user_timing", "name": "bench:start", "ph": "I", "ts": 1000},
        {**main, "cat": "blink.user_timing", "name": "bench:settled", "ph": "I", "ts": 201000},
        {**main, "name": "RunTask", "ph": "X", "ts": 10000, "dur": 120000},
        {**main, "name": "FunctionCall", "ph": "X", "ts": 10000, "dur": 100000,
         "args": {"data": {"functionName": "render", "url": "http://h/a/plotly.min.js"}}},
        {**main, "name": "Layout", "ph": "X", "ts": 110000, "dur": 20000},
        {**main, "name": "Paint", "ph": "B", "ts": 150000},
        {**main, "name": "Paint", "ph": "E", "ts": 155000},
        {**main, "name": "Profile", "ph": "P", "id": "0x1", "ts": 0,
         "args": {"data": {"startTime": 0}}},
        {"pid": 1, "tid": 2, "name": "ProfileChunk", "ph": "P", "id": "0x1", "ts": 200000,
         "args": {"data": {"cpuProfile": {
             "nodes": [{"id": 1, "callFrame": {"functionName": "render",
                                               "url": "http://h/plotly.min.js",
                                               "lineNumber": 0, "columnNumber": 9}}],
             "samples": [1, 1, 1]}, "timeDeltas": [20000, 30000, 50000]}}},
    ]


def test_trace_summary() -> None:
    events = _trace()
    pid, tid, lo, hi = bench_browser.main_thread(events)
    assert (pid, tid, lo, hi) == (1, 1, 1000.0, 201000.0)
    roots = bench_browser.thread_spans(events, 1, 1)
    assert [r.name for r in roots] == ["RunTask", "Paint"]
    times = bench_browser.self_times(roots, lo, hi)
    assert times["scripting"] == 100.0 and times["rendering (style, layout)"] == 20.0
    assert times["painting, compositing"] == 5.0
    assert bench_browser.describe(roots[0]) == "FunctionCall(render plotly.min.js)"
    profile = bench_browser.profile_samples(events, 1, 1, lo, hi)
    assert profile == {("render", "plotly.min.js:1:10"): 100.0}
    text = "\n".join(bench_browser.summarise_trace(events))
    assert "long tasks (≥ 50 ms): 1, 120 ms" in text and "plotly.min.js" in text
    assert "no bench:start" in bench_browser.summarise_trace(events[2:])[0]
    request = [{"pid": 1, "tid": 1, "name": "ResourceSendRequest", "ph": "I", "ts": 2000,
                "args": {"data": {"requestId": "r1", "url": "http://h/_dash-update-component"}}},
               {"pid": 1, "tid": 1, "name": "ResourceFinish", "ph": "I", "ts": 52000,
                "args": {"data": {"requestId": "r1", "encodedDataLength": 4000}}}]
    assert bench_browser.requests_in(request, 1, lo, hi) == [
        (1.0, 51.0, 4.0, "http://h/_dash-update-component")]
    text = "\n".join(bench_browser.summarise_trace(events + request))
    assert "1 requests (4 kB), the last response complete at 51 ms; then 149 ms" in text


def test_api_urls_and_cold_workload(fixture_release: Path) -> None:
    con = duckdb.connect(str(fixture_release), read_only=True)
    warm = bench_api.typical_filters(con)
    cold = bench_api.catalogue_filters(con, warm)
    con.close()
    keys = {tuple(sorted(f.items())) for f in cold}
    assert len(keys) == len(cold) and not any(f in cold for f in warm)
    f = {"measure": "incidence", "site_code": "lung", "sex": "all", "level": "region",
         "year_start": "2021", "year_end": "2021"}
    assert bench_api.api_path(f).endswith("site=lung&sex=all&level=region&year_start=2021"
                                          "&year_end=2021&period_length=1")
    assert "site_code=lung" in bench_api.datasette_path(f)
    work = bench_api.Workload(["/a", "/b"], cold=True)
    assert [work.path([], i) for i in range(3)] == ["/a", "/b", None]
    assert work.used() == 2
    assert bench_api.Workload(["/a", "/b"]).path(["/b", "/a"], 3) == "/a"
    assert [bench_api.cold_slice(list("abcdefg"), k, 3) for k in range(3)] == [
        ["a", "b"], ["c", "d"], ["e", "f"]]
    zoom = next(f for f in cold if "geo_code" in f)
    assert zoom["level"] == "department" and "," in zoom["geo_code"]
    assert f"geo={zoom['geo_code'].replace(',', '%2C')}" in bench_api.api_path(zoom)
    assert "geo_code__in=" in bench_api.datasette_path(zoom)


def test_api_report(capsys) -> None:
    run = bench_api.Run
    runs = {"our API": {("warm", 1): [run(1000, 0.7)], ("warm", 8): [run(1500, 3.0)],
                        ("cold", 1): [run(150, 6.0)], ("cold", 8): [run(200, 30.0, 5.0, True)]},
            "Datasette": {("warm", 1): [run(100, 9.0)], ("warm", 8): [run(120, 60.0)],
                          ("cold", 1): [run(50, 19.0)], ("cold", 8): [run(60, 120.0)]}}
    bench_api.report(runs, 1)
    out = capsys.readouterr().out
    assert "cold (slice used up)" in out
    assert "our API / Datasette" in out and "3.00" in out and "10.00" in out
