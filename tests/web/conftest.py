"""Fixtures of the dashboard tests: the app on the fixture release."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from dash import Dash

from dashboard.web.app import create_app


@pytest.fixture(scope="session")
def dash_app(fixture_release: Path) -> Dash:
    """The dashboard reading the fixture release (no background brotli-11 work in tests)."""
    os.environ.setdefault("DASHBOARD_PRECOMPRESS", "0")
    return create_app(fixture_release)


@pytest.fixture
def ctx(dash_app: Dash) -> Iterator[None]:
    """A Flask application context (shared cache available)."""
    with dash_app.server.app_context():
        yield
