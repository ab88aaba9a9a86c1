"""Comparing plain-value records (lists of dicts) with their value types."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def same_records(got: Sequence[Mapping[str, object]],
                 expected: Sequence[Mapping[str, object]]) -> bool:
    """Equal records, keys in the same order and value types included (``nan`` equals
    ``nan``)."""
    if len(got) != len(expected):
        return False
    for g, e in zip(got, expected, strict=True):
        if list(g) != list(e):
            return False
        for k in g:
            a, b = g[k], e[k]
            if type(a) is not type(b) or (a != b and not (a != a and b != b)):
                return False
    return True
