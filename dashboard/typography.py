"""French typography of generated text: narrow no-break spaces before ``: ; ! ? %`` and inside
« », typographic apostrophes (the rules the message catalogues follow, applied to texts the
release build writes)."""

from __future__ import annotations

import re

NNBSP = "\u202f"


def french(text: str) -> str:
    """``text`` with French spacing and apostrophes (idempotent)."""
    text = re.sub(r"[ \u00a0]([:;!?%»])", NNBSP + r"\1", text)
    text = re.sub(r"«[ \u00a0]", "«" + NNBSP, text)
    return re.sub(r"(?<=\w)'(?=\w)", "\u2019", text)
