"""Load benchmark: 200 visitors and analysts for 5 minutes through nginx, 2 app instances, Redis.

``python benchmarks/bench_load.py [--users 200] [--minutes 5] [--fault-minutes 1.5]
[--release FILE] [--no-compare]`` runs locust headless (``benchmarks/locustfile.py``) against
``deploy/localstack.py`` on loopback and prints failures and p50/p95/p99 per route: with
nginx's cache, the same without it, then a shorter run during which an instance is killed and
restarted, Redis stopped and started and a new release published (stale-page notices and
« mixed releases » failures counted). The proxy's and the app's rate limits are lifted: every
simulated user shares one address.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy"))
from localstack import Stack, missing_programs, release_copy  # noqa: E402

NO_LIMITS = {"API_RATE": "10000r/s", "API_BURST": "10000", "SITE_RATE": "10000r/s",
             "SITE_BURST": "10000"}
APP_NO_LIMITS = {"API_RATE_LIMIT": "off", "CALLBACK_RATE_LIMIT": "off"}


def run_locust(url: str, users: int, seconds: int, prefix: Path) -> list[dict[str, str]]:
    """Run the journeys; the rows of locust's statistics CSV."""
    subprocess.run([sys.executable, "-m", "locust", "-f", str(ROOT / "benchmarks" /
                                                               "locustfile.py"),
                    "--headless", "-u", str(users), "-r", str(max(1, users // 20)),
                    "-t", f"{seconds}s", "--host", url, "--only-summary",
                    "--csv", str(prefix), "--stop-timeout", "10"],
                   check=False, capture_output=True, cwd=ROOT)
    with open(f"{prefix}_stats.csv", newline="") as fh:
        return list(csv.DictReader(fh))


GROUPS = (("callback", "/_dash-update-component"), ("api", "/api/"), ("geo", "/geo/"),
          ("dash layout+deps", "/_dash-"), ("static", "/assets/"), ("page", "/"))


def server_side(access_log: Path) -> None:
    """p95/p99 of nginx's request time per kind of request (without the load tool's delays)."""
    times: dict[str, list[float]] = {}
    statuses: dict[int, int] = {}
    for line in access_log.read_text().splitlines():
        entry = json.loads(line)
        group = next(g for g, prefix in GROUPS if entry["uri"].startswith(prefix))
        times.setdefault(group, []).append(entry["duration_s"] * 1000)
        statuses[entry["status"]] = statuses.get(entry["status"], 0) + 1
    print(f"nginx request time      {'requests':>9}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}")
    for group, values in times.items():
        values.sort()
        p = [values[min(len(values) - 1, int(q * len(values)))] for q in (0.5, 0.95, 0.99)]
        print(f"{group:<24}{len(values):>9}{p[0]:>8.0f}{p[1]:>8.0f}{p[2]:>8.0f}")
    print("statuses:", ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))


def report(title: str, rows: list[dict[str, str]]) -> None:
    print(f"\n== {title}")
    print(f"{'route':<28}{'requests':>9}{'failed':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}")
    for r in rows:
        if r["Name"] == "setup":
            continue
        if r["Type"] == "STALE":
            print(f"stale-page notices (a callback from a page of the previous release): "
                  f"{r['Request Count']}")
            continue
        print(f"{(r['Type'] + ' ' + r['Name'])[:27]:<28}{r['Request Count']:>9}"
              f"{r['Failure Count']:>8}{r['50%']:>8}{r['95%']:>8}{r['99%']:>8}")


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the stack on SIGTERM too
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--users", type=int, default=200)
    p.add_argument("--minutes", type=float, default=5.0)
    p.add_argument("--release", type=Path, default=ROOT / "data" / "indicators.duckdb")
    p.add_argument("--fault-minutes", type=float, default=1.5, help="0: no run with faults")
    p.add_argument("--no-compare", action="store_true", help="skip the run without nginx cache")
    p.add_argument("--only", choices=["cached", "uncached", "faults"], action="append",
                   help="run only these (repeatable)")
    args = p.parse_args()
    if missing_programs():
        print(f"skipped: install {' and '.join(missing_programs())} (Debian packages)")
        return 0
    print(f"load before the run: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores")
    runs = [("with nginx cache", True, args.minutes)]
    if not args.no_compare:
        runs.append(("without nginx cache", False, args.minutes))
    if args.fault_minutes > 0:
        runs.append(("with faults", True, args.fault_minutes))
    if args.only:
        keys = {"with nginx cache": "cached", "without nginx cache": "uncached",
                "with faults": "faults"}
        runs = [r for r in runs if keys[r[0]] in args.only]
    with tempfile.TemporaryDirectory() as tmp:
        newer = release_copy(args.release, Path(tmp) / "newer.duckdb", "99991231-republished")
        for title, cached, minutes in runs:
            with Stack(args.release.resolve(), limits=NO_LIMITS, app_env=APP_NO_LIMITS,
                       nginx_cache=cached) as stack:
                done: list[str] = []
                if title == "with faults":  # pauses ×3: faults from 15 s to 50 s into the run
                    threading.Thread(target=stack.faults, args=(newer, 3.0, done)).start()
                rows = run_locust(stack.url, args.users, int(minutes * 60),
                                  Path(tmp) / title.replace(" ", "-"))
                report(f"{title}: {args.users} users, {minutes:g} min", rows)
                server_side(stack.state / "nginx" / "access.log")
            if done:
                print(f"faults: {', '.join(done)}")
            print(f"load after the run: {os.getloadavg()[0]:.2f} (1 min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
