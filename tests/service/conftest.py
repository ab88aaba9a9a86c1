"""Fixtures of the production-layer tests: a second release (another id) beside the fixture."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest


def copy_with_id(source: Path, target: Path, release_id: str) -> Path:
    """A copy of a release file under another release id."""
    shutil.copyfile(source, target)
    con = duckdb.connect(str(target))
    con.execute("UPDATE release SET release_id = ?", [release_id])
    con.close()
    return target


@pytest.fixture(scope="session")
def second_release(fixture_release: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_with_id(fixture_release, tmp_path_factory.mktemp("second") / "second.duckdb",
                        "20260201-fixture1")
