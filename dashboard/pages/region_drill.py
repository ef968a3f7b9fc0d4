"""The region page's drill-down: the indicator, the tree (territory or health network), the place choosers and
breadcrumbs, the grid of the view ``region-detalle`` (dashboard.views.drill) and its downloads; and the callback
that writes the choices into the URL."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html, no_update

from .. import context
from ..access import may_see, region_ok
from ..callbacks import callback, clientside
from ..components.attrs import ARIA_HIDDEN
from ..components.drill_grid import drill_grid
from ..components.notice import public_only
from ..components.table_grid import download_buttons
from ..data import Warehouse
from ..i18n import dropdown_labels, t
from ..reads import level_below
from ..state import FACILITY_LIST, TREES, Filters, href, serialise
from ..views.charts import quality_flags
from ..views.drill import (
    REGION_DRILL,
    drill_indicator,
    drill_indicators,
    drill_table,
    drill_target,
    facility_list,
)


def _dropdown(
    id_: str,
    label: str,
    value: str | None,
    options: pd.DataFrame,
    disabled: bool = False,
    shown: bool = True,
    lang: str = "es",
) -> dbc.Col:
    return dbc.Col(
        [
            dbc.Label(label, html_for=id_),
            dcc.Dropdown(
                id=id_,
                labels=dropdown_labels(lang),
                value=value,
                placeholder=label,
                disabled=disabled,
                options=[
                    {"label": name, "value": code}
                    for code, name in zip(options.territory_code.tolist(), options.name.tolist(), strict=True)
                ],
            ),
        ],
        md=3,
        # both trees' choosers are always there (the drill callback listens to all four); one pair is shown
        style=None if shown else {"display": "none"},
    )


def _tree_choice(f: Filters) -> dbc.Col:
    return dbc.Col(
        [
            dbc.Label(t("tree", f.lang), html_for="drill-tree"),
            dbc.RadioItems(
                id="drill-tree",
                value=f.tree,
                inline=True,
                options=[{"label": t(f"tree_{tree}", f.lang), "value": tree} for tree in TREES],
            ),
        ],
        md=2,
    )


def _places(wh: Warehouse, f: Filters, region: str, parent: str, level: str) -> tuple[list, list]:
    """The place choosers of both trees (province and district; Red and MicroRed), the URL's tree's shown, and
    the breadcrumbs of the URL's tree."""
    snap, lang = wh.snapshot, f.lang
    network = f.tree == "red"
    crumbs: list = [
        dcc.Link(
            snap.names.get(region, region),
            href=href(f"/region/{region}", f, province=None, district=None, red=None, microred=None),
        )
    ]
    red = f.red if network and level in ("red", "microred") else None
    microredes = snap.network_children(region, red) if red else snap.network.iloc[0:0]
    provinces = snap.children_of(region)
    province = f.province if not network and level in ("provincia", "distrito") else None
    districts = snap.children_of(province) if province else provinces.iloc[0:0]
    if red:
        crumbs += [
            " › ",
            dcc.Link(snap.network_name(region, red), href=href(f"/region/{region}", f, microred=None)),
        ]
    if level == "microred":
        crumbs += [" › ", html.Span(snap.network_name(region, parent))]
    if province:
        crumbs += [
            " › ",
            dcc.Link(snap.names.get(province, province), href=href(f"/region/{region}", f, district=None)),
        ]
    if level == "distrito":
        crumbs += [" › ", html.Span(snap.names.get(parent, parent))]
    return [
        _dropdown("drill-province", t("province", lang), province, provinces, shown=not network, lang=lang),
        _dropdown(
            "drill-district",
            t("district", lang),
            f.district if level == "distrito" else None,
            districts,
            disabled=province is None,
            shown=not network,
            lang=lang,
        ),
        _dropdown(
            "drill-red",
            t("level_red", lang),
            red,
            snap.network_children(region, region),
            shown=network,
            lang=lang,
        ),
        _dropdown(
            "drill-microred",
            t("level_microred", lang),
            f.microred if level == "microred" else None,
            microredes,
            disabled=red is None,
            shown=network,
            lang=lang,
        ),
    ], crumbs


def region_of(pathname: str | None) -> str | None:
    """The region of a /region/<code> path."""
    parts = [p for p in (pathname or "").split("/") if p]
    return parts[1] if len(parts) == 2 and parts[0] == "region" else None


def _list_toggle(f: Filters, region: str, level: str, listing: bool) -> list:
    """On a province (a Red): the link to its whole facility list, stock-outs first — or back to its districts
    (MicroRedes)."""
    if level not in ("provincia", "red"):
        return []
    if listing:
        return [
            " › ",
            html.Span(t("drill_all_facilities_on", f.lang)),
            " · ",
            dcc.Link(
                t(f"drill_by_{level}", f.lang),
                href=href(f"/region/{region}", f, facilities=None) + "#region-drill",
            ),
        ]
    return [
        " · ",
        dcc.Link(
            [
                html.I(className="bi bi-list-ul me-1", **ARIA_HIDDEN),
                t(f"drill_all_facilities_{level}", f.lang),
            ],
            href=href(f"/region/{region}", f, facilities=FACILITY_LIST) + "#region-drill",
            id="drill-all-facilities",
        ),
    ]


def drill_content(wh: Warehouse, f: Filters, region: str) -> list:
    lang = f.lang
    title = html.H2(
        t("drill_title_red" if f.tree == "red" else "drill_title", lang), className="section-title"
    )
    if not may_see(wh, REGION_DRILL):
        return [title, public_only(lang)]
    ind = drill_indicator(wh, f, region)
    if ind is None:
        return [title, html.P(t("no_data_period", lang))]
    parent, level = drill_target(wh, f, region)
    listing = facility_list(wh, f, region) is not None
    child_level = "eess" if listing else level_below(level, f.tree)
    df = drill_table(wh, f, region)
    places, crumbs = _places(wh, f, region, parent, level)
    crumbs += _list_toggle(f, region, level, listing)
    notes = (
        [t("drill_network_note", lang)]
        if f.tree == "red"
        else [t("drill_survey_note", lang), " ", t("drill_budget_note", lang)]
    )
    return [
        html.Div(
            [
                title,
                download_buttons(
                    f"/export/region-detalle/{region}", f.with_(indicator=ind.code), f"detalle_{region}"
                ),
            ],
            className="section-head",
        ),
        dbc.Row(
            [
                dbc.Col(
                    [
                        dbc.Label(t("drill_indicator", lang), html_for="drill-indicator"),
                        dcc.Dropdown(
                            id="drill-indicator",
                            labels=dropdown_labels(lang),
                            clearable=False,
                            value=ind.code,
                            options=[
                                {"label": i.short.get(lang), "value": i.code} for i in drill_indicators(wh, f)
                            ],
                        ),
                    ],
                    md=4,
                ),
                _tree_choice(f),
                *places,
            ],
            className="g-2 mb-2",
        ),
        html.Div(crumbs, className="crumbs"),
        *(
            [html.P(t("drill_click_hint", lang), className="hint")]
            if child_level != "eess" and len(df)
            else []
        ),
        drill_grid(
            df, ind, child_level, lang, quality_flags(wh, f, region, ind) if child_level == "eess" else None
        )
        if len(df)
        else html.P(t("no_data_period", lang), className="hint"),
        html.P([html.I(className="bi bi-info-circle me-1"), *notes], className="hint mt-2"),
    ]


# Dash runs a callback whose inputs arrive in a redrawn part and whose output lies outside it (the URL), whatever
# prevent_initial_call says: every new drill-down (a period, a province) would ask the server twice for nothing.
# In the browser, only a person's choice (one chooser changed) or click goes on to the server.
clientside(
    "drill_choice",
    Output("drill-choice", "data"),
    Input("drill-indicator", "value"),
    Input("drill-tree", "value"),
    Input("drill-province", "value"),
    Input("drill-district", "value"),
    Input("drill-red", "value"),
    Input("drill-microred", "value"),
    prevent_initial_call=True,
)
clientside(
    "drill_click",
    Output("drill-click", "data"),
    Input("drill-grid", "cellClicked"),
    prevent_initial_call=True,
)


def choice_stores() -> list:
    """The stores a choice or a click in the drill-down passes through (in the page, outside the drill-down)."""
    return [dcc.Store(id="drill-choice"), dcc.Store(id="drill-click")]


@callback(
    Output("url", "search", allow_duplicate=True),
    Input("drill-choice", "data"),
    State("url", "search"),
    State("url", "pathname"),
    prevent_initial_call=True,
)
def chosen(choice: list | None, search: str, pathname: str | None):
    """The six choosers' values (indicator, tree, province, district, Red, MicroRed) after a person's choice."""
    if not (
        isinstance(choice, list) and len(choice) == 6 and all(v is None or isinstance(v, str) for v in choice)
    ):
        return no_update  # a forged body may send anything
    indicator, tree, province, district, red, microred = choice
    return choose_drill(indicator, tree, province, district, red, microred, search, pathname)


def choose_drill(
    indicator: str | None,
    tree: str,
    province: str | None,
    district: str | None,
    red: str | None,
    microred: str | None,
    search: str,
    pathname: str | None = None,
):
    f = context.filters(search)
    wh = context.warehouse()
    region = region_of(pathname)
    # None: the program has no indicator to drill into
    default = drill_indicator(wh, f, region if region_ok(wh, region) else None)
    if f.indicator is None and default is not None and indicator == default.code:
        indicator = None  # the page's default: writing it would add a history entry the back button stops at
    new = f.with_(
        indicator=indicator,
        tree=tree if tree in TREES else f.tree,
        province=province,
        district=district if province == f.province else None,
        red=red,
        microred=microred if red == f.red else None,
    )
    if (new.province, new.red) != (f.province, f.red) or new.district or new.microred:
        new = new.with_(facilities=None)  # the whole list belongs to the province (Red) it was opened on
    # Compared as filters, not as text: rewriting an equivalent URL (?lang=es → ?) would push a history entry
    # that the back button returns from straight into the same rewrite.
    return no_update if new == f else (serialise(new) or "?")


@callback(
    Output("url", "search", allow_duplicate=True),
    Input("drill-click", "data"),
    State("url", "search"),
    State("url", "pathname"),
    prevent_initial_call=True,
)
def open_row(cell: dict | None, search: str, pathname: str | None):
    """A click on a province, district, Red or MicroRed row opens its own breakdown (facilities are the last
    level); the choice goes into the URL as the dropdowns' would."""
    wh = context.warehouse()
    region = region_of(pathname)
    code = cell.get("rowId") if isinstance(cell, dict) else None  # a forged body may send anything
    if region is None or not region_ok(wh, region) or not isinstance(code, str):
        return no_update
    f = context.filters(search)
    if facility_list(wh, f, region) is not None:
        return no_update
    _parent, level = drill_target(wh, f, region)
    child = level_below(level, f.tree)
    opened: dict[str, dict[str, str | None]] = {
        "provincia": {"province": code, "district": None},
        "distrito": {"district": code},
        "red": {"red": code, "microred": None},
        "microred": {"microred": code},
    }
    changes = opened.get(child)
    if changes is None:
        return no_update
    new = f.with_(**changes, facilities=None)
    # A code that is not one of this parent's children (a forged click) falls back as a forged link does.
    return no_update if drill_target(wh, new, region) == (_parent, level) else serialise(new)
