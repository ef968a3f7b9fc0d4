"""Presupuesto's money against results across years (two charts and the view ``presupuesto-cambio``), drawn once
it comes into view.

It closes the page, below the products, months, units and regions, and it is the page's costliest part (a query
over two fiscal years, the survey and the Padrón, then two charts). Until a user scrolls to it, it shows its title
and one line; ``assets/markup.js`` then sets ``budget-change-seen`` and :func:`draw` sends it. It is not part of
the page's answer to a filter change (``budget-page``): once drawn, a filter change redraws it beside the rest of
the page, and only when what it shows changes (a month of the same year does not)."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, State, dcc, html, no_update

from .. import context
from ..callbacks import callback, clientside
from ..data import Warehouse
from ..i18n import t
from ..state import Filters
from ..views.budget_rows import budget_scope, change_years
from .budget_head import PATH, region_of
from .budget_sections import change_section

SEEN = "budget-change-seen"  # the store assets/markup.js sets once the section comes into view


def drawn_key(wh: Warehouse, f: Filters, region: str | None) -> str:
    """What the section shows depends on: the region, the program, the two years compared, the product, the
    language."""
    scope = budget_scope(wh, f, region)
    years = change_years(wh, f, scope) if scope else None
    return f"{region or 'PE'}|{f.program}|{years}|{scope.element if scope else None}|{f.lang}"


def change_panel(wh: Warehouse, f: Filters, region: str | None) -> html.Section:
    """The section, waiting to come into view (its title and one line, at about its height: the page does not
    jump)."""
    lazy: dict[str, Any] = {"data-charts-seen": SEEN, "data-charts-page": f"{region or 'PE'}|{f.lang}"}
    return html.Section(
        [
            dcc.Store(id=SEEN, data=False),
            dcc.Store(id="budget-change-want"),  # the URL's query, once the section is in view
            dcc.Store(id="budget-change-key"),  # what the drawn section shows (drawn_key)
            html.Div(
                [
                    html.H2(t("change_title", f.lang), className="section-title"),
                    html.P(t("chart_pending", f.lang), className="hint", style={"minHeight": "400px"}),
                ],
                id="budget-change-body",
            ),
        ],
        className="panel",
        id="budget-change-panel",
        hidden=budget_scope(wh, f, region) is None,
        **lazy,
    )


def change_body(wh: Warehouse, f: Filters, region: str | None) -> tuple[list, bool]:
    """(the section's content, whether it is hidden): nothing to compare without a budget for the year."""
    scope = budget_scope(wh, f, region)
    return ([], True) if scope is None else (change_section(wh, f, region, scope), False)


# In the browser: the URL's query once the section is in view, and at each change after that; nothing before.
clientside(
    "when_seen",
    Output("budget-change-want", "data"),
    Input("url", "search"),
    Input(SEEN, "data"),
    prevent_initial_call=True,
)


@callback(
    Output("budget-change-body", "children"),
    Output("budget-change-panel", "hidden"),
    Output("budget-change-key", "data"),
    Input("budget-change-want", "data"),
    State("url", "search"),
    State("url", "pathname"),
    State("budget-change-key", "data"),
    prevent_initial_call=True,
)
def draw(want: str | None, search: str, pathname: str, drawn: str | None):
    """The section once it comes into view; after that, again when what it shows changes."""
    parts = [p for p in (pathname or "").split("/") if p]
    if not want or not parts or parts[0] != PATH.strip("/"):
        return no_update, no_update, no_update
    wh = context.warehouse()
    f = context.filters(search)
    region = region_of(wh, parts[1] if len(parts) > 1 else None)
    key = drawn_key(wh, f, region)
    if key == drawn:
        return no_update, no_update, no_update
    return (*change_body(wh, f, region), key)
