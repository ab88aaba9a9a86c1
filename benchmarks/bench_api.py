"""Benchmark of the data API (prints figures; not a test).

Usage: ``python benchmarks/bench_api.py [RELEASE] [--seconds S] [--rows N] [--no-datasette]``

RELEASE defaults to ``data/indicators.duckdb``, else the synthetic test fixture (built into a
temporary directory; ``--rows N`` then enlarges its ``indicator`` table to about N rows by
repeating it over earlier years, so the streaming test has something to stream).

1. Streaming: the whole ``indicator`` table as CSV in one request while sampling the server
   workers' resident memory (``VmRSS`` in ``/proc``); target: growth ≤ 200 MB.
2. Throughput of typical filtered CSV requests, 1 and 8 concurrent clients (client processes,
   one connection per request), servers side by side and measured in interleaved rounds (the
   best round is kept: other load on the machine only ever slows a run down):
   - our API under gunicorn (2 workers, gthread, 4 threads each),
   - Datasette serving the same table exported to SQLite (installed into a temporary
     virtualenv, never a project dependency; skipped when it cannot be installed),
   - the same response bytes as static files (werkzeug ``SharedDataMiddleware`` under the same
     gunicorn setup).
   Targets: ≥ 10× Datasette, ≥ 1/3 of static.

Everything listens on 127.0.0.1 only; every loop is bounded by a duration and a count.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing as mp
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import venv
from pathlib import Path
from urllib.parse import urlencode

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import (
    HOST,
    ROOT,
    children,
    fetch,
    free_port,
    gunicorn,
    server,
)
from dashboard.release_schema import columns

MAX_REQUESTS = 200_000  # per client process and run, on top of the duration bound


# --- memory ------------------------------------------------------------------------------------

def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def bench_streaming(port: int, master: int, label: str) -> None:
    workers = children(master)
    base = {pid: rss_mb(pid) for pid in workers}
    peak = dict(base)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            for pid in workers:
                peak[pid] = max(peak[pid], rss_mb(pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    start = time.perf_counter()
    status, size = fetch(port, "/api/v1/indicators?format=csv", sink=True)
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    growth = max(peak[pid] - base[pid] for pid in workers)
    print(f"  {label}: HTTP {status}, {size / 1e6:.1f} MB in {elapsed:.2f} s "
          f"({size / 1e6 / elapsed:.0f} MB/s); worker RSS before "
          f"{', '.join(f'{v:.0f}' for v in base.values())} MB, peak growth {growth:.0f} MB "
          f"(target ≤ 200 MB: {'OK' if growth <= 200 else 'MISSED'})")


# --- throughput --------------------------------------------------------------------------------

def _client(port: int, paths: list[str], seconds: float, seed: int, out: mp.Queue) -> None:
    rng = random.Random(seed)
    order = paths[:]
    rng.shuffle(order)
    done = errors = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline and done < MAX_REQUESTS:
        status, _ = fetch(port, order[done % len(order)], sink=True)
        errors += status != 200
        done += 1
    out.put((done, errors))


def throughput(port: int, paths: list[str], clients: int, seconds: float) -> float:
    """Requests per second with ``clients`` concurrent client processes."""
    for path in paths:  # warm-up (and check)
        status, _ = fetch(port, path, sink=True)
        if status != 200:
            raise RuntimeError(f"{path}: HTTP {status}")
    queue: mp.Queue = mp.Queue()
    procs = [mp.Process(target=_client, args=(port, paths, seconds, i, queue))
             for i in range(clients)]
    start = time.perf_counter()
    for proc in procs:
        proc.start()
    results = [queue.get(timeout=seconds + 120) for _ in procs]
    for proc in procs:
        proc.join()
    elapsed = time.perf_counter() - start
    total, errors = sum(r[0] for r in results), sum(r[1] for r in results)
    if errors:
        print(f"    ({errors} non-200 responses)")
    return total / elapsed


def typical_filters(con: duckdb.DuckDBPyConnection) -> list[dict[str, str]]:
    """Filter sets of the dashboard's views: one site × sex × measure × level × period."""
    last = con.execute("SELECT max(year_end) FROM indicator").fetchall()[0][0]
    rows = con.execute(
        "SELECT DISTINCT measure, site_code, sex FROM indicator ORDER BY ALL").fetchall()
    rng = random.Random(7)
    rng.shuffle(rows)
    out = []
    for i, (measure, site, sex) in enumerate(rows[:24]):
        level = ("department", "region")[i % 2]
        out.append({"measure": measure, "site_code": site, "sex": sex, "level": level,
                    "year_start": str(last - 4), "year_end": str(last)})
    return out


def api_path(filters: dict[str, str]) -> str:
    """Our URL of a map view: one 5-year period (``period_length=5``)."""
    names = {"site_code": "site"}
    query = {names.get(k, k): v for k, v in filters.items()}
    return "/api/v1/indicators?" + urlencode({**query, "period_length": "5"})


def datasette_path(filters: dict[str, str]) -> str:
    """Datasette's URL of the same rows (exact ``year_start`` and ``year_end``)."""
    return "/indicators/indicator.csv?" + urlencode({**filters, "_size": "max"})


def export_sqlite(release: Path, target: Path) -> None:
    """The ``indicator`` table in SQLite, indexed on the filtered columns (fair to Datasette)."""
    sqlite_types = {"VARCHAR": "TEXT", "DOUBLE": "REAL"}
    cols = columns("indicator")
    names = [name for name, _ in cols]
    con = duckdb.connect(str(release), read_only=True)
    cur = con.execute(f"SELECT {', '.join(names)} FROM indicator")
    lite = sqlite3.connect(target)
    lite.execute("CREATE TABLE indicator ("
                 + ", ".join(f"{n} {sqlite_types.get(t, 'INTEGER')}" for n, t in cols) + ")")
    insert = f"INSERT INTO indicator VALUES ({', '.join('?' * len(names))})"
    while rows := cur.fetchmany(50_000):
        lite.executemany(insert, rows)
    lite.execute("CREATE INDEX filters ON indicator (measure, site_code, sex, level, year_start,"
                 " year_end)")
    lite.commit()
    lite.close()
    con.close()


def install_datasette(directory: Path) -> Path | None:
    """Datasette in a throw-away virtualenv; None when it cannot be installed."""
    env_dir = directory / "venv-datasette"
    try:
        venv.create(env_dir, with_pip=True)
        subprocess.run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q",
                        "datasette"], check=True, timeout=600, capture_output=True)
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"  Datasette could not be installed ({exc}); comparison skipped")
        return None
    return env_dir / "bin" / "datasette"


def write_static(port: int, paths: list[str], directory: Path) -> list[str]:
    """Save our API's response bodies as files; return their static URLs."""
    urls = []
    for i, path in enumerate(paths):
        _, body = fetch(port, path)
        assert isinstance(body, bytes)
        (directory / f"view{i}.csv").write_bytes(body)
        urls.append(f"/static/view{i}.csv")
    return urls


# --- release -----------------------------------------------------------------------------------

def enlarge(fixture: Path, target: Path, rows: int) -> Path:
    """Copy of the fixture whose ``indicator`` table is repeated over earlier years."""
    con = duckdb.connect(str(target))
    con.execute(f"ATTACH '{fixture}' AS src (READ_ONLY)")
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'src'")
        .fetchall()]
    base = con.execute("SELECT count(*) FROM src.indicator").fetchall()[0][0]
    copies = max(1, rows // base)
    for table in tables:
        if table == "indicator":
            con.execute(
                "CREATE TABLE indicator AS SELECT i.* REPLACE (year_start - 10 * k AS "
                "year_start, year_end - 10 * k AS year_end) FROM src.indicator i, range(?) r(k) "
                "ORDER BY measure, site_code, sex, level, year_start, year_end, geo_code",
                [copies])
        else:
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM src.{table}")
    con.close()
    return target


def resolve_release(arg: str | None, rows: int, workdir: Path) -> Path:
    if arg:
        return Path(arg).resolve()
    default = ROOT / "data" / "indicators.duckdb"
    if default.exists():
        return default
    sys.path.insert(0, str(ROOT / "tests"))
    from release_fixture import build_fixture_release

    fixture = build_fixture_release(workdir / "fixture.duckdb")
    print(f"(no data/indicators.duckdb: synthetic fixture enlarged to ~{rows:,} indicator rows)")
    return enlarge(fixture, workdir / "enlarged.duckdb", rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("release", nargs="?")
    parser.add_argument("--seconds", type=float, default=3.0, help="per throughput run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (best kept)")
    parser.add_argument("--rows", type=int, default=1_000_000,
                        help="indicator rows of the enlarged fixture")
    parser.add_argument("--no-datasette", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        work = Path(tmp)
        release = resolve_release(args.release, args.rows, work)
        con = duckdb.connect(str(release), read_only=True)
        n_rows = con.execute("SELECT count(*) FROM indicator").fetchall()[0][0]
        filters = typical_filters(con)
        con.close()
        print(f"release: {release.name}, {n_rows:,} indicator rows; {os.cpu_count()} CPUs, "
              f"load average {os.getloadavg()[0]:.1f} (other load skews the figures); servers: "
              "gunicorn 2 workers × 4 threads (gthread) on 127.0.0.1")
        env = {"RELEASE_PATH": str(release), "API_DOWNLOAD_DIR": str(work / "downloads")}
        port = free_port()
        paths = [api_path(f) for f in filters]
        app = "dashboard.api.wsgi:create_app()"
        with server(gunicorn(app, port, workers=1), port, "/api/v1/release", env) as proc:
            print("\n1. Streaming the whole indicator table as CSV (gunicorn, 1 worker)")
            fetch(port, "/api/v1/indicators?geo=FR&site=all&sex=all")  # warm: connection, codes
            bench_streaming(port, proc.pid, "first download")
            bench_streaming(port, proc.pid, "second download")
            print("  (the first download also fills DuckDB's buffer cache with the table's blocks"
                  " — bounded by DuckDB's memory_limit — and the Arrow allocator's pools; the "
                  "second download on the same worker shows the per-download growth)")
        static_dir = work / "static"
        static_dir.mkdir()
        with contextlib.ExitStack() as stack:
            stack.enter_context(server(gunicorn(app, port), port, "/api/v1/release", env))
            static_paths = write_static(port, paths, static_dir)
            sizes = sorted(len(p.read_bytes()) for p in static_dir.iterdir())
            targets = {"our API": (port, paths)}
            cold = free_port()
            stack.enter_context(server(gunicorn(app, cold), cold, "/api/v1/release",
                                       {**env, "API_MICROCACHE": "0", "API_BODY_CACHE": "0"}))
            targets["API, no cache"] = (cold, paths)
            sport = free_port()
            static_app = f"benchmarks.bench_api:static_app('{static_dir}')"
            stack.enter_context(server(gunicorn(static_app, sport), sport, static_paths[0]))
            targets["static files"] = (sport, static_paths)
            binary = None if args.no_datasette else install_datasette(work)
            if binary:
                db = work / "indicators.db"
                export_sqlite(release, db)
                dport = free_port()
                dpaths = [datasette_path(f) for f in filters]
                cmd = [str(binary), "serve", str(db), "--host", HOST, "--port", str(dport)]
                stack.enter_context(server(cmd, dport, dpaths[0]))
                targets["Datasette"] = (dport, dpaths)
            print(f"\n2. Typical filtered CSV requests: {len(paths)} map-view URLs (one 5-year "
                  f"period, median {sizes[len(sizes) // 2] / 1e3:.0f} kB); {args.rounds} rounds "
                  f"of {args.seconds:.0f} s per server and client count, servers interleaved")
            runs: dict[str, dict[int, list[float]]] = {n: {1: [], 8: []} for n in targets}
            for _ in range(args.rounds):
                for name, (tport, tpaths) in targets.items():
                    for clients in (1, 8):
                        runs[name][clients].append(throughput(tport, tpaths, clients,
                                                              args.seconds))
        results = {name: {c: max(rates) for c, rates in by.items()} for name, by in runs.items()}
        print(f"\n  load average now {os.getloadavg()[0]:.1f}; requests/s, best of {args.rounds}"
              " rounds (medians in the last two columns)")
        print(f"  {'':44}{'1 client':>8}{'8 clients':>11}   {'1':>5}{'8':>6}")
        for name, by in runs.items():
            medians = "".join(f"{statistics.median(by[c]):6.0f}" for c in (1, 8))
            print(f"  {name:44}{results[name][1]:8.0f}{results[name][8]:11.0f}  {medians}")
        print("  (our API: micro-cache and body cache on, as deployed: repeated view URLs are "
              "replayed; 'no cache': every request validated and queried in DuckDB)")
        for mine in ("our API", "API, no cache"):
            for name, target in (("Datasette", "≥ 10"), ("static files", "≥ 0.33")):
                if name in results:
                    ratios = [results[mine][c] / results[name][c] for c in (1, 8)]
                    print(f"  {mine} / {name}: {ratios[0]:.2f} (1 client), {ratios[1]:.2f} "
                          f"(8 clients); target {target}")

def static_app(directory: str):
    """WSGI app serving ``directory`` under ``/static`` (werkzeug, as a plain file server)."""
    from werkzeug.exceptions import NotFound
    from werkzeug.middleware.shared_data import SharedDataMiddleware

    return SharedDataMiddleware(NotFound(), {"/static": directory}, cache=False)


if __name__ == "__main__":
    main()
