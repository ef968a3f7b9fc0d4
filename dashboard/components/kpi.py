"""KPI cards of the headline indicators: value, traffic light, trend, and where and when the figure comes from."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html
from dash.development.base_component import Component

from warehouse.catalogue_model import Indicator

from .. import format as fmt
from ..i18n import t
from .traffic_light import arrow, light


def kpi_card(ind: Indicator, row: dict | None, lang: str, link: str) -> dbc.Card:
    body: list[Component]
    if row is None:
        body = [light("sin_datos", lang)]
        when = "–"
    else:
        text = fmt.value(row["value"], ind.unit)
        if row["status"] == "referencial":
            text = f"({text})"
        a, cls = arrow(row["value"], row["prev_value"], ind.direction)
        prev = (
            ""
            if fmt.missing(row["prev_value"])
            else f"{t('previous', lang)}: {fmt.value(row['prev_value'], ind.unit)}"
        )
        body = [
            html.Div(
                [
                    html.Span(text, className="kpi-value"),
                    html.Span(a, className=f"kpi-trend {cls}", title=prev),
                ],
                className="kpi-figure",
            ),
            light(row["status"], lang, small=True),
        ]
        if not fmt.missing(row.get("target")):
            body.append(
                html.Div(f"{t('target', lang)}: {fmt.value(row['target'], ind.unit)}", className="kpi-target")
            )
        d = pd.Timestamp(row["period"]).date()
        # "datos a setiembre de 2026" for a month, "datos de 2025" for a survey year
        when = (
            t("data_of_year", lang, year=d.year)
            if row["period_grain"] == "A"
            else t("data_of_month", lang, month=fmt.MONTHS[lang][d.month - 1], year=d.year)
        )
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(
                    dcc.Link(ind.short.get(lang), href=link), className="kpi-name", title=ind.name.get(lang)
                ),
                *body,
                html.Div(
                    f"{when} · {t('source', lang)}: {ind.source.publisher} {ind.source.code}"
                    + (
                        ""
                        if row is None or fmt.missing(row.get("batch_id"))
                        else f" · {t('batch', lang)} {int(row['batch_id'])}"
                    ),
                    className="kpi-source",
                ),
            ]
        ),
        className="kpi-card h-100",
    )


def figure_card(title: str, body: list, md: int = 4) -> dbc.Col:
    """A KPI card of a figure that is not a catalogue indicator (budget amounts, reporting completeness)."""
    return dbc.Col(
        dbc.Card(dbc.CardBody([html.Div(title, className="kpi-name"), *body]), className="kpi-card h-100"),
        xs=6,
        md=md,
        xl=True,
        className="mb-2",
    )
