"""The vendored plotly.js bundle is fetched, never committed, and checked before use."""

from __future__ import annotations

import pytest

from dashboard.web import vendor


def test_a_tampered_download_is_refused() -> None:
    with pytest.raises(ValueError, match="digest mismatch"):
        vendor.verified(b"not the package")


def test_the_pinned_version_is_plotlys() -> None:
    """The partial bundle is the same plotly.js as the Python package's full bundle."""
    import plotly

    full = plotly.__file__.rsplit("/", 1)[0] + "/package_data/plotly.min.js"
    with open(full, encoding="utf-8") as fh:
        head = fh.read(300)
    assert f"v{vendor.VERSION}" in head


def test_without_the_partial_bundle_the_full_one_is_served(dash_app, monkeypatch) -> None:
    from dashboard.web.server import PLOTLY_JS

    client = dash_app.server.test_client()
    monkeypatch.setattr(vendor, "available", lambda: False)
    full = client.get(PLOTLY_JS, headers={"Accept-Encoding": "identity"})
    assert full.status_code == 200 and len(full.data) > 3_000_000  # plotly's whole bundle
    monkeypatch.undo()
    if vendor.available():
        partial = client.get(PLOTLY_JS, headers={"Accept-Encoding": "identity"})
        assert partial.status_code == 200 and len(partial.data) < len(full.data)
