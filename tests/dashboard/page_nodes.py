"""What a page sends, walked as one tree: its Dash components and, inside the blocks of HTML that
``dashboard.components.markup`` writes, the HTML parsed back into nodes named as components are (``className``,
``id``, ``href``, ``children``), so that a test reads both alike."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser

from dashboard.components.markup import ATTRIBUTE, LINK, VOID


class Node:
    """An element of a block of HTML."""

    def __init__(self, tag: str, attrs: dict[str, str | None]):
        self.tag, self.attrs, self.items = tag, attrs, []

    className = property(lambda self: self.attrs.get("class"))
    id = property(lambda self: self.attrs.get("id"))
    href = property(lambda self: self.attrs.get("href"))
    link = property(lambda self: self.tag == "a" and LINK in self.attrs)  # a dcc.Link written as HTML

    @property
    def children(self) -> str | list:
        """Its text when that is all it holds (as a component's ``children``), else its items."""
        return self.items[0] if len(self.items) == 1 and isinstance(self.items[0], str) else self.items


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("", {})
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs))
        self.open[-1].items.append(node)
        if tag not in VOID:
            self.open.append(node)

    def handle_endtag(self, tag):
        assert self.open[-1].tag == tag, f"</{tag}> closes <{self.open[-1].tag}>"
        self.open.pop()

    def handle_data(self, data):
        self.open[-1].items.append(data)


def parse_markup(text: str) -> list:
    parser = _Parser()
    parser.feed(text)
    parser.close()
    assert parser.open == [parser.root], "unclosed elements"
    return parser.root.items


def walk(component) -> Iterator:
    """Every component and every HTML node under ``component``, depth first, in page order."""
    if isinstance(component, list | tuple):
        for c in component:
            yield from walk(c)
        return
    if component is None or isinstance(component, str | int | float):
        return
    yield component
    block = getattr(component, "to_plotly_json", lambda: {"props": {}})()["props"].get(ATTRIBUTE)
    if block is not None:
        yield from walk(parse_markup(block))
    children = component.items if isinstance(component, Node) else getattr(component, "children", None)
    yield from walk(children)


def is_link(c) -> bool:
    """A link that navigates in place: a ``dcc.Link``, or one written in a block of HTML."""
    return type(c).__name__ == "Link" or getattr(c, "link", False)
