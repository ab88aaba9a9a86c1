"""The package as a user installs it: a built wheel, installed (not editable) into a fresh
virtualenv outside the checkout, serves a release from any folder with every column described.

The virtualenv borrows the test environment's dependencies through a ``.pth`` line (no network,
no reinstall of dash or duckdb); the package itself comes only from the wheel.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import venv
from pathlib import Path

import pytest

from dashboard.release_schema import CONTRACT, PUBLIC_TABLES

ROOT = Path(__file__).resolve().parents[1]

SERVE = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    import dashboard
    from dashboard.web.app import create_app

    app = create_app(Path("indicators.duckdb"))  # relative: the working directory
    client = app.server.test_client()
    out = {"package": dashboard.__file__}
    for path in ("/api/v1/openapi.json", "/carte", "/assets/style.css", "/api/v1/bulk/",
                 "/api/v1/indicators?geo=FR&format=json"):
        response = client.get(path)
        out[path] = response.status_code
    out["spec"] = client.get("/api/v1/openapi.json").get_json()
    print(json.dumps(out))
""")


def _run(*args: str | Path, cwd: Path | None = None) -> str:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.slow
def test_wheel_installed_elsewhere_serves_a_release(fixture_release: Path,
                                                    tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, ROOT)
    wheel = next(wheels.glob("*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))")
                .strip())
    (site / "test-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
         "-q", wheel)
    folder = tmp_path / "anywhere"
    folder.mkdir()
    shutil.copy(fixture_release, folder / "indicators.duckdb")
    _run(python, "-m", "dashboard.api.bulk", folder / "indicators.duckdb")
    out = json.loads(_run(python, "-I", "-c", SERVE, cwd=folder).strip().splitlines()[-1])
    assert out["package"].startswith(str(site)), out["package"]  # not the checkout
    statuses = {k: v for k, v in out.items() if k.startswith("/")}
    assert set(statuses.values()) == {200}, statuses
    schemas = out["spec"]["components"]["schemas"]
    for table in PUBLIC_TABLES:
        if table not in schemas:
            continue
        for column in CONTRACT[table].columns:
            prop = schemas[table]["properties"][column.name]
            # the description's default language is French (?lang=en for English)
            assert prop.get("description") == column.description("fr"), \
                f"{table}.{column.name}"
