"""The region page's first panel, "Qué está en rojo y por qué": one item per red indicator (the rows of the view
``region-rojo``, dashboard/views/red_list.py), worst first — its light, value and n, its cause along the chain and a
link to its breakdown."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from dash import dcc, html
from dash.development.base_component import Component

from .. import format as fmt
from ..i18n import t
from .attrs import ARIA_HIDDEN
from .traffic_light import light

SHOWN = 6  # the worst ones at once; the rest one click away


def red_items(df: pd.DataFrame, lang: str, link: Callable[[str, str], str]) -> Component:
    """``df``: the view's rows; ``link(code, feed)`` → the href of the indicator's breakdown in the region."""
    if df.empty:
        return html.P(t("red_none", lang), className="hint")
    items = []
    for r in df.itertuples():
        n = html.Span(f"n = {fmt.number(r.n, 0)}", className="red-n") if not fmt.missing(r.n) else None
        items.append(
            html.Li(
                [
                    html.Div(
                        [
                            html.Span(f"{r.order}.", className="red-order"),
                            light(r.status, lang, text=fmt.value(r.value, r.unit), small=True),
                            dcc.Link(r.indicator, href=link(r.indicator_code, r.feed), className="red-name"),
                            html.Span(r.level, className="red-level"),
                            n,
                            html.Span(
                                [
                                    html.I(className="bi bi-shuffle me-1", **ARIA_HIDDEN),
                                    t("red_contradiction", lang),
                                ],
                                className="red-contradiction",
                            )
                            if r.contradiction
                            else None,
                        ],
                        className="red-head",
                    ),
                    html.P(r.cause, className="red-cause"),
                ],
                className=f"red-item red-{r.status}",
                id=f"red-{r.indicator_code}",
            )
        )
    shown = html.Ol(items[:SHOWN], className="red-list")
    if len(items) <= SHOWN:
        return shown
    return html.Div(
        [
            shown,
            html.Details(
                [
                    html.Summary(t("red_more", lang, n=len(items) - SHOWN)),
                    html.Ol(items[SHOWN:], className="red-list"),
                ],
                className="red-more",
            ),
        ]
    )
