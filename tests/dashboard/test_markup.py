"""Static parts of a page as one block of HTML (dashboard/components/markup.py): every text and attribute
escaped, Dash's own names and ids written as the browser would have them, links marked to navigate in place, and
nothing that needs its own scripts accepted."""

from __future__ import annotations

import json

import pytest
from dash import dcc, html

from dashboard.components.markup import ATTRIBUTE, markup, to_html

from .page_nodes import parse_markup, walk


def test_text_and_attributes_are_escaped_so_data_cannot_become_markup():
    hostile = '<script>alert("x")</script> & "quoted"'
    out = to_html(html.Span(hostile, title=hostile, className="name"))
    assert "<script>" not in out and out.count("<") == 2  # the span's own two tags, nothing else
    (span,) = parse_markup(out)
    assert span.children == hostile and span.attrs["title"] == hostile and span.className == "name"


def test_dash_names_ids_and_attributes_are_written_as_the_browser_gets_them():
    tree = html.Div(
        [
            html.Label("Región", htmlFor="f-region"),
            html.Img(src="data:image/svg+xml;utf8,<svg/>", alt=""),
            html.Ol([html.Li("tres")], start="3"),
            html.Details(html.Summary("más"), open=True),
            html.I(className="bi bi-x", **{"aria-hidden": "true"}),
            html.A("CSV", id={"view": "/export/region/09", "type": "export"}, href="/x.csv?a=1&b=2"),
        ],
        role="group",
        style={"marginTop": 4, "flexGrow": 1},
        **{"data-level": "Insumos críticos"},
    )
    (div,) = parse_markup(to_html(tree))
    assert div.attrs == {
        "role": "group",
        "style": "margin-top:4px;flex-grow:1",
        "data-level": "Insumos críticos",
    }
    label, img, ol, details, icon, a = div.items
    assert label.attrs == {"for": "f-region"} and img.items == [] and img.attrs["alt"] == ""
    assert (
        ol.attrs == {"start": "3"} and details.attrs == {"open": None} and icon.attrs["aria-hidden"] == "true"
    )
    # a pattern-matching id as Dash writes it in the page: its keys sorted, compact JSON
    assert json.loads(a.id) == {"type": "export", "view": "/export/region/09"} and a.id.startswith('{"type"')
    assert a.href == "/x.csv?a=1&b=2" and not a.link
    assert "\n" not in to_html(html.P("una\n\ncausa"))  # one line: nothing a parser could split


def test_links_navigate_in_place_and_components_with_scripts_are_refused():
    (a,) = parse_markup(
        to_html(dcc.Link("Hierro", href="/region/09?indicador=X#region-drill", className="box-name"))
    )
    assert a.link and a.href.endswith("#region-drill") and a.children == "Hierro"
    with pytest.raises(TypeError, match="Graph"):
        to_html(html.Div(dcc.Graph(figure={})))


def test_a_block_is_one_component_whose_html_tests_can_walk():
    block = markup([html.H1("Huancavelica"), html.P(["a ", html.Strong("b")])], id="region-main")
    assert block.id == "region-main" and not getattr(block, "children", None)
    assert block.to_plotly_json()["props"][ATTRIBUTE] == "<h1>Huancavelica</h1><p>a <strong>b</strong></p>"
    tags = [n.tag for n in walk(block) if hasattr(n, "tag")]
    assert tags == ["h1", "p", "strong"]


def test_a_tag_is_written_exactly_as_the_dash_component_it_stands_for():
    """Markup tags (built without Dash's checks) give the very HTML of the components they stand for: props in the
    component's order, data-/aria- attributes, links that navigate in place, void elements, nested text escaped;
    and a component with scripts is refused as a tag too."""
    from dashboard.components.markup import Tag
    from dashboard.components.traffic_light import light, light_tag

    def both(kind, children=None, **props):
        return Tag(kind, children, **props), (kind(**props) if children is None else kind(children, **props))

    cases = [
        both(html.Div, ["a & b", None, 3.5], id="box-X", className="chain-box", title='say "hi"'),
        both(dcc.Link, "Cusco", href="/region/08?periodo=2026-01", className="box-name", title="t"),
        both(html.Img, src="data:image/svg+xml;utf8,<svg/>", alt="", className="box-spark"),
        # one data-/aria- attribute each: Dash keeps several in an order that varies between processes
        both(html.Div, "→", className="chain-arrow", **{"aria-hidden": "true"}),
        both(html.Div, ["x"], className="lane-cell", **{"data-level": "Producto"}),
        both(html.Ol, [html.Li("x")], className="red-list", start="3"),
    ]
    nested_tag = Tag(html.Ul, [tag for tag, _ in cases], className="all")
    nested_dash = html.Ul([component for _, component in cases], className="all")
    assert to_html(nested_tag) == to_html(nested_dash)
    for tag, component in cases:
        assert to_html(tag) == to_html(component)
    assert to_html(light_tag("critico", "es", text="12,3 %", small=True)) == to_html(
        light("critico", "es", text="12,3 %", small=True)
    )
    with pytest.raises(TypeError, match="scripts"):
        to_html(Tag(dcc.Graph, id="g"))
