"""Guard of ``/_dash-update-component``: malformed callbacks get a 400, stale pages a notice.

* A callback request must match the app's own callback map: a known output, exactly the inputs
  and state the callback declares, values of the JSON type of their property. Anything else is
  a ``400`` (JSON) before Dash runs. Values of the right type that a callback still refuses
  (an area code the release does not have, a click on nothing) raise ``ValueError``,
  ``LookupError``, ``TypeError`` or ``AttributeError`` inside the callback: also a ``400``.
* The page's release travels with each callback (``payload.release``, added by the renderer
  from ``#contenu[data-release]``). A callback from a page of another release is not answered
  with this release's numbers: its outputs are left alone and a notice asks to reload.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from dash import Dash, html
from flask import Response, g, jsonify, request

from dashboard.data_access import ReleaseNotFound
from dashboard.release_watch import unpin_request
from dashboard.web import queries

NOTICE_ID = "release-notice"
# The renderer adds the page's release id to every callback request.
RENDERER = """var renderer = new DashRenderer({request_pre: function (payload) {
    var main = document.getElementById('contenu');
    if (main && main.dataset.release) { payload.release = main.dataset.release; }
}});"""
NOTICE = {
    "fr": ("Nouvelle version des données publiée : rechargez la page pour afficher des "
           "chiffres cohérents.", "Recharger la page"),
    "en": ("A new version of the data has been published: reload the page to see consistent "
           "figures.", "Reload the page"),
}
JSON = (dict, list, str, int, float, bool)
PROP_TYPES: dict[str, tuple[type, ...]] = {
    "pathname": (str,), "search": (str,), "href": (str,), "hash": (str,),
    "value": (str, int, float), "n_clicks": (int,),
    "clickData": (dict,), "hoverData": (dict,), "selectedData": (dict,),
    "relayoutData": (dict,), "data": JSON,
}
REFUSED_IN_CALLBACK = (ValueError, LookupError, TypeError, AttributeError)
log = logging.getLogger(__name__)


class BadCallback(ValueError):
    """A callback request that does not match the app's callback map."""


def notice_component() -> html.Div:
    """The (empty) live region where the « nouvelle version publiée » notice appears."""
    return html.Div(id=NOTICE_ID, className="release-notice", role="status", hidden=True)


def _pairs(items: Any, what: str) -> list[tuple[Any, str, Any]]:
    if not isinstance(items, list):
        raise BadCallback(f"{what} must be a list")
    out = []
    for item in items:
        if (not isinstance(item, dict) or not isinstance(item.get("property"), str)
                or not isinstance(item.get("id"), (str, dict))):
            raise BadCallback(f"each of {what} needs an id and a property")
        out.append((item["id"], item["property"], item.get("value")))
    return out


def _check_values(pairs: list[tuple[Any, str, Any]], declared: list[Mapping[str, Any]],
                  what: str) -> None:
    if [(i, p) for i, p, _v in pairs] != [(d["id"], d["property"]) for d in declared]:
        raise BadCallback(f"{what} do not match the callback")
    for cid, prop, value in pairs:
        allowed = PROP_TYPES.get(prop, JSON)
        wrong_bool = isinstance(value, bool) and bool not in allowed  # bool is an int subclass
        if value is not None and (not isinstance(value, allowed) or wrong_bool):
            raise BadCallback(f"{cid}.{prop}: unexpected {type(value).__name__}")


def validate(body: Any, callback_map: Mapping[str, Mapping[str, Any]]) -> None:
    """Raise :class:`BadCallback` unless ``body`` is a well-formed request for a callback."""
    if not isinstance(body, dict):
        raise BadCallback("the body must be a JSON object")
    output = body.get("output")
    spec = callback_map.get(output) if isinstance(output, str) else None
    if spec is None:
        raise BadCallback("unknown callback output")
    declared_outputs = spec["output"] if isinstance(spec["output"], list) else [spec["output"]]
    outputs = body.get("outputs")
    outputs = outputs if isinstance(outputs, list) else [outputs]
    got = [(o.get("id"), str(o.get("property")).split("@")[0]) if isinstance(o, dict) else None
           for o in outputs]
    wanted = [(o.component_id, o.component_property.split("@")[0]) for o in declared_outputs]
    if got != wanted:
        raise BadCallback("outputs do not match the callback")
    _check_values(_pairs(body.get("inputs"), "inputs"), spec["inputs"], "inputs")
    _check_values(_pairs(body.get("state", []), "state"), spec["state"], "state")
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        raise BadCallback("changedPropIds must be a list of strings")
    if "release" in body and not isinstance(body["release"], str):
        raise BadCallback("release must be a string")


def _lang(body: dict[str, Any]) -> str:
    for item in [*body.get("inputs", []), *body.get("state", [])]:
        value = item.get("value")
        if item.get("property") == "search" and isinstance(value, str) and "lang=en" in value:
            return "en"
    return "fr"


def stale_response(body: dict[str, Any]) -> Response:
    """Outputs untouched; the notice asks to reload (200: the renderer applies ``sideUpdate``)."""
    text, link = NOTICE[_lang(body)]
    notice = html.Div([html.P(text), html.A(link, href="", className="release-notice-link")])
    payload = {"multi": True, "response": {},
               "sideUpdate": {NOTICE_ID: {"hidden": False, "children": notice.to_plotly_json()}}}
    from plotly.io.json import to_json_plotly

    response = Response(to_json_plotly(payload), mimetype="application/json")
    response.headers["X-Release-Stale"] = "1"
    response.headers["Cache-Control"] = "no-store"
    return response


def bad_request(message: str) -> Response:
    response = jsonify(error=message)
    response.status_code = 400
    return response


def _current_release_id() -> str | None:
    try:
        return queries.release().release_id
    except ReleaseNotFound:
        return None


def init_app(app: Dash, current_id: Callable[[], str | None] = _current_release_id) -> None:
    """Validate callback requests, answer stale pages, and map refused values to ``400``."""
    server = app.server
    path = app.config.routes_pathname_prefix + "_dash-update-component"
    app.renderer = RENDERER

    @server.before_request
    def _guard() -> Response | None:
        if request.path != path or request.method != "POST":
            return None
        g.dash_callback = True
        body = request.get_json(silent=True)
        try:
            validate(body, app.callback_map)
        except BadCallback as exc:
            return bad_request(str(exc))
        page_release = body.get("release")
        if page_release and page_release != current_id():
            queries.release().refresh()  # perhaps just published: look again before refusing
            unpin_request()
            if page_release != current_id():
                return stale_response(body)
        return None

    @server.after_request
    def _release_header(resp: Response) -> Response:
        if g.get("dash_callback") and "X-Release-Stale" not in resp.headers:
            rid = current_id()
            if rid:
                resp.headers["X-Release-Id"] = rid  # the release this answer was computed from
        return resp

    def _refused(exc: Exception) -> Response:
        if not g.get("dash_callback"):
            raise exc
        log.warning("callback refused its input: %s: %s", type(exc).__name__, exc)
        return bad_request(f"invalid callback input ({type(exc).__name__})")

    for kind in REFUSED_IN_CALLBACK:
        server.register_error_handler(kind, _refused)
