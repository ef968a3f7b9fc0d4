"""The traffic light as the app shows it everywhere: colour + icon + word, never colour alone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dash import html
from dash.development.base_component import Component

from warehouse.rules import STATUS_MEANING, STATUSES, status

from .. import format as fmt
from .attrs import ARIA_HIDDEN
from .markup import Tag


def light(
    code: str | None, lang: str = "es", text: str | None = None, title: str | None = None, small: bool = False
) -> html.Span:
    """A pill: icon, optional value text, status word."""
    return _light(_component, code, lang, text, title, small)


def light_tag(code: str | None, lang: str = "es", text: str | None = None, small: bool = False) -> Tag:
    """The same pill built of markup tags (:class:`~.markup.Tag`), inside a block of markup: the same HTML, a
    fraction of the time."""
    return _light(Tag, code, lang, text, None, small)


def _component(kind: Callable[..., Component], children: Any = None, **props: Any) -> Component:
    return kind(**props) if children is None else kind(children, **props)


def _light(
    el: Callable[..., Any], code: str | None, lang: str, text: str | None, title: str | None, small: bool
) -> Any:  # a Dash component or a markup tag, as ``el`` builds them
    s = status(code)
    parts = [el(html.I, className=f"bi bi-{s.icon} light-icon", **ARIA_HIDDEN)]
    if text and text != "–":
        parts.append(el(html.Span, text, className="light-value"))
    parts.append(el(html.Span, s.label.get(lang), className="light-label"))
    return el(
        html.Span, parts, className=f"light light-{s.code}" + (" light-sm" if small else ""), title=title
    )


def arrow(current: float | None, previous: float | None, direction: str) -> tuple[str, str]:
    """(arrow, css class) of the change against the previous period; the class says whether it is good news."""
    d = fmt.delta(current, previous)
    if d is None:
        return "", ""
    if abs(d) < 0.05:
        return "▶", "trend-flat"
    good = (d > 0) == (direction == "up")
    return ("▲" if d > 0 else "▼"), ("trend-good" if good else "trend-bad")


def legend(lang: str = "es", cv: float = 15.0) -> html.Div:
    """Every status with its meaning, as a definition list."""
    items = []
    for code in STATUSES:
        meaning = STATUS_MEANING[code].get(lang)
        items.append(
            html.Div(
                [light(code, lang, small=True), html.Span(meaning, className="legend-meaning")],
                className="legend-item",
                role="listitem",
            )
        )
    return html.Div(items, className="legend", role="list")


def rules_table(indicators: list, cat, lang: str = "es") -> html.Details:
    """The rule of every indicator shown, in words, from the catalogue (collapsed by default)."""
    from warehouse.rules import describe_rule

    from ..i18n import t

    rows = [
        html.Tr([html.Td(i.short.get(lang), className="rule-name"), html.Td(describe_rule(i, cat, lang))])
        for i in indicators
    ]
    return html.Details(
        [
            html.Summary(t("rules_title", lang)),
            html.Table(html.Tbody(rows), className="table table-sm rules"),
        ],
        className="rules-details",
    )


def lights_css() -> str:
    """CSS of the status colours, generated from warehouse.rules (the one place they are defined)."""
    rules = []
    for s in STATUSES.values():
        rules.append(f".light-{s.code}{{background:{s.colour};color:{s.text_colour};}}")
        rules.append(f".tile-{s.code}{{fill:{s.colour};}}")
        rules.append(f".dot-{s.code}{{color:{s.colour};}}")
    return "\n".join(rules) + "\n"
