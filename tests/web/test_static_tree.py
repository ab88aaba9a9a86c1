"""Plain page parts as one component: what reaches the browser, and what is refused."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pytest
from dash import dcc, html

from dashboard.web.layout import shell
from dashboard.web.static_tree import Static, element_tree, plain_parts


def test_tree_keeps_tags_attributes_and_text() -> None:
    node = html.Nav(**{"aria-label": "Menu"}, className="site-nav", children=html.Ul([
        html.Li(html.A("API", href="/api/v1/docs?lang=en", hrefLang="en", lang="en")),
        html.Li([html.Strong("⚠ "), "<b>text</b>", 3]),
    ]))
    assert element_tree(node) == {"t": "nav", "p": {"aria-label": "Menu", "className": "site-nav"},
                                  "c": [{"t": "ul", "p": {}, "c": [
                                      {"t": "li", "p": {}, "c": [
                                          {"t": "a", "p": {"href": "/api/v1/docs?lang=en",
                                                           "hrefLang": "en", "lang": "en"},
                                           "c": ["API"]}]},
                                      {"t": "li", "p": {}, "c": [
                                          {"t": "strong", "p": {}, "c": ["⚠ "]},
                                          "<b>text</b>", "3"]}]}]}


def test_in_app_links_are_marked_for_the_page_to_follow() -> None:
    tree = element_tree(dcc.Link("Carte", href="/carte?lang=fr", className="nav-link"))
    assert tree == {"t": "a", "p": {"data-link": "in-app", "href": "/carte?lang=fr",
                                    "className": "nav-link"}, "c": ["Carte"]}


def test_a_style_of_plain_values_passes_as_it_is() -> None:
    swatch = html.Li([html.Span(className="swatch", style={"background": "#fee", "opacity": 1}),
                      "< 10"])
    assert element_tree(swatch) == {"t": "li", "p": {}, "c": [
        {"t": "span", "p": {"className": "swatch", "style": {"background": "#fee", "opacity": 1}},
         "c": []}, "< 10"]}


@pytest.mark.parametrize("node", [
    dbc.Select(id="s", options=[]),                 # a control: not plain
    dcc.Store(id="s"),
    html.Div(n_clicks=0),                           # a prop beyond plain attributes
    html.Div(style="color: red"),                   # a style React would not take
    html.Div(style={"color": {"r": 1}}),            # a style of more than text and numbers
    html.Button("x", n_clicks=0),
    html.Div([dcc.Graph(id="g")]),                  # refused however deep
])
def test_anything_not_plain_is_refused(node: object) -> None:
    with pytest.raises(TypeError):
        element_tree(node)


def test_shell_wraps_only_the_parts_around_the_content() -> None:
    content = [html.H1("Titre", id="titre")]
    parts = shell("/carte", "fr", {"data_kind": "simulated", "release_id": "r1"}, content)
    assert [type(p).__name__ for p in parts] == ["Static", "Static", "Main", "Static"]
    assert parts[2].children is content
    header = parts[1].tree
    assert header["t"] == "header"
    links = []
    stack = [header]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node["t"] == "a":
                links.append(node["p"])
            stack.extend(node["c"])
    assert any(p.get("id") == "lang-switch" and p.get("hrefLang") == "en" for p in links)
    assert sum(p.get("data-link") == "in-app" for p in links) == 6  # brand and 5 nav entries
    assert isinstance(parts[0], Static) and parts[0].tree["p"]["href"] == "#contenu"


def test_plain_parts_collapse_what_no_callback_can_reach() -> None:
    select = dbc.Select(id="carte-sexe", options=[])
    link = dcc.Link("carte", href="/carte")
    page = html.Main(id="contenu", children=[
        html.Div(className="intro", children=[html.H1("Titre"), html.P(["Voir la ", link])]),
        html.Div(className="control", children=[html.Label("Sexe", htmlFor="carte-sexe"), select]),
        html.Div(id="carte-summary", children=[html.P("a"), html.P("b")]),
        html.P("seul"),
    ])
    out = plain_parts(page)
    intro, control, summary, alone = out.children
    assert isinstance(intro, Static) and intro.tree["c"][1]["c"][1]["p"]["data-link"] == "in-app"
    assert control.children[1] is select and type(control.children[0]).__name__ == "Label"
    # an id: a callback may read or write it; its children are single components
    assert summary.id == "carte-summary"
    assert [type(c).__name__ for c in summary.children] == ["P", "P"]
    assert type(alone).__name__ == "P"  # a single component gains nothing
    # the page module's own tree is left as it was (it may be cached); a second pass is a no-op
    assert type(page.children[0]).__name__ == "Div" and out is not page
    assert plain_parts(out).children[0] is intro


def test_plain_parts_under_elements_with_ids_are_collapsed_too() -> None:
    """A plain part two levels under elements a callback may write (their ids) is still one
    component, and the elements with ids stay components."""
    links = html.Div([html.Span("Télécharger"), html.Ul([html.Li(html.A("CSV", href="/a"))])])
    page = html.Div([html.Div(html.P("résumé"), id="summary"),
                     html.Div(html.Div(links), id="downloads")])
    out = plain_parts(page)
    summary, downloads = out.children
    assert summary.id == "summary" and type(summary.children).__name__ == "P"
    assert downloads.id == "downloads" and isinstance(downloads.children, Static)
    assert downloads.children.tree["c"][0]["c"][1]["c"][0]["c"][0]["p"]["href"] == "/a"
    assert page.children[1].children.children is links  # the page's own tree unchanged

