"""Friendly « page introuvable » (unknown paths, unknown areas)."""

from __future__ import annotations

from typing import Any

from dash import Dash, dcc, html

from dashboard.web.i18n import t
from dashboard.web.state import Parsed, lang_only


def content(lang: str, message: str | None = None) -> list[Any]:
    """The not-found message with a way back."""
    return [html.H1(t("title_not_found", lang)),
            html.P(message or t("not_found_text", lang), className="lead"),
            html.P(dcc.Link(t("not_found_back", lang), href="/" + lang_only(lang),
                            className="button"))]


def render(parsed: Parsed, args: dict[str, str]) -> tuple[list[Any], str]:
    return content(parsed.lang), t("title_not_found", parsed.lang)


def register(app: Dash) -> None:
    """No callbacks."""
