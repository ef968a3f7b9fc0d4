"""One Plotly template for every chart, in the app's style (registered as 'semaforo' and made the default)."""

from __future__ import annotations

from functools import cache

import plotly.graph_objects as go
import plotly.io as pio
from dash import dcc

from . import format as fmt

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
INK = "#1f2d3d"
GRID = "#e6e9ee"
ACCENT = "#1f5f8b"
SERIES = ["#1f5f8b", "#b5651d", "#5b8c5a", "#7d5ba6", "#c44e52", "#4c9f9f", "#8c8c8c"]


@cache
def template_json() -> dict:
    """The template as plain JSON, for figures built as dicts (they don't get the default template)."""
    return pio.templates["semaforo"].to_plotly_json()


def register() -> None:
    template = go.layout.Template(
        layout=go.Layout(
            font=dict(family=FONT, size=13, color=INK),
            paper_bgcolor="white",
            plot_bgcolor="white",
            colorway=SERIES,
            margin=dict(l=48, r=16, t=40, b=40),
            xaxis=dict(
                gridcolor=GRID, linecolor="#c8ced6", zeroline=False, ticks="outside", tickcolor="#c8ced6"
            ),
            yaxis=dict(gridcolor=GRID, linecolor="#c8ced6", zeroline=False),
            hoverlabel=dict(font=dict(family=FONT)),
            legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
            title=dict(font=dict(size=15), x=0, xanchor="left"),
        )
    )
    pio.templates["semaforo"] = template
    pio.templates.default = "semaforo"


def graph_config(lang: str, png: str | None = None) -> dcc.Graph.Config:
    """``dcc.Graph`` config: Plotly's date axes and numbers in the page's language, and a mode bar with one
    button, the PNG download (named ``png``), when the chart is one a report may need; none otherwise. The
    Spanish locale is given inline (Plotly ships none offline): months as Peru writes them, 'set.' included."""
    config: dcc.Graph.Config = {"displayModeBar": False, "responsive": True}
    if png:
        config |= {
            "displayModeBar": True,
            "modeBarButtons": [["toImage"]],
            "displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": png, "scale": 2},
        }
    if lang == "es":
        config["locale"] = "es-PE"
        config["locales"] = {
            "es-PE": {
                "dictionary": {
                    "Download plot as a PNG": "Descargar el gráfico como PNG",
                    "Download plot": "Descargar el gráfico",
                },
                "format": {
                    "days": ["domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"],
                    "shortDays": ["dom", "lun", "mar", "mié", "jue", "vie", "sáb"],
                    "months": fmt.MONTHS["es"],
                    "shortMonths": fmt.MONTHS_SHORT["es"],
                    "date": "%d/%m/%Y",
                    "decimal": ".",
                    "thousands": ",",
                },
            }
        }
    return config
