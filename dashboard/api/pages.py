"""Minimal accessible HTML layout shared by the API's pages (no script, no external resource)."""

from __future__ import annotations

import re
from html import escape

_STYLE = """
body{font-family:system-ui,sans-serif;line-height:1.5;max-width:72rem;margin:0 auto;
padding:1rem;color:#1e1e1e;background:#fff}
a{color:#000091}a:focus,summary:focus{outline:3px solid #0a76f6;outline-offset:2px}
code{background:#f0f0f0;padding:0 .2em;border-radius:3px}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{border:1px solid #929292;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#eee}td.num{text-align:right;white-space:nowrap}
.notice{border-left:4px solid #b34000;background:#fff4f3;padding:.5rem 1rem}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff}
"""


def code(text: str) -> str:
    """Escape text and render `backticks` as ``<code>``."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text))


def layout(title: str, body: str) -> str:
    """A complete French HTML page around ``body``."""
    return (
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        '<a class="skip" href="#contenu">Aller au contenu</a>\n'
        f'<main id="contenu">\n<h1>{escape(title)}</h1>\n{body}\n</main>\n</body>\n</html>\n'
    )


def human_size(size: int) -> str:
    """Size in French notation (``1,2 Mo``)."""
    value = float(size)
    for unit in ("octets", "ko", "Mo", "Go"):
        if value < 1024 or unit == "Go":
            text = f"{value:.0f}" if unit == "octets" else f"{value:.1f}".replace(".", ",")
            return f"{text} {unit}"
        value /= 1024
    raise AssertionError("unreachable")
