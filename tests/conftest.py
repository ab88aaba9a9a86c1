"""Shared fixtures: a small synthetic release that follows the release contract."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from release_fixture import build_fixture_release


@pytest.fixture(scope="session")
def fixture_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a synthetic release file (built once per test session)."""
    return build_fixture_release(tmp_path_factory.mktemp("release") / "indicators.duckdb")


@pytest.fixture(scope="session")
def second_release(fixture_release: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture release under another release id (a newer publication)."""
    target = tmp_path_factory.mktemp("second") / "second.duckdb"
    shutil.copyfile(fixture_release, target)
    con = duckdb.connect(str(target))
    con.execute("UPDATE release SET release_id = '20260201-fixture1'")
    con.close()
    return target
