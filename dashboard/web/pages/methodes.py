"""Méthodes et sources: indicators, standards, intervals, smoothing, suppression, sources."""

from __future__ import annotations

from typing import Any

from dash import Dash, html

from dashboard.web import queries
from dashboard.web.components import section
from dashboard.web.formatting import fmt_date, fmt_int
from dashboard.web.i18n import t
from dashboard.web.state import Parsed, lang_only


def release_text(info: dict[str, Any], name: str, lang: str) -> str:
    """A text field of the release in the page's language (``name_fr`` in French)."""
    return str(info.get(f"{name}_fr" if lang == "fr" else name) or info.get(name, ""))


def render(parsed: Parsed, args: dict[str, str]) -> tuple[list[Any], str]:
    lang = parsed.lang
    info = queries.release().info
    threshold = int(info.get("suppression_threshold", 11))
    simulated = info.get("data_kind") == "simulated"
    content = [
        html.H1(t("title_methods", lang)),
        html.P(t("methods_lead", lang), className="lead"),
        html.Div(className="prose", children=[
            section(t("m_indicators", lang), [
                html.P(t(k, lang)) for k in ("m_cases", "m_crude", "m_asr", "m_sir",
                                             "m_smoothing", "m_trends", "m_inequalities")],
                id_="indicateurs"),
            section(t("m_standards", lang), [
                html.P(t("m_standards_text", lang)),
                html.P(t("m_from_release", lang, text=release_text(info, "standards", lang)),
                       className="hint")], id_="populations"),
            section(t("m_intervals", lang), [
                html.P(t("m_intervals_text", lang)), html.P(t("m_intervals_methods", lang)),
                html.P(t("m_from_release", lang,
                         text=release_text(info, "interval_methods", lang)),
                       className="hint")], id_="intervalles"),
            section(t("m_suppression", lang), [
                html.P(t("m_suppression_text", lang, max_small=threshold - 1)),
                html.P(t("m_precision_text", lang)),
                html.P(t("m_release_rule", lang,
                         rule=release_text(info, "suppression_rule", lang))),
                html.P(t("m_release_cells", lang,
                         published=fmt_int(info.get("cells_published"), lang),
                         suppressed=fmt_int(info.get("cells_suppressed"), lang),
                         audit=t("audit_passed" if info.get("audit_passed") else "audit_failed",
                                 lang)))], id_="secret"),
            section(t("m_sources", lang), [html.P(release_text(info, "sources", lang))],
                    id_="sources"),
            section(t("m_release", lang), [
                html.P(t("m_release_fields", lang, release_id=info.get("release_id"),
                         date=fmt_date(info.get("created_at"), lang),
                         first=info.get("first_year"), last=info.get("last_year"),
                         schema=info.get("schema_version"),
                         software=info.get("software_version"))),
                html.P(t("m_simulated_text" if simulated else "m_observed_text", lang),
                       className="notice" if simulated else None),
            ], id_="version"),
            section(t("m_citation", lang), [html.Blockquote(str(info.get("citation", ""))),
                                            html.P(t("licence_title", lang))],
                    id_="citer"),
            section(t("m_api", lang), [html.P(t("m_api_text", lang)), html.Ul([
                html.Li(html.A(t("nav_downloads", lang),
                               href="/telechargements" + lang_only(lang))),
                html.Li(html.A(t("nav_api", lang), href="/api/v1/docs" + lang_only(lang))),
                html.Li(html.A(t("m_api_openapi", lang),
                               href="/api/v1/openapi.json" + lang_only(lang)))])],
                    id_="api"),
            section(t("m_accessibility", lang), [html.P(t("m_accessibility_text", lang))],
                    id_="accessibilite"),
        ]),
    ]
    return content, t("title_methods", lang)


def register(app: Dash) -> None:
    """Static page: no callbacks."""
