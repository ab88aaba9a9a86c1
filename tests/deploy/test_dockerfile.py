"""The image recipe: multi-stage, dependencies before code, a regular install, a health check."""

from __future__ import annotations

import re
from pathlib import Path

DOCKERFILE = (Path(__file__).resolve().parents[2] / "Dockerfile").read_text(encoding="utf-8")


def _instructions() -> list[str]:
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def test_dependencies_are_installed_before_the_code_is_copied() -> None:
    lines = _instructions()
    deps = next(i for i, line in enumerate(lines) if "pip install -r requirements.txt" in line)
    code = next(i for i, line in enumerate(lines) if line.startswith("COPY dashboard"))
    assert deps < code
    assert sum(line.startswith("FROM ") for line in lines) == 2  # build and runtime stages


def test_package_is_installed_not_editable_and_runs_from_the_package() -> None:
    lines = _instructions()
    assert not any("pip install" in line and " -e " in line for line in lines)
    runtime = lines[[i for i, line in enumerate(lines) if line.startswith("FROM ")][-1]:]
    assert not any(line.startswith("COPY dashboard") or "app.py" in line for line in runtime)
    assert "dashboard.web.wsgi:server" in lines[-1]


def test_health_check_and_workers_from_the_environment() -> None:
    assert any(line.startswith("HEALTHCHECK") and "/healthz" in line for line in _instructions())
    gunicorn = (Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py").read_text()
    assert 'os.environ.get("WEB_CONCURRENCY"' in gunicorn
