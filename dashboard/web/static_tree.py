"""Plain page parts (text, headings, links: no callback reads or writes them) as one Dash
component each, drawn by ``static/static_tree.js``.

dash-renderer keeps a wrapper per component and, at every store update (each callback round of
every interaction), runs a selector per mounted wrapper; a page change mounts them all again.
The header, the navigation and the footer are ~35 such components on every page; as three
``Static`` components they cost three.
"""

from __future__ import annotations

from typing import Any, ClassVar

from dash import dcc, html
from dash.development.base_component import Component

from dashboard.web.components import BrowserComponent

# Props copied to the element (React names); aria-* and data-* pass too. Anything else (a style,
# an event prop) is refused: a part with it is not plain.
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


def element_tree(node: Any) -> Any:
    """``node`` (html components, ``dcc.Link``, text) as nested ``{"t": tag, "p": props,
    "c": children}``; text stays text. ``dcc.Link`` becomes ``<a data-link="in-app">``, which
    ``static/navigation.js`` follows in the page. Raises ``TypeError`` for anything else."""
    if node is None or isinstance(node, str):
        return node
    if isinstance(node, (int, float)):
        return str(node)
    if isinstance(node, (list, tuple)):
        raise TypeError("element_tree takes one element; wrap lists in an element")
    if isinstance(node, dcc.Link):
        tag, extra = "a", {"data-link": IN_APP}
    elif isinstance(node, Component) and node._namespace == "dash_html_components":
        tag, extra = node._type.lower(), {}
    else:
        raise TypeError(f"not a plain element: {type(node).__name__}")
    props = dict(extra)
    for key, value in node.to_plotly_json()["props"].items():
        if key == "children" or value is None:
            continue
        if key not in ATTRIBUTES and not key.startswith(("aria-", "data-")):
            raise TypeError(f"{type(node).__name__}.{key} is not a plain attribute")
        props[key] = value
    children = getattr(node, "children", None)
    if children is None:
        kids: list[Any] = []
    elif isinstance(children, (list, tuple)):
        kids = [element_tree(c) for c in children if c is not None]
    else:
        kids = [element_tree(children)]
    return {"t": tag, "p": props, "c": kids}


def static(node: html.Div | Component) -> Static:
    """``node`` as one :class:`Static` component."""
    return Static(element_tree(node))
