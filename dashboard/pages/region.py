"""Región: the region's causal chain, its monthly trends against targets, its ENDES estimates with confidence
intervals, and the drill-down of administrative indicators to provinces, districts and facilities."""

from __future__ import annotations

import datetime as dt

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html, no_update

from warehouse.catalogue import Indicator

from .. import context, figures, theme
from .. import format as fmt
from ..access import region_ok
from ..callbacks import callback
from ..components.chain import causal_chain
from ..components.notice import public_only
from ..components.scorecard import GRID_THEME, NO_DECIMALS, ONE_DECIMAL
from ..components.table_grid import download_buttons
from ..data import Warehouse, level_below
from ..i18n import grid_locale, level_name, t
from ..state import TREES, Filters, href, serialise
from ..views.drill import drill_indicator, drill_indicators, drill_table, drill_target
from ..views.indicators import region_snapshot
from ..views.quality_rows import REASONS

SPARK_MONTHS = 12
TREND_MONTHS = 24


def _months_back(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.year * 12 + d.month - 1 - n, 12)
    return dt.date(y, m + 1, 1)


def regional_arg(wh: Warehouse, f: Filters, arg: str | None) -> tuple[str | None, list]:
    """The region a regional page's path names, if the user may see it, and otherwise a notice that the country is
    shown instead (for /presupuesto/<code> and /calidad/<code>)."""
    if region_ok(wh, arg):
        return arg, []
    notice = [html.P(t("unknown_region", f.lang, code=arg), className="alert alert-warning")] if arg else []
    return None, notice


def chain_data(wh: Warehouse, f: Filters, region: str):
    """The one set of queries behind the chain, trends and survey panels of a region."""
    cat = wh.snapshot.catalogue
    period = wh.resolve_period(f.program, f.period)
    snap = region_snapshot(wh, f, region)
    inds = cat.indicators_for(program=f.program)
    monthly = [i.code for i in inds if i.periodicity == "monthly"]
    annual = [i.code for i in inds if i.periodicity == "annual"]
    recent = wh.read("series", monthly, [region, "PE"], _months_back(period, TREND_MONTHS - 1), period)
    surveys = wh.read("series", annual, [region, "PE"], dt.date(2000, 1, 1), period)
    stock = wh.read("stock", [i.code for i in inds if i.feed == "stock"], [region], period)
    return period, snap, recent, surveys, stock


def _sparks(recent: pd.DataFrame, surveys: pd.DataFrame, region: str, period: dt.date) -> dict[str, list]:
    since = pd.Timestamp(_months_back(period, SPARK_MONTHS - 1))
    out: dict[str, list] = {}
    # Both frames come ordered by indicator, territory and period (series.sql): one pass each, no grouping.
    for code, where, when, value in zip(
        recent.indicator_code, recent.territory_code, recent.period, recent.value, strict=True
    ):
        if where == region and when >= since:
            out.setdefault(code, []).append(value)
    annual: dict[str, list] = {}
    for code, where, value in zip(surveys.indicator_code, surveys.territory_code, surveys.value, strict=True):
        if where == region:
            annual.setdefault(code, []).append(value)
    return out | {code: values[-8:] for code, values in annual.items()}


def main_content(wh: Warehouse, f: Filters, region: str) -> list:
    cat = wh.snapshot.catalogue
    lang = f.lang
    name = wh.snapshot.names.get(region, region)
    period, snap, recent, surveys, stock = chain_data(wh, f, region)
    program = cat.programs.get(f.program)
    inds = cat.indicators_for(program=f.program)
    # Budget per product is in each chain box; the trends keep the program's total, not six look-alike saws.
    monthly = [
        i
        for i in inds
        if i.periodicity == "monthly"
        and (i.feed == "admin" or (i.feed == "budget" and i.budget_products == ()))
    ]
    stock_inds = [i for i in inds if i.feed == "stock"]
    annual = [i for i in inds if i.periodicity == "annual"]
    finals = snap[snap.indicator_code.isin([i.code for i in inds if i.level == "final_result"])]
    summary = []
    for r in finals.itertuples():
        ind = cat.indicators[r.indicator_code]
        summary.append(
            html.Span(
                [
                    f"{ind.short.get(lang)}: ",
                    html.Strong(fmt.value(r.value, ind.unit)),
                    f" ({fmt.period(pd.Timestamp(r.period).date(), r.period_grain, lang)})",
                ],
                className="me-3",
            )
        )
    return [
        html.H1(f"{name}", className="page-title"),
        html.P(
            [
                f"{program.name.get(lang) if program else f.program} · {wh.period_label(f.program, f.period, lang)} · ",
                *summary,
            ],
            className="page-subtitle",
        ),
        html.Section(
            [
                html.Div(
                    [
                        html.H2(t("chain_title", lang), className="section-title"),
                        download_buttons(f"/export/region/{region}", f, name),
                    ],
                    className="section-head",
                ),
                html.P(t("chain_hint", lang) + " " + t("why_red", lang), className="hint"),
                causal_chain(
                    cat,
                    f.program,
                    snap,
                    _sparks(recent, surveys, region, period),
                    stock,
                    lang,
                    lambda code: href(f"/indicador/{code}", f, indicator=None),
                ),
            ],
            className="panel",
        ),
        html.Section(
            [
                html.H2(t("trends_title", lang), className="section-title"),
                dcc.Graph(
                    id="region-trends",
                    className="wide-graph",
                    figure=figures.trends(recent, monthly + stock_inds, region, name, lang),
                    config=theme.graph_config(f.lang, png=f"tendencias_{region}"),
                ),
            ],
            className="panel",
        ),
        html.Section(
            [
                html.H2(t("survey_title", lang), className="section-title"),
                html.P(t("referential_note", lang, cv=fmt.number(cat.referential_cv, 0)), className="hint"),
                dcc.Graph(
                    id="region-survey",
                    className="wide-graph",
                    figure=figures.survey(surveys, annual, region, name, lang, cat.referential_cv),
                    config=theme.graph_config(f.lang, png=f"endes_{region}"),
                ),
            ],
            className="panel",
        ),
    ]


# --- drill-down ---------------------------------------------------------------------------------------------


def quality_flags(wh: Warehouse, f: Filters, region: str, ind: Indicator) -> dict[str, list[str]]:
    """Facility → the data-quality reasons of its value of ``ind`` this month (the Calidad de datos rules), so
    that its light carries the mark."""
    if ind.feed != "admin":
        return {}
    period = wh.resolve_period(f.program, f.period)
    df = wh.read("quality_outliers", f.program, period, region)
    df = df[df.indicator_code == ind.code]
    return {r.cod_ipress: list(r.reasons) for r in df.itertuples()}


def _drill_rows(
    df: pd.DataFrame, ind: Indicator, lang: str, flags: dict[str, list[str]] | None = None
) -> list[dict]:
    from warehouse.rules import status as status_of

    flags = flags or {}
    out = []
    for r in df.itertuples():
        reasons = flags.get(r.territory_code) if r.territory_level == "eess" else None
        s = status_of(r.status)
        stock = r.territory_level == "eess" and ind.feed == "stock"
        value = (
            None if fmt.missing(r.value) else round(float(r.value), 1)
        )  # rounded once: badge and column agree
        out.append(
            {
                "code": r.territory_code,
                "name": r.name or r.territory_code,
                "value": value,
                "value_text": "–"
                if value is None
                else fmt.number(value, 1)
                + (f" {t('months_word', lang)}" if stock else "")
                + (" ⚑" if reasons else ""),
                "status": s.code,
                "status_label": s.label.get(lang),
                "status_icon": s.icon,
                "status_rank": s.rank,
                "detail": "; ".join(
                    (
                        [(r.rule_label_es if lang == "es" else r.rule_label_en)]
                        if isinstance(r.rule_label_es, str)
                        else []
                    )
                    + (
                        [f"⚑ {t('quality_mark', lang)}: " + ", ".join(REASONS[x].get(lang) for x in reasons)]
                        if reasons
                        else []
                    )
                ),
                "numerator": None if fmt.missing(r.numerator) else round(float(r.numerator), 1),
                "denominator": None if fmt.missing(r.denominator) else round(float(r.denominator), 1),
                "reporting": ""
                if fmt.missing(r.units_expected)
                else f"{int(r.units_reporting)}/{int(r.units_expected)}",
                # a facility names both its places: its district and its MicroRed of the month
                "district": getattr(r, "district_name", None) or "",
                "microred": getattr(r, "microred_name", None) or "",
            }
        )
    return out


def drill_grid(
    df: pd.DataFrame, ind: Indicator, child_level: str, lang: str, flags: dict[str, list[str]] | None = None
) -> dag.AgGrid:
    stock = child_level == "eess" and ind.feed == "stock"
    cols = [
        {
            "headerName": level_name(child_level, lang),
            "field": "name",
            "pinned": "left",
            "minWidth": 260,
            "flex": 2,
            "filter": True,
            "wrapText": True,  # facility names are long ("CENTRO DE SALUD …"): wrap rather than cut
            "autoHeight": True,
        },
        {"headerName": t("code", lang), "field": "code", "width": 100},
        {
            "headerName": t("status", lang),
            "field": "status_rank",
            "cellRenderer": "LightCell",
            "minWidth": 190,
            "sort": "asc",
        },
        {
            "headerName": t("months_of_supply" if stock else "value", lang),
            "field": "value",
            "type": "numericColumn",
            "minWidth": 120,
            "flex": 1,
            "valueFormatter": ONE_DECIMAL,
        },
        {
            "headerName": ("Stock" if stock else t("numerator", lang)),
            "field": "numerator",
            "type": "numericColumn",
            "minWidth": 120,
            "flex": 1,
            "valueFormatter": NO_DECIMALS,
        },
        {
            "headerName": t("cpm" if stock else "denominator", lang),
            "headerTooltip": t("cpm_help", lang) if stock else None,
            "field": "denominator",
            "type": "numericColumn",
            "minWidth": 120,
            "flex": 1,
            "valueFormatter": NO_DECIMALS,
        },
    ]
    if child_level == "eess":
        cols[1:1] = [
            {"headerName": t("district", lang), "field": "district", "minWidth": 140, "filter": True},
            {"headerName": t("level_microred", lang), "field": "microred", "minWidth": 140, "filter": True},
        ]
    cols.append(
        {
            "headerName": t("stock_class", lang),
            "field": "detail",
            "minWidth": 220,
            "wrapText": True,
            "autoHeight": True,
        }
        if stock
        else {"headerName": t("reporting", lang).capitalize(), "field": "reporting", "width": 110}
    )
    if flags and not stock:  # the reason of each ⚑, beside the value it marks
        cols.append(
            {
                "headerName": t("quality_col", lang),
                "field": "detail",
                "minWidth": 240,
                "wrapText": True,
                "autoHeight": True,
            }
        )
    return dag.AgGrid(
        id="drill-grid",
        columnDefs=cols,
        rowData=_drill_rows(df, ind, lang, flags),
        defaultColDef={"resizable": True, "sortable": True, "suppressHeaderMenuButton": True},
        dashGridOptions={
            "theme": GRID_THEME,
            "loadThemeGoogleFonts": False,
            "domLayout": "autoHeight",
            "pagination": len(df) > 20,
            "paginationPageSize": 20,
            "suppressCellFocus": True,
            "enableCellTextSelection": True,
            "localeText": grid_locale(lang),
        },
        style={"width": "100%"},
    )


def _dropdown(
    id_: str, label: str, value: str | None, options: pd.DataFrame, disabled: bool = False, shown: bool = True
) -> dbc.Col:
    return dbc.Col(
        [
            dbc.Label(label, html_for=id_),
            dcc.Dropdown(
                id=id_,
                value=value,
                placeholder=label,
                disabled=disabled,
                options=[{"label": r.name, "value": r.territory_code} for r in options.itertuples()],
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
        _dropdown("drill-province", t("province", lang), province, provinces, shown=not network),
        _dropdown(
            "drill-district",
            t("district", lang),
            f.district if level == "distrito" else None,
            districts,
            disabled=province is None,
            shown=not network,
        ),
        _dropdown(
            "drill-red", t("level_red", lang), red, snap.network_children(region, region), shown=network
        ),
        _dropdown(
            "drill-microred",
            t("level_microred", lang),
            f.microred if level == "microred" else None,
            microredes,
            disabled=red is None,
            shown=network,
        ),
    ], crumbs


def drill_content(wh: Warehouse, f: Filters, region: str) -> list:
    lang = f.lang
    title = html.H2(
        t("drill_title_red" if f.tree == "red" else "drill_title", lang), className="section-title"
    )
    if not wh.below_region:
        return [title, public_only(lang)]
    ind = drill_indicator(wh, f)
    if ind is None:
        return [title, html.P(t("no_data_period", lang))]
    parent, level = drill_target(wh, f, region)
    child_level = level_below(level, f.tree)
    df = drill_table(wh, f, region)
    places, crumbs = _places(wh, f, region, parent, level)
    notes = (
        [t("drill_network_note", lang)]
        if f.tree == "red"
        else [t("drill_survey_note", lang), " ", t("drill_budget_note", lang)]
    )
    return [
        html.Div(
            [title, download_buttons(f"/export/region-detalle/{region}", f, f"detalle_{region}")],
            className="section-head",
        ),
        dbc.Row(
            [
                dbc.Col(
                    [
                        dbc.Label(t("drill_indicator", lang), html_for="drill-indicator"),
                        dcc.Dropdown(
                            id="drill-indicator",
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
        drill_grid(
            df, ind, child_level, lang, quality_flags(wh, f, region, ind) if child_level == "eess" else None
        )
        if len(df)
        else html.P(t("no_data_period", lang), className="hint"),
        html.P([html.I(className="bi bi-info-circle me-1"), *notes], className="hint mt-2"),
    ]


# --- page ---------------------------------------------------------------------------------------------------


def chooser(wh: Warehouse, f: Filters) -> html.Div:
    return html.Div(
        [
            html.H1(t("page_region", f.lang), className="page-title"),
            html.Ul(
                [
                    html.Li(dcc.Link(r.name, href=href(f"/region/{r.region_code}", f)))
                    for r in wh.snapshot.regions.itertuples()
                    if region_ok(wh, r.region_code)
                ],
                className="region-list",
            ),
        ]
    )


def main_key(f: Filters, region: str) -> str:
    return f"{region}|{f.program}|{f.period}|{f.lang}"


def layout(wh: Warehouse, f: Filters, arg: str | None = None):
    if arg is None or not region_ok(wh, arg):
        return chooser(wh, f)
    return html.Div(
        [
            dcc.Store(id="region-key", data=main_key(f, arg)),
            html.Div(main_content(wh, f, arg), id="region-main"),
            html.Section(html.Div(drill_content(wh, f, arg), id="region-drill"), className="panel"),
        ]
    )


def _region_of(pathname: str | None) -> str | None:
    parts = [p for p in (pathname or "").split("/") if p]
    return parts[1] if len(parts) == 2 and parts[0] == "region" else None


@callback(
    Output("region-main", "children"),
    Output("region-key", "data"),
    Output("region-drill", "children"),
    Input("url", "search"),
    State("url", "pathname"),
    State("region-key", "data"),
    prevent_initial_call=True,
)
def update(search: str, pathname: str, shown: str):
    """New filters: the chain and charts only when program, period or language changed; the drill-down always."""
    wh = context.warehouse()
    region = _region_of(pathname)
    if region is None or not region_ok(wh, region):
        return no_update, no_update, no_update
    f = context.filters(search)
    key = main_key(f, region)
    main = main_content(wh, f, region) if key != shown else no_update
    return main, key, drill_content(wh, f, region)


@callback(
    Output("url", "search", allow_duplicate=True),
    Input("drill-indicator", "value"),
    Input("drill-tree", "value"),
    Input("drill-province", "value"),
    Input("drill-district", "value"),
    Input("drill-red", "value"),
    Input("drill-microred", "value"),
    State("url", "search"),
    prevent_initial_call=True,
)
def choose_drill(
    indicator: str | None,
    tree: str,
    province: str | None,
    district: str | None,
    red: str | None,
    microred: str | None,
    search: str,
):
    f = context.filters(search)
    default = drill_indicator(context.warehouse(), f)  # None: the program has no indicator to drill into
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
    # Compared as filters, not as text: rewriting an equivalent URL (?lang=es → ?) would push a history entry
    # that the back button returns from straight into the same rewrite.
    return no_update if new == f else (serialise(new) or "?")
