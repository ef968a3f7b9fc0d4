"""The Presupuesto page's tables and their downloads on a small warehouse whose every figure is known: one MEF file
written here line by line (three products and two executing units in Huancavelica, one in Huánuco, January and
February), loaded with the real loader. Exports are checked against exact expected content; the command line gives
the same snapshot twice; a text cell that a spreadsheet would run as a formula stays text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import openpyxl
import pytest
from click.testing import CliRunner

from dashboard import context
from dashboard.app import create_app
from dashboard.views import VIEWS
from dashboard.views.model import on_screen
from semaforo.cli import main
from tests.conftest import copy_warehouse, load, rows
from tests.etl.test_budget import line, mef_csv

YEAR = dt.date.today().year - 1
FORMULA = '=HYPERLINK("http://mal.example","clic")'


@pytest.fixture(scope="module")
def budget_db(tmp_path_factory, territory_template):
    db = tmp_path_factory.mktemp("budget") / "w.duckdb"
    copy_warehouse(territory_template, db)
    unit1 = {"SEC_EJEC": "1001", "EJECUTORA_NOMBRE": "REGION HUANCAVELICA - SALUD"}
    unit2 = {"SEC_EJEC": "1002", "EJECUTORA_NOMBRE": FORMULA}
    unit3 = {"SEC_EJEC": "1003", "EJECUTORA_NOMBRE": "REGION HUANUCO - SALUD"}
    lines = [
        line(YEAR, 1, product="3033255", pia=1000, pim=1000, dev=100, **unit1),
        line(YEAR, 2, product="3033255", pia=0, pim=200, dev=200, **unit1),
        line(YEAR, 1, product="3033254", pia=1000, pim=1000, dev=10, **unit1),
        line(YEAR, 1, product="3033256", pia=500, pim=500, dev=50, **unit2),
        line(YEAR, 2, product="3033256", pia=0, pim=0, dev=300, **unit2),
        line(YEAR, 1, product="3000001", dept="10", dep_ejec="10", pia=300, pim=300, dev=30, **unit3),
    ]
    r = load(db, "budget", mef_csv(db.parent / f"gasto_{YEAR}.csv", lines))
    assert r.status == "loaded", r.problems
    return db


@pytest.fixture(scope="module")
def client(budget_db):
    previous = context._current
    app = create_app(budget_db)
    yield app.server.test_client()
    context.set_warehouse(previous) if previous else None


HEADER_ES = [
    "Código MEF",
    "Producto presupuestal",
    "Producto del marco lógico",
    "PIA (S/)",
    "PIM (S/)",
    "Certificado (S/)",
    "Compromiso anual (S/)",
    "Atención de compromiso mensual (S/)",
    "Devengado (S/)",
    "Girado (S/)",
    "Avance (%)",
    "Avance esperado (%)",
    "Ritmo de ejecución",
    "Indicador de cobertura",
    "Mes de la cobertura",
    "Cobertura (%)",
    "Meta de cobertura (%)",
    "Estado de la cobertura",
    "Edad de la población objetivo",
    "Población objetivo (padrón)",
    "PIM por beneficiario (S/)",
    "Devengado por beneficiario (S/)",
    "Cuello de botella",
    "Lote MEF",
    "Lote de cobertura",
]


def test_products_csv_is_exactly_the_known_figures(client, budget_db):
    ((batch,),) = rows(budget_db, "select batch_id from etl_batch where source = 'budget'")
    r = client.get(f"/export/presupuesto-productos/09.csv?periodo={YEAR}-02")
    assert r.status_code == 200
    assert r.headers["Content-Disposition"] == (
        f'attachment; filename="semaforo_presupuesto-productos_0001_09_{YEAR}-02.csv"'
    )
    table = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert table[0] == HEADER_ES
    # Vaccines executed 1 % by February (expected 16.7 %: 15.7 points behind, Crítico) come first; then by PIM.
    # No administrative records are loaded: no coverage, so no product is a bottleneck.
    batch = str(batch)
    assert [row[:13] + row[22:24] for row in table[1:]] == [
        ["3033254", "PRODUCTO 3033254", "Niñas y niños con vacuna completa", "1000.0", "1000.0", "1000.0",
         "1000.0", "10.0", "10.0", "10.0", "1.0", "16.7", "Crítico", "False", batch],
        ["3033255", "PRODUCTO 3033255", "Niñas y niños con CRED completo según edad", "1000.0", "1200.0",
         "1200.0", "1200.0", "300.0", "300.0", "300.0", "25.0", "16.7", "Adecuado", "False", batch],
        ["3033256", "PRODUCTO 3033256", "Niñas y niños con suplemento de hierro y vitamina A", "500.0", "500.0",
         "500.0", "500.0", "350.0", "350.0", "350.0", "70.0", "16.7", "Adecuado", "False", batch],
        ["", "Total del programa", "", "2500.0", "2700.0", "2700.0", "2700.0", "660.0", "660.0", "660.0",
         "24.444", "16.7", "Adecuado", "False", batch],
    ]  # fmt: skip
    assert {row[15] for row in table[1:]} == {""}  # coverage empty, never a guessed 0
    # Per beneficiary: no Padrón loaded in this warehouse, so no divisor: empty, not a guess.
    assert [row[18] for row in table[1:]] == ["<1", "<1", "6-35m", ""] and {row[20] for row in table[1:]} == {
        ""
    }


def test_units_export_keeps_a_formula_looking_name_as_text(client):
    text = client.get(f"/export/presupuesto-unidades/09.csv?periodo={YEAR}-02").data.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][:4] == ["Sec. ejec.", "Unidad ejecutora", "Sede de la unidad", "PIM (S/)"]
    assert [row[:5] for row in table[1:]] == [
        ["1001", "REGION HUANCAVELICA - SALUD", "Huancavelica", "2200.0", "2200.0"],
        ["1002", "'" + FORMULA, "Huancavelica", "500.0", "500.0"],
    ]
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/export/presupuesto-unidades/09.xlsx?periodo={YEAR}-02").data)
    )
    cell = book.worksheets[0]["B3"]
    assert cell.value == FORMULA and cell.data_type == "s"  # a string cell: Excel shows it, never runs it


def test_months_json_and_xlsx_hold_the_same_rows_and_explain_themselves(client):
    doc = json.loads(client.get(f"/export/presupuesto-meses/09.json?periodo={YEAR}-02&lang=en").data)
    assert doc["columns"][:3] == ["Month", "Accrued in the month (S/)", "PIA (S/)"]
    got = [
        (r["Month"], r["PIM (S/)"], r["Accrued (S/)"], r["Execution (%)"], r["Execution pace"])
        for r in doc["rows"]
    ]
    assert got == [
        (f"{YEAR}-01", 2500.0, 160.0, 6.4, "On track"),
        (f"{YEAR}-02", 2700.0, 660.0, 100 * 660 / 2700, "On track"),  # the JSON keeps every decimal
    ]
    ctx = doc["context"]
    assert ctx["View"] == "Month by month (cumulative)"
    assert ctx["Territory"] == "Huancavelica (09)"
    assert ctx["Period"] == f"January–February {YEAR}"
    assert ctx["Filters"] == f"periodo={YEAR}-02; lang=en"
    assert ctx["Link that reopens the view"].endswith(f"/presupuesto/09?periodo={YEAR}-02&lang=en")
    assert ctx["Data: budget (MEF–SIAF)"].startswith(f"up to {YEAR}-02 · loaded ")
    assert ctx["Data: budget (MEF–SIAF)"].endswith(f"gasto_{YEAR}.csv")

    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/export/presupuesto-meses/09.xlsx?periodo={YEAR}-02&lang=en").data)
    )
    assert book.sheetnames == [
        "Month by month (cumulative)", "Context", "Definitions", "Statuses", "Batches", "Columns"
    ]  # fmt: skip
    sheet = list(book.worksheets[0].iter_rows(values_only=True))
    assert list(sheet[0]) == doc["columns"]  # the screen's labels (these columns have no other name)
    kinds = {c.label.get("en"): c.kind for c in VIEWS["presupuesto-meses"].columns}
    assert [list(r) for r in sheet[1:]] == [
        [on_screen(r[c], kinds[c]) if isinstance(r[c], float) else r[c] for c in doc["columns"]]
        for r in doc["rows"]
    ]  # the JSON's values, rounded as on screen
    assert sheet[2][doc["columns"].index("Execution (%)")] == 24.4
    # Statuses keep their traffic-light colour; numbers stay numbers with the screen's formats.
    pace = book.worksheets[0].cell(row=2, column=doc["columns"].index("Execution pace") + 1)
    assert pace.value == "On track" and pace.fill.fgColor.rgb == "FF009E73"
    assert book.worksheets[0]["C2"].number_format == "#,##0"
    context_rows = dict(book["Context"].iter_rows(min_row=2, values_only=True))
    assert {k: v for k, v in context_rows.items() if k != "Generated"} == {
        k: v for k, v in ctx.items() if k != "Generated"
    }
    definitions = [r[0] for r in book["Definitions"].iter_rows(min_row=2, values_only=True)]
    assert "PAN_B_TOTAL" in definitions and "PAN_DCI" in definitions
    rule = next(
        r[7] for r in book["Definitions"].iter_rows(min_row=2, values_only=True) if r[0] == "PAN_B_TOTAL"
    )
    assert "expected pace" in rule
    statuses = [r[1] for r in book["Statuses"].iter_rows(min_row=2, values_only=True)]
    assert statuses == [
        "Off track",
        "At risk",
        "On track",
        "Small sample",
        "Referential",
        "Not reported",
        "No data",
    ]
    batches = list(book["Batches"].iter_rows(min_row=2, values_only=True))
    assert [(b[1], b[2], b[5]) for b in batches] == [("budget (MEF–SIAF)", f"gasto_{YEAR}.csv", "loaded")]
    meanings = {
        label: meaning for label, _name, meaning in book["Columns"].iter_rows(min_row=2, values_only=True)
    }
    assert meanings["PIM (S/)"].startswith("Modified budget") and "Accrued / PIM" in meanings["Execution (%)"]


def test_a_region_or_table_that_does_not_exist_is_a_404(client):
    assert client.get(f"/export/presupuesto-productos/99.csv?periodo={YEAR}-02").status_code == 404
    assert client.get(f"/export/no-existe.csv?periodo={YEAR}-02").status_code == 404
    assert client.get(f"/export/presupuesto-productos.exe?periodo={YEAR}-02").status_code == 404


def _cells(path):
    book = openpyxl.load_workbook(path)
    return {
        ws.title: [list(r) for r in ws.iter_rows(values_only=True) if r[0] not in ("Generado", "Generated")]
        for ws in book.worksheets
    }


def test_the_command_line_snapshot_is_reproducible(budget_db, tmp_path, client):
    args = ["export", "--db", str(budget_db), "--region", "09", "--period", f"{YEAR}-02"]
    outputs = []
    for k in range(2):
        out = tmp_path / f"s{k}.xlsx"
        r = CliRunner().invoke(
            main, [*args, "--view", "presupuesto-productos", "--format", "xlsx", "-o", str(out)]
        )
        assert r.exit_code == 0, r.output
        outputs.append(out)
    first, second = (_cells(p) for p in outputs)
    assert first == second
    assert first["Contexto"][1] == ["Vista", "Ejecución por producto"]
    # The same rows as the dashboard's download of the same view.
    csv_cli = tmp_path / "s.csv"
    CliRunner().invoke(
        main, [*args, "--view", "presupuesto-productos", "--format", "csv", "-o", str(csv_cli)]
    )
    web = client.get(f"/export/presupuesto-productos/09.csv?periodo={YEAR}-02").data
    assert csv_cli.read_bytes() == web
    bad = CliRunner().invoke(
        main, ["export", "--db", str(budget_db), "--region", "99", "--format", "csv", "-o", "x"]
    )
    assert bad.exit_code == 2 and "región desconocida: 99" in bad.output
