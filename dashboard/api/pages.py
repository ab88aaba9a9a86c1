"""Minimal accessible HTML layout shared by the API's pages (no script, no external resource),
in French or English: ``lang``, title, description, canonical and alternate-language links, a
link to the same page in the other language."""

from __future__ import annotations

import re
from html import escape
from urllib.parse import urlencode

from flask import request

from dashboard.web.formatting import fmt_number
from dashboard.web.i18n import DEFAULT_LANG, LANGS, t
from dashboard.web.meta_tags import Head, head_tags

_STYLE = """
body{font-family:system-ui,sans-serif;line-height:1.5;max-width:72rem;margin:0 auto;
padding:1rem;color:#1e1e1e;background:#fff}
a{color:#000091}a:focus,summary:focus{outline:3px solid #0a76f6;outline-offset:2px}
code{background:#f0f0f0;padding:0 .2em;border-radius:3px;overflow-wrap:anywhere}
header{display:flex;justify-content:space-between;gap:1rem}
.table-scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{border:1px solid #929292;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#eee}td.num{text-align:right;white-space:nowrap}th code{overflow-wrap:normal}
@media (max-width:40rem){table.cards,table.cards tbody,table.cards tr,table.cards th,
table.cards td{display:block;width:auto}table.cards thead{display:none}
table.cards tr{border:1px solid #929292;margin-bottom:.75rem}
table.cards th,table.cards td{border:0}table.cards td.num{text-align:left}
table.cards caption{display:block;text-align:left}
table.cards td[data-label]::before{content:attr(data-label);font-weight:600}}
.notice{border-left:4px solid #b34000;background:#fff4f3;padding:.5rem 1rem}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff}
"""


def code(text: str) -> str:
    """Escape text and render `backticks` as ``<code>``."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text))


def lang_query(lang: str) -> str:
    """Query string naming a page's language (none for French, the default)."""
    return "" if lang == DEFAULT_LANG else f"?lang={lang}"


def header_cells(keys: tuple[str, ...], lang: str) -> str:
    """``<th scope="col">`` cells of the messages ``keys``."""
    return "".join(f'<th scope="col">{escape(t(k, lang))}</th>' for k in keys)


def lang_links() -> dict[str, str]:
    """The current page's query string in each language (other parameters kept)."""
    kept = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    links = {}
    for lg in LANGS:
        pairs = kept if lg == DEFAULT_LANG else [*kept, ("lang", lg)]
        links[lg] = "?" + urlencode(pairs) if pairs else ""
    return links


def layout(title: str, description: str, body: str, lang: str) -> str:
    """A complete HTML page in ``lang`` around ``body``."""
    head = Head(lang, title, description, lang_links())
    other = next(lg for lg in LANGS if lg != lang)
    switch = (f'<header><a href="/{lang_query(lang)}">{escape(t("site_title", lang))}</a>'
              f'<a href="{escape(head.links[other])}" hreflang="{other}" lang="{other}" '
              f'aria-label="{escape(t("switch_lang_label", lang))}">'
              f'{escape(t("switch_lang", lang))}</a></header>')
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f"{head_tags(head, request.host_url.rstrip('/'), request.path)}\n"
        f"<style>{_STYLE}</style>\n</head>\n<body>\n"
        f'<a class="skip" href="#contenu">{escape(t("skip_link", lang))}</a>\n{switch}\n'
        f'<main id="contenu">\n<h1>{escape(title)}</h1>\n{body}\n</main>\n</body>\n</html>\n'
    )


def human_size(size: int, lang: str) -> str:
    """Size in the reader's notation (``1,2 Mo``, ``1.2 MB``)."""
    value = float(size)
    for unit in ("bytes", "kb", "mb", "gb"):
        if value < 1024 or unit == "gb":
            shown = fmt_number(value, lang, 0 if unit == "bytes" else 1)
            return t(f"size_{unit}", lang, n=shown)
        value /= 1024
    raise AssertionError("unreachable")
