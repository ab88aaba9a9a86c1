"""Helpers shared by the benchmarks: loopback servers, process CPU, summaries, text tables.

Everything listens on 127.0.0.1 only; every wait is bounded.
"""

from __future__ import annotations

import contextlib
import http.client
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port free on the loopback interface right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def fetch(port: int, path: str, sink: bool = False) -> tuple[int, bytes | int]:
    """GET ``path`` on a new connection, closed after it; returns the status and the body (or
    only its size when ``sink``). The request says ``Connection: close``, as a client that
    will not reuse its connection should (RFC 9112 §9.6) and as ``urllib`` (pandas'
    ``read_csv`` of a URL) does: the server closes at once instead of waiting to read the
    client's end of the connection."""
    conn = http.client.HTTPConnection(HOST, port, timeout=600)
    try:
        conn.request("GET", path, headers={"Accept-Encoding": "identity", "Connection": "close"})
        response = conn.getresponse()
        if not sink:
            return response.status, response.read()
        size = 0
        while block := response.read(1 << 20):
            size += len(block)
        return response.status, size
    finally:
        conn.close()


class KeepAlive:
    """One HTTP/1.1 connection reused request after request (as nginx keeps its upstream
    connections, ``deploy/nginx``); opened again when the server closes it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def fetch(self, path: str, sink: bool = False) -> tuple[int, bytes | int]:
        """Like :func:`fetch`, on the kept connection."""
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=600)
            try:
                self.conn.request("GET", path, headers={"Accept-Encoding": "identity"})
                response = self.conn.getresponse()
                body = response.read()
            except (http.client.RemoteDisconnected, ConnectionError):
                self.close()  # the server closed an idle connection: once more on a new one
                if attempt == 2:
                    raise
                continue
            if response.will_close:
                self.close()
            return response.status, len(body) if sink else body
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def wait_ready(port: int, path: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    """Wait until ``path`` answers 200 (raises if the server exits or never answers)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            if fetch(port, path)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server on port {port} not ready")


@contextlib.contextmanager
def server(cmd: Sequence[str], port: int, ready_path: str, env: dict[str, str] | None = None,
           cwd: Path = ROOT) -> Iterator[subprocess.Popen]:
    """Run a server subprocess for the duration of the block (stderr shown if it fails)."""
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **(env or {})},
                                stdout=subprocess.DEVNULL, stderr=log)
        try:
            try:
                wait_ready(port, ready_path, proc)
            except RuntimeError:
                log.seek(0)
                sys.stderr.write(log.read()[-4000:].decode(errors="replace"))
                raise
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def gunicorn(app: str, port: int, workers: int = 2, threads: int = 4) -> list[str]:
    """gunicorn command line: ``workers`` gthread workers of ``threads`` threads on loopback."""
    return [sys.executable, "-m", "gunicorn", "--workers", str(workers),
            "--worker-class", "gthread", "--threads", str(threads), "--bind", f"{HOST}:{port}",
            "--log-level", "warning", app]


# --- processes ---------------------------------------------------------------------------------

def children(pid: int) -> list[int]:
    """Direct child processes of ``pid`` (from ``/proc``)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


def cpu_seconds(pids: Sequence[int]) -> float:
    """User + system CPU time used so far by ``pids`` (processes gone count as 0)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / tick


def wait_idle(pid: int, limit: float = 300.0, window: float = 2.0, busy: float = 0.05) -> float:
    """Wait (bounded) until a server and its workers use < ``busy`` CPU over ``window`` seconds
    (e.g. background compression done); returns the seconds waited."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        pids = [pid, *children(pid)]
        before = cpu_seconds(pids)
        time.sleep(window)
        if cpu_seconds(pids) - before < busy * window:
            break
    return time.monotonic() - start


def load_line() -> str:
    """The load average and CPU count (other load skews every figure)."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} CPUs"


# --- figures -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Summary:
    """Median and range of a sample (NaN values, e.g. timeouts, are counted apart)."""

    n: int
    median: float
    low: float
    high: float
    failed: int = 0


def summarise(values: Sequence[float]) -> Summary:
    """Median, min and max of the finite values; the others count as failures."""
    good = [v for v in values if math.isfinite(v)]
    failed = len(values) - len(good)
    if not good:
        nan = float("nan")
        return Summary(0, nan, nan, nan, failed)
    return Summary(len(good), statistics.median(good), min(good), max(good), failed)


def format_table(header: Sequence[str], rows: Sequence[Sequence[object]],
                 right: Sequence[bool] | None = None) -> str:
    """A plain-text table; columns flagged in ``right`` are right-aligned (numbers)."""
    right = right or [False] * len(header)
    cells = [[str(c) for c in header], *[[_cell(c) for c in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(c.rjust(w) if right[i] else c.ljust(w)
                               for i, (c, w) in enumerate(zip(row, widths, strict=True)))
                     .rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return "—" if math.isnan(value) else f"{value:.0f}" if abs(value) >= 10 else f"{value:.2f}"
    return str(value)


def release_path(arg: str | None) -> Path:
    """The release to measure: the argument, data/indicators.duckdb, else a fresh fixture."""
    path = Path(arg) if arg else ROOT / "data" / "indicators.duckdb"
    if path.exists():
        return path.resolve()
    sys.path.insert(0, str(ROOT / "tests"))
    from release_fixture import build_fixture_release

    out = Path(tempfile.mkdtemp(prefix="bench-release-")) / "indicators.duckdb"
    print(f"{path} not found: building the synthetic fixture release at {out}")
    return build_fixture_release(out)
