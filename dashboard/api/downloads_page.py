"""The download page (``/telechargements``): bulk files, sizes, licence, citation."""

from __future__ import annotations

from html import escape
from typing import Any

from dashboard.api.metadata import LICENCE
from dashboard.api.pages import code, human_size, layout
from dashboard.release_schema import CONTRACT

TITLE = "Télécharger les données"
_FORMAT_LABELS = {"csv": "CSV", "parquet": "Parquet", "json": "JSON"}


DATA_KIND_FR = {"simulated": "simulées (registre de démonstration)",
                "observed": "observées (registre)"}

def _content_fr(file: dict[str, Any]) -> str:
    """What a file holds, in French (the contract's French title and notes of its table)."""
    table = CONTRACT.get(str(file.get("table")))
    return table.description("fr") if table is not None else str(file.get("description") or "")


def render(info: dict[str, Any], files: list[dict[str, Any]], api_prefix: str) -> str:
    """The page for a release's facts and its bulk files (see ``bulk.listing``)."""
    notice = ""
    if info.get("data_kind") == "simulated":
        notice = ('<p class="notice" role="note"><strong>Données simulées.</strong> Cette '
                  "release est construite à partir d'un registre de démonstration : ces chiffres "
                  "ne décrivent pas la réalité.</p>")
    rows = "".join(
        f"<tr><th scope=\"row\"><a href=\"{escape(f['url'])}\" download>{escape(f['name'])}"
        f"</a></th><td>{escape(_FORMAT_LABELS.get(f['format'], f['format']))}</td>"
        f"<td class=\"num\">{human_size(int(f['bytes']))}</td>"
        f"<td>{code(_content_fr(f))}</td>"
        f"<td><code>{escape(str(f['hash']).removeprefix('sha256:'))}</code></td></tr>"
        for f in files)
    shown = {**info, "data_kind": DATA_KIND_FR.get(str(info.get("data_kind")),
                                                   info.get("data_kind"))}
    facts = "".join(
        f"<dt>{label}</dt><dd>{code(str(shown.get(key) or shown.get(key.removesuffix('_fr'), '')))}"
        "</dd>"
        for label, key in (("Identifiant de la release", "release_id"),
                           ("Nature des données", "data_kind"), ("Créée le", "created_at"),
                           ("Populations standard", "standards_fr"),
                           ("Méthodes d'intervalles", "interval_methods_fr"),
                           ("Secret statistique", "suppression_rule_fr"),
                           ("Sources", "sources_fr")))
    body = f"""
{notice}
<p>Toutes les tables publiques de la release, complètes, en Parquet et en CSV (RFC 4180, UTF-8,
point décimal), décrites par un <a href="{escape(api_prefix)}/bulk/datapackage.json">Data
Package</a> (Frictionless : types, descriptions, unités, clés, sommes de contrôle). Pour une
sélection filtrée ou le format Excel français, utilisez le bouton « Télécharger les données » de
chaque vue ou l'<a href="{escape(api_prefix)}/docs">API</a>.</p>
<h2>Fichiers</h2>
<table>
<caption>Fichiers de la release {escape(str(info.get('release_id', '')))}</caption>
<thead><tr><th scope="col">Fichier</th><th scope="col">Format</th><th scope="col">Taille</th>
<th scope="col">Contenu</th><th scope="col">SHA-256</th></tr></thead>
<tbody>{rows}</tbody>
</table>
<h2>Citer et réutiliser</h2>
<p>Citation suggérée : {code(str(info.get('citation', '')))}</p>
<p>Licence : <a href="{LICENCE['path']}">{escape(str(info.get('licence', LICENCE['title'])))}
</a>.</p>
<h2>Release</h2>
<dl>{facts}</dl>
"""
    return layout(TITLE, body)


def unavailable(message: str) -> str:
    """Page shown when the release cannot be read."""
    return layout(TITLE, f"<p role=\"alert\">Données momentanément indisponibles. "
                         f"{escape(message)}</p>")
