"""Plain page parts (text, headings, links: no callback reads or writes them) as one Dash
component each, drawn by ``static/static_tree.js``.

dash-renderer keeps a wrapper per component and, at every store update (each callback round of
every interaction), runs a selector per mounted wrapper; a page change mounts them all again.
The header, the navigation and the footer are ~35 such components on every page; as three
``Static`` components they cost three. The router also makes one of each larger plain part of
a page's content (:func:`plain_parts`: headings, lead texts, key figures, link lists), so a
page is 14-72 components instead of 104-124.
"""

from __future__ import annotations

import copy
from typing import Any, ClassVar

from dash import dcc
from dash.development.base_component import Component

from dashboard.web.components import BrowserComponent

# Props copied to the element (React names); aria-* and data-* pass too, and a style of plain
# values (e.g. a legend swatch's colour: React sets it property by property). Anything else (an
# event prop, a style holding anything but text and numbers) is refused: a part with it is not
# plain.
ATTRIBUTES = frozenset({"className", "id", "href", "role", "title", "lang", "hrefLang",
                        "tabIndex", "htmlFor", "target", "rel"})
IN_APP = "in-app"  # data-link of a link the site follows in the page (as dcc.Link does)


class Static(BrowserComponent):
    """A plain part of a page, from :func:`element_tree`."""

    _type = "Static"
    _prop_names: ClassVar[list[str]] = ["id", "tree"]
    available_properties: ClassVar[list[str]] = _prop_names

    def __init__(self, tree: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(tree=tree, **kwargs)


_NOT_PLAIN = object()


def _plain_style(style: Any) -> bool:
    """A style React sets as it is: CSS property names to text or numbers."""
    return isinstance(style, dict) and all(
        isinstance(k, str) and isinstance(v, (str, int, float)) and not isinstance(v, bool)
        for k, v in style.items())


def _element(node: Any) -> tuple[str, dict[str, Any]] | None:
    """Tag and attributes of ``node`` if it is a plain element (an html component or a
    ``dcc.Link`` with plain attributes only), else None."""
    if isinstance(node, dcc.Link):
        tag, props = "a", {"data-link": IN_APP}
    elif isinstance(node, Component) and node._namespace == "dash_html_components":
        tag, props = node._type.lower(), {}
    else:
        return None
    for key, value in node.to_plotly_json()["props"].items():
        if key == "children" or value is None:
            continue
        if key == "style":
            if not _plain_style(value):
                return None
        elif key not in ATTRIBUTES and not key.startswith(("aria-", "data-")):
            return None
        props[key] = value
    return tag, props


def _walk(node: Any) -> tuple[Any, Any, int, bool]:
    """One pass over ``node``: (``node`` with its plain parts made :class:`Static`, its plain
    tree or ``_NOT_PLAIN``, the components in that tree, whether it holds no id)."""
    if not isinstance(node, Component):  # text, a number, None
        return node, str(node) if isinstance(node, (int, float)) else node, 0, True
    element = _element(node)
    children = getattr(node, "children", None)
    listed = isinstance(children, (list, tuple))
    kids = list(children) if listed else [] if children is None else [children]
    walked = [_walk(c) for c in kids]
    plain = element is not None and all(w[1] is not _NOT_PLAIN for w in walked)
    free = plain and "id" not in element[1] and all(w[3] for w in walked)
    tree = {"t": element[0], "p": element[1],
            "c": [w[1] for w in walked if w[1] is not None]} if plain else _NOT_PLAIN
    size = 1 + sum(w[2] for w in walked) if plain else 0
    if free:  # the caller decides: it may be part of a larger plain part
        return node, tree, size, True
    # (plain parts of two components or more, each in one component)
    out = [Static(w[1]) if w[3] and w[2] > 1 else w[0] for w in walked]
    if any(a is not b for a, b in zip(out, kids, strict=True)):
        node = copy.copy(node)  # the page's own tree may be cached: left as it is
        node.children = out if listed else out[0]
    return node, tree, size, False


def element_tree(node: Any) -> Any:
    """``node`` (html components, ``dcc.Link``, text) as nested ``{"t": tag, "p": props,
    "c": children}``; text stays text. ``dcc.Link`` becomes ``<a data-link="in-app">``, which
    ``static/navigation.js`` follows in the page. Raises ``TypeError`` for anything else (a
    control, a chart, a style or an event prop)."""
    if isinstance(node, (list, tuple)):
        raise TypeError("element_tree takes one element; wrap lists in an element")
    tree = _walk(node)[1]
    if tree is _NOT_PLAIN:
        raise TypeError(f"not a plain element: {type(node).__name__} (or something it holds)")
    return tree


def static(node: Component) -> Static:
    """``node`` as one :class:`Static` component."""
    return Static(element_tree(node))


def plain_parts(node: Any) -> Any:
    """``node`` with each largest plain part of two components or more (html components and
    links, no id anywhere: nothing a callback reads or writes) made one :class:`Static`."""
    if isinstance(node, (list, tuple)):
        return [plain_parts(c) for c in node]
    out, tree, size, free = _walk(node)
    return Static(tree) if free and size > 1 else out
