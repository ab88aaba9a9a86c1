"""Alphabetical order as a reader expects it: accents and ligatures sorted with their letters.

The Unicode Collation Algorithm (``pyuca``, default table) puts « Lèvre » before « Lymphomes »,
« Mélanome » before « Myélome » and « Œsophage » with the O, in French and English alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TypeVar

from pyuca import Collator

T = TypeVar("T")


@lru_cache(maxsize=1)
def _collator() -> Collator:
    return Collator()


def warm() -> None:
    """Load the collation table now (about 0.4 s): not in a visitor's first sorted view."""
    _collator()


@lru_cache(maxsize=4096)
def sort_key(text: str) -> tuple[int, ...]:
    """The collation key of ``text`` (kept: the same area and site names come back)."""
    return _collator().sort_key(text)


def by_label(items: Iterable[tuple[str, str]], first: tuple[str, ...] = ()
             ) -> list[tuple[str, str]]:
    """``(code, label)`` pairs in alphabetical order of label; codes in ``first`` lead."""
    items = list(items)
    lead = [i for c in first for i in items if i[0] == c]
    rest = sorted((i for i in items if i[0] not in first), key=lambda i: sort_key(i[1]))
    return lead + rest
