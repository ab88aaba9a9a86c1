"""The production stack on loopback: nginx (the deploy/ template) → 2 app instances → Redis.

A short, bounded load (locust, headless) with faults during it: one instance killed and
restarted, Redis stopped and started, a new release published. Needs Debian's ``nginx`` and
``redis-server``: skipped without them, except with ``CI=true`` where that fails the run.
The full 200-user run is ``benchmarks/bench_load.py`` (figures, no timing assertion here).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))
from localstack import GUNICORN_CONF, Stack, free_port, missing_programs  # noqa: E402

pytestmark = pytest.mark.stack
FIRST, SECOND = "20260101-fixture0", "20260201-fixture1"
LOAD_SECONDS = 30


def get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.fixture(scope="module")
def stack(fixture_release: Path) -> Iterator[Stack]:
    missing = missing_programs()
    if missing:
        reason = f"{' and '.join(missing)} not installed (apt-get install nginx redis-server)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"the stack tests cannot run on CI: {reason}")
        pytest.skip(reason)
    with Stack(fixture_release, apps=2, workers=1, threads=4,
               limits={"API_RATE": "40r/s", "API_BURST": "80"},
               app_env={"API_RATE_LIMIT": "10000/minute", "CALLBACK_RATE_LIMIT": "off"},
               ) as running:  # its own temporary folder: nginx's workers must reach it
        yield running


def test_proxy_caches_per_release_and_sets_headers(stack: Stack) -> None:
    status, headers, _ = get(stack.url + "/carte")
    assert status == 200 and "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    for url in (stack.url + "/api/v1/release?", f"{stack.url}/geo/{FIRST}/region.json"):
        first = get(url, **{"Accept-Encoding": "gzip"})
        assert first[0] == 200
        for _ in range(20):  # nginx writes the entry once the answer is sent
            again = get(url, **{"Accept-Encoding": "gzip"})
            if again[1]["X-Cache"] == "HIT":
                break
            time.sleep(0.1)
        assert again[1]["X-Cache"] == "HIT" and again[2] == first[2]
        assert again[1]["X-Request-Id"] != first[1]["X-Request-Id"]
    assert json.loads(get(stack.url + "/readyz")[2])["release_id"] == FIRST
    assert get(stack.url + "/healthz")[0] == 200


def test_oversized_request_gets_a_json_413(stack: Stack) -> None:
    for lang, text in (("en-GB,en;q=0.8", "too large"), ("fr-FR", "trop volumineuse")):
        req = urllib.request.Request(stack.url + "/_dash-update-component", data=b"x" * 100_000,
                                     headers={"Content-Type": "application/json",
                                              "Accept-Language": lang})
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(req, timeout=10)
        assert caught.value.code == 413 and text in json.loads(caught.value.read())["error"]


def test_load_survives_faults(stack: Stack, second_release: Path, tmp_path: Path) -> None:
    done: list[str] = []
    thread = threading.Thread(target=stack.faults, args=(second_release, 1.0, done))
    thread.start()
    locust = subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(ROOT / "benchmarks" / "locustfile.py"),
         "--headless", "-u", "12", "-r", "6", "-t", f"{LOAD_SECONDS}s", "--host", stack.url,
         "--only-summary", "--csv", str(tmp_path / "load"), "--stop-timeout", "5"],
        capture_output=True, text=True, timeout=LOAD_SECONDS + 60, cwd=ROOT)
    thread.join(timeout=60)
    assert done == ["app killed", "app restarted", "redis stopped", "redis started",
                    "release published"]
    with open(tmp_path / "load_stats.csv", newline="") as fh:
        rows = {r["Type"] + " " + r["Name"]: r for r in csv.DictReader(fh)}
    total = rows[" Aggregated"]
    with open(tmp_path / "load_failures.csv", newline="") as fh:
        failures = list(csv.DictReader(fh))
    stale = rows.get("STALE stale page notice", {}).get("Request Count", "0")
    print(f"load with faults: {total['Request Count']} requests, {total['Failure Count']} "
          f"failed, {stale} stale-page notices, locust exit {locust.returncode}")
    assert int(total["Request Count"]) > 300
    assert int(total["Failure Count"]) == 0, failures  # no « mixed releases » either
    assert json.loads(get(stack.url + "/readyz")[2])["release_id"] == SECOND
    for i in (0, 1):  # both instances serve the new release, the restarted one included
        status, headers, _ = get(f"http://127.0.0.1:{stack.app_ports[i]}/readyz")
        assert status == 200 and headers["X-Release-Id"] == SECOND
        assert "Traceback" not in stack.log(f"app{i}")
    statuses = [json.loads(line)["status"] for line in
                (stack.state / "nginx" / "access.log").read_text().splitlines()]
    assert not [s for s in statuses if s >= 500]


def test_metrics_on_their_own_port(stack: Stack) -> None:
    status, _, body = get(f"http://127.0.0.1:{stack.metrics_ports[0]}/metrics")
    assert status == 200
    assert b'route="/_dash-update-component"' in body and b"http_requests_total" in body
    assert get(stack.url + "/metrics")[0] == 404  # never through the proxy


def test_rate_limit_through_the_proxy_is_a_json_429(stack: Stack) -> None:
    url = stack.url + "/api/v1/release?"
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: get(url), range(240)))
    limited = [a for a in answers if a[0] == 429]
    assert limited and all(a[0] in (200, 429) for a in answers)
    assert "trop de requêtes" in json.loads(limited[0][2])["error"]  # French by default
    assert limited[0][1]["Retry-After"] == "1"


@pytest.mark.parametrize("kind", ["missing", "truncated", "wrong-schema"])
def test_unusable_release_stops_an_instance_with_one_line(stack: Stack, fixture_release: Path,
                                                          tmp_path: Path, kind: str) -> None:
    path = tmp_path / "indicators.duckdb"
    if kind == "truncated":
        path.write_bytes(fixture_release.read_bytes()[:40_000])
    elif kind == "wrong-schema":
        import duckdb

        con = duckdb.connect(str(path))
        con.execute("CREATE TABLE release (release_id VARCHAR)")
        con.close()
    env: dict[str, Any] = {**os.environ, "RELEASE_PATH": str(path),
                           "BIND": f"127.0.0.1:{free_port()}"}
    run = subprocess.run([sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF),
                          "app:server"], capture_output=True, text=True, env=env, cwd=ROOT,
                         timeout=60)
    assert run.returncode == 3
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: release file"), run.stderr
    assert "Traceback" not in run.stderr + run.stdout
