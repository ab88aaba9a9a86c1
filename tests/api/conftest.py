"""Fixtures of the API tests: a bare Flask app with the API mounted on the synthetic release."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import flask
import pytest

from dashboard.api import bulk, init_app
from dashboard.data_access import Release


def make_app(release_path: Path, download_dir: Path, **config: object) -> flask.Flask:
    """A bare Flask app with the API on the given release."""
    app = flask.Flask("api-test")
    app.config.update(API_DOWNLOAD_DIR=str(download_dir), **config)
    if release_path.exists():
        bulk.ensure(Release(release_path), download_dir)  # as the build does
    init_app(app, Release(release_path))
    return app


@pytest.fixture(scope="session")
def api_app(fixture_release: Path, tmp_path_factory: pytest.TempPathFactory) -> flask.Flask:
    return make_app(fixture_release, tmp_path_factory.mktemp("downloads"))


@pytest.fixture()
def client(api_app: flask.Flask) -> Iterator[flask.testing.FlaskClient]:
    with api_app.test_client() as test_client:
        yield test_client


@pytest.fixture(scope="session")
def app_factory(fixture_release: Path, tmp_path_factory: pytest.TempPathFactory):
    """Build an app on the fixture release with extra settings (fresh download dir)."""

    def factory(release_path: Path | None = None, **config: object) -> flask.Flask:
        return make_app(release_path or fixture_release, tmp_path_factory.mktemp("dl"), **config)

    return factory


@pytest.fixture(scope="session")
def release(fixture_release: Path) -> Release:
    return Release(fixture_release)
