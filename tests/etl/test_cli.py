"""``semaforo load`` and ``semaforo status`` on bad files, through the real command: exit codes as documented,
every problem listed at once with file, row, column, value and reason, no traceback, no bad row in the
warehouse's data, rejected rows kept in ``etl_quarantine`` with their batch, ``--strict`` and ``--json``."""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import xlsxwriter
from click.testing import CliRunner

from etl.cli import main
from etl.demo.mef import COLUMNS
from tests.conftest import fast_diagonal, load, rows, tables, write

ROOT = Path(__file__).resolve().parents[2]
Y = dt.date.today().year - 1
PROVENANCE = ("etl_batch", "etl_quarantine")


def data(db: Path) -> dict[str, list[tuple]]:
    """Every row of every data table (all but the load log and the quarantine), sorted."""
    return tables(db, skip=PROVENANCE)


def cli(*args: str):
    result = CliRunner().invoke(main, [str(a) for a in args])
    # An exception that escaped the command (anything but its sys.exit) is a traceback for the user.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    return result


def mef_row(**values) -> dict:
    r = {c: "X" for c in COLUMNS}
    r.update(
        ANO_EJE=Y, MES_EJE=1, PROGRAMA_PPTO="0001", PRODUCTO_PROYECTO="3033255", DEPARTAMENTO_META="09",
        DEPARTAMENTO_EJECUTORA="09", PROVINCIA_EJECUTORA="01", MONTO_PIA=0, MONTO_PIM=100, MONTO_CERTIFICADO=100,
        MONTO_COMPROMETIDO_ANUAL=100, MONTO_COMPROMETIDO=50, MONTO_DEVENGADO=50, MONTO_GIRADO=50,
    )  # fmt: skip
    r.update(values)
    return r


def mef_text(lines: list[dict]) -> str:
    import io

    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(lines)
    return out.getvalue()


@dataclass(frozen=True)
class Bad:
    text: str  # one good row (line 2), then three or more rows wrong in different ways
    problems: list[tuple[int, str, str | None, str]]  # (row, column as written, value shown, reason)
    loaded: str  # SQL: what the good row left in the warehouse
    expected: list[tuple]


BAD = {
    "admin": Bad(
        "periodo,ubigeo,indicador,numerador,denominador\n"
        f"{Y}-01,010101,PAN_P_CRED,5,10\n"
        f"{Y}-13,010101,PAN_P_CRED,1,2\n"
        f"{Y}-01,999999,PAN_P_CRED,1,2\n"
        f"{Y}-01,010102,PAN_P_CRED,30,10\n"
        f"{Y}-01,020101,NO_EXISTE,1,2\n",
        [
            (3, "periodo", f"{Y}-13", "periodo mal formado (use AAAA-MM, mes 01–12)"),
            (4, "ubigeo", "999999", "ubigeo desconocido"),
            (5, "numerador", "30 > 10", "el numerador es mayor que el denominador"),
            (6, "indicador", "NO_EXISTE", "indicador desconocido"),
        ],
        "select ubigeo, indicator_code, numerator, denominator from raw_admin",
        [("010101", "PAN_P_CRED", 5.0, 10.0)],
    ),
    "stock": Bad(
        "periodo;cod_ipress;ubigeo;insumo;stock;cpm\n"
        f"{Y}-01;00010101;010101;PAN_I_MMN;10;5\n"
        f"{Y}-01;00010101;010101;PAN_I_XXX;10;5\n"
        f"{Y}-01;00010102;010102;PAN_I_MMN;-4;5\n"
        f"{Y}-01;99999999;;PAN_I_MMN;1;1\n"
        f"{Y}-01;00020101;020101;PAN_I_MMN;abc;1\n"
        f"{Y}-01;00010102;080101;PAN_I_SRO;3;2\n",
        [
            (3, "insumo", "PAN_I_XXX", "insumo desconocido"),
            (4, "stock", "-4", "valor negativo"),
            (5, "cod_ipress", "99999999", "código IPRESS (no está en el registro RENIPRESS cargado)"),
            (6, "stock", "abc", "no es un número"),
            (
                7,
                "cod_ipress",
                "00010102",
                "el establecimiento está en el ubigeo 010102 según RENIPRESS, no en 080101",
            ),
        ],
        "select cod_ipress, ubigeo, indicator_code, stock from raw_stock",
        [("00010101", "010101", "PAN_I_MMN", 10.0)],
    ),
    "survey": Bad(
        "anio,region,indicador,valor,ic_inf,ic_sup,cv,n\n"
        f"{Y},Cusco,PAN_DCI,14,13,15,3,100\n"
        f"{Y},Narnia,PAN_DCI,10,9,11,3,100\n"
        f"{Y},Puno,PAN_DCI,101.5,,,,\n"
        "2099,Tacna,PAN_DCI,2,,,,\n",
        [
            (3, "region", "Narnia", "región desconocida"),
            (4, "valor", "101.5", "porcentaje fuera del rango 0–100"),
            (5, "anio", "2099", "año futuro"),
        ],
        "select region_code, indicator_code, value from raw_survey",
        [("08", "PAN_DCI", 14.0)],
    ),
    "budget": Bad(
        mef_text(
            [
                mef_row(),
                mef_row(MES_EJE=2, MONTO_DEVENGADO="5,-"),
                mef_row(MES_EJE=13),
                mef_row(MES_EJE=2, DEPARTAMENTO_META="31"),
            ]
        ),
        [
            (3, "MONTO_DEVENGADO", "5,-", "no es un número"),
            (4, "MES_EJE", "13", "mes fuera del rango 1–12"),
            (5, "DEPARTAMENTO_META", "31", "departamento desconocido"),
        ],
        "select department_code, month, pim, devengado from raw_budget",
        [("09", 1, 100.0, 50.0)],
    ),
    "population": Bad(
        "anio,ubigeo,grupo_edad,ninos\n"
        f"{Y},010101,<1,100\n"
        f"{Y},999999,<1,5\n"
        f"{Y},010102,7,5\n"
        f"{Y},010102,<1,-3\n",
        [
            (3, "ubigeo", "999999", "ubigeo desconocido"),
            (4, "grupo_edad", "7", "grupo de edad desconocido"),
            (5, "ninos", "-3", "el número de niños debe ser un entero no negativo"),
        ],
        "select ubigeo, age_group, children from raw_population",
        [("010101", "<1", 100)],
    ),
    "territory": Bad(
        "inei,reniec,distrito\n010103,010103,NUEVO\nNA,170107,SIN CODIGO\n999901,1,X\n01010A,1,Y\n",
        [
            (3, "inei", None, "ubigeo INEI vacío (NA)"),
            (4, "inei", "999901", "provincia desconocida"),
            (5, "inei", "01010A", "el ubigeo debe tener 6 dígitos"),
        ],
        "select ubigeo, name from core_district where batch_id <> (select min(batch_id) from etl_batch)",
        [("010103", "NUEVO")],
    ),
    "facilities": Bad(
        "COD_IPRESS;NOMBRE;UBIGEO\n00099999;P.S. NUEVO;010101\nABC12345;P.S. A;010101\n"
        "00099998;;010101\n00099997;P.S. X;999999\n",
        [
            (3, "COD_IPRESS", "ABC12345", "el código IPRESS debe tener 8 dígitos"),
            (4, "NOMBRE", None, "valor vacío"),
            (5, "UBIGEO", "999999", "ubigeo"),
        ],
        "select cod_ipress, name from core_facility where batch_id <> (select min(batch_id) from etl_batch "
        "where source = 'facilities')",
        [("00099999", "P.S. NUEVO")],
    ),
    "red": Bad(
        "Codigo_Unico,Codigo_Disa,Disa,Codigo_Red,Red,Codigo_MicroRed,MicroRed,Ubigueo_Establecimiento\n"
        "000010101,1,AMAZONAS,01,CHACHAPOYAS,01,MR UNO,010101\n"
        "ABC,1,AMAZONAS,01,CHACHAPOYAS,01,MR UNO,010101\n"
        "000010102,1,AMAZONAS,01,OTRA,01,MR UNO,010102\n"
        "000010103,1,AMAZONAS,01,CHACHAPOYAS,02,MR DOS,999999\n",
        [
            (3, "Codigo_Unico", "ABC", "el código RENIPRESS (Codigo_Unico) debe ser un número"),
            (4, "Red", "OTRA", "el código 1_01 se llama CHACHAPOYAS en la fila 2"),
            (5, "Ubigueo_Establecimiento", "999999", "ubigeo"),
        ],
        "select ipress, microred_key, microred from core_network_v",
        [(10101, "1_01_01", "MR UNO")],
    ),
}
SOURCES = list(BAD)


def shown(file: str, row: int, column: str, value: str | None, reason: str) -> list[str]:
    """The pieces of the problem's line that must be printed (the reason may go on after the text given)."""
    head = f"{file}, fila {row}, columna {column!r}: {reason}"
    return [head] if value is None else [head, f"(valor {value!r})"]


def problem_lines(output: str, file: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if line.strip().startswith(f"{file}, fila")]


def assert_listed(output: str, file: str, expected: list[tuple]) -> None:
    lines = problem_lines(output, file)
    assert f"{len(expected)} problema(s) en {file}:" in output, output
    assert len(lines) == len(expected), output
    for (row, column, value, reason), line in zip(expected, lines, strict=True):
        for piece in shown(file, row, column, value, reason):
            assert piece in line, (piece, line)


@pytest.mark.parametrize("source", SOURCES)
def test_bad_rows_are_all_listed_quarantined_and_never_loaded(territory_db, tmp_path, source):
    bad = BAD[source]
    f = write(tmp_path / f"{source}_malo.csv", bad.text)
    before = data(territory_db)

    # --strict: the whole file is refused, every problem listed, nothing written.
    strict = cli("load", "--db", territory_db, source, f, "--strict")
    assert strict.exit_code == 3, strict.output
    assert_listed(strict.stderr, f.name, bad.problems)
    assert f"{f.name}: no se cargó nada (--strict" in strict.stderr
    assert data(territory_db) == before

    # --json: the same list, machine-readable.
    js = cli("load", "--db", territory_db, source, f, "--strict", "--json")
    assert js.exit_code == 3
    (report,) = json.loads(js.stdout)
    assert (report["status"], report["rows_loaded"], report["file"]) == ("refused", 0, f.name)
    got = [(p["row"], p["column"], p["value"]) for p in report["problem_details"]]
    assert got == [(row, col, value) for row, col, value, _ in bad.problems]
    for detail, (*_, reason) in zip(report["problem_details"], bad.problems, strict=True):
        assert detail["file"] == f.name and detail["reason"].startswith(reason)
    assert len(report["problems"]) == len(bad.problems)
    assert data(territory_db) == before

    # Default: more than 5 % of the rows rejected (settings, load.max_rejected_pct) refuses the file whole.
    good = len(bad.text.splitlines()) - 1 - len({p[0] for p in bad.problems})
    r = cli("load", "--db", territory_db, source, f)
    assert r.exit_code == 3, r.output
    assert_listed(r.stderr, f.name, bad.problems)
    if good:
        assert "más que el 5 % admitido (settings.yaml, load.max_rejected_pct)" in r.stderr
    assert data(territory_db) == before

    # --force: the valid rows load, the command exits 1, the bad rows go to the quarantine with their batch.
    r = cli("load", "--db", territory_db, source, f, "--force")
    assert r.exit_code == (1 if good else 3), r.output
    assert_listed(r.stderr, f.name, bad.problems)
    assert rows(territory_db, bad.loaded) == bad.expected
    batches = rows(
        territory_db, "select batch_id, status from etl_batch where file_name = ? order by 1", (f.name,)
    )
    assert [s for _, s in batches] == ["refused", "refused", "refused", "partial" if good else "refused"]
    for batch_id, _ in batches:
        quarantined = rows(
            territory_db,
            "select row_number, column_name, value, reason, source, file_name from etl_quarantine "
            "where batch_id = ? order by row_number",
            (batch_id,),
        )
        assert [(q[0], q[1], q[2]) for q in quarantined] == [
            (row, col, value) for row, col, value, _ in bad.problems
        ]
        assert all(
            q[3].startswith(p[3]) and q[4:] == (source, f.name)
            for q, p in zip(quarantined, bad.problems, strict=True)
        )
    if good:
        assert f"{f.name}: {good} filas válidas cargadas en el lote {batches[-1][0]}" in r.stdout


def test_three_different_bad_rows_give_three_problems_at_once(territory_db, tmp_path):
    f = write(
        tmp_path / "tres.csv",
        f"periodo,ubigeo,indicador,numerador,denominador\n{Y}-00,010101,PAN_P_CRED,1,2\n"
        f"{Y}-01,010101,PAN_P_CRED,x,2\n{Y}-01,010102,PAN_P_CRED,-1,2\n",
    )
    r = cli("load", "--db", territory_db, "admin", f)
    assert r.exit_code == 3  # every row wrong: refused
    assert [line.split(":")[0] for line in problem_lines(r.stderr, "tres.csv")] == [
        "tres.csv, fila 2, columna 'periodo'",
        "tres.csv, fila 3, columna 'numerador'",
        "tres.csv, fila 4, columna 'numerador'",
    ]
    assert rows(territory_db, "select count(*) from raw_admin") == [(0,)]


# --- Files that cannot be read at all --------------------------------------------------------------------------

HEADERS = {
    "admin": ("periodo,ubigeo,indicador,numerador,denominador", f"{Y}-01,010101,PAN_P_CRED,5,10"),
    "stock": ("periodo,cod_ipress,ubigeo,insumo,stock,cpm", f"{Y}-01,00010101,010101,PAN_I_MMN,10,5"),
    "survey": ("anio,region,indicador,valor,ic_inf,ic_sup,cv,n", f"{Y},Cusco,PAN_DCI,14,13,15,3,100"),
    "budget": (
        "ANO_EJE,MES_EJE,PROGRAMA_PPTO,PRODUCTO_PROYECTO,DEPARTAMENTO_META,MONTO_PIA,MONTO_PIM,MONTO_DEVENGADO",
        f"{Y},1,0001,3033255,09,0,100,50",
    ),
    "population": ("anio,ubigeo,grupo_edad,ninos", f"{Y},010101,<1,100"),
    "territory": ("inei,distrito", "010103,NUEVO"),
    "facilities": ("COD_IPRESS,NOMBRE,UBIGEO", "00099999,P.S. NUEVO,010101"),
    "red": (
        "Codigo_Unico,Codigo_Disa,Disa,Codigo_Red,Red,Codigo_MicroRed,MicroRed,Ubigueo_Establecimiento",
        "000010101,1,AMAZONAS,01,CHACHAPOYAS,01,MR UNO,010101",
    ),
}


def xlsx(path: Path, lines: list[str]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("datos")
    for k, line in enumerate(lines):
        sheet.write_row(k, 0, line.split(","))
    book.close()
    return path


def structural_file(tmp_path: Path, source: str, case: str) -> tuple[Path, str]:
    """(file, what the error must say) for a file whose structure is wrong."""
    header, row = HEADERS[source]
    name = f"{source}_{case}"
    if case == "empty":
        return write(tmp_path / f"{name}.csv", ""), "el archivo está vacío"
    if case == "blank_lines":
        return write(tmp_path / f"{name}.csv", "\r\n \n\n"), "el archivo está vacío"
    if case == "header_only":
        return write(
            tmp_path / f"{name}.csv", header + "\r\n"
        ), "el archivo no tiene filas de datos, solo encabezado"
    if case == "missing_column":
        cols, vals = header.split(",")[1:], row.split(",")[1:]
        return write(tmp_path / f"{name}.csv", ",".join(cols) + "\n" + ",".join(vals) + "\n"), "fila 1: falta"
    if case == "truncated_xlsx":
        whole = xlsx(tmp_path / f"{name}_entero.xlsx", [header, row]).read_bytes()
        cut = tmp_path / f"{name}.xlsx"
        cut.write_bytes(whole[: len(whole) // 2])
        return cut, "no es un libro Excel legible (¿archivo truncado o dañado?)"
    if case == "empty_xlsx":
        return xlsx(tmp_path / f"{name}.xlsx", []), "hoja 'datos': la hoja está vacía"
    if case == "does_not_exist":
        return tmp_path / f"{name}.csv", "no existe el archivo"
    if case == "directory":
        (tmp_path / name).mkdir()
        return tmp_path / name, "es una carpeta, no un archivo"
    raise AssertionError(case)


CASES = [
    "empty",
    "blank_lines",
    "header_only",
    "missing_column",
    "truncated_xlsx",
    "empty_xlsx",
    "does_not_exist",
    "directory",
]


@pytest.mark.parametrize(("source", "case"), fast_diagonal(SOURCES, CASES))
def test_unreadable_files_are_refused_clearly_and_change_nothing(territory_db, tmp_path, source, case):
    f, says = structural_file(tmp_path, source, case)
    before = data(territory_db)
    r = cli("load", "--db", territory_db, source, f)
    assert r.exit_code == 3, r.output
    assert f"{f.name}: " in r.stderr or f"{f.name}, " in r.stderr
    problems = [line for line in r.stderr.splitlines() if line.startswith(f"  {f.name}")]
    assert len(problems) >= 1 and all(says in p for p in problems[:1]), r.stderr
    assert data(territory_db) == before
    js = cli("load", "--db", territory_db, source, f, "--json")
    assert js.exit_code == 3
    (report,) = json.loads(js.stdout)
    assert report["status"] == "refused" and says in report["problems"][0]


def test_the_real_command_reports_several_bad_files_without_a_traceback(territory_db, tmp_path):
    """The installed entry point in a child process: all the files' problems, the worst exit code."""
    bad = write(tmp_path / "admin_malo.csv", BAD["admin"].text)
    cut, _ = structural_file(tmp_path, "admin", "truncated_xlsx")
    empty, _ = structural_file(tmp_path, "admin", "empty")
    missing = tmp_path / "no_esta.csv"
    before = data(territory_db)
    proc = subprocess.run(
        [sys.executable, "-c", "from etl.cli import main; main()", "load", "--db", str(territory_db), "admin", "--force",
         str(bad), str(cut), str(empty), str(missing)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    for f in (bad, cut, empty, missing):
        assert f"problema(s) en {f.name}:" in proc.stderr
    assert_listed(proc.stderr, bad.name, BAD["admin"].problems)
    changed = {t for t, v in data(territory_db).items() if v != before[t]}
    assert changed <= {"raw_admin", "mart_indicator_agg", "mart_indicator_top", "mart_status_top"}
    assert rows(territory_db, BAD["admin"].loaded) == BAD["admin"].expected


def test_an_unusable_warehouse_exits_4_without_a_traceback(tmp_path):
    not_duckdb = write(tmp_path / "almacen.duckdb", "esto no es un almacén\n")
    f = write(tmp_path / "his.csv", HEADERS["admin"][0] + "\n" + HEADERS["admin"][1] + "\n")
    for args in (
        ["load", "--db", not_duckdb, "admin", f],
        ["status", "--db", not_duckdb],
        ["status", "--db", not_duckdb, "--json"],
        ["migrate", "--db", not_duckdb],
        ["status", "--db", tmp_path / "no_existe.duckdb"],
    ):
        r = cli(*args)
        assert r.exit_code == 4, (args, r.output)
        assert str(args[2]) in r.stderr
    assert not_duckdb.read_text() == "esto no es un almacén\n"


def test_unknown_source_is_a_usage_error(territory_db, tmp_path):
    f = write(tmp_path / "x.csv", "a\n1\n")
    r = cli("load", "--db", territory_db, "presupuesto", f)
    assert r.exit_code == 2 and "presupuesto" in r.stderr


# --- semaforo status --json --------------------------------------------------------------------------------------


def test_status_json_reports_batches_rows_periods_and_quarantine(territory_db, tmp_path):
    admin = write(
        tmp_path / "his.csv",
        f"periodo,ubigeo,indicador,numerador,denominador\n{Y}-01,010101,PAN_P_CRED,5,10\n"
        f"{Y}-02,010101,PAN_P_CRED,6,10\n{Y}-02,080101,PAN_P_CRED,7,10\n{Y}-02,999999,PAN_P_CRED,1,2\n",
    )
    stock = write(
        tmp_path / "stock.csv", f"periodo,cod_ipress,insumo,stock,cpm\n{Y}-02,00010101,PAN_I_MMN,10,5\n"
    )
    # 1 of 4 rows rejected, above load.max_rejected_pct: loaded only with force.
    assert load(territory_db, "admin", admin, force=True).status == "partial"
    assert load(territory_db, "admin", admin).status == "skipped"
    assert load(territory_db, "stock", stock).status == "loaded"
    r = cli("status", "--db", territory_db, "--json")
    assert r.exit_code == 0, r.output
    s = json.loads(r.stdout)
    assert s["sources"]["admin"] == {
        "rows": 3, "first_period": f"{Y}-01", "last_period": f"{Y}-02", "batches": 1,
    }  # fmt: skip
    assert s["sources"]["stock"]["rows"] == 1 and s["sources"]["stock"]["batches"] == 1
    assert s["sources"]["territory"] == {"rows": 392, "first_period": None, "last_period": None, "batches": 1}
    assert s["sources"]["facilities"]["rows"] == 392
    assert s["sources"]["budget"]["rows"] == 0 and s["sources"]["budget"]["batches"] == 0
    assert s["rows_per_period"]["admin"] == {f"{Y}-01": 1, f"{Y}-02": 2}
    assert s["quarantine_rows"] == 1
    assert [(b["source"], b["status"], b["rows_loaded"], b["rows_rejected"]) for b in s["batches"]] == [
        ("territory", "loaded", 392, 0),
        ("facilities", "loaded", 392, 0),
        ("admin", "partial", 3, 1),
        ("stock", "loaded", 1, 0),
    ]
    assert s["mart"]["rows"] > 0 and s["mart"]["indicators"] == 2
    text = cli("status", "--db", territory_db)
    assert text.exit_code == 0 and "Filas en cuarentena: 1" in text.stdout
