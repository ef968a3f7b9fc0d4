"""The Calidad de datos page's heat-map: territories × months as one Plotly ``Heatmap`` trace, each cell lit by its
status (colour, and its glyph and share written in it, so never colour alone) with the counts on hover.

One trace of arrays instead of a table of cells: at national scale the two maps were 336 cells of HTML with a
tooltip each (a third of the page's answer, and as many components for the browser to draw)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from warehouse.rules import status

from .. import format as fmt
from ..i18n import t
from .common import _figure

# The statuses a heat-map cell can have, in the order of their z value (completeness_light's, and no data).
HEAT_STATUSES = ("critico", "en_riesgo", "adecuado", "sin_datos")
# Every fill above is read with black at WCAG AA (4.5:1 and more: warehouse.rules; tested), and Plotly gives a
# heat-map's text one colour.
HEAT_TEXT = "#000000"
ROW_PX, HEAD_PX = 26, 48


def _colorscale() -> list[list]:
    """Steps of one colour per status: z = the status' index in HEAT_STATUSES."""
    n = len(HEAT_STATUSES)
    scale = []
    for k, code in enumerate(HEAT_STATUSES):
        colour = status(code).colour
        scale += [[round(k / n, 4), colour], [round((k + 1) / n, 4), colour]]
    return scale


def heatmap(df: pd.DataFrame, value: str, state: str, lang: str) -> dict:
    """``df``: the completeness rows (territory_code, name, period, reporting, expected, on_time and the ``value``
    and ``state`` columns), territories in their order; a cell per territory and month, missing ones as no data."""
    months: list[dt.date] = sorted(pd.to_datetime(df.period).dt.date.unique())
    order = list(dict.fromkeys(df.territory_code))
    names = dict(zip(df.territory_code, df.name, strict=False))
    cells = {
        (code, pd.Timestamp(when).date()): (v, s, rep, exp, on)
        for code, when, v, s, rep, exp, on in zip(
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
    index = {code: k for k, code in enumerate(HEAT_STATUSES)}
    z, text, custom = [], [], []
    for code in order:
        zr, tr, cr = [], [], []
        for m in months:
            v, s, rep, exp, on = cells.get((code, m), (None, None, None, None, None))
            light = status(s)
            zr.append(index[light.code])  # completeness_light's codes, or none
            tr.append(f"{light.glyph} {fmt.number(v, 0)}" if not fmt.missing(v) else light.glyph)
            cr.append(
                [
                    names[code],
                    light.label.get(lang),
                    fmt.number(rep, 0),
                    fmt.number(exp, 0),
                    fmt.number(on, 0),
                ]
            )
        z.append(zr)
        text.append(tr)
        custom.append(cr)
    hover = t(
        "heat_hover_reports",
        lang,
        received="%{customdata[2]}",
        expected="%{customdata[3]}",
        on_time="%{customdata[4]}",
    )
    trace = {
        "type": "heatmap",
        "x": [fmt.month(m, lang, short=True) for m in months],
        "y": order,  # codes (two Reds may share a name), named by the axis' labels
        "z": z,
        "text": text,
        "customdata": custom,
        "texttemplate": "%{text}",
        "textfont": {"color": HEAT_TEXT, "size": 11},
        "hovertemplate": f"%{{customdata[0]}} · %{{x}}<br>%{{customdata[1]}} · {hover}<extra></extra>",
        "colorscale": _colorscale(),
        "zmin": -0.5,
        "zmax": len(HEAT_STATUSES) - 0.5,
        "showscale": False,
        "xgap": 2,
        "ygap": 2,
    }
    layout = {
        "height": HEAD_PX + ROW_PX * len(order),
        "margin": {"l": 8, "r": 8, "t": 32, "b": 8},
        "xaxis": {"side": "top", "type": "category", "ticks": "", "showgrid": False, "fixedrange": True},
        "yaxis": {
            "autorange": "reversed",
            "type": "category",
            "tickmode": "array",
            "tickvals": order,
            "ticktext": [names[c] for c in order],
            "ticks": "",
            "showgrid": False,
            "automargin": True,
            "fixedrange": True,
        },
    }
    return _figure([trace], layout)
