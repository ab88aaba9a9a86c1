"""French typography of the texts the build writes."""

from __future__ import annotations

from dashboard.pipeline.build import (
    INTERVALS_TEXT_FR,
    STANDARDS_TEXT_FR,
    SUPPRESSION_RULE_FR,
)
from dashboard.typography import french

N = "\u202f"


def test_worked_examples() -> None:
    assert french("monde : Segi ; Europe : 2013") == f"monde{N}: Segi{N}; Europe{N}: 2013"
    assert french("à 95 % près") == f"à 95{N}% près"
    assert french("« tous cancers »") == f"«{N}tous cancers{N}»"
    assert french("l'AAPC d'eux") == "l\u2019AAPC d\u2019eux"
    assert french("'all'") == "'all'"  # quotes around a word are not apostrophes
    assert french("http://x.fr:8080") == "http://x.fr:8080"  # no space, left alone


def test_idempotent() -> None:
    for text in (SUPPRESSION_RULE_FR, STANDARDS_TEXT_FR, INTERVALS_TEXT_FR):
        once = french(text)
        assert french(once) == once
        assert " :" not in once and " ;" not in once and " %" not in once and "'" not in once
