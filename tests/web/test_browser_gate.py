"""Browser tests skip when Chromium is missing, but fail on CI (``CI=true``)."""

from __future__ import annotations

import pytest
from test_browser import _unavailable


def test_skips_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        _unavailable("no chromium")


def test_fails_on_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="no chromium"):
        _unavailable("no chromium")
