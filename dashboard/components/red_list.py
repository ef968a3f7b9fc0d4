"""The region page's first panel, "Qué está en rojo y por qué": the rows of the view ``region-rojo``
(dashboard/views/red_list.py) grouped by the cause they share — each cause said once, under its chain's name, above
its indicators (each with its light, value, n and a link to its breakdown), the causes worst first."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from dash import dcc, html
from dash.development.base_component import Component

from .. import format as fmt
from ..i18n import t
from ..rows import tuples
from .attrs import ARIA_HIDDEN
from .markup import Tag
from .traffic_light import light_tag

# Causes shown open, so that the drill-down below starts within a laptop's first screen and a half; the rest are
# named in one line, one click away.
SHOWN = 2


def _indicator(r, lang: str, link: Callable[[str, str], str]) -> Tag:
    return Tag(
        html.Li,
        [
            light_tag(r.status, lang, text=fmt.value(r.value, r.unit), small=True),
            # its chain level in the link's title (and in the downloads): the chips stay one line each
            Tag(
                dcc.Link,
                r.indicator,
                href=link(r.indicator_code, r.feed),
                className="red-name",
                title=r.level,
            ),
            Tag(html.Span, f"n = {fmt.number(r.n, 0)}", className="red-n") if not fmt.missing(r.n) else None,
        ],
        className=f"red-item red-{r.status}",
        id=f"red-{r.indicator_code}",
    )


def _cause(group: list, lang: str, link: Callable[[str, str], str]) -> Tag:
    first = group[0]  # the cause's worst indicator: its light marks the cause
    return Tag(
        html.Li,
        [
            Tag(
                html.Div,
                [
                    # the number inside the heading: on a phone the name wraps beside it
                    Tag(
                        html.H3,
                        [
                            Tag(html.Span, f"{first.cause_group}.", className="red-order"),
                            t("red_chain", lang, chain=first.chain)
                            if first.chain
                            else t("red_no_chain", lang),
                        ],
                        className="red-chain",
                    ),
                    Tag(html.Span, t("red_count", lang, n=len(group)), className="red-count")
                    if len(group) > 1
                    else None,
                    Tag(
                        html.Span,
                        [
                            Tag(html.I, className="bi bi-shuffle me-1", **ARIA_HIDDEN),
                            t("red_contradiction", lang),
                        ],
                        className="red-contradiction",
                    )
                    if first.contradiction
                    else None,
                ],
                className="red-head",
            ),
            Tag(html.P, first.cause, className="red-cause"),
            Tag(html.Ul, [_indicator(r, lang, link) for r in group], className="red-inds"),
        ],
        className=f"red-group red-{first.status}",
        id=f"red-cause-{first.cause_group}",
    )


def red_items(df: pd.DataFrame, lang: str, link: Callable[[str, str], str]) -> Component | Tag:
    """``df``: the view's rows; ``link(code, feed)`` → the href of the indicator's breakdown in the region."""
    if df.empty:
        return html.P(t("red_none", lang), className="hint")
    groups: dict[int, list] = {}  # the view's rows, read once, by cause in the view's order
    for r in tuples(df):
        groups.setdefault(r.cause_group, []).append(r)
    causes = [_cause(group, lang, link) for group in groups.values()]
    shown = Tag(html.Ol, causes[:SHOWN], className="red-list")
    if len(causes) <= SHOWN:
        return shown
    rest = df[df.cause_group > SHOWN]
    return Tag(
        html.Div,
        [
            shown,
            Tag(
                html.Details,
                [
                    Tag(
                        html.Summary,
                        t(
                            "red_more_causes",
                            lang,
                            chains=", ".join(dict.fromkeys(c or t("red_no_chain", lang) for c in rest.chain)),
                            n=len(rest),
                        ),
                    ),
                    Tag(html.Ol, causes[SHOWN:], className="red-list", start=str(SHOWN + 1)),
                ],
                className="red-more",
            ),
        ],
    )
