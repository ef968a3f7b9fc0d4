"""The facilities loader on MINSA's RENAES open data ``IPRESS.csv``: comma-separated, accented headers, quoted
addresses with commas, codes and ubigeos that lost their leading zeros — and a damaged copy."""

from __future__ import annotations

import csv

from tests.conftest import load, rows

# IPRESS.csv's header as MINSA publishes it (the RENAES registry: 33 columns).
IPRESS = [
    "Institución", "Código Único", "Nombre del establecimiento", "Clasificación", "Tipo", "Departamento",
    "Provincia", "Distrito", "UBIGEO", "Dirección", "Código DISA", "Código Red", "Código Microrrred", "DISA", "Red",
    "Microrred", "Código UE", "Unidad Ejecutora", "Categoria", "Teléfono", "Tipo Doc.Categorización",
    "Nro.Doc.Categorización", "Horario", "Inicio de Actividad",
    "Director Médico y/o Responsable de la Atención de Salud", "Estado", "Situación", "Condición", "Inspección",
    "NORTE", "ESTE", "COTA", "CAMAS",
]  # fmt: skip


def ipress(code: str, name: str, ubigeo: str, category: str = "I-2") -> dict[str, str]:
    r = dict.fromkeys(IPRESS, "")
    r.update(
        {
            "Institución": "GOBIERNO REGIONAL",
            "Código Único": code,
            "Nombre del establecimiento": name,
            "Clasificación": "PUESTOS DE SALUD O POSTAS DE SALUD",
            "Tipo": "ESTABLECIMIENTO DE SALUD SIN INTERNAMIENTO",
            "UBIGEO": ubigeo,
            "Dirección": "JR. LIMA 123, BARRIO SAN JUAN",  # a comma inside a quoted field
            "Categoria": category,
            "Estado": "ACTIVADO",
            "Condición": "EN FUNCIONAMIENTO",
            "NORTE": "-12.78",
            "ESTE": "-74.97",
            "COTA": "3680",
        }
    )
    return r


def write_ipress(path, lines: list[dict[str, str]]):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=IPRESS, quoting=csv.QUOTE_MINIMAL)
        w.writeheader()
        w.writerows(lines)
    return path


def test_renaes_ipress_csv_loads_as_facilities(territory_db, tmp_path):
    f = write_ipress(
        tmp_path / "IPRESS.csv",
        [
            ipress("00004321", "ACORIA", "090101"),
            ipress("4322", "SANTA ANA DE TÚCUME", "90102", "I-3"),  # a spreadsheet dropped the zeros
        ],
    )
    r = load(territory_db, "facilities", f)
    assert r.status == "loaded", r.problems
    assert any("códigos IPRESS con menos de 8 dígitos" in w for w in r.warnings)
    assert rows(
        territory_db,
        "select cod_ipress, name, ubigeo, institucion, tipo, categoria, estado from core_facility "
        "where cod_ipress in ('00004321', '00004322') order by 1",
    ) == [
        ("00004321", "ACORIA", "090101", "GOBIERNO REGIONAL", "ESTABLECIMIENTO DE SALUD SIN INTERNAMIENTO",
         "I-2", "ACTIVADO"),
        ("00004322", "SANTA ANA DE TÚCUME", "090102", "GOBIERNO REGIONAL",
         "ESTABLECIMIENTO DE SALUD SIN INTERNAMIENTO", "I-3", "ACTIVADO"),
    ]  # fmt: skip


def test_a_damaged_ipress_csv_names_each_bad_row(territory_db, tmp_path):
    f = write_ipress(
        tmp_path / "IPRESS.csv",
        [
            ipress("00004321", "ACORIA", "090101"),  # row 2: good
            ipress("0000ABCD", "HUANDO", "090102"),  # row 3
            ipress("00004323", "", "090102"),  # row 4
            ipress("00004324", "YAULI", "999999"),  # row 5
            ipress("00004325", "PALCA", "090201"),  # row 6: good
        ],
    )
    r = load(territory_db, "facilities", f, force=True)  # 3 of 5 rows rejected: past the threshold
    assert (r.status, r.rows_loaded, r.rows_rejected) == ("partial", 2, 3)
    assert [(p.row, p.column, p.value) for p in sorted(r.problems, key=lambda p: p.row)] == [
        (3, "Código Único", "0000ABCD"),
        (4, "Nombre del establecimiento", None),
        (5, "UBIGEO", "999999"),
    ]
    assert rows(
        territory_db, "select cod_ipress from core_facility where cod_ipress like '0000432%' order by 1"
    ) == [
        ("00004321",),
        ("00004325",),
    ]
