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
