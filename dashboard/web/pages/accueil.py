"""Accueil: key national figures, the most frequent cancers, what the site offers."""

from __future__ import annotations

from typing import Any

from dash import Dash, dcc, html

from dashboard.web import queries
from dashboard.web.components import data_table, download_links, key_figure, scroll_box, section
from dashboard.web.formatting import fmt_date, fmt_int, fmt_number, fmt_percent
from dashboard.web.i18n import t
from dashboard.web.indicators import trend_label
from dashboard.web.state import Parsed, lang_only, period_key

CARDS = [("map", "/carte", "home_offer_map"), ("trends", "/evolution", "home_offer_trends"),
         ("inequalities", "/inegalites", "home_offer_inequalities"),
         ("methods", "/methodes", "home_offer_methods")]


def _figures_for(period: tuple[int, int], lang: str, with_trend: bool) -> list[Any]:
    """Cases and deaths with their world-standardised rates (all sites, both sexes)."""
    cat = queries.catalog()
    cards = []
    for measure, label_key in (("incidence", "home_new_cases"), ("mortality", "home_deaths")):
        if measure not in cat.measures:
            continue
        row = queries.cell(measure, "all", "all", period[0], period[1], "country", "FR") or {}
        detail = t("home_rate", lang, value=fmt_number(row.get("asr_world"), lang, 1))
        if with_trend:
            tr = queries.trend(measure, "all", "all", "country", "FR")
            if tr and tr.get("status") == "published":
                detail += ". " + t("home_trend", lang, first=int(tr["year_start"]),
                                   last=int(tr["year_end"]),
                                   label=trend_label(tr.get("label"), lang),
                                   aapc=fmt_percent(tr.get("aapc"), lang, 1, sign=True))
        label = t(label_key if with_trend else f"{label_key}_pooled", lang)
        cards.append(key_figure(fmt_int(row.get("cases"), lang), label, detail))
    return cards


def _top_sites(period: tuple[int, int], lang: str) -> list[Any]:
    df = queries.top_sites("incidence", period[0], period[1])
    if df.empty:
        return [html.P(t("no_data", lang))]
    label = "label_fr" if lang == "fr" else "label_en"
    rows = [[r[label], str(i + 1), fmt_int(r["cases"], lang),
             fmt_number(r["asr_world"], lang, 1), t(f"sex_{r['sex']}", lang)]
            for i, r in enumerate(df.to_dict("records"))]
    rate = f"{t('asr_world_short', lang)} ({t('unit_rate_short', lang)})"
    table = data_table([t("site", lang), t("rank", lang), t("cases", lang), rate,
                        t("ctl_sex", lang)],
                       rows, t("home_top_sites_caption", lang),
                       [False, True, True, True, False])
    return [scroll_box(table, lang),
            download_links(queries.catalog(), "indicator", df, lang)]


def render(parsed: Parsed, args: dict[str, str]) -> tuple[list[Any], str]:
    lang = parsed.lang
    cat = queries.catalog()
    info = queries.release().info
    year = cat.single_years[-1] if cat.single_years else cat.periods[-1]
    pooled = cat.pooled_periods[-1] if cat.pooled_periods else year
    q = lang_only(lang)
    cards = [html.Li(dcc.Link(className="card", href=href + q, children=[
        html.Span(t(f"nav_{key}", lang), className="card-title"),
        html.Span(t(text, lang, first=cat.first_year), className="card-text")]))
        for key, href, text in CARDS]
    content = [
        html.H1(t("site_title", lang)),
        html.P(t("home_lead", lang), className="lead"),
        section(t("home_key_figures", lang), [
            html.H3(t("home_year", lang, period=period_key(year))),
            html.Div(_figures_for(year, lang, with_trend=True), className="key-figures"),
            html.H3(t("home_period", lang, period=f"{pooled[0]}–{pooled[1]}")),
            html.Div(_figures_for(pooled, lang, with_trend=False), className="key-figures"),
        ]),
        section(t("home_top_sites", lang, period=f"{pooled[0]}–{pooled[1]}"),
                _top_sites(pooled, lang)),
        section(t("home_offer", lang), [html.Ul(cards, className="cards")]),
        html.P(t("home_release", lang, date=fmt_date(info["created_at"], lang),
                 release_id=info["release_id"], first=int(info["first_year"]),
                 last=int(info["last_year"])), className="release-note"),
    ]
    return content, t("title_home", lang)


def register(app: Dash) -> None:
    """Static page: no callbacks."""
