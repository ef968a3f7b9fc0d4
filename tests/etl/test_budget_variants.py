"""Consulta Amigable exports as analysts download them, in the variants that used to give wrong money: a
multi-year table whose last year is open, a table by department with no province column (Lima), a processed
export with its codes in columns of their own, and a "Categoría Presupuestal" column. Each is written here as an
XLSX in the real layout (the header row of ../shared/data/mef's exports, 'code: NAME' cells, amounts with
thousands commas)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import copy_warehouse, load, rows, shared
from tests.etl.test_budget import execution

THIS_YEAR = dt.date.today().year
LAST_YEAR = THIS_YEAR - 1
AMOUNTS = ["PIA", "PIM", "Certificación", "Compromiso Anual", "Atención de Compromiso Mensual", "Devengado", "Girado",
           "Avance %"]  # fmt: skip


def money(pim: int, dev: int) -> list[str]:
    """The amount cells of a row as Consulta Amigable writes them: text with thousands commas."""
    return [f"{v:,}" for v in (pim, pim, pim, dev, dev, dev, dev)] + [f"{100 * dev / pim:.1f}"]


def xlsx(path: Path, header: list[str], lines: list[list]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for line in lines:
        ws.append(line)
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def real_template(tmp_path_factory) -> Path:
    """A warehouse with the real ubigeo table: real district names, so that names place executing units."""
    db = tmp_path_factory.mktemp("ubigeo") / "w.duckdb"
    assert load(db, "territory", shared("ubigeo", "ubigeo_distrito.csv")).rows_loaded > 1800
    return db


@pytest.fixture
def real_db(real_template, tmp_path) -> Path:
    return copy_warehouse(real_template, tmp_path / "w.duckdb")


# (a) ---------------------------------------------------------------------------------------------------------


def test_a_multiyear_export_applies_the_cutoff_month_to_its_last_year_only(territory_db, tmp_path):
    header = ["Año", "Departamento", "Provincia", "Municipalidad", *AMOUNTS]
    unit = [
        "09: HUANCAVELICA",
        "0901: HUANCAVELICA",
        "090101-300712: MUNICIPALIDAD PROVINCIAL DE HUANCAVELICA",
    ]
    f = xlsx(
        tmp_path / "gl_municipalidades.xlsx",
        header,
        [[LAST_YEAR, *unit, *money(1000, 900)], [THIS_YEAR, *unit, *money(1200, 300)]],
    )
    # Without --mes-corte the open year cannot be placed: its rows are refused by row, the closed year loads.
    r = load(
        territory_db, "budget", f, force=True, options={"program": "0001"}
    )  # 1 of 2 rows: past the threshold
    assert r.status == "partial"
    assert [(p.row, p.column) for p in r.problems] == [(3, "Año")] and "--mes-corte" in r.problems[0].reason
    r = load(territory_db, "budget", f, force=True, options={"program": "0001", "cutoff_month": 1})
    assert r.status == "loaded", r.problems
    assert rows(territory_db, "select year, month, pim, devengado from raw_budget order by year") == [
        (LAST_YEAR, 12, 1000.0, 900.0),
        (THIS_YEAR, 1, 1200.0, 300.0),
    ]
    assert any(f"se aplica a {THIS_YEAR}" in w and f"{LAST_YEAR} se toman al cierre" in w for w in r.warnings)
    assert execution(territory_db, "PAN_B_TOTAL", "09", LAST_YEAR, 12) == (90.0, 900, 1000)


# (b) ---------------------------------------------------------------------------------------------------------


def test_lima_without_a_province_column_is_split_by_the_executing_unit_and_the_rest_said_loudly(
    real_db, tmp_path
):
    lima = "15: LIMA"
    f = xlsx(
        tmp_path / "gl_por_departamento.xlsx",
        ["Año", "Departamento", "Municipalidad", *AMOUNTS],
        [
            [
                LAST_YEAR,
                lima,
                "150101-301251: MUNICIPALIDAD METROPOLITANA DE LIMA",
                *money(1000, 500),
            ],  # code
            [LAST_YEAR, lima, "MUNICIPALIDAD METROPOLITANA DE LIMA", *money(100, 50)],  # its name (settings)
            [LAST_YEAR, lima, "MUNICIPALIDAD DISTRITAL DE SAN ISIDRO", *money(200, 100)],  # 150131: only one
            [LAST_YEAR, lima, "MUNICIPALIDAD PROVINCIAL DE HUAURA", *money(300, 30)],  # province 1508
            [LAST_YEAR, lima, "MUNICIPALIDAD DISTRITAL DE MIRAFLORES", *money(400, 40)],  # 150122 or 151021?
            [
                LAST_YEAR,
                lima,
                "INSTITUTO DE GESTION DE SERVICIOS DE SALUD",
                *money(50, 5),
            ],  # no place in the name
            [LAST_YEAR, "09: HUANCAVELICA", "MUNICIPALIDAD DISTRITAL DE ACORIA", *money(10, 1)],
        ],
    )
    r = load(real_db, "budget", f, options={"program": "0001"})
    assert r.status == "loaded", r.problems
    placed = rows(real_db, "select ejecutora_name, ejecutora_province from raw_budget order by pim")
    assert placed == [
        ("MUNICIPALIDAD DISTRITAL DE ACORIA", None),  # Huancavelica is one region: no province needed
        ("INSTITUTO DE GESTION DE SERVICIOS DE SALUD", None),
        ("MUNICIPALIDAD METROPOLITANA DE LIMA", "1501"),
        ("MUNICIPALIDAD DISTRITAL DE SAN ISIDRO", "1501"),
        ("MUNICIPALIDAD PROVINCIAL DE HUAURA", "1508"),
        ("MUNICIPALIDAD DISTRITAL DE MIRAFLORES", None),
        ("MUNICIPALIDAD METROPOLITANA DE LIMA", "1501"),
    ]
    [loud] = [w for w in r.warnings if w.startswith("ATENCIÓN")]
    assert "2 filas del departamento 15 sin provincia" in loud and "MIRAFLORES" in loud
    assert "se cuentan en Lima Región, ninguna en Lima Metropolitana" in loud
    assert execution(real_db, "PAN_B_TOTAL", "LM", LAST_YEAR, 12)[1:] == (650, 1300)
    assert execution(real_db, "PAN_B_TOTAL", "LR", LAST_YEAR, 12)[1:] == (75, 750)


def test_the_real_export_by_department_says_that_lima_is_counted_whole_in_lima_region(territory_db):
    r = load(territory_db, "budget", shared("mef", "consulta_amigable_gn_salud_por_departamento_2020.xlsx"),
             options={"program": "0001"})  # fmt: skip
    assert r.status == "loaded", r.problems
    [loud] = [w for w in r.warnings if w.startswith("ATENCIÓN")]
    assert "1 filas del departamento 15" in loud and "Lima Región" in loud


# (c) ---------------------------------------------------------------------------------------------------------


def test_split_code_columns_keep_the_province_and_key_units_by_code(real_db, tmp_path):
    header = ["Año", "UBI_DPTO", "Departamento", "UBI_PROV", "Provincia", "UBI_DIST", "Distrito", "COD_SIAF",
              "Municipalidad", *AMOUNTS]  # fmt: skip
    f = xlsx(
        tmp_path / "gl_procesado.xlsx",
        header,
        [
            [LAST_YEAR, "02", "ANCASH", "01", "HUARAZ", "020109", "PAMPAS", "300045",
             "MUNICIPALIDAD DISTRITAL DE PAMPAS", *money(100, 10)],
            [LAST_YEAR, "02", "ANCASH", "15", "PALLASCA", "021509", "PAMPAS", "300317",
             "MUNICIPALIDAD DISTRITAL DE PAMPAS", *money(200, 20)],
            [LAST_YEAR, "15", "LIMA", "1501", "LIMA", "150122", "MIRAFLORES", "300101",
             "MUNICIPALIDAD DISTRITAL DE MIRAFLORES", *money(300, 30)],
            [LAST_YEAR, "15", "LIMA", "", "", "151021", "MIRAFLORES", "301210",
             "MUNICIPALIDAD DISTRITAL DE MIRAFLORES", *money(400, 40)],  # only the district code
        ],
    )  # fmt: skip
    r = load(real_db, "budget", f, options={"program": "0001"})
    assert r.status == "loaded", r.problems
    assert not [w for w in r.warnings if "desconocidas" in w or w.startswith("ATENCIÓN")]
    assert rows(
        real_db, "select sec_ejec, ejecutora_name, ejecutora_province, pim from raw_budget order by pim"
    ) == [
        ("300045", "MUNICIPALIDAD DISTRITAL DE PAMPAS", "0201", 100.0),
        ("300317", "MUNICIPALIDAD DISTRITAL DE PAMPAS", "0215", 200.0),
        ("300101", "MUNICIPALIDAD DISTRITAL DE MIRAFLORES", "1501", 300.0),
        ("301210", "MUNICIPALIDAD DISTRITAL DE MIRAFLORES", "1510", 400.0),
    ]
    assert execution(real_db, "PAN_B_TOTAL", "LM", LAST_YEAR, 12)[1:] == (30, 300)
    assert execution(real_db, "PAN_B_TOTAL", "LR", LAST_YEAR, 12)[1:] == (40, 400)


# (d) ---------------------------------------------------------------------------------------------------------


def test_a_categoria_presupuestal_column_is_the_program_column(territory_db, tmp_path):
    f = xlsx(
        tmp_path / "por_categoria.xlsx",
        ["Año", "Categoría Presupuestal", "Departamento", *AMOUNTS],
        [
            [LAST_YEAR, "0001: PROGRAMA ARTICULADO NUTRICIONAL", "09: HUANCAVELICA", *money(1000, 100)],
            [LAST_YEAR, "0002: SALUD MATERNO NEONATAL", "09: HUANCAVELICA", *money(500, 50)],
            [
                LAST_YEAR,
                "9002: ASIGNACIONES PRESUPUESTARIAS QUE NO RESULTAN EN PRODUCTOS",
                "09: HUANCAVELICA",
                *money(9000, 900),
            ],
        ],
    )
    r = load(territory_db, "budget", f)  # no --programa needed: the file names each row's program
    assert r.status == "loaded", r.problems
    assert rows(territory_db, "select program_code, pim from raw_budget order by 1") == [
        ("0001", 1000.0),
        ("0002", 500.0),
    ]
    # --programa cannot relabel the other programs' rows as its own.
    r = load(territory_db, "budget", f, force=True, options={"program": "0001"})
    assert r.status == "loaded" and any("--programa 0001 no se usa" in w for w in r.warnings)
    assert rows(territory_db, "select program_code, pim from raw_budget order by 1") == [
        ("0001", 1000.0),
        ("0002", 500.0),
    ]


def test_a_damaged_processed_export_names_each_bad_code(real_db, tmp_path):
    header = ["Año", "UBI_DPTO", "Departamento", "UBI_PROV", "Provincia", "UBI_DIST", "Distrito", "COD_SIAF",
              "Municipalidad", *AMOUNTS]  # fmt: skip
    good = [
        LAST_YEAR,
        "02",
        "ANCASH",
        "01",
        "HUARAZ",
        "020109",
        "PAMPAS",
        "300045",
        "MUNICIPALIDAD DISTRITAL DE PAMPAS",
    ]
    f = xlsx(
        tmp_path / "gl_procesado_mal.xlsx",
        header,
        [
            [*good, *money(100, 10)],  # row 2
            [*good[:3], "HU", *good[4:], *money(100, 10)],  # row 3: a name where the code goes
            [*good[:5], "2010", *good[6:], *money(100, 10)],  # row 4: a district code cut short
            [*good[:7], "30004-5", *good[8:], *money(100, 10)],  # row 5
        ],
    )
    r = load(real_db, "budget", f, force=True, options={"program": "0001"})
    assert (r.status, r.rows_loaded) == ("partial", 1)
    assert [(p.row, p.column, p.value) for p in r.problems] == [
        (3, "UBI_PROV", "HU"),
        (4, "UBI_DIST", "2010"),
        (5, "COD_SIAF", "30004-5"),
    ]
    assert all("mal formado" in p.reason for p in r.problems)
