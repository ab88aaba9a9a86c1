"""Readable documentation of the API (``/api/v1/docs``), rendered from its OpenAPI description."""

from __future__ import annotations

from html import escape
from typing import Any

from dashboard.api.pages import code, layout

MAX_LISTED = 25


def _allowed(schema: dict[str, Any]) -> str:
    values = schema.get("items", schema).get("enum", [])
    shown = ", ".join(f"<code>{escape(str(v))}</code>" for v in values[:MAX_LISTED])
    if len(values) > MAX_LISTED:
        shown += f" … ({len(values)} valeurs)"
    return shown


def _parameters(params: list[dict[str, Any]]) -> str:
    if not params:
        return "<p>Aucun paramètre.</p>"
    rows = "".join(
        f"<tr><th scope=\"row\"><code>{escape(p['name'])}</code></th>"
        f"<td>{'liste' if p['schema'].get('type') == 'array' else 'valeur unique'}</td>"
        f"<td>{_allowed(p['schema'])}</td><td>{code(p.get('description', ''))}</td></tr>"
        for p in params)
    return ("<table><caption class=\"skip\">Paramètres</caption><thead><tr>"
            "<th scope=\"col\">Paramètre</th><th scope=\"col\">Cardinalité</th>"
            "<th scope=\"col\">Valeurs autorisées</th><th scope=\"col\">Description</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>")


def _operation(path: str, op: dict[str, Any]) -> str:
    responses = "".join(
        f"<li><code>{escape(status)}</code> : {code(resp.get('description', ''))}</li>"
        for status, resp in op["responses"].items())
    anchor = escape(path.rsplit("/", 1)[-1].strip("{}") or "bulk")
    return (f'<section aria-labelledby="{anchor}"><h2 id="{anchor}">{code(op["summary"])}</h2>'
            f"<p><code>GET {escape(path)}</code></p><p>{code(op.get('description', ''))}</p>"
            f"<h3>Paramètres</h3>{_parameters(op.get('parameters', []))}"
            f"<h3>Réponses</h3><ul>{responses}</ul></section>")


def render(spec: dict[str, Any]) -> str:
    """The documentation page of an OpenAPI document produced by :mod:`dashboard.api.openapi`."""
    paths = spec["paths"]
    toc = "".join(f'<li><a href="#{escape(p.rsplit("/", 1)[-1].strip("{}") or "bulk")}">'
                  f"{code(item['get']['summary'])}</a></li>" for p, item in paths.items())
    first = next(iter(paths))
    example = f"{first}?measure=incidence&amp;site=lung&amp;geo=FR,84&amp;format=csv"
    intro = f"""
<p>{code(spec['info']['description'])}</p>
<p>Description machine : <a href="openapi.json">openapi.json</a> (OpenAPI 3.1).
Métadonnées de la release : <a href="release">release</a>.
Fichiers complets : <a href="/telechargements">page des téléchargements</a>.</p>
<h2>Principes (principles)</h2>
<ul>
<li>Filtres (filters) nommés comme les colonnes de la release ; plusieurs valeurs : paramètre
répété (<code>geo=FR&amp;geo=84</code>) ou liste (<code>geo=FR,84</code>). Sans filtre, toute la
table. <code>year_start</code> et <code>year_end</code> sont des bornes (périodes commençant au
plus tôt en <code>year_start</code> et finissant au plus tard en <code>year_end</code>) ; avec
<code>period_length</code> (<code>1</code> : années, <code>5</code> : périodes de 5 ans), elles
sélectionnent une série ou une période.</li>
<li>Formats : <code>format=csv</code> (défaut, RFC 4180, UTF-8, point décimal, CRLF),
<code>csv-excel</code> (Excel français : <code>;</code>, virgule décimale, BOM UTF-8, CRLF),
<code>parquet</code> (métadonnées de la release dans le schéma) et <code>json</code> (tableau
d'objets). CSV et JSON sont envoyés en flux (streaming) ; JSON et Parquet sont limités en nombre
de lignes (réponse <code>413</code> au-delà : filtrer ou utiliser CSV).</li>
<li>Secret statistique : une cellule supprimée garde ses clés et sa population ; ses valeurs
sont vides (<code>null</code> en JSON) et <code>status = suppressed</code>.</li>
<li>En-têtes : <code>X-Release-Id</code>, <code>X-Data-Kind</code>, <code>Link</code> (vers
<code>datapackage.json</code> et <code>/release</code>), <code>ETag</code> et
<code>Cache-Control</code> liés à la release ; <code>If-None-Match</code> donne
<code>304</code>. Compression gzip, brotli ou zstd selon <code>Accept-Encoding</code>.</li>
<li>Erreurs en JSON : <code>400</code> avec le paramètre fautif et ses valeurs autorisées
(<code>{{"error", "parameter", "allowed"}}</code>), <code>404</code>, <code>405</code>,
<code>413</code>, <code>503</code> si la release est indisponible.</li>
</ul>
<p>Exemple : <a href="{example}"><code>{example}</code></a></p>
<nav aria-label="Points d'accès (endpoints)"><h2>Points d'accès (endpoints)</h2>
<ul>{toc}</ul></nav>
"""
    sections = "".join(_operation(p, item["get"]) for p, item in paths.items())
    return layout(spec["info"]["title"], intro + sections)
