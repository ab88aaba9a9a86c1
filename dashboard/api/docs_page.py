"""Readable documentation of the API (``/api/v1/docs``), rendered from its OpenAPI description,
in French or English."""

from __future__ import annotations

from html import escape
from typing import Any

from dashboard.api.pages import code, header_cells, lang_query, layout
from dashboard.web.formatting import colon
from dashboard.web.i18n import t

MAX_LISTED = 25
PRINCIPLES = ("filters", "formats", "suppression", "headers", "errors", "lang")


def _allowed(schema: dict[str, Any], lang: str) -> str:
    values = schema.get("items", schema).get("enum", [])
    shown = ", ".join(f"<code>{escape(str(v))}</code>" for v in values[:MAX_LISTED])
    if len(values) > MAX_LISTED:
        shown += f" … ({escape(t('api_n_values', lang, n=len(values)))})"
    return shown


def _parameters(params: list[dict[str, Any]], lang: str, summary: str) -> str:
    if not params:
        return f"<p>{escape(t('api_no_params', lang))}</p>"
    keys = ("api_th_param", "api_th_cardinality", "api_th_allowed", "api_th_description")
    label = {k: escape(t(k, lang) + colon(lang)) for k in keys}  # phone layout: cells as cards
    rows = "".join(
        f"<tr><th scope=\"row\"><code>{escape(p['name'])}</code></th>"
        f"<td data-label=\"{label['api_th_cardinality']}\">"
        f"{escape(t('api_list' if p['schema'].get('type') == 'array' else 'api_single', lang))}"
        f"</td><td data-label=\"{label['api_th_allowed']}\">{_allowed(p['schema'], lang)}</td>"
        f"<td data-label=\"{label['api_th_description']}\">{code(p.get('description', ''))}</td>"
        "</tr>"
        for p in params)
    heads = header_cells(keys, lang)
    return (f'<div class="table-scroll" role="region" tabindex="0" '
            f'aria-label="{escape(t("api_parameters", lang))} ({escape(summary)})">'
            '<table class="cards">'
            f'<caption class="skip">{escape(t("api_parameters", lang))}</caption>'
            f"<thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table></div>")


def _anchor(path: str) -> str:
    return escape(path.rsplit("/", 1)[-1].strip("{}") or "bulk")


def _operation(path: str, op: dict[str, Any], lang: str) -> str:
    responses = "".join(
        f"<li><code>{escape(status)}</code> {code(resp.get('description', ''))}</li>"
        for status, resp in op["responses"].items())
    anchor = _anchor(path)
    return (f'<section aria-labelledby="{anchor}"><h2 id="{anchor}">{code(op["summary"])}</h2>'
            f"<p><code>GET {escape(path)}</code></p><p>{code(op.get('description', ''))}</p>"
            f"<h3>{escape(t('api_parameters', lang))}</h3>"
            f"{_parameters(op.get('parameters', []), lang, op['summary'])}"
            f"<h3>{escape(t('api_responses', lang))}</h3><ul>{responses}</ul></section>")


def render(spec: dict[str, Any], lang: str) -> str:
    """The documentation page, in ``lang``, of an OpenAPI document produced by
    :mod:`dashboard.api.openapi` in the same language."""
    paths = spec["paths"]
    toc = "".join(f'<li><a href="#{_anchor(p)}">{code(item["get"]["summary"])}</a></li>'
                  for p, item in paths.items())
    first = next(iter(paths))
    example = f"{first}?measure=incidence&amp;site=lung&amp;geo=FR,84&amp;format=csv"
    suffix = lang_query(lang)
    links = code(t("api_docs_links", lang)).format(
        openapi=f'<a href="openapi.json{suffix}">openapi.json</a>',
        release='<a href="release">release</a>',
        downloads=f'<a href="/telechargements{suffix}">{escape(t("api_downloads_link", lang))}</a>')
    principles = "".join(f"<li>{code(t(f'api_principle_{k}', lang))}</li>" for k in PRINCIPLES)
    intro = (f"<p>{code(spec['info']['description'])}</p><p>{links}</p>"
             f"<h2>{escape(t('api_principles', lang))}</h2><ul>{principles}</ul>"
             f'<p>{escape(t("api_example", lang) + colon(lang))}'
             f'<a href="{example}"><code>{example}</code></a></p>'
             f'<nav aria-labelledby="points"><h2 id="points">{escape(t("api_endpoints", lang))}'
             f"</h2><ul>{toc}</ul></nav>")
    sections = "".join(_operation(p, item["get"], lang) for p, item in paths.items())
    title = spec["info"]["title"]
    return layout(title, spec["info"]["description"].replace("`", ""), intro + sections, lang)
