"""The download writers (dashboard.export.writers) are pure: a snapshot and its sheets in, bytes out. Checked here
on the bytes, with no warehouse."""

from __future__ import annotations

import io
import json

import openpyxl
import pandas as pd

from dashboard.export.context import Sheets
from dashboard.export.snapshot import Snapshot
from dashboard.export.writers import records, sheet_name, to_csv, to_json, to_xlsx


def _snapshot() -> Snapshot:
    data = pd.DataFrame(
        {
            "Unidad": ['=HYPERLINK("x")', "Hospital", None],
            "Devengado (S/)": [1234.5, None, 7.0],
            "Filas": [3, None, 12],
            "Estado": ["Crítico", "Adecuado", None],
            "Referencial": [True, False, None],
        },
        dtype=object,
    )
    kinds = {
        "Unidad": "text",
        "Devengado (S/)": "soles",
        "Filas": "count",
        "Estado": "status",
        "Referencial": "bool",
    }
    return Snapshot(
        "semaforo_prueba",
        "Una tabla de prueba con un título muy largo",
        data,
        kinds,
        help={"Filas": "Cuántas."},
    )


def _labelled() -> Snapshot:
    """Machine names in the CSV and JSON, the screen's labels in Excel; a JSON with every decimal."""
    s = _snapshot()
    names = {"Unidad": "unidad", "Devengado (S/)": "devengado", "Filas": "filas", "Estado": "estado",
             "Referencial": "referencial"}  # fmt: skip
    s.data = pd.DataFrame(
        {
            "unidad": ["Hospital", "Posta"],
            "devengado": [1234.5, 99.49],
            "filas": [3, 4],
            "estado": ["Crítico", None],
            "referencial": [False, True],
            "cobertura": [47.25, 12.04],  # a percentage: one decimal on screen
        },
        dtype=object,
    )
    s.exact = s.data.assign(devengado=[1234.5049, 99.4912], cobertura=[47.2500001, 12.0449])
    s.kinds = {names.get(k, k): v for k, v in s.kinds.items()} | {"cobertura": "pct"}
    s.labels = {v: k for k, v in names.items()} | {"cobertura": "Cobertura (%)"}
    s.help = {"filas": "Cuántas."}
    return s


def _sheets() -> Sheets:
    return Sheets(
        "es",
        [("Vista", "Una tabla"), ("Filas", "3")],
        [["PAN_X", "Indicador X", "Productos", "pct", "casos", "población", "MINSA HIS", "Meta ± 2"]],
        [("critico", "Crítico", "Lejos de la meta.", "#C62828", "#FFFFFF"),
         ("adecuado", "Adecuado", "En la meta.", "#2E7D32", "#FFFFFF")],
        [[7, "presupuesto (MEF–SIAF)", "gasto.csv", "ab12", "2026-10-01 08:00:00", "cargado", 10, 9, 1, "PE"]],
    )  # fmt: skip


def test_csv_has_a_bom_blank_missing_cells_whole_numbers_and_inert_formulas():
    body = to_csv(_snapshot().data)
    assert body.startswith(b"\xef\xbb\xbf")
    assert body.decode("utf-8-sig").splitlines() == [
        "Unidad,Devengado (S/),Filas,Estado,Referencial",
        '"\'=HYPERLINK(""x"")",1234.5,3,Crítico,True',
        "Hospital,,,Adecuado,False",
        ",7.0,12,,",
    ]


def test_json_holds_context_columns_and_typed_rows():
    s = _snapshot()
    doc = json.loads(to_json(s, [("Vista", "Una tabla")]))
    assert doc["context"] == {"Vista": "Una tabla"}
    assert doc["columns"] == list(s.data.columns)
    assert doc["rows"][0] == {
        "Unidad": '=HYPERLINK("x")', "Devengado (S/)": 1234.5, "Filas": 3, "Estado": "Crítico", "Referencial": True,
    }  # fmt: skip
    assert doc["rows"][2]["Unidad"] is None and records(s.data)[1]["Filas"] is None


def test_xlsx_writes_the_table_and_its_sheets_with_text_never_a_formula():
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(_snapshot(), _sheets())))
    assert book.sheetnames == [
        "Una tabla de prueba con un",
        "Contexto",
        "Definiciones",
        "Estados",
        "Lotes",
        "Columnas",
    ]
    table = list(book.worksheets[0].iter_rows(values_only=True))
    assert table[0] == ("Unidad", "Devengado (S/)", "Filas", "Estado", "Referencial")
    assert table[1] == (
        '=HYPERLINK("x")',
        1235,  # soles as on screen: no cents (1234.5 rounds half up, not to even)
        3,
        "Crítico",
        True,
    )  # a string cell: Excel shows it, never runs it
    assert book.worksheets[0]["A2"].data_type == "s"
    assert book.worksheets[0]["D2"].fill.fgColor.rgb.endswith("C62828")
    assert list(book["Contexto"].iter_rows(values_only=True))[1] == ("Vista", "Una tabla")
    assert list(book["Lotes"].iter_rows(values_only=True))[1][0] == 7
    assert list(book["Columnas"].iter_rows(values_only=True))[1:] == [
        ("Unidad", "Unidad", None),
        ("Devengado (S/)", "Devengado (S/)", None),
        ("Filas", "Filas", "Cuántas."),
        ("Estado", "Estado", None),
        ("Referencial", "Referencial", None),
    ]


def test_xlsx_is_headed_by_the_screens_labels_rounded_as_on_screen_with_names_in_columnas():
    s = _labelled()
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(s, _sheets())))
    table = list(book.worksheets[0].iter_rows(values_only=True))
    assert table[0] == ("Unidad", "Devengado (S/)", "Filas", "Estado", "Referencial", "Cobertura (%)")
    assert table[1:] == [("Hospital", 1235, 3, "Crítico", False, 47.3), ("Posta", 99, 4, None, True, 12.0)]
    sheet = book.worksheets[0]
    assert sheet["B2"].number_format == "#,##0" and sheet["F2"].number_format == "#,##0.0"
    assert list(book["Columnas"].iter_rows(values_only=True))[1:4] == [
        ("Unidad", "unidad", None),
        ("Devengado (S/)", "devengado", None),
        ("Filas", "filas", "Cuántas."),
    ]


def test_csv_keeps_the_machine_names_and_json_every_decimal():
    s = _labelled()
    assert to_csv(s.data).decode("utf-8-sig").splitlines()[:2] == [
        "unidad,devengado,filas,estado,referencial,cobertura",
        "Hospital,1234.5,3,Crítico,False,47.25",
    ]
    doc = json.loads(to_json(s, [("Vista", "Una tabla")]))
    assert doc["columns"] == ["unidad", "devengado", "filas", "estado", "referencial", "cobertura"]
    assert [r["devengado"] for r in doc["rows"]] == [1234.5049, 99.4912]
    assert [r["cobertura"] for r in doc["rows"]] == [47.2500001, 12.0449]


def test_the_same_input_gives_the_same_bytes():
    assert to_xlsx(_snapshot(), _sheets()) == to_xlsx(_snapshot(), _sheets())
    assert to_csv(_snapshot().data) == to_csv(_snapshot().data)


def test_sheet_names_are_cut_at_a_word_within_excels_limit():
    assert sheet_name("Ejecución por producto") == "Ejecución por producto"
    assert sheet_name("Presupuesto, cobertura y resultado por región") == "Presupuesto, cobertura y"
    assert sheet_name("a/b:c") == "abc" and sheet_name("") == "Datos"
