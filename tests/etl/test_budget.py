"""The MEF budget loader: the 62-column open-data CSV (written here row by row so every sum is known), its
messy variants, and the real Consulta Amigable XLSX exports of ../shared/data/mef."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from etl.demo.mef import COLUMNS
from tests.conftest import load, rows, shared, write

THIS_YEAR = dt.date.today().year
LAST_YEAR = THIS_YEAR - 1


def line(year=LAST_YEAR, month=1, program="0001", product="3033255", dept="09", dep_ejec="09", prov_ejec="01",
         pia=0, pim=100, dev=50, **extra) -> dict:  # fmt: skip
    """One row of the open-data CSV; columns the loader does not read get plausible text."""
    r = {c: "X" for c in COLUMNS}
    r.update(
        ANO_EJE=year, MES_EJE=month, PROGRAMA_PPTO=program, PRODUCTO_PROYECTO=product,
        PRODUCTO_PROYECTO_NOMBRE=f"PRODUCTO {product}", DEPARTAMENTO_META=dept, DEPARTAMENTO_EJECUTORA=dep_ejec,
        PROVINCIA_EJECUTORA=prov_ejec, MONTO_PIA=pia, MONTO_PIM=pim, MONTO_CERTIFICADO=pim,
        MONTO_COMPROMETIDO_ANUAL=pim, MONTO_COMPROMETIDO=dev, MONTO_DEVENGADO=dev, MONTO_GIRADO=dev,
    )  # fmt: skip
    r.update(extra)
    return r


def mef_csv(path, lines, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(lines)
    return path


def execution(db, code, territory, year, month):
    got = rows(
        db,
        "select value, numerator, denominator from mart_indicator_agg "
        "where indicator_code = ? and territory_code = ? and period = ?",
        (code, territory, dt.date(year, month, 1)),
    )
    return got[0] if got else None


def test_open_data_csv_cumulates_months_splits_lima_and_skips_other_programs(territory_db, tmp_path):
    f = mef_csv(
        tmp_path / "gasto.csv",
        [
            line(month=1, pim=1000, dev=100),
            line(month=2, pim=0, dev=300),
            line(month=2, product="3033256", pim=500, dev=50),  # iron: counts in the program total
            line(month=1, dept="15", dep_ejec="15", prov_ejec="01", pim=800, dev=400),  # Lima Metropolitana
            line(month=1, dept="15", dep_ejec="15", prov_ejec="05", pim=200, dev=20),  # Lima Región
            line(month=1, program="0068", pim=9999, dev=9999),  # another program: not staged
            line(month=1, program="0002", product="3033172", pim=70, dev=7),
        ],
    )
    r = load(territory_db, "budget", f)
    assert r.status == "loaded", r.problems
    assert r.rows_loaded == 6
    assert "0001" in r.scope and "0002" in r.scope
    # CRED in Huancavelica: PIM 1000, devengado 100 + 300 by February.
    assert execution(territory_db, "PAN_B_CRED", "09", LAST_YEAR, 1) == (10.0, 100, 1000)
    assert execution(territory_db, "PAN_B_CRED", "09", LAST_YEAR, 2) == (40.0, 400, 1000)
    # The program total adds the iron product; Lima splits by the executing unit's province.
    assert execution(territory_db, "PAN_B_TOTAL", "09", LAST_YEAR, 2)[1:] == (450, 1500)
    assert execution(territory_db, "PAN_B_TOTAL", "LM", LAST_YEAR, 1)[1:] == (400, 800)
    assert execution(territory_db, "PAN_B_TOTAL", "LR", LAST_YEAR, 1)[1:] == (20, 200)
    assert execution(territory_db, "PAN_B_TOTAL", "PE", LAST_YEAR, 2)[1:] == (870, 2500)
    assert rows(territory_db, "select count(*) from raw_budget where program_code = '0068'") == [(0,)]
    status = rows(territory_db, "select options from etl_batch where source = 'budget' and status = 'loaded'")
    assert '"filas_otros_programas": 1' in status[0][0]


def test_a_new_file_of_a_year_replaces_it_and_a_bad_row_is_located_by_line(territory_db, tmp_path):
    first = mef_csv(tmp_path / "gasto_v1.csv", [line(month=1, pim=1000, dev=100)])
    assert load(territory_db, "budget", first).status == "loaded"
    second = mef_csv(
        tmp_path / "gasto_v2.csv",
        [
            line(month=1, program="0068"),  # line 2, skipped: other program
            line(month=1, pim=2000, dev=200),  # line 3
            line(month=1, program="0068"),  # line 4
            line(month=2, pim=0, dev=-5),  # line 5: negative devengado
            line(month=13, pim=0, dev=1),  # line 6: no such month
            line(month=2, dept="31"),  # line 7: no such department
            line(month=2, dev="12,5,0"),  # line 8: not a number
        ],
    )
    r = load(territory_db, "budget", second, force=True)  # 4 of 5 rows rejected: only with --force
    assert r.status == "partial" and r.rows_loaded == 1
    found = {(p.row, p.column, p.reason) for p in r.problems}
    assert (5, "MONTO_DEVENGADO", "valor negativo") in found
    assert (6, "MES_EJE", "mes fuera del rango 1–12") in found
    assert any(
        p.row == 7 and p.column == "DEPARTAMENTO_META" and "departamento" in p.reason for p in r.problems
    )
    assert (8, "MONTO_DEVENGADO", "no es un número") in found
    # The year was replaced, not added to: PIM 2000, not 3000.
    assert execution(territory_db, "PAN_B_CRED", "09", LAST_YEAR, 1) == (10.0, 200, 2000)
    assert rows(territory_db, "select status from etl_batch where source = 'budget' order by batch_id") == [
        ("superseded",),
        ("partial",),
    ]


def test_strict_refusal_and_ragged_rows_leave_the_warehouse_as_it_was(territory_db, tmp_path):
    good = mef_csv(tmp_path / "gasto.csv", [line(month=1, pim=1000, dev=100)])
    assert load(territory_db, "budget", good).status == "loaded"
    before = rows(territory_db, "select * from raw_budget order by all")
    bad = mef_csv(
        tmp_path / "gasto_mal.csv", [line(month=1, pim=5, dev=1), line(month=2, MONTO_DEVENGADO=-1)]
    )
    r = load(territory_db, "budget", bad, strict=True)
    assert r.status == "refused" and r.exit_code != 0
    assert [(p.row, p.column) for p in r.problems] == [(3, "MONTO_DEVENGADO")]
    ragged = write(
        tmp_path / "gasto_cortado.csv",
        good.read_text(encoding="utf-8") + ",".join([str(LAST_YEAR), "3"] + ["X"] * 10) + "\n",
    )
    r = load(territory_db, "budget", ragged, strict=True)
    assert [(p.row, p.reason) for p in r.problems] == [(3, "la fila tiene menos columnas que el encabezado")]
    assert r.status == "refused"
    assert rows(territory_db, "select * from raw_budget order by all") == before
    # Without --strict too: a line the reader cannot split is structural damage, the whole file is refused.
    r = load(territory_db, "budget", ragged, force=True)
    assert r.status == "refused" and "estructura dañada" in r.message
    assert rows(territory_db, "select * from raw_budget order by all") == before


def test_latin1_semicolons_and_a_missing_amount_column(territory_db, tmp_path):
    f = tmp_path / "gasto_latin1.csv"
    with open(f, "w", encoding="latin-1", newline="") as out:
        w = csv.DictWriter(out, fieldnames=COLUMNS, delimiter=";")
        w.writeheader()
        w.writerow(line(pim=300, dev=30, PRODUCTO_PROYECTO_NOMBRE="NIÑOS CON CRED COMPLETO"))
    r = load(territory_db, "budget", f)
    assert r.status == "loaded", r.problems
    assert rows(territory_db, "select product_name from raw_budget") == [("NIÑOS CON CRED COMPLETO",)]
    no_pim = write(tmp_path / "sin_pim.csv", "ANO_EJE,MES_EJE,PROGRAMA_PPTO,MONTO_DEVENGADO\n2025,1,0001,5\n")
    r = load(territory_db, "budget", no_pim)
    assert r.status == "refused"
    assert any(p.row == 1 and "PIM" in p.reason for p in r.problems)


def test_year_columns_of_the_running_year_need_the_cutoff_month(territory_db, tmp_path):
    f = write(
        tmp_path / "multianual.csv",
        f"PROGRAMA_PPTO,DEPARTAMENTO_META,PIM_{LAST_YEAR},DEVENGADO_{LAST_YEAR},PIM_{THIS_YEAR},"
        f"DEVENGADO_{THIS_YEAR}\n0001,09,1000,900,1200,600\n",
    )
    r = load(territory_db, "budget", f)
    assert r.status == "refused" and "--mes-corte" in r.problems[0].reason
    r = load(territory_db, "budget", f, options={"cutoff_month": 6})
    assert r.status == "loaded", r.problems
    assert execution(territory_db, "PAN_B_TOTAL", "09", LAST_YEAR, 12) == (90.0, 900, 1000)
    assert execution(territory_db, "PAN_B_TOTAL", "09", THIS_YEAR, 6) == (50.0, 600, 1200)


def test_monthly_devengado_columns_stop_at_the_last_month_with_amounts(territory_db, tmp_path):
    months = ["ENERO", "FEBRERO", "MARZO", "ABRIL"]
    f = write(
        tmp_path / "devengado_mensual.csv",
        "ANO_EJE,PROGRAMA_PPTO,PRODUCTO_PROYECTO,DEPARTAMENTO_META,MONTO_PIA,MONTO_PIM,"
        + ",".join(f"MONTO_DEVENGADO_{m}" for m in months)
        + f"\n{LAST_YEAR},0001,3033255,09,800,1000,100,200,0,0\n",
    )
    r = load(territory_db, "budget", f)
    assert r.status == "loaded", r.problems
    assert execution(territory_db, "PAN_B_CRED", "09", LAST_YEAR, 2) == (30.0, 300, 1000)
    assert rows(territory_db, "select max(month) from raw_budget") == [(2,)]


def test_consulta_amigable_by_department(territory_db):
    f = shared("mef", "consulta_amigable_gn_salud_por_departamento_2020.xlsx")
    r = load(territory_db, "budget", f)
    assert r.status == "refused" and "--programa" in r.problems[0].reason
    r = load(territory_db, "budget", f, options={"program": "1"})
    assert r.status == "loaded", r.problems
    assert r.rows_loaded == 26
    # Lima's row as published (SOURCES.md): S/ 10.94 bn PIM; 'Exterior' (98) counts only in the national total.
    assert rows(territory_db, "select pim from raw_budget where department_code = '15'") == [
        (10_944_425_587.0,)
    ]
    exterior = rows(territory_db, "select count(*) from raw_budget where department_code is null")
    assert exterior == [(1,)]
    national = execution(territory_db, "PAN_B_TOTAL", "PE", 2020, 12)
    regional = rows(
        territory_db,
        "select sum(denominator) from mart_indicator_agg where indicator_code = 'PAN_B_TOTAL' "
        "and territory_level = 'region' and period = '2020-12-01'",
    )[0][0]
    assert national[2] > regional  # the exterior row


def test_consulta_amigable_municipalities_with_thousands_commas(territory_db):
    f = shared("mef", "consulta_amigable_gl_municipalidades_2024_2025.xlsx")
    r = load(territory_db, "budget", f, options={"program": "0001"})
    assert r.status == "loaded", r.problems
    assert r.rows_loaded == 3782
    got = rows(
        territory_db,
        "select year, sum(source_rows), count(distinct ejecutora_province) from raw_budget group by year "
        "order by year",
    )
    assert got == [(2024, 1891, 196), (2025, 1891, 196)]
    # Amounts were text with thousands commas ('62,334,134'): all parsed, none zero-filled.
    assert rows(territory_db, "select count(*) from raw_budget where pim is null or pim <= 0") == [(0,)]
    # Each municipality is an executing unit: '010101-300001: MUNICIPALIDAD …' → SEC_EJEC 300001 and its name.
    assert rows(
        territory_db,
        "select distinct sec_ejec, ejecutora_name from raw_budget where ejecutora_province = '0101' "
        "and sec_ejec = '300001'",
    ) == [("300001", "MUNICIPALIDAD PROVINCIAL DE CHACHAPOYAS")]
    assert rows(territory_db, "select count(*) from raw_budget where sec_ejec is null") == [(0,)]


def test_executing_units_are_kept_by_their_sec_ejec(territory_db, tmp_path):
    f = mef_csv(
        tmp_path / "gasto.csv",
        [
            line(month=1, pim=100, dev=10, SEC_EJEC="001234", EJECUTORA_NOMBRE="REGION HUANCAVELICA - SALUD"),
            line(month=2, pim=0, dev=20, SEC_EJEC="1234", EJECUTORA_NOMBRE="REGION HUANCAVELICA - SALUD"),
            line(
                month=1,
                pim=50,
                dev=5,
                SEC_EJEC="300712",
                EJECUTORA_NOMBRE="MUNICIPALIDAD PROVINCIAL DE HUANCAVELICA",
            ),
        ],
    )
    assert load(territory_db, "budget", f).status == "loaded"
    assert rows(
        territory_db,
        "select sec_ejec, ejecutora_name, sum(pim), sum(devengado) from raw_budget group by all order by 1",
    ) == [
        ("1234", "REGION HUANCAVELICA - SALUD", 100.0, 30.0),
        ("300712", "MUNICIPALIDAD PROVINCIAL DE HUANCAVELICA", 50.0, 5.0),
    ]


@pytest.mark.parametrize("program", ["9999", "abc"])
def test_unknown_program_option_is_refused(territory_db, tmp_path, program):
    f = write(tmp_path / "anual.csv", f"Año,Departamento,PIM,Devengado\n{LAST_YEAR},09,10,5\n")
    r = load(territory_db, "budget", f, options={"program": program})
    assert r.status == "refused" and "catálogo" in r.problems[0].reason
