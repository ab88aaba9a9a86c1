"""Pages offer only what the release publishes; "non diffusable" only of suppressed cells."""

from __future__ import annotations

import json
from typing import Any

from dash import Dash
from plotly.io.json import to_json_plotly

from dashboard.web.devserver import callback_payload, find_dependency


def _page(client: Any, path: str, search: str) -> tuple[str, dict[str, Any]]:
    dep = find_dependency(client.get("/_dash-dependencies").get_json(), "page.children")
    r = client.post("/_dash-update-component", json=callback_payload(dep, [path, None], [search]))
    assert r.status_code == 200
    response = r.get_json()["response"]
    text = json.dumps(response["page"]["children"], ensure_ascii=False)
    return text, response["page-meta"]["data"]


def test_department_profile_offers_only_five_year_periods(dash_app: Dash) -> None:
    client = dash_app.server.test_client()
    for lang in ("fr", "en"):
        text, meta = _page(client, "/territoire/departement/69", f"?periode=2021&lang={lang}")
        assert "periode=2019-2023" in meta["search"]
        assert '"value": "2021"' not in text and '"value": "2019-2023"' in text
        assert "secret statistique" not in text and "statistical confidentiality" not in text


def test_absent_cell_is_not_called_suppressed(ctx: None) -> None:
    from dashboard.web.pages.territoire import comparison_table, key_figures
    from dashboard.web.trendview import Area

    state = {"mesure": "incidence", "localisation": "all", "sexe": "all", "periode": "2021"}
    area = Area("department", "69", "Rhône")
    text = to_json_plotly(key_figures(area, state, "fr")).lower()
    assert "secret statistique" not in text and "pas de donnée publiée" in text
    text = to_json_plotly(comparison_table([area], state, "en"))
    assert "confidentiality" not in text and "no figure is published" in text
