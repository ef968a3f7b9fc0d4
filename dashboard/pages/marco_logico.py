"""Marco lógico: the program's logical framework generated from the catalogue — final result → specific
results → products → activities/inputs — each row with its indicators, means of verification and the current
status: the country's, or with a region chosen in the filter bar (``?region=09``) that region's."""

from __future__ import annotations

import pandas as pd
from dash import Input, Output, State, dcc, html, no_update

from warehouse.catalogue_model import Catalogue, Element

from .. import context
from .. import format as fmt
from ..callbacks import callback
from ..components.attrs import data
from ..components.traffic_light import light
from ..data import Warehouse
from ..i18n import t
from ..rows import records
from ..state import Filters, href
from ..views.charts import national_snapshot
from ..views.indicators import region_snapshot
from .indicador_region import chosen_region

SECTIONS = (
    ("final_result", "final_result"),
    ("intermediate_result", "specific_results"),
    ("product", "products"),
)


def _indicator_cells(
    cat: Catalogue, codes: list[str], national: dict[str, dict], f: Filters, region: str | None
):
    inds, sources = [], []
    for code in codes:
        ind = cat.indicators[code]
        r = national.get(code)
        when = (
            "" if r is None else fmt.period(pd.Timestamp(r["period"]).date(), r["period_grain"], f.lang, True)
        )
        inds.append(
            html.Li(
                [
                    # the indicator's page keeps the region chosen (it singles it out there too)
                    dcc.Link(ind.name.get(f.lang), href=href(f"/indicador/{code}", f, region=region)),
                    html.Br(),
                    light(
                        r["status"] if r is not None else None,
                        f.lang,
                        text=fmt.value(r["value"], ind.unit) if r is not None else None,
                        small=True,
                    ),
                    html.Small(f" {when}", className="text-muted"),
                ]
            )
        )
        sources.append(ind.source.name.get(f.lang))
    return html.Ul(inds, className="lf-indicators"), html.Ul([html.Li(s) for s in dict.fromkeys(sources)])


def _row(
    cat: Catalogue,
    e: Element | None,
    objective: str,
    assumptions: str,
    codes: list[str],
    national: dict[str, dict],
    f: Filters,
    cls: str,
    status_heading: str,
    region: str | None,
) -> html.Tr:
    inds, sources = _indicator_cells(cat, codes, national, f, region)
    label = html.Div(
        [
            html.Div(objective, className="lf-objective"),
            html.Small(f"MEF {', '.join(e.mef_products)}", className="text-muted")
            if e is not None and e.mef_products
            else None,
        ]
    )
    cells = (label, inds, sources, assumptions if assumptions else None)
    # data-label: the column heading, shown above each cell when a phone stacks the row (semaforo.css)
    return html.Tr(
        [
            html.Td(c, **data("label", h))
            for c, h in zip(cells, _headings(f.lang, status_heading), strict=True)
        ],
        className=cls,
    )


def _headings(lang: str, status_heading: str) -> list[str]:
    return [
        t("objective", lang),
        f"{t('indicators', lang)} · {status_heading}",
        t("verification", lang),
        t("assumptions", lang),
    ]


def content(wh: Warehouse, f: Filters) -> list:
    cat = wh.snapshot.catalogue
    lang = f.lang
    program = cat.programs.get(f.program)
    region = chosen_region(wh, f)
    name = wh.snapshot.names.get(region, region) if region else None
    snap = region_snapshot(wh, f, region) if region else national_snapshot(wh, f)
    # the lights shown (the country's, or the region's) by indicator: plain dicts, not a frame's .loc per cell
    national = {r["indicator_code"]: r for r in records(snap)}
    heading = t("region_status", lang, region=name) if region else t("national_status", lang)
    elements = [e for e in cat.elements.values() if e.program == f.program]
    body = []
    for level, title in SECTIONS:
        body.append(html.Tr(html.Th(t(title, lang), colSpan=4, className="lf-section")))
        for e in (x for x in elements if x.level == level):
            codes = [i.code for i in cat.element_indicators(e.code) if i.level == level]
            body.append(
                _row(
                    cat,
                    e,
                    e.objective.get(lang),
                    e.assumptions.get(lang),
                    codes,
                    national,
                    f,
                    f"lf-{level}",
                    heading,
                    region,
                )
            )
    body.append(html.Tr(html.Th(t("activities_inputs", lang), colSpan=4, className="lf-section")))
    for e in (x for x in elements if x.level == "product"):
        codes = [i.code for i in cat.element_indicators(e.code) if i.level in ("critical_input", "budget")]
        if codes:
            body.append(
                _row(
                    cat,
                    None,
                    f"{t('activities_inputs', lang)}: {e.objective.get(lang)}",
                    "",
                    codes,
                    national,
                    f,
                    "lf-inputs",
                    heading,
                    region,
                )
            )
    head = html.Tr([html.Th(h) for h in _headings(lang, heading)])
    return [
        html.H1(t("page_marco", lang), className="page-title"),
        html.P(
            f"{program.code} · {program.name.get(lang)} · {wh.period_label(f.program, f.period, lang)}"
            + (f" · {name}" if name else "")
            if program
            else f.program,
            className="page-subtitle",
        ),
        html.Div(
            html.Table([html.Thead(head), html.Tbody(body)], className="table logframe"),
            className="table-responsive panel",
        ),
    ]


def layout(wh: Warehouse, f: Filters, arg: str | None = None):
    return html.Div(content(wh, f), id="logframe-body")


@callback(
    Output("logframe-body", "children"),
    Input("url", "search"),
    State("url", "pathname"),
    prevent_initial_call=True,
)
def update(search: str, pathname: str):
    if (pathname or "").rstrip("/") != "/marco-logico":
        return no_update
    return content(context.warehouse(), context.filters(search))
