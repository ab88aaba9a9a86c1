"""Shared fixtures: a small synthetic release that follows the release contract."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from release_fixture import build_fixture_release


@pytest.fixture(scope="session")
def fixture_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a synthetic release file (built once per test session)."""
    return build_fixture_release(tmp_path_factory.mktemp("release") / "indicators.duckdb")
