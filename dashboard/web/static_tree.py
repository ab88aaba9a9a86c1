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


def _plain(node: Any) -> bool:
    """Whether ``node`` (and all it holds) can be a plain tree with no id a callback could use."""
    if node is None or isinstance(node, (str, int, float)):
        return True
    if isinstance(node, (list, tuple)):
        return all(_plain(c) for c in node)
    if isinstance(node, Static):
        return False  # already one component
    if not isinstance(node, dcc.Link) and not (isinstance(node, Component)
                                               and node._namespace == "dash_html_components"):
        return False
    props = node.to_plotly_json()["props"]
    if props.get("id") is not None or any(
            k not in ATTRIBUTES and k != "children" and not k.startswith(("aria-", "data-"))
            for k, v in props.items() if v is not None):
        return False
    return _plain(props.get("children"))


def _count(node: Any) -> int:
    if isinstance(node, (list, tuple)):
        return sum(_count(c) for c in node)
    return 1 + _count(getattr(node, "children", None)) if isinstance(node, Component) else 0


def plain_parts(node: Any) -> Any:
    """``node`` with each largest plain part of two components or more (html components and
    links, no id anywhere: nothing a callback reads or writes) made one :class:`Static`."""
    if isinstance(node, (list, tuple)):
        return [plain_parts(c) for c in node]
    if not isinstance(node, Component) or isinstance(node, Static):
        return node
    if _plain(node):
        return static(node) if _count(node) > 1 else node
    children = getattr(node, "children", None)
    if isinstance(children, (list, tuple, Component)):
        node = copy.copy(node)  # the page's own tree may be cached: left as it is
        node.children = plain_parts(children)
    return node
