"""The production stack on one machine without Docker: nginx, N app instances, Redis.

Debian's ``nginx`` and ``redis-server`` and this project's gunicorn, on loopback ports chosen
free at start, with their state in a temporary folder; nginx runs the same
``deploy/nginx/registre.conf.template`` as docker-compose. Used by the load and fault tests
and ``benchmarks/bench_load.py``; ``python deploy/localstack.py [RELEASE]`` serves the demo
behind nginx until Ctrl-C (``make stack``).
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from dashboard.publish import CURRENT, NGINX_CONF, publish  # noqa: E402

TEMPLATE = ROOT / "deploy" / "nginx" / "registre.conf.template"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
PROGRAMS = ("nginx", "redis-server")
LIMITS = {"API_RATE": "20r/s", "API_BURST": "40", "SITE_RATE": "30r/s", "SITE_BURST": "60"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def missing_programs() -> list[str]:
    return [p for p in PROGRAMS if shutil.which(p) is None and not Path(f"/usr/sbin/{p}").exists()]


def program(name: str) -> str:
    return shutil.which(name) or f"/usr/sbin/{name}"


def render(template: str, values: dict[str, str]) -> str:
    """Replace ``${NAME}`` placeholders; every placeholder must have a value."""
    out = re.sub(r"\$\{([A-Z_]+)\}", lambda m: values[m.group(1)], template)
    if "${" in out:
        raise ValueError("unrendered placeholder")
    return out


def wait_http(url: str, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{url}: process exited with {proc.returncode}")
        if time.monotonic() > deadline:
            raise TimeoutError(url)
        time.sleep(0.1)


def wait_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class Stack:
    """nginx → ``apps`` gunicorn instances → Redis, all on loopback (a context manager)."""

    def __init__(self, release: Path, apps: int = 2, workers: int = 2, threads: int = 4,
                 limits: dict[str, str] | None = None, app_env: dict[str, str] | None = None,
                 nginx_cache: bool = True, state: Path | None = None) -> None:
        self.release = Path(release)
        self.n_apps, self.workers, self.threads = apps, workers, threads
        self.limits = {**LIMITS, **(limits or {})}
        self.app_env = app_env or {}
        self.nginx_cache = nginx_cache
        self._own_state = state is None
        self.state = Path(state or tempfile.mkdtemp(prefix="registre-stack-"))
        self.redis_port = free_port()
        self.app_ports = [free_port() for _ in range(apps)]
        self.metrics_ports = [free_port() for _ in range(apps)]
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.procs: dict[str, subprocess.Popen] = {}
        self.releases = self.state / "releases"  # current.duckdb → releases/<id>.duckdb

    # --- processes ---------------------------------------------------------------------------

    def _spawn(self, name: str, cmd: list[str], env: dict[str, str] | None = None,
               ) -> subprocess.Popen:
        log = open(self.state / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                                env={**os.environ, **(env or {})}, start_new_session=True)
        log.close()
        self.procs[name] = proc
        return proc

    def start_redis(self) -> None:
        self._spawn("redis", [program("redis-server"), "--port", str(self.redis_port),
                              "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                              "--dir", str(self.state)])
        wait_port(self.redis_port)

    def stop_redis(self) -> None:
        self._stop("redis")

    def app_environment(self, i: int) -> dict[str, str]:
        return {"BIND": f"127.0.0.1:{self.app_ports[i]}",
                "RELEASE_PATH": str(self.releases / CURRENT),
                "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
                "CACHE_DIR": str(self.state / f"cache-{i}"),
                "METRICS_PORT": str(self.metrics_ports[i]),
                "PROMETHEUS_MULTIPROC_DIR": str(self._fresh_dir(f"metrics-{i}")),
                "WEB_CONCURRENCY": str(self.workers), "THREADS": str(self.threads),
                "RELEASE_CHECK_INTERVAL": "0.5", **self.app_env}

    def start_app(self, i: int, wait: bool = True) -> subprocess.Popen:
        proc = self._spawn(f"app{i}", [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF),
                                       "app:server"], self.app_environment(i))
        if wait:
            try:
                wait_http(f"http://127.0.0.1:{self.app_ports[i]}/readyz", proc=proc)
            except (RuntimeError, TimeoutError) as exc:
                tail = self.log(f"app{i}").strip().splitlines()[-5:]
                raise RuntimeError(f"{exc}; its last lines: {' | '.join(tail)}") from None
        return proc

    def kill_app(self, i: int) -> None:
        """SIGKILL the instance's whole process group (master and workers): a crash."""
        proc = self.procs.pop(f"app{i}")
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def start_nginx(self) -> None:
        nginx_dir = self._fresh_dir("nginx")
        (nginx_dir / "upstream.conf").write_text("".join(
            f"server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;\n" for p in self.app_ports))
        release_conf = self.releases / NGINX_CONF
        site = render(TEMPLATE.read_text(), {
            "LISTEN": f"127.0.0.1:{self.port}", "UPSTREAM_CONF": str(nginx_dir / "upstream.conf"),
            "CACHE_DIR": str(nginx_dir / "cache"), "RELEASE_CONF": str(release_conf),
            "ACCESS_LOG": str(nginx_dir / "access.log"), **self.limits})
        if not self.nginx_cache:
            site = re.sub(r"^\s*proxy_cache registre;\n", "", site, flags=re.M)
        (nginx_dir / "registre.conf").write_text(site)
        user = ""
        if os.geteuid() == 0:  # workers drop to nobody: let them write their state
            nobody = pwd.getpwnam("nobody")
            os.chmod(self.state, 0o711)
            for path in [nginx_dir, *nginx_dir.rglob("*")]:
                os.chown(path, nobody.pw_uid, nobody.pw_gid)
            user = f"user nobody {grp.getgrgid(nobody.pw_gid).gr_name};\n"
        temp = "".join(f"{k}_temp_path {nginx_dir / k};\n"
                       for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        (nginx_dir / "nginx.conf").write_text(
            f"{user}worker_processes 1;\npid {nginx_dir / 'nginx.pid'};\n"
            f"error_log {nginx_dir / 'error.log'} warn;\nevents {{ worker_connections 4096; }}\n"
            f"http {{\n{temp}include {nginx_dir / 'registre.conf'};\n}}\n")
        self._spawn("nginx", [program("nginx"), "-p", str(nginx_dir), "-c",
                              str(nginx_dir / "nginx.conf"), "-g", "daemon off;"])
        wait_http(f"{self.url}/nginx-health", proc=self.procs["nginx"])

    def reload_nginx(self) -> None:
        self.procs["nginx"].send_signal(signal.SIGHUP)

    def publish(self, release: Path) -> str:
        """Publish a new release file as in production (then nginx reloads its cache key)."""
        release_id = publish(release, self.releases)
        if "nginx" in self.procs:
            self.reload_nginx()
        return release_id

    def faults(self, new_release: Path, pace: float = 1.0, done: list[str] | None = None,
               ) -> list[str]:
        """Kill and restart instance 1, stop and start Redis, publish ``new_release``.

        ``pace`` stretches the pauses between faults (1.0: about 17 s in all).
        """
        done = [] if done is None else done
        steps = ((5, "app killed", lambda: self.kill_app(1)),
                 (4, "app restarted", lambda: self.start_app(1)),
                 (2, "redis stopped", self.stop_redis), (4, "redis started", self.start_redis),
                 (2, "release published", lambda: self.publish(new_release)))
        for pause, label, step in steps:
            time.sleep(pause * pace)
            step()
            done.append(label)
        return done

    def _fresh_dir(self, name: str) -> Path:
        path = self.state / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def _stop(self, name: str) -> None:
        proc = self.procs.pop(name, None)
        if proc is None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)

    # --- whole stack ---------------------------------------------------------------------------

    def __enter__(self) -> Stack:
        try:
            publish(self.release, self.releases)
            self.start_redis()
            for i in range(self.n_apps):
                self.start_app(i)
            self.start_nginx()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        for name in list(self.procs):
            self._stop(name)
        if self._own_state:
            shutil.rmtree(self.state, ignore_errors=True)

    def log(self, name: str) -> str:
        return (self.state / f"{name}.log").read_text(errors="replace")


def release_copy(source: Path, target: Path, release_id: str) -> Path:
    """A copy of a release file under another release id (a newer publication, for tests)."""
    import duckdb

    shutil.copyfile(source, target)
    con = duckdb.connect(str(target))
    con.execute("UPDATE release SET release_id = ?", [release_id])
    con.close()
    return target


def main() -> int:
    release = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "data" / "indicators.duckdb"
    missing = missing_programs()
    if missing:
        print(f"error: install {' and '.join(missing)} (Debian packages)", file=sys.stderr)
        return 2
    with Stack(release.resolve()) as stack:
        print(f"nginx on {stack.url} → apps on {stack.app_ports}, Redis on {stack.redis_port}; "
              f"state in {stack.state}; Ctrl-C stops", flush=True)
        try:
            while all(p.poll() is None for p in stack.procs.values()):
                time.sleep(1)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
