"""Shared fixtures: a small synthetic release that follows the release contract."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "deploy"))  # localstack

from release_fixture import build_fixture_release

# A private shared-cache folder per test session: the fixture release keeps its release id
# when the fixture changes, and the default folder is shared by every checkout of the machine.
os.environ.setdefault("CACHE_DIR", tempfile.mkdtemp(prefix="registre-test-cache-"))


@pytest.fixture(scope="session")
def fixture_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a synthetic release file (built once per test session)."""
    from dashboard.api import bulk
    from dashboard.data_access import Release

    path = build_fixture_release(tmp_path_factory.mktemp("release") / "indicators.duckdb")
    bulk.ensure(Release(path))  # beside the release, as the build does
    return path


@pytest.fixture(scope="session")
def second_release(fixture_release: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture release under another release id (a newer publication)."""
    from localstack import release_copy

    return release_copy(fixture_release, tmp_path_factory.mktemp("second") / "second.duckdb",
                        "20260201-fixture1")
