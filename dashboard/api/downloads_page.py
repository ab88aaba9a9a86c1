"""The download page (``/telechargements``): bulk files, sizes, licence, citation, in French
or English (``?lang=en``)."""

from __future__ import annotations

from html import escape
from typing import Any

from dashboard.api.metadata import LICENCE
from dashboard.api.pages import code, header_cells, human_size, lang_query, layout
from dashboard.release_schema import CONTRACT
from dashboard.web.formatting import fmt_date
from dashboard.web.i18n import t

FORMAT_LABELS = {"csv": "CSV", "parquet": "Parquet", "json": "JSON"}
# Release facts shown, with the column holding their French text where it differs.
FACTS = (("dl_release_id", "release_id"), ("dl_data_kind", "data_kind"),
         ("dl_created", "created_at"), ("dl_standards", "standards"),
         ("dl_intervals", "interval_methods"), ("dl_suppression", "suppression_rule"),
         ("dl_sources", "sources"))
TEXT_FACTS = ("standards", "interval_methods", "suppression_rule", "sources")


def _table_rows(files: list[dict[str, Any]], lang: str) -> str:
    """One row per table: its name, what it holds (the contract's title and notes), its CSV and
    Parquet files with their sizes."""
    tables: dict[str, dict[str, dict[str, Any]]] = {}
    for f in files:
        if f.get("table") in CONTRACT:
            tables.setdefault(str(f["table"]), {})[str(f["format"])] = f

    def link(f: dict[str, Any] | None) -> str:
        if f is None:
            return ""
        return (f'<a href="{escape(f["url"])}" download>{escape(FORMAT_LABELS[f["format"]])}</a>'
                f' <span class="size">({escape(human_size(int(f["bytes"]), lang))})</span>')

    return "".join(
        f'<tr><th scope="row"><code>{escape(name)}</code></th>'
        f"<td>{code(CONTRACT[name].description(lang))}</td>"
        f'<td class="num">{link(by_format.get("csv"))}</td>'
        f'<td class="num">{link(by_format.get("parquet"))}</td></tr>'
        for name, by_format in tables.items())


def _checksums(files: list[dict[str, Any]]) -> str:
    return "".join(f"<tr><th scope=\"row\">{escape(f['name'])}</th>"
                   f"<td><code>{escape(str(f['hash']).removeprefix('sha256:'))}</code></td></tr>"
                   for f in files)


def _fact(info: dict[str, Any], key: str, lang: str) -> str:
    if key == "data_kind":
        kind = str(info.get("data_kind"))
        return t(f"dl_kind_{kind}", lang) if kind in ("simulated", "observed") else kind
    if key == "created_at":
        return fmt_date(info.get(key), lang)
    if key in TEXT_FACTS and lang == "fr":
        return str(info.get(f"{key}_fr") or info.get(key) or "")
    return str(info.get(key) or "")


def render(info: dict[str, Any], files: list[dict[str, Any]], api_prefix: str,
           lang: str) -> str:
    """The page, in ``lang``, for a release's facts and its bulk files (``bulk.listing``)."""
    suffix = lang_query(lang)
    notice = ""
    if info.get("data_kind") == "simulated":
        notice = (f'<p class="notice" role="note"><strong>{escape(t("dl_simulated_strong", lang))}'
                  f"</strong> {escape(t('dl_simulated_notice', lang))}</p>")
    facts = "".join(f"<dt>{escape(t(label, lang))}</dt><dd>{code(_fact(info, key, lang))}</dd>"
                    for label, key in FACTS)
    intro = escape(t("dl_intro", lang)).format(
        datapackage=f'<a href="{escape(api_prefix)}/bulk/datapackage.json">'
                    f'{escape(t("dl_datapackage", lang))}</a>',
        api=f'<a href="{escape(api_prefix)}/docs{suffix}">{escape(t("dl_api", lang))}</a>')
    heads = (header_cells(("dl_th_table", "dl_th_content"), lang)
             + '<th scope="col">CSV</th><th scope="col">Parquet</th>')
    package = next(f for f in files if f["format"] == "json")
    licence = (f'<a href="{LICENCE["path"]}">{escape(t("licence_title", lang))}</a>')
    body = f"""
{notice}
<p>{intro}</p>
<h2>{escape(t("dl_files", lang))}</h2>
<div class="table-scroll" role="region" tabindex="0" aria-labelledby="files-caption">
<table class="cards">
<caption id="files-caption">{escape(t("dl_files_caption", lang,
                                      release=str(info.get('release_id', ''))))}</caption>
<thead><tr>{heads}</tr></thead>
<tbody>{_table_rows(files, lang)}</tbody>
</table>
</div>
<p>{escape(t("dl_package", lang)).format(link=f'<a href="{escape(package["url"])}">'
                                             f'{escape(package["name"])}</a>',
                                        size=escape(human_size(int(package["bytes"]), lang)))}</p>
<details><summary>{escape(t("dl_checksums", lang))}</summary>
<div class="table-scroll" role="region" tabindex="0" aria-label="SHA-256">
<table><thead><tr><th scope="col">{escape(t("dl_th_file", lang))}</th><th scope="col">SHA-256</th>
</tr></thead><tbody>{_checksums(files)}</tbody></table></div></details>
<h2>{escape(t("dl_cite", lang))}</h2>
<p>{code(t("dl_citation", lang, citation=str(info.get('citation', ''))))}</p>
<p>{escape(t("dl_licence", lang)).format(licence=licence)}</p>
<h2>{escape(t("dl_release", lang))}</h2>
<dl>{facts}</dl>
"""
    return layout(t("dl_title", lang), t("dl_description", lang), body, lang)


def unavailable(message: str, lang: str) -> str:
    """Page shown when the release cannot be read."""
    return layout(t("dl_title", lang), t("dl_unavailable", lang),
                  f'<p role="alert">{escape(t("dl_unavailable", lang))} {escape(message)}</p>',
                  lang)
