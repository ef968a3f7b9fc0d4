"""Parts of a page that no callback reads or writes inside (the region's causal chain, its red list) sent as one
block of HTML instead of a tree of Dash components.

Every Dash component costs the browser a React wrapper, a layout path and a props check when it is mounted, and
the wire about 70 bytes of JSON around it: a region page of 900 components took seconds to swap in place. Built
with the same ``html``/``dcc.Link`` components as any other part of a page, a static part is written out here as
escaped HTML and travels as the ``data-markup`` attribute of one ``html.Div``; ``assets/markup.js`` sets it as that
element's content whenever it arrives or changes, and makes its ``dcc.Link``s navigate without a page load, as
``dcc.Link`` does."""

from __future__ import annotations

import functools
import json
import re
from html import escape
from typing import Any

from dash import dcc, html
from dash.development.base_component import Component

ATTRIBUTE = "data-markup"
WILDCARDS = ("data-", "aria-")  # the attributes Dash passes through as given
LINK = "data-link"  # an <a> that navigates in place (assets/markup.js), as dcc.Link
VOID = frozenset({"img", "br", "hr", "wbr", "input"})
NAMES = {"className": "class", "htmlFor": "for"}
SKIPPED = frozenset({"children", "n_clicks", "n_clicks_timestamp", "disable_n_clicks", "refresh", "target"})
SPACE = re.compile(r"\s*\n\s*")  # text keeps no line breaks: the block is one line
UPPER = re.compile("([A-Z])")
UNITLESS = frozenset(
    {"flex", "flexGrow", "flexShrink", "fontWeight", "lineHeight", "opacity", "order", "zIndex"}
)


def _style(style: dict) -> str:
    """A ``style`` dict as CSS, numbers in pixels as React writes them."""
    return ";".join(
        UPPER.sub(r"-\1", k).lower()
        + ":"
        + (f"{v}px" if isinstance(v, int | float) and k not in UNITLESS else str(v))
        for k, v in style.items()
    )


def _attributes(props: dict) -> str:
    out = []
    for name, value in props.items():
        if name in SKIPPED or value is None or value is False:
            continue
        name = NAMES.get(name, name)
        if value is True:
            out.append(f" {name}")
            continue
        if name == "style":
            value = _style(value)
        elif name == "id" and isinstance(value, dict):  # a pattern-matching id, as Dash writes it in the page
            value = json.dumps(dict(sorted(value.items())), separators=(",", ":"), ensure_ascii=False)
        out.append(f' {name}="{escape(str(value))}"')
    return "".join(out)


class Html(str):
    """HTML written by hand, its texts and values escaped by its writer: a part drawn often, whose components
    would cost more to build than to write (the heat-map's cells)."""


class Tag:
    """An element of a markup block: written by :func:`to_html` exactly as the Dash component ``kind`` with these
    props would be, and built without Dash's checks of each prop — a Dash component costs about 40 µs to build,
    and a region page's blocks hold about 900 of them, each written out as text at once."""

    __slots__ = ("kind", "props")

    def __init__(self, kind: type[Component], children: Any = None, **props: Any) -> None:
        self.kind = kind
        self.props = {"children": children, **props}


@functools.cache
def _prop_names(kind: type[Component]) -> list[str]:
    """The props a kind of component declares, in its order: Dash sets them on each instance, not on the class,
    so one is made (a link needs its ``href``)."""
    return (kind(href="") if issubclass(kind, dcc.Link) else kind())._prop_names


def to_html(node: Component | Tag | str | float | list | tuple | None) -> str:
    """``node`` (``html`` components, ``dcc.Link``, :class:`Tag`, text, lists of them) as HTML, every text and value
    escaped (except :class:`Html`, written so already)."""
    if node is None:
        return ""
    if isinstance(node, Html):
        return node
    if isinstance(node, list | tuple):
        return "".join(to_html(n) for n in node)
    if isinstance(node, Tag):
        kind, given, names = node.kind, node.props, _prop_names(node.kind)
    elif isinstance(node, Component):
        kind, given, names = type(node), vars(node), node._prop_names
    else:
        return escape(SPACE.sub(" ", str(node)), quote=False)
    # A component keeps its props as attributes: read them there, in to_plotly_json's order (its own names, then
    # data-* and aria-*), without its hasattr on each of the ~40 names a component may have
    props = {k: given[k] for k in names if k in given}
    props.update((k, v) for k, v in given.items() if k.startswith(WILDCARDS))
    if issubclass(kind, dcc.Link):
        tag, props = "a", {**props, LINK: True}
    elif kind._namespace == "dash_html_components":
        tag = kind._type.lower()
    else:
        raise TypeError(f"{kind._namespace}.{kind._type} cannot be written as HTML: it needs its own scripts")
    head = f"<{tag}{_attributes(props)}>"
    if tag in VOID:
        return head
    return f"{head}{to_html(props.get('children'))}</{tag}>"


def markup(node: Component | Tag | list, **props) -> html.Div:
    """One ``html.Div`` holding ``node`` as HTML (``props``: the Div's own, e.g. ``id``, ``className``)."""
    data: dict[str, Any] = {ATTRIBUTE: to_html(node)}
    return html.Div(**props, **data)
