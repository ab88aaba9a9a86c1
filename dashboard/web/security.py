"""Security headers: a strict Content-Security-Policy, no framing, HSTS behind a setting.

Scripts run only from this origin or when their hash is listed: Dash's inline scripts (the
renderer and the clientside callbacks) are hashed with ``Dash.csp_hashes()`` once every
callback is registered. Styles may be inline (plotly.js and React set ``style`` attributes);
scripts may not. ``HSTS_MAX_AGE`` (seconds, default 0: off) adds Strict-Transport-Security,
for a site served over HTTPS only.
"""

from __future__ import annotations

import os

from dash import Dash
from flask import Response

BASE_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def content_security_policy(script_hashes: list[str]) -> str:
    """The policy header value, with the hashes of the inline scripts allowed (each once: a
    clientside function registered for several pages has one hash)."""
    policy = {**BASE_POLICY, "script-src": BASE_POLICY["script-src"]
              + list(dict.fromkeys(script_hashes))}
    return "; ".join(f"{name} {' '.join(values)}" for name, values in policy.items())


def hsts_value(max_age: int) -> str | None:
    return f"max-age={max_age}; includeSubDomains" if max_age > 0 else None


def init_app(app: Dash) -> None:
    """Add the headers to every response of ``app.server`` (hashes computed at first use)."""
    hsts = hsts_value(int(app.server.config.get("HSTS_MAX_AGE",
                                                 os.environ.get("HSTS_MAX_AGE", "0"))))
    policy: list[str] = []

    @app.server.after_request
    def _headers(resp: Response) -> Response:
        if not policy:
            policy.append(content_security_policy(list(app.csp_hashes())))
        resp.headers["Content-Security-Policy"] = policy[0]
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        resp.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if hsts:
            resp.headers["Strict-Transport-Security"] = hsts
        return resp
