"""Calidad's reporting heat-map: territories × months as an HTML table of lights."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from dash import html

from warehouse.rules import status

from .. import format as fmt
from ..i18n import t
from ..state import Filters


def heatmap(
    df: pd.DataFrame, value: str, state: str, f: Filters, link: Callable[[str], str | None]
) -> html.Div | html.P:
    """Territories × months, each cell its share and light (colour, glyph and share; its status and counts on
    hover). A table, not a chart: drawn at once, where a Plotly heat-map with a label per cell took the browser
    0.4–0.6 s per map (and plotly.js, which this page otherwise does without, its evaluation) on a loaded
    machine; each cell's tooltip holds only what its row and column do not say."""
    if df.empty:
        return html.P(t("no_data_period", f.lang), className="hint")
    months = sorted(pd.to_datetime(df.period).dt.date.unique())
    cells = {
        (code, pd.Timestamp(when).date()): (v, st, rep, exp, on)
        for code, when, v, st, rep, exp, on in zip(
            df.territory_code,
            df.period,
            df[value],
            df[state],
            df.reporting,
            df.expected,
            df.on_time,
            strict=True,
        )
    }
    names = dict(zip(df.territory_code, df.name, strict=False))
    head = html.Tr(
        [html.Th(t("territory", f.lang))]
        + [html.Th(fmt.month(m, f.lang, short=True), className="heat-month") for m in months]
    )
    rows = []
    for code in names:
        label = names[code]
        target = link(code)
        first = html.Th(html.A(label, href=target)) if target else html.Th(label, className="heat-name")
        tds = []
        for m in months:
            cell = cells.get((code, m))
            if cell is None:
                tds.append(html.Td("", className="heat light-sin_datos"))
                continue
            v, st, rep, exp, on = cell
            s = status(st)
            counts = t(
                "heat_hover_reports",
                f.lang,
                received=fmt.number(rep, 0),
                expected=fmt.number(exp, 0),
                on_time=fmt.number(on, 0),
            )
            tds.append(
                html.Td(
                    f"{s.glyph} {fmt.number(v, 0)}",
                    className=f"heat light-{s.code}",
                    title=f"{s.label.get(f.lang)} · {counts}",
                )
            )
        rows.append(html.Tr([first, *tds]))
    return html.Div(
        html.Table([html.Thead(head), html.Tbody(rows)], className="heatmap"), className="heat-wrap"
    )
