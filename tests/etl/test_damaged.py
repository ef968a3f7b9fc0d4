"""A corpus of damaged files, generated from small files in the publishers' layouts, loaded over a warehouse that
already holds data: for every file the warehouse is compared before and after. Structural damage (a cut file, an
unclosed quote, a line with fields missing or extra, a column that fails wholesale, a file whose kind is not its
name, formula cells without values) refuses the whole file and changes no data; a file with a few bad rows loads
the others; one that rejects more than ``load.max_rejected_pct`` is refused unless ``--force``."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import xlsxwriter
from click.testing import CliRunner

from etl.cli import main
from tests.conftest import copy_warehouse, fast_diagonal, load, rows, tables, write
from tests.etl.test_cli import mef_row, mef_text
from tests.etl.test_faults import districts

Y = dt.date.today().year - 1
PROVENANCE = ("etl_batch", "etl_quarantine")
INDICATORS = ("PAN_P_CRED", "PAN_P_HIERRO")


def data(db: Path) -> dict[str, list[tuple]]:
    return tables(db, skip=PROVENANCE)


def admin_text(month: int = 3, n: int = 40, sep: str = ",") -> str:
    """``n`` rows of HIS monthly indicators (district × indicator) for one month, amounts with decimals."""
    lines = [sep.join(["periodo", "ubigeo", "indicador", "numerador", "denominador"])]
    for k, (ub, ind) in enumerate((u, i) for u in districts() for i in INDICATORS):
        if k == n:
            break
        lines.append(sep.join([f"{Y}-{month:02d}", ub, ind, f"{k % 9}.5", f"{20 + k % 7}.25"]))
    return "\n".join(lines) + "\n"


def stock_text(n: int = 30) -> str:
    lines = ["periodo;cod_ipress;ubigeo;insumo;stock;cpm"]
    for ub in districts()[:n]:
        lines.append(f"{Y}-03;00{ub};{ub};PAN_I_MMN;{len(ub) * 3}.5;5.25")
    return "\n".join(lines) + "\n"


def population_text(n: int = 30) -> str:
    lines = ["anio,ubigeo,grupo_edad,ninos"]
    for k, ub in enumerate(districts()[:n]):
        lines.append(f"{Y},{ub},<1,{100 + k}")
    return "\n".join(lines) + "\n"


def budget_text(n: int = 24) -> str:
    return mef_text(
        [
            mef_row(
                MES_EJE=1 + k % 12, DEPARTAMENTO_META=f"{1 + k // 12:02d}", MONTO_DEVENGADO=f"{50 + k}.75"
            )
            for k in range(n)
        ]
    )


GOOD: dict[str, Callable[[], str]] = {
    "admin": admin_text,
    "stock": stock_text,
    "population": population_text,
    "budget": budget_text,
}


@pytest.fixture(scope="module")
def full_template(territory_template, tmp_path_factory):
    """A warehouse holding a file of every source, loaded once for the module (the tests get a copy)."""
    folder = tmp_path_factory.mktemp("full")
    db = folder / "full.duckdb"
    copy_warehouse(territory_template, db)
    for source, text in GOOD.items():
        r = load(db, source, write(folder / f"{source}_base.csv", text()))
        assert r.status == "loaded", (source, r.problems)
    return db


@pytest.fixture
def full_db(full_template, db):
    """A copy of the warehouse holding a file of every source, before the damaged ones arrive."""
    return copy_warehouse(full_template, db)


# --- damage, applied to the text of a good file ------------------------------------------------------------------


def lines_of(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def unclosed_quote(text: str) -> str:
    ls = lines_of(text)
    k = len(ls) // 2
    ls[k] = ls[k].replace(ls[k].split(",")[0].split(";")[0], '"' + ls[k].split(",")[0].split(";")[0], 1)
    return "".join(ls)


def cut_mid_value(text: str) -> str:
    """An interrupted copy: the file ends inside the last value (…,20.25 → …,20.2), no final line break."""
    return text.rstrip("\n")[:-1]


def cut_half(text: str) -> str:
    """Cut at half its bytes, in the middle of a line."""
    return text[: len(text) // 2 + 3]


def short_last_line(text: str) -> str:
    ls = lines_of(text)
    sep = ";" if ";" in ls[0] else ","
    ls[-1] = sep.join(ls[-1].rstrip("\n").split(sep)[:-2]) + "\n"
    return "".join(ls)


def extra_field(text: str) -> str:
    ls = lines_of(text)
    sep = ";" if ";" in ls[0] else ","
    ls[3] = ls[3].rstrip("\n") + sep + "X\n"
    return "".join(ls)


DAMAGE: dict[str, tuple[Callable[[str], str], str]] = {
    "unclosed_quote": (unclosed_quote, "no se pueden separar en columnas"),
    "cut_mid_value": (cut_mid_value, "la última línea no termina en salto de línea"),
    "cut_half": (cut_half, "la última línea no termina en salto de línea"),
    "short_last_line": (short_last_line, "menos columnas que el encabezado"),
    "extra_field": (extra_field, "más columnas que el encabezado"),
}


def cli(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize(("source", "damage"), fast_diagonal(list(GOOD), list(DAMAGE)))
def test_structural_damage_refuses_the_whole_file_and_changes_nothing(full_db, tmp_path, source, damage):
    spoil, says = DAMAGE[damage]
    f = write(tmp_path / f"{source}_{damage}.csv", spoil(GOOD[source]()))
    before = data(full_db)
    for args in ([], ["--force"]):  # --force does not make a damaged file loadable
        r = cli("load", "--db", full_db, source, f, *args)
        assert r.exit_code == 3, r.output
        assert says in r.stderr, r.stderr
        assert f"{f.name}: no se cargó nada" in r.stderr
        located = [line for line in r.stderr.splitlines() if line.startswith(f"  {f.name}, fila ")]
        assert located, r.stderr  # the line is named
    assert data(full_db) == before


def test_the_cut_line_is_named(full_db, tmp_path):
    text = admin_text()
    f = write(tmp_path / "his_cortado.csv", cut_mid_value(text))
    r = load(full_db, "admin", f)
    assert r.status == "refused"
    assert r.problems[0].row == len(text.splitlines())  # the header is line 1


def test_an_unclosed_quote_is_named_at_its_line(full_db, tmp_path):
    text = admin_text()
    f = write(tmp_path / "his_comilla.csv", unclosed_quote(text))
    before = data(full_db)
    r = load(full_db, "admin", f)
    assert r.status == "refused" and r.exit_code == 3
    assert r.problems[0].row == len(text.splitlines()) // 2 + 1 and "comillas" in r.problems[0].reason
    assert data(full_db) == before


# --- a file whose kind is not its name ---------------------------------------------------------------------------


def xlsx_bytes(tmp_path: Path, lines: list[list[object]], formula: str | None = None) -> bytes:
    path = tmp_path / "libro_tmp.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("datos")
    for k, line in enumerate(lines):
        sheet.write_row(k, 0, line)
    if formula:
        sheet.write_formula(len(lines) - 1, 3, formula)  # the last row's numerator, as a formula
    book.close()
    data_ = path.read_bytes()
    path.unlink()
    return data_


def admin_rows() -> list[list[object]]:
    return [line.split(",") for line in admin_text().splitlines()]


KINDS: dict[str, tuple[str, Callable[[Path], bytes], str]] = {
    "utf16_bom": (".csv", lambda _t: admin_text().encode("utf-16"), "UTF-16"),
    "utf16_no_bom": (".csv", lambda _t: admin_text().encode("utf-16-le"), "UTF-16"),
    "xlsx_named_csv": (".csv", lambda t: xlsx_bytes(t, admin_rows()), "libro Excel (XLSX)"),
    "binary": (".csv", lambda _t: admin_text().encode()[:300] + bytes(range(256)) * 4 + b"\n", "bytes nulos"),
    "csv_named_xlsx": (
        ".xlsx",
        lambda _t: admin_text(month=4).encode(),
        "no es un libro Excel .xlsx sino texto",
    ),
    "formula_without_value": (
        ".xlsx",
        lambda t: xlsx_bytes(t, admin_rows(), formula="=2+3"),
        "fórmula cuyo resultado no está calculado",
    ),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_file_whose_kind_is_not_its_name_is_refused(full_db, tmp_path, kind):
    suffix, make, says = KINDS[kind]
    f = tmp_path / f"his_{kind}{suffix}"
    f.write_bytes(make(tmp_path))
    before = data(full_db)
    r = cli("load", "--db", full_db, "admin", f)
    assert r.exit_code == 3, r.output
    assert says in r.stderr, r.stderr
    assert data(full_db) == before


def test_formula_cells_are_named_and_a_saved_workbook_loads(full_db, tmp_path):
    f = tmp_path / "his_formula.xlsx"
    f.write_bytes(xlsx_bytes(tmp_path, admin_rows(), formula="=2+3"))
    r = load(full_db, "admin", f)
    assert r.status == "refused"
    (p,) = r.problems
    assert (p.sheet, p.row) == ("datos", len(admin_rows())) and f"D{len(admin_rows())}" in p.reason
    plain = tmp_path / "his_valores.xlsx"
    plain.write_bytes(xlsx_bytes(tmp_path, admin_rows()))
    assert load(full_db, "admin", plain).status == "loaded"


# --- a column that fails wholesale, and the rejected share -------------------------------------------------------


def test_a_changed_date_convention_refuses_the_file_even_with_force(full_db, tmp_path):
    text = admin_text().replace(f"{Y}-03,", f"03/{Y},")
    f = write(tmp_path / "his_fechas.csv", text)
    before = data(full_db)
    for force in (False, True):
        r = load(full_db, "admin", f, force=force)
        assert r.status == "refused"
        assert "la columna 'periodo' falla en 40 de 40 filas" in r.message, r.message
    assert data(full_db) == before


def test_one_decimal_comma_in_a_decimal_point_column_is_that_rows_problem(full_db, tmp_path):
    """The issue's case: one '12,5' must not flip the column to decimal comma and reject every other row."""
    ls = admin_text(sep=";").splitlines()
    ls[5] = ls[5].replace(".5;", ",5;", 1)
    text = "\n".join(ls[:1] + ls[1:] * 1) + "\n"
    f = write(tmp_path / "his_coma.csv", text)
    before = data(full_db)
    r = load(full_db, "admin", f)  # 1 of 40 rows rejected: 2.5 %, under the 5 % threshold
    assert r.status == "partial", (r.message, r.problems[:3])
    assert [(p.row, p.column) for p in r.problems] == [(6, "numerador")]
    assert r.rows_loaded == 39
    after = data(full_db)
    # Only the keys the file carries changed: the other 39 rows of the month now come from this batch with their
    # new values; the row whose numerator was rejected keeps its stored value; nothing else moved.
    changed = {t for t in after if after[t] != before[t]}
    assert changed <= {
        "raw_admin",
        "etl_replaced_raw_admin",
        "mart_indicator_agg",
        "mart_indicator_top",
        "mart_status_top",
    }
    old, new = (
        {(row[2], row[3], row[5]): row for row in d["raw_admin"]} for d in (before, after)
    )  # (period, ubigeo, indicator) → row
    assert old.keys() == new.keys()
    moved = {k for k in old if old[k] != new[k]}
    assert len(moved) == 39 and all(new[k][0] == r.batch_id for k in moved)
    (kept,) = old.keys() - moved
    assert kept[1] == ls[5].split(";")[1]


def test_one_decimal_comma_in_a_semicolon_mef_file_does_not_empty_the_budget(full_db, tmp_path):
    """The issue's case: one '50,5' in a ';' file flipped every amount column to decimal comma, rejected 99 % of
    the rows and replaced the year's budget with the rest."""
    text = budget_text(40).replace(",", ";")
    ls = text.splitlines()
    ls[9] = ls[9].replace(";58.75;", ";58,75;", 1)
    before = rows(full_db, "select sum(pim), sum(devengado) from raw_budget")
    r = load(full_db, "budget", write(tmp_path / "gasto_coma.csv", "\n".join(ls) + "\n"))
    assert r.status == "partial", (r.message, r.problems[:3])
    assert [(p.row, p.column, p.value) for p in r.problems] == [(10, "MONTO_DEVENGADO", "58,75")]
    pim, dev = rows(full_db, "select sum(pim), sum(devengado) from raw_budget")[0]
    # 39 lines of this file, and the stored version of the rejected line's key (the same 58.75) kept.
    assert (pim, dev) == (40 * 100, sum(50 + k + 0.75 for k in range(40)))
    assert pim > before[0][0]
    assert any(
        "se conservan 1 filas guardadas cuya nueva versión en el archivo fue rechazada" in w
        for w in r.warnings
    )


def test_more_rejected_rows_than_the_threshold_refuse_the_file_unless_forced(full_db, tmp_path):
    ls = admin_text().splitlines()
    for k in (3, 7, 11):  # 3 of 40 rows (7.5 %): an unknown district
        ls[k] = ls[k].replace(ls[k].split(",")[1], "999999", 1)
    f = write(tmp_path / "his_malas.csv", "\n".join(ls) + "\n")
    before = data(full_db)
    r = load(full_db, "admin", f)
    assert r.status == "refused" and r.exit_code == 3
    assert "3 de 40 filas rechazadas (7.5 %)" in r.message and "--force" in r.message
    assert data(full_db) == before
    forced = load(full_db, "admin", f, force=True)
    assert forced.status == "partial" and forced.rows_loaded == 37


def test_the_threshold_is_data(full_db, tmp_path, monkeypatch):
    """settings.yaml's load.max_rejected_pct decides, not a constant: at 10 % the same file loads."""

    from warehouse.catalogue_read import load_catalogue

    folder = tmp_path / "catalogo"
    shutil.copytree(Path(__file__).resolve().parents[2] / "warehouse" / "catalogue", folder)
    settings = folder / "settings.yaml"
    settings.write_text(settings.read_text().replace("max_rejected_pct: 5", "max_rejected_pct: 10"))
    monkeypatch.setenv("SEMAFORO_CATALOGUE", os.fspath(folder))
    cat = load_catalogue()
    assert cat.load["max_rejected_pct"] == 10
    ls = admin_text().splitlines()
    for k in (3, 7, 11):
        ls[k] = ls[k].replace(ls[k].split(",")[1], "999999", 1)
    f = write(tmp_path / "his_malas.csv", "\n".join(ls) + "\n")
    assert load(full_db, "admin", f, catalogue=cat).status == "partial"
