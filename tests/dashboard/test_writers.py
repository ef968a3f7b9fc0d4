"""The pure pieces of a download and a chart, on bytes and dicts, with no warehouse: the CSV and JSON writers,
the cell guard against spreadsheet formulas, the cell formats, and the ranking figure."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import figures, theme
from dashboard import format as fmt
from dashboard.export import snapshot as snapshots
from dashboard.export import writers as export
from warehouse.catalogue_read import load_catalogue


@pytest.mark.parametrize("cell", ["=1+1", "+51 999", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_a_spreadsheet_would_run_is_made_inert(cell):
    assert export.safe_text(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Huancavelica", "", 5, -2.5, None])
def test_other_cells_are_left_as_they_are(cell):
    assert export.safe_text(cell) == cell


def test_csv_bytes_bom_header_empty_gaps_whole_numbers_and_inert_formulas():
    df = pd.DataFrame(
        {
            "Región": ["Huancavelica", '=HYPERLINK("x")', "Cusco"],
            "Niños": pd.Series([1200, None, 7], dtype=object),  # as exports carry whole numbers with a gap
            "Valor": [12.5, math.nan, 0.0],
        }
    )
    assert (
        export.to_csv(df)
        == (
            '\ufeffRegión,Niños,Valor\nHuancavelica,1200,12.5\n"\'=HYPERLINK(""x"")",,\nCusco,7,0.0\n'
        ).encode()
    )


def test_json_bytes_hold_context_columns_and_plain_values():
    data = pd.DataFrame({"Región": ["Cusco", "Lima"], "Valor": [np.float64(3.5), math.nan], "n": np.int64(2)})
    snap = snapshots.Snapshot(name="x", title="X", data=data, kinds={})
    doc = json.loads(export.to_json(snap, [("Vista", "Resumen"), ("Periodo", "setiembre 2026")]))
    assert doc == {
        "context": {"Vista": "Resumen", "Periodo": "setiembre 2026"},
        "columns": ["Región", "Valor", "n"],
        "rows": [{"Región": "Cusco", "Valor": 3.5, "n": 2}, {"Región": "Lima", "Valor": None, "n": 2}],
    }


@pytest.mark.parametrize(
    ("x", "unit", "shown"),
    [(12.14, "pct", "12.1 %"), (1234.0, "count", "1,234"), (None, "pct", "–"), (math.nan, "count", "–")],
)
def test_cell_values_read_as_on_screen(x, unit, shown):
    assert fmt.value(x, unit) == shown


def test_periods_read_in_spanish_and_english():
    d = dt.date(2026, 9, 1)
    assert fmt.period(d, "M") == "setiembre 2026"
    assert fmt.period(d, "M", "en") == "September 2026"
    assert fmt.period(d, "A") == "2026"


def test_ranking_figure_sorts_worst_first_with_intervals_and_the_national_line():
    theme.register()  # as the app does on start: figures carry its template
    ind = load_catalogue().indicators["PAN_DCI"]
    df = pd.DataFrame(
        {
            "territory_code": ["PE", "09", "08", "LM"],
            "territory_level": ["pais", "region", "region", "region"],
            "value": [11.5, 27.0, 15.2, 4.1],
            "ci_low": [11.0, 24.0, 13.0, 3.0],
            "ci_high": [12.0, 30.0, 17.5, 5.2],
            "status": ["en_riesgo", "critico", "en_riesgo", "adecuado"],
        }
    )
    names = {"09": "Huancavelica", "08": "Cusco", "LM": "Lima Metropolitana"}
    figure = go.Figure(figures.ranking(df, ind, names, "es", highlight="08"))  # Plotly accepts it as it is
    (trace,) = figure.data
    assert ind.direction == "down"  # less stunting is better: the worst region is drawn first (at the bottom)
    assert list(trace.y) == ["Huancavelica", "Cusco", "Lima Metropolitana"]
    assert list(trace.error_x.array) == [3.0, 2.3, 1.1] and list(trace.error_x.arrayminus) == [3.0, 2.2, 1.1]
    assert list(trace.marker.line.width) == [1, 3, 1]
    (line,) = figure.layout.shapes
    assert line.x0 == line.x1 == 11.5
