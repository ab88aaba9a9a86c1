"""Placeholder."""

from __future__ import annotations

from typing import Any

from dash import Dash, html

from dashboard.web.state import Parsed


def render(parsed: Parsed, args: dict[str, str]) -> tuple[list[Any], str]:
    return [html.H1("territoire")], "territoire"


def register(app: Dash) -> None:
    """No callbacks yet."""
