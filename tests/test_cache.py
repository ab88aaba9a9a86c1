"""The shared server cache: filesystem by default, Redis when REDIS_URL is set."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import pytest
from flask import Flask

from dashboard.cache import cache_config, init_cache


def _need(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{program} is required under CI=true (install Debian's redis-server)")
        pytest.skip(f"{program} is not installed")
    return path


def test_filesystem_cache_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("CACHE_DIR", str(tmp_path))
    app = Flask(__name__)
    cache = init_cache(app)
    with app.app_context():
        cache.set("k", {"v": 1})
        assert cache.get("k") == {"v": 1}
    assert cache_config()["CACHE_TYPE"] == "FileSystemCache"
    assert any(tmp_path.iterdir())


@pytest.mark.redis
def test_redis_cache_when_redis_url_is_set(monkeypatch):
    server = _need("redis-server")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{port}/0")
        app = Flask(__name__)
        cache = init_cache(app)
        assert cache_config()["CACHE_TYPE"] == "RedisCache"
        with app.app_context():
            cache.set("release-x:key", [1, 2, 3])
            assert cache.get("release-x:key") == [1, 2, 3]
        import redis

        keys = redis.Redis(port=port).keys("registre-cancers:*")
        assert keys, "the value was not stored in Redis"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
