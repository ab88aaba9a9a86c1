"""Benchmark of the data API (prints figures; not a test).

Usage: ``python benchmarks/bench_api.py [RELEASE] [--seconds S] [--rows N] [--no-datasette]
[--mode warm|cold|both] [--keep-alive] [--ref GIT_REF]``

RELEASE defaults to ``data/indicators.duckdb``, else the synthetic test fixture (built into a
temporary directory; ``--rows N`` then enlarges its ``indicator`` table to about N rows by
repeating it over earlier years, so the streaming test has something to stream).

1. Streaming: the whole ``indicator`` table as CSV in one request while sampling the server
   workers' resident memory (``VmRSS`` in ``/proc``); target: growth ≤ 200 MB.
2. Throughput of filtered CSV requests, 1 and 8 concurrent clients (client processes, one
   connection per request, announced with ``Connection: close`` as urllib and pandas do;
   with ``--keep-alive`` each client reuses one HTTP/1.1 connection,
   as nginx does with its upstream keep-alive connections in the deployment — gunicorn's
   gthread workers and Datasette's uvicorn both keep connections open, so every server is
   measured the same way; a new connection costs about 0.15-0.2 ms of every request, client
   and server side, which no server's own work can remove), servers side by side and
   measured in interleaved rounds (the best round is kept: other load on the machine only
   ever slows a run down), with the median latency seen by the clients:
   - **warm**: 24 typical map-view URLs, cycled (repeated queries: caches help);
   - **cold**: every request a query nobody asked before, drawn from every map view of the
     catalogue (measure × site × sex × level × period) and every regional zoom of the
     department maps (the departments of one region), with and without ``status=published``,
     the warm URLs excluded; the shuffled list is cut into one slice per run, run k of every
     server is sent slice k (through a cursor shared by its clients), so no URL is ever sent
     twice to a server, no cache can help and every server answers the same queries;
   against
   - our API under gunicorn (2 workers, gthread, 4 threads each; micro-cache and body cache on,
     as deployed), and the same without its caches (warm only),
   - Datasette serving the same table exported to SQLite (installed into a temporary
     virtualenv, never a project dependency; skipped when it cannot be installed),
   - the same response bytes as static files (werkzeug ``SharedDataMiddleware`` under the same
     gunicorn setup; warm only),
   - with ``--ref GIT_REF``, our API at that commit (a temporary ``git worktree``, same
     virtualenv, release, setup and URLs): before/after figures from the same run.
   Targets: warm ≥ 10× Datasette, cold (1 client) ≥ 5× Datasette, warm ≥ 1/3 of static.

Everything listens on 127.0.0.1 only; every loop is bounded by a duration and a count.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import multiprocessing as mp
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import venv
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import (
    HOST,
    ROOT,
    KeepAlive,
    children,
    fetch,
    format_table,
    free_port,
    gunicorn,
    load_line,
    server,
)
from benchmarks.bench_browser import git, ref_worktree
from dashboard.release_schema import columns

MAX_REQUESTS = 200_000  # per client process and run, on top of the duration bound
CLIENTS = (1, 8)


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

@dataclass
class Workload:
    """The URLs of one run: cycled (warm), or each sent once (cold) through a cursor shared
    by the run's client processes."""

    paths: list[str]
    cold: bool = False

    def __post_init__(self) -> None:
        self.cursor = mp.Value("l", 0) if self.cold else None

    def path(self, order: list[str], i: int) -> str | None:
        """The ``i``-th URL of a client (``order``: its shuffled copy), None when used up."""
        if self.cursor is None:
            return order[i % len(order)]
        with self.cursor.get_lock():
            k = self.cursor.value
            self.cursor.value += 1
        return self.paths[k] if k < len(self.paths) else None

    def used(self) -> int:
        return min(self.cursor.value, len(self.paths)) if self.cursor is not None else 0


@dataclass(frozen=True)
class Run:
    """One throughput run: requests/s, median client latency (ms), mean response size (kB),
    whether the cold list was used up."""

    rate: float
    latency_ms: float
    kb: float = float("nan")
    exhausted: bool = False


def _client(port: int, work: Workload, seconds: float, seed: int, out: mp.Queue,
            keep_alive: bool = False) -> None:
    kept = KeepAlive(port) if keep_alive else None
    order = work.paths[:]
    random.Random(seed).shuffle(order)
    done = errors = size = 0
    latencies: list[float] = []
    exhausted = False
    began = time.perf_counter()  # CLOCK_MONOTONIC: one clock for every client process
    deadline = began + seconds
    while time.perf_counter() < deadline and done < MAX_REQUESTS:
        path = work.path(order, done)
        if path is None:
            exhausted = True
            break
        start = time.perf_counter()
        status, body = kept.fetch(path, sink=True) if kept else fetch(port, path, sink=True)
        latencies.append(time.perf_counter() - start)
        errors += status != 200
        size += int(body)
        done += 1
    if kept:
        kept.close()
    out.put((done, errors, statistics.median(latencies) if latencies else float("nan"),
             exhausted, size, began, time.perf_counter()))


def check(port: int, paths: list[str]) -> None:
    """GET every path once (warm-up and check that each answers 200)."""
    for path in paths:
        status, _ = fetch(port, path, sink=True)
        if status != 200:
            raise RuntimeError(f"{path}: HTTP {status}")


def throughput(port: int, work: Workload, clients: int, seconds: float,
               keep_alive: bool = False) -> Run:
    """Requests per second with ``clients`` concurrent client processes, over the time the
    clients were sending (first request of the first to start, last answer of the last to end:
    starting the processes is not counted, which matters when a cold run uses up its URLs
    before its time is up)."""
    queue: mp.Queue = mp.Queue()
    procs = [mp.Process(target=_client, args=(port, work, seconds, i, queue, keep_alive))
             for i in range(clients)]
    for proc in procs:
        proc.start()
    results = [queue.get(timeout=seconds + 120) for _ in procs]
    for proc in procs:
        proc.join()
    elapsed = max(r[6] for r in results) - min(r[5] for r in results)
    total, errors = sum(r[0] for r in results), sum(r[1] for r in results)
    if errors:
        print(f"    ({errors} non-200 responses)")
    return Run(total / elapsed, 1000 * statistics.median(r[2] for r in results),
               sum(r[4] for r in results) / max(total, 1) / 1000, any(r[3] for r in results))


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


def catalogue_filters(con: duckdb.DuckDBPyConnection,
                      exclude: list[dict[str, str]]) -> list[dict[str, str]]:
    """Every map view of the release (measure × site × sex × department or region level ×
    published period) and every regional view of it (the departments of one region, for
    regions of several departments), each with and without ``status=published``, minus
    ``exclude``; shuffled (fixed seed)."""
    rows = con.execute(
        "SELECT DISTINCT measure, site_code, sex, level, year_start, year_end FROM indicator "
        "WHERE level IN ('department', 'region') ORDER BY ALL").fetchall()
    regions = con.execute(
        "SELECT string_agg(code, ',' ORDER BY code) FROM geo WHERE level = 'department' "
        "GROUP BY parent_code HAVING count(*) > 1 ORDER BY 1").fetchall()
    out = []
    for (measure, site, sex, level, ys, ye), extra in itertools.product(
            rows, ({}, {"status": "published"})):
        view = {"measure": measure, "site_code": site, "sex": sex, "level": level,
                "year_start": str(ys), "year_end": str(ye)}
        zooms = [{"geo_code": r[0]} for r in regions] if level == "department" else []
        out += [f for f in ({**view, **z, **extra} for z in [{}, *zooms]) if f not in exclude]
    random.Random(11).shuffle(out)
    return out


def api_path(filters: dict[str, str]) -> str:
    """Our URL of a map view: one period (``period_length`` = its length in years)."""
    names = {"site_code": "site", "geo_code": "geo"}
    query = {names.get(k, k): v for k, v in filters.items()}
    length = int(filters["year_end"]) - int(filters["year_start"]) + 1
    return "/api/v1/indicators?" + urlencode({**query, "period_length": str(length)})


def datasette_path(filters: dict[str, str]) -> str:
    """Datasette's URL of the same rows (exact ``year_start`` and ``year_end``)."""
    names = {"geo_code": "geo_code__in"}
    query = {names.get(k, k): v for k, v in filters.items()}
    return "/indicators/indicator.csv?" + urlencode({**query, "_size": "max"})


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


@dataclass
class Target:
    """A server under test: its warm workload and its cold URL list (None: not measured)."""

    port: int
    warm: Workload | None
    cold: list[str] | None


def cold_slice(paths: list[str], k: int, n: int) -> list[str]:
    """The ``k``-th of ``n`` equal slices of a cold list: run ``k`` of every server is sent the
    same URLs, and no URL twice."""
    size = len(paths) // n
    return paths[k * size:(k + 1) * size]


def report(runs: dict[str, dict[tuple[str, int], list[Run]]], rounds: int) -> None:
    """Requests/s (best and median of the rounds), client latency and the ratios."""
    best = {(name, key): max(r.rate for r in rs) for name, by in runs.items()
            for key, rs in by.items()}
    rows = []
    for name, by in runs.items():
        for mode in ("warm", "cold"):
            if (mode, 1) not in by:
                continue
            rates = [best[(name, (mode, c))] for c in CLIENTS]
            medians = [statistics.median(r.rate for r in by[(mode, c)]) for c in CLIENTS]
            latency = statistics.median(r.latency_ms for r in by[(mode, 1)])
            kb = statistics.median(r.kb for c in CLIENTS for r in by[(mode, c)])
            used_up = any(r.exhausted for c in CLIENTS for r in by[(mode, c)])
            rows.append([name, mode + (" (slice used up)" if used_up else ""),
                         *[f"{v:.0f}" for v in rates + medians], f"{latency:.1f}",
                         f"{kb:.1f}"])
    print(f"\n  {load_line()} now; requests/s, best and median of {rounds} rounds; latency: "
          "median seen by the single client; kB: mean response body")
    print(format_table(("server", "mode", "best 1 client", "best 8 clients", "median 1",
                        "median 8", "latency ms", "kB"), rows,
                       (False, False, True, True, True, True, True, True)))
    print("  (our API: micro-cache and body cache on, as deployed; 'no cache': every request "
          "validated and queried in DuckDB; cold: every URL sent once per server; 'slice used "
          "up': a run sent all its URLs before its time was up)")
    targets = {("Datasette", "warm"): "≥ 10", ("Datasette", "cold"): "≥ 5 (1 client)",
               ("static files", "warm"): "≥ 0.33"}
    ratio_rows = []
    refs = [name for name in runs if name.startswith("API @")]
    targets.update({(ref, mode): "" for ref in refs for mode in ("warm", "cold")})
    for mine in ("our API", "API, no cache", *refs):
        for (other, mode), target in targets.items():
            if other == mine:
                continue
            keys = [(mine, (mode, c)) for c in CLIENTS] + [(other, (mode, c)) for c in CLIENTS]
            if all(k in best for k in keys):
                ratio_rows.append([f"{mine} / {other}", mode,
                                   *[f"{best[(mine, (mode, c))] / best[(other, (mode, c))]:.2f}"
                                     for c in CLIENTS], target])
    print(format_table(("ratio of best rates", "mode", "1 client", "8 clients", "target"),
                       ratio_rows, (False, False, True, True, False)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("release", nargs="?")
    parser.add_argument("--seconds", type=float, default=3.0, help="per throughput run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (best kept)")
    parser.add_argument("--rows", type=int, default=1_000_000,
                        help="indicator rows of the enlarged fixture")
    parser.add_argument("--mode", choices=("warm", "cold", "both"), default="both")
    parser.add_argument("--no-datasette", action="store_true")
    parser.add_argument("--ref", help="git ref whose API is also measured (temporary worktree)")
    parser.add_argument("--keep-alive", action="store_true",
                        help="each client reuses one connection (as nginx upstream does)")
    args = parser.parse_args()
    modes = ("warm", "cold") if args.mode == "both" else (args.mode,)
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        work = Path(tmp)
        release = resolve_release(args.release, args.rows, work)
        con = duckdb.connect(str(release), read_only=True)
        n_rows = con.execute("SELECT count(*) FROM indicator").fetchall()[0][0]
        filters = typical_filters(con)
        unique = catalogue_filters(con, filters)
        con.close()
        print(f"release: {release.name}, {n_rows:,} indicator rows; {load_line()} (other load "
              "skews the figures); servers: gunicorn 2 workers × 4 threads (gthread) on "
              "127.0.0.1")
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
        warm = "warm" in modes
        cold = "cold" in modes
        with contextlib.ExitStack() as stack:
            stack.enter_context(server(gunicorn(app, port), port, "/api/v1/release", env))
            static_paths = write_static(port, paths, static_dir)
            sizes = sorted(len(p.read_bytes()) for p in static_dir.iterdir())
            targets = {"our API": Target(port, Workload(paths) if warm else None,
                                         [api_path(f) for f in unique] if cold else None)}
            if warm:
                nocache = free_port()
                stack.enter_context(server(gunicorn(app, nocache), nocache, "/api/v1/release",
                                           {**env, "API_MICROCACHE": "0", "API_BODY_CACHE": "0"}))
                targets["API, no cache"] = Target(nocache, Workload(paths), None)
                sport = free_port()
                static_app = f"benchmarks.bench_api:static_app('{static_dir}')"
                stack.enter_context(server(gunicorn(static_app, sport), sport, static_paths[0]))
                targets["static files"] = Target(sport, Workload(static_paths), None)
            if args.ref:  # the same API at another commit, same setup, same workloads
                tree = stack.enter_context(ref_worktree(args.ref, work))
                rport = free_port()
                stack.enter_context(server(gunicorn(app, rport), rport, "/api/v1/release",
                                           {**env, "PYTHONPATH": str(tree)}, cwd=tree))
                label = f"API @{args.ref} ({git('rev-parse', '--short', 'HEAD', cwd=tree)})"
                targets[label] = Target(rport, Workload(paths) if warm else None,
                                        [api_path(f) for f in unique] if cold else None)
            binary = None if args.no_datasette else install_datasette(work)
            if binary:
                db = work / "indicators.db"
                export_sqlite(release, db)
                dport = free_port()
                dpaths = [datasette_path(f) for f in filters]
                cmd = [str(binary), "serve", str(db), "--host", HOST, "--port", str(dport)]
                stack.enter_context(server(cmd, dport, dpaths[0]))
                targets["Datasette"] = Target(
                    dport, Workload(dpaths) if warm else None,
                    [datasette_path(f) for f in unique] if cold else None)
            check(port, paths)
            for target in targets.values():  # warm-up; the cold lists are never sent here
                check(target.port, target.warm.paths if target.warm else [])
            n_runs = args.rounds * len(CLIENTS)
            regions = sum(f["level"] == "region" for f in unique)
            zooms = sum("geo_code" in f for f in unique)
            print(f"\n2. Filtered CSV requests: warm, {len(paths)} map-view URLs cycled (median "
                  f"{sizes[len(sizes) // 2] / 1e3:.0f} kB, half departments, half regions); "
                  f"cold, {len(unique):,} distinct URLs (map views: {regions:,} of regions — "
                  f"single years are published for regions only — and "
                  f"{len(unique) - regions - zooms:,} of departments; {zooms:,} views of the "
                  f"departments of one region), each cold run sent its own slice of "
                  f"{len(unique) // n_runs:,}, the same for every server; {args.rounds} rounds of "
                  f"{args.seconds:.0f} s per server, mode and client count, interleaved")
            runs: dict[str, dict[tuple[str, int], list[Run]]] = {n: {} for n in targets}
            sent = dict.fromkeys(targets, 0)
            for r in range(args.rounds):
                for name, target in targets.items():
                    for clients in CLIENTS if target.warm else ():
                        runs[name].setdefault(("warm", clients), []).append(
                            throughput(target.port, target.warm, clients, args.seconds,
                                       args.keep_alive))
                    for i, clients in enumerate(CLIENTS if target.cold else ()):
                        work = Workload(cold_slice(target.cold, r * len(CLIENTS) + i, n_runs),
                                        cold=True)
                        runs[name].setdefault(("cold", clients), []).append(
                            throughput(target.port, work, clients, args.seconds,
                                       args.keep_alive))
                        sent[name] += work.used()
        print("  cold URLs sent: " + ", ".join(f"{name} {n:,}" for name, n in sent.items()
                                                if n))
        report(runs, args.rounds)


def static_app(directory: str):
    """WSGI app serving ``directory`` under ``/static`` (werkzeug, as a plain file server)."""
    from werkzeug.exceptions import NotFound
    from werkzeug.middleware.shared_data import SharedDataMiddleware

    return SharedDataMiddleware(NotFound(), {"/static": directory}, cache=False)


if __name__ == "__main__":
    main()
