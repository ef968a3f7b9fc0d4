"""The survey loader: INEI's wide "A" tables as INEI lays them out, and tidy CSV/XLSX, messy variants."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter
from click.testing import CliRunner

from etl.cli import main
from etl.cuadros import NotRecognised, cuadro_number, survey_indicator
from etl.regions import normalize_label
from tests.conftest import load, rows, write

DCI_TITLE = (
    "PERÚ: DESNUTRICIÓN CRÓNICA EN NIÑAS Y NIÑOS MENORES DE CINCO AÑOS (PATRÓN OMS), SEGÚN ÁMBITO "
    "GEOGRÁFICO, 2020-2024"
)
ANEMIA_TITLE = "PERÚ: PREVALENCIA DE ANEMIA EN NIÑAS Y NIÑOS DE 6 A 35 MESES DE EDAD, SEGÚN ÁMBITO GEOGRÁFICO"
YEARS = [2020, 2021, 2022, 2023, "2024 P/"]
FOOTNOTES = [
    ["1/ Comprende los 43 distritos que conforman la provincia de Lima."],
    [
        "2/ Comprende las provincias de Barranca, Cajatambo, Canta, Cañete, Huaral, Huarochirí, Huaura, "
        "Oyón y Yauyos."
    ],
    ["Nota: las cifras entre paréntesis son referenciales (coeficiente de variación mayor a 15 %)."],
    ["Fuente: INEI - Encuesta Demográfica y de Salud Familiar (ENDES)."],
]
# Rows as INEI prints them: Total, grouping sections, then the department section (abridged).
DCI_BODY = [
    ["Total", 12.1, 11.5, 11.7, 11.5, 12.1],
    [],
    ["Área de residencia"],
    ["Urbana", 7.2, 6.8, 6.8, 6.6, 7.0],
    ["Rural", 24.7, 24.4, 24.2, 23.6, 24.5],
    ["Región natural"],
    ["Lima Metropolitana 1/", 4.4, 3.9, 4.1, 3.5, 4.0],
    ["Sierra", 20.6, 19.5, 19.6, 19.1, 19.9],
    ["Departamento"],
    ["Amazonas", 19.8, "(21.3)", 19.2, 18.9, 18.1],
    ["Áncash", 14.1, 13.0, 12.9, 12.1, 13.4],
    ["Huancavelica", 30.7, 27.1, 27.1, 25.8, 26.1],
    ["Prov. Const. del Callao", 5.2, 4.6, "-", 4.9, 5.1],
    ["Lima 2/", 5.9, 5.1, 5.0, 4.6, 4.9],
    ["Lima Metropolitana 1/", 4.5, 3.8, 4.0, 3.6, 4.1],
    ["Departamento de Lima 2/", 9.6, 8.5, 8.4, 8.0, 8.8],
    ["Puno", 11.0, 10.9, "(12,3)", 11.6, 12.8],  # a text cell typed with a decimal comma
]


def add_cuadro(
    book: xlsxwriter.Workbook,
    sheet: str,
    titles: list[str],
    years: list,
    body: list[list],
    footnotes: list[list] = FOOTNOTES,
    label: str = "Ámbito geográfico",
) -> None:
    """A sheet in INEI's layout (from column B: INEI leaves A empty): titles, '(Porcentaje)', header."""
    ws = book.add_worksheet(sheet)
    for k, text in enumerate(titles):
        ws.write(k, 1, text)
    ws.write(len(titles), 1, "(Porcentaje)")
    header = len(titles) + 2
    ws.write_row(header, 1, [label, *years])
    for k, row in enumerate([*body, [], *footnotes]):
        ws.write_row(header + 1 + k, 1, row)


def cuadro_file(path: Path, titles: list[str], body: list[list], years: list = YEARS) -> Path:
    book = xlsxwriter.Workbook(str(path))
    add_cuadro(book, "Cuadro", titles, years, body)
    book.close()
    return path


def dci_file(path: Path, body: list[list] = DCI_BODY) -> Path:
    return cuadro_file(path, ["Cuadro N° 04A", DCI_TITLE], body)


def status(db: Path, indicator: str) -> dict[tuple[str, int], tuple]:
    got = rows(
        db,
        f"select territory_code, year(period), value, status from mart_indicator_status where "
        f"indicator_code = '{indicator}'",
    )
    return {(t, y): (v, s) for t, y, v, s in got}


# --- INEI wide tables ---------------------------------------------------------------------------------------


def test_inei_table_loads_country_and_department_section(territory_db, tmp_path):
    r = load(territory_db, "survey", dci_file(tmp_path / "endes_dci.xlsx"))
    assert (r.status, r.exit_code, r.problems) == ("loaded", 0, [])
    assert r.rows_loaded == 8 * 5 and r.scope == "PAN_DCI 2020–2024"
    assert r.warnings == [
        "endes_dci.xlsx: 8 filas de agrupación o fuera de la sección de departamentos no se cargan como "
        "regiones — hoja 'Cuadro': 8 (Área de residencia), 9 (Urbana), 10 (Rural), 11 (Región natural), 12 "
        "(Lima Metropolitana 1/), 13 (Sierra), 14 (Departamento), 19 (Lima 2/)"
    ]
    got = status(territory_db, "PAN_DCI")
    assert got[("PE", 2020)] == (12.1, "en_riesgo")
    assert got[("09", 2020)] == (30.7, "critico")  # Huancavelica, WHO band ≥ 30
    assert got[("02", 2023)] == (12.1, "en_riesgo")  # Áncash, written with its accent
    assert got[("01", 2021)] == (21.3, "referencial")  # "(21.3)": INEI's referential estimate
    assert got[("21", 2022)] == (12.3, "referencial")
    assert got[("07", 2022)] == (None, "sin_datos")  # "-": no estimate
    assert got[("LM", 2020)] == (4.5, "adecuado")  # the department-section row, not Región natural's
    assert got[("LR", 2024)] == (8.8, "adecuado")  # "Departamento de Lima 2/" and "2024 P/"
    assert len(got) == 40 and {t for t, _ in got} == {"PE", "01", "02", "09", "07", "LM", "LR", "21"}
    raw = rows(
        territory_db,
        "select sheet, row_number, value, printed_referential, ci_low, cv, n from raw_survey where "
        "region_code = '01' and year = 2021",
    )
    assert raw == [("Cuadro", 15, 21.3, True, None, None, None)]


def test_unknown_label_in_department_section_is_a_problem_and_the_rest_loads(territory_db, tmp_path):
    body = [*DCI_BODY, ["Resto Costa", 8.0, 7.5, 7.1, 6.9, 7.0], ["Cusco", 14.0, 13.5, "x", 13.0, "140"]]
    r = load(territory_db, "survey", dci_file(tmp_path / "dci.xlsx", body), force=True)
    assert (r.status, r.exit_code) == ("partial", 1)
    assert [str(p) for p in r.problems] == [
        "dci.xlsx, hoja 'Cuadro', fila 23, columna 'B (Ámbito geográfico)': región desconocida (use el "
        "código, el nombre o la etiqueta ENDES de una de las 26 regiones, con Lima Metropolitana y Lima "
        "Región por separado, o Total/Perú/Nacional para el país) (valor 'Resto Costa')",
        "dci.xlsx, hoja 'Cuadro', fila 24, columna 'E (2022)': no es un número (ni «-» para «sin "
        "estimación») (valor 'x')",
        "dci.xlsx, hoja 'Cuadro', fila 24, columna 'G (2024 P/)': porcentaje fuera del rango 0–100 (valor "
        "'140')",
    ]
    assert r.rows_rejected == 5 + 2  # every cell of the unknown row, two cells of Cusco
    assert rows(
        territory_db, "select year, value from raw_survey where region_code = '08' order by year"
    ) == [(2020, 14.0), (2021, 13.5), (2023, 13.0)]
    assert rows(territory_db, "select count(*), min(sheet), min(row_number) from etl_quarantine") == [
        (3, "Cuadro", 23)
    ]


def test_workbook_sheets_each_cuadro_its_indicator_and_hoja_option(territory_db, tmp_path):
    path = tmp_path / "resultados.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("Índice").write(0, 0, "Indicadores de resultados de los programas presupuestales")
    add_cuadro(book, "04A", ["Cuadro N° 04A", DCI_TITLE], YEARS, DCI_BODY)
    add_cuadro(
        book,
        "06.1A",
        [f"Cuadro N° 06.1A {ANEMIA_TITLE}, 2021-2024"],
        [2021, 2022, 2023, 2024],
        [["Total", 38.8, 42.4, 43.1, 43.7], ["Departamento"], ["Puno", 70.4, 75.9, 140, "(69.4)"]],
        label="Departamento",
    )
    add_cuadro(
        book,
        "07A",
        ["Cuadro N° 07A PERÚ: HOGARES CON ACCESO A AGUA POR RED PÚBLICA, 2020-2024"],
        YEARS,
        [["Total", 90.1, 90.3, 90.5, 90.8, 91.0]],
    )
    book.close()

    r = load(territory_db, "survey", path)
    assert (r.status, r.scope) == ("partial", "PAN_ANEMIA 2021–2024; PAN_DCI 2020–2024")
    assert [str(p) for p in r.problems] == [
        "resultados.xlsx, hoja '06.1A', fila 7, columna 'E (2023)': porcentaje fuera del rango 0–100 (valor "
        "'140')"
    ]
    assert r.warnings[:2] == [
        "resultados.xlsx: hojas sin cuadro INEI, no se cargan: Índice",
        "resultados.xlsx: cuadros sin indicador en el catálogo, no se cargan: hoja '07A'",
    ]
    assert status(territory_db, "PAN_ANEMIA")[("21", 2024)] == (69.4, "referencial")
    assert status(territory_db, "PAN_ANEMIA")[("PE", 2022)] == (42.4, "critico")
    assert rows(
        territory_db, "select indicator_code, sheet, count(*) from raw_survey group by all order by 1"
    ) == [("PAN_ANEMIA", "06.1A", 7), ("PAN_DCI", "04A", 40)]

    only = load(territory_db, "survey", path, force=True, options={"sheet": "04A"})
    assert (only.status, only.scope, only.rows_loaded) == ("loaded", "PAN_DCI 2020–2024", 40)
    missing = load(territory_db, "survey", path, force=True, options={"sheet": "06A"})
    assert [str(p) for p in missing.problems] == [
        "resultados.xlsx: no existe la hoja '06A'; hojas: Índice, 04A, 06.1A, 07A"
    ]


def test_title_matching_no_indicator_is_refused_unless_indicador_given(territory_db, tmp_path):
    f = cuadro_file(
        tmp_path / "agua.xlsx",
        ["Cuadro N° 07A", "PERÚ: HOGARES CON ACCESO A AGUA, 2020-2024"],
        [["Total", 90.1, 90.3, 90.5, 90.8, 91.0]],
    )
    r = load(territory_db, "survey", f)
    assert (r.status, r.exit_code, r.rows_loaded) == ("refused", 3, 0)
    assert [str(p) for p in r.problems] == [
        "agua.xlsx, hoja 'Cuadro', fila 1: el título del cuadro no corresponde a ningún indicador de "
        "encuesta del catálogo: «Cuadro N° 07A PERÚ: HOGARES CON ACCESO A AGUA, 2020-2024 (Porcentaje)»; "
        "indique el indicador con --indicador CÓDIGO (indicadores de encuesta: PAN_DCI, PAN_ANEMIA, "
        "PAN_ANEMIA_REV, PAN_LME, PAN_EDA, PAN_IRA, PAN_BPN, PAN_P_VACUNA_ENDES, PAN_P_CRED_ENDES, "
        "PAN_P_HIERRO_ENDES, SMN_MNEO, SMN_PARTO_INST)"
    ]
    assert rows(territory_db, "select count(*) from raw_survey") == [(0,)]
    bad = load(territory_db, "survey", f, options={"indicator": "PAN_P_CRED"})
    assert bad.status == "refused" and bad.problems[0].reason.startswith(
        "--indicador PAN_P_CRED: no es un indicador de encuesta del catálogo (use uno de: PAN_DCI, "
        "PAN_ANEMIA,"
    )
    ok = load(territory_db, "survey", f, options={"indicator": "pan_bpn"})
    assert (ok.status, ok.scope) == ("loaded", "PAN_BPN 2020–2024")
    assert rows(territory_db, "select year, value from raw_survey where year = 2024") == [(2024, 91.0)]


def test_anemia_series_are_never_guessed_or_joined(territory_db, tmp_path):
    revised = f"Cuadro N° 06.1A {ANEMIA_TITLE} (NUEVO CRITERIO DE HEMOGLOBINA), 2021-2024"
    body = [["Total", 28.4, 30.1, 33.3, 35.0], ["Departamento"], ["Puno", 34.0, 36.2, 38.0, 39.5]]
    f = cuadro_file(tmp_path / "anemia.xlsx", [revised], body, [2021, 2022, 2023, 2024])
    r = load(territory_db, "survey", f)
    assert (r.status, r.exit_code) == ("refused", 3)
    assert [str(p) for p in r.problems] == [
        "anemia.xlsx, hoja 'Cuadro', fila 1: el título del cuadro corresponde a varios indicadores: "
        "PAN_ANEMIA (por el número de cuadro 06.1A), PAN_ANEMIA_REV (por el título): «Cuadro N° 06.1A PERÚ: "
        "PREVALENCIA DE ANEMIA EN NIÑAS Y NIÑOS DE 6 A 35 MESES DE EDAD, SEGÚN ÁMBITO GEOGRÁFICO (NUEVO "
        "CRITERIO DE HEMOGLOBINA), 2021-2024 (Porcentaje)»; indique cuál con --indicador CÓDIGO"
    ]
    ok = load(territory_db, "survey", f, options={"indicator": "PAN_ANEMIA_REV"})
    assert (ok.status, ok.scope) == ("loaded", "PAN_ANEMIA_REV 2021–2024")
    historical = cuadro_file(
        tmp_path / "hist.xlsx",
        [f"Cuadro N° 06.1A {ANEMIA_TITLE}, 2021-2024"],
        [["Total", 38.8, 42.4, 43.1, 43.7], ["Departamento"], ["Puno", 70.4, 75.9, 70.3, 69.4]],
        [2021, 2022, 2023, 2024],
    )
    assert load(territory_db, "survey", historical).scope == "PAN_ANEMIA 2021–2024"
    assert rows(
        territory_db,
        "select indicator_code, region_code, value from raw_survey where year = 2021 order by all",
    ) == [
        ("PAN_ANEMIA", "21", 70.4),
        ("PAN_ANEMIA", "PE", 38.8),
        ("PAN_ANEMIA_REV", "21", 34.0),
        ("PAN_ANEMIA_REV", "PE", 28.4),
    ]


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("Cuadro N° 04A PERÚ: DESNUTRICIÓN CRÓNICA EN MENORES DE CINCO AÑOS (PATRÓN OMS)", "PAN_DCI"),
        ("CUADRO Nº 4A PERÚ: DESNUTRICIÓN CRÓNICA EN NIÑAS Y NIÑOS MENORES DE 5 AÑOS", "PAN_DCI"),
        ("Cuadro N° 05A PERÚ: LACTANCIA MATERNA EXCLUSIVA EN MENORES DE SEIS MESES", "PAN_LME"),
        (
            "Cuadro N° 12A PERÚ: MENORES DE 12 MESES CON VACUNAS BÁSICAS COMPLETAS PARA SU EDAD",
            "PAN_P_VACUNA_ENDES",
        ),
        (
            "Cuadro N° 17A PERÚ: MENORES DE 36 MESES CON CONTROLES DE CRECIMIENTO Y DESARROLLO (CRED) "
            "COMPLETO",
            "PAN_P_CRED_ENDES",
        ),
        (
            "Cuadro N° 19A PERÚ: NIÑAS Y NIÑOS DE 6 A 35 MESES QUE CONSUMIERON SUPLEMENTO DE HIERRO",
            "PAN_P_HIERRO_ENDES",
        ),
        ("PERÚ: ANEMIA EN NIÑAS Y NIÑOS DE 6 A 35 MESES, SERIE REVISADA", "PAN_ANEMIA_REV"),
    ],
)
def test_titles_are_recognised_through_the_catalogue(catalogue, title, code):
    assert survey_indicator(title, catalogue) == code


def test_cuadro_number_excluded_by_its_title_is_not_guessed(catalogue):
    with pytest.raises(NotRecognised) as e:
        survey_indicator("Cuadro N° 04A PERÚ: DESNUTRICIÓN CRÓNICA (PATRÓN NCHS)", catalogue)
    assert str(e.value) == (
        "el número de cuadro 04A corresponde a PAN_DCI, pero el título lo excluye (dice «nchs»): «Cuadro N° "
        "04A PERÚ: DESNUTRICIÓN CRÓNICA (PATRÓN NCHS)»; indique el indicador con --indicador CÓDIGO"
    )
    assert (
        cuadro_number("Cuadro N.º 06.1A: Perú"),
        cuadro_number("CUADRO N°19A"),
        cuadro_number("Perú"),
    ) == ("06.1A", "19A", None)
    assert [normalize_label(x) for x in ("Lima Metropolitana 1/", "PROV. CONST. DEL CALLAO", "Junín a/")] == [
        "lima metropolitana",
        "prov const del callao",
        "junin",
    ]


# --- Tidy files ---------------------------------------------------------------------------------------------


TIDY = (
    "anio,region,indicador,valor,ic_inf,ic_sup,cv,n\n"
    "2023,PE,PAN_DCI,11.5,11.0,12.0,2.1,21000\n"
    "2023,Huancavelica,PAN_DCI,25.8,23.1,28.5,5.3,800\n"
    "2023,Madre de Dios,PAN_DCI,6.2,3.1,9.3,20.0,310\n"
    "2023,Lima Metropolitana 1/,PAN_DCI,(3.6),1.9,5.3,16.4,150\n"
    "2023,Prov. Const. del Callao,PAN_DCI,-,,,,\n"
    "2023,LR,PAN_DCI,,,,,\n"
)


def test_tidy_csv_with_ci_cv_and_sample_size(territory_db, tmp_path):
    r = load(territory_db, "survey", write(tmp_path / "endes.csv", TIDY))
    assert (r.status, r.rows_loaded, r.scope) == ("loaded", 6, "PAN_DCI 2023")
    assert rows(
        territory_db,
        "select region_code, value, ci_low, ci_high, cv, n, printed_referential, row_number from raw_survey "
        "order by row_number",
    ) == [
        ("PE", 11.5, 11.0, 12.0, 2.1, 21000, False, 2),
        ("09", 25.8, 23.1, 28.5, 5.3, 800, False, 3),
        ("17", 6.2, 3.1, 9.3, 20.0, 310, False, 4),
        ("LM", 3.6, 1.9, 5.3, 16.4, 150, True, 5),
        ("07", None, None, None, None, None, False, 6),
        ("LR", None, None, None, None, None, False, 7),
    ]
    got = status(territory_db, "PAN_DCI")
    assert got[("09", 2023)] == (25.8, "critico")
    assert got[("17", 2023)] == (6.2, "referencial")  # CV 20 > referential_cv 15
    assert got[("LM", 2023)] == (3.6, "referencial")  # printed in parentheses
    assert got[("07", 2023)] == got[("LR", 2023)] == (None, "sin_datos")


def test_tidy_latin1_semicolons_decimal_commas_and_english_headers(territory_db, tmp_path):
    f = write(
        tmp_path / "endes_latin1.csv",
        "Year;Region;Indicator;Value;Lower;Upper;CV;N;Fuente\r\n"
        "2022;Áncash;pan_lme;64,5;60,1;68,9;3,5;410;ENDES\r\n"
        "2022;JUNÍN;PAN_LME;(71,2);62,0;80,4;15,8;95;ENDES\r\n"
        "2022;Lima Región;PAN_LME;68,0;;;;;ENDES\r\n"
        "2022;Total;PAN_LME;65,9;64,8;67,0;0,9;6900;ENDES\r\n",
        "latin-1",
    )
    r = load(territory_db, "survey", f)
    assert r.status == "loaded", r.problems
    assert r.warnings == [
        "endes_latin1.csv: columnas desconocidas ignoradas: Fuente",
        "endes_latin1.csv: no es UTF-8; se leyó como Windows-1252 (Latin-1 de Excel)",
    ]
    assert rows(
        territory_db,
        "select region_code, value, ci_low, ci_high, cv, n, printed_referential from raw_survey order by "
        "region_code",
    ) == [
        ("02", 64.5, 60.1, 68.9, 3.5, 410, False),
        ("12", 71.2, 62.0, 80.4, 15.8, 95, True),
        ("LR", 68.0, None, None, None, None, False),
        ("PE", 65.9, 64.8, 67.0, 0.9, 6900, False),
    ]
    lme = status(territory_db, "PAN_LME")  # default target 70, tolerance 5
    assert (lme[("02", 2022)], lme[("LR", 2022)]) == ((64.5, "critico"), (68.0, "en_riesgo"))


def test_tidy_xlsx_is_read_by_its_header(territory_db, tmp_path):
    path = tmp_path / "endes_tidy.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("datos")
    ws.write_row(0, 0, ["Año", "Región", "Indicador", "Valor", "CV"])
    ws.write_row(1, 0, [2024, "Puno", "PAN_P_CRED_ENDES", 31.5, 6.0])
    ws.write_row(2, 0, [2024, 21, "PAN_P_CRED_ENDES", "(20.0)", 25.0])
    ws.write_row(3, 0, [2024, "Tacna", "PAN_P_CRED_ENDES", "(12.0)", 16.0])
    book.close()
    r = load(territory_db, "survey", path, force=True)
    assert (r.status, r.exit_code) == ("partial", 1)
    assert [str(p) for p in r.problems] == [
        "endes_tidy.xlsx, hoja 'datos', fila 2, columna 'Región': clave duplicada en el archivo (año, "
        "región, indicador; primera aparición en la fila 2) (valor 'Puno')",
        "endes_tidy.xlsx, hoja 'datos', fila 3, columna 'Región': clave duplicada en el archivo (año, "
        "región, indicador; primera aparición en la fila 2) (valor '21')",
    ]
    assert rows(
        territory_db, "select region_code, value, cv, printed_referential, sheet, row_number from raw_survey"
    ) == [("23", 12.0, 16.0, True, "datos", 4)]


def test_bad_rows_are_reported_at_once_and_only_valid_rows_load(territory_db, tmp_path):
    f = write(
        tmp_path / "malo.csv",
        "anio,region,indicador,valor,ic_inf,ic_sup,cv,n\n"
        "2023,Narnia,PAN_DCI,10,9,11,3,100\n"
        "2023,Cusco,PAN_DCI,14,15,13,3,100\n"
        "2023,Puno,PAN_DCI,101.5,,,,\n"
        "2099,Tacna,PAN_DCI,2,,,,\n"
        "23,Tacna,PAN_DCI,2,,,,\n"
        "2023,Ica,PAN_DCI,abc,,,,\n"
        "2023,Ica,PAN_DCI,4,,,-1,12.5\n"
        "2023,Loreto,PAN_DCI,30,10,20,,\n"
        "2023,Piura,PAN_P_CRED,30,,,,\n"
        "2023,Tumbes,PAN_DCI,9.5,8,11,4,300\n",
    )
    r = load(territory_db, "survey", f, force=True)
    assert (r.status, r.exit_code, r.rows_loaded, r.rows_rejected) == ("partial", 1, 1, 9)
    region = (
        "región desconocida (use el código, el nombre o la etiqueta ENDES de una de las 26 regiones, con "
        "Lima Metropolitana y Lima Región por separado, o Total/Perú/Nacional para el país)"
    )
    assert [str(p) for p in r.problems] == [
        f"malo.csv, fila 2, columna 'region': {region} (valor 'Narnia')",
        "malo.csv, fila 3, columna 'ic_inf': intervalo de confianza invertido (ic_inf > ic_sup) (valor '15 "
        "> 13')",
        "malo.csv, fila 4, columna 'valor': porcentaje fuera del rango 0–100 (valor '101.5')",
        "malo.csv, fila 5, columna 'anio': año futuro (valor '2099')",
        "malo.csv, fila 6, columna 'anio': año mal formado (use AAAA) (valor '23')",
        "malo.csv, fila 7, columna 'region': clave duplicada en el archivo (año, región, indicador; primera "
        "aparición en la fila 7) (valor 'Ica')",
        "malo.csv, fila 7, columna 'valor': no es un número (ni «-» para «sin estimación») (valor 'abc')",
        "malo.csv, fila 8, columna 'cv': el coeficiente de variación no puede ser negativo (valor '-1')",
        "malo.csv, fila 8, columna 'n': n (casos de la muestra) debe ser un entero no negativo (valor "
        "'12.5')",
        "malo.csv, fila 8, columna 'region': clave duplicada en el archivo (año, región, indicador; primera "
        "aparición en la fila 7) (valor 'Ica')",
        "malo.csv, fila 9, columna 'valor': el valor está fuera de su intervalo de confianza (ic_inf ≤ "
        "valor ≤ ic_sup) (valor '30 fuera de [10; 20]')",
        "malo.csv, fila 10, columna 'indicador': indicador desconocido: no está en el catálogo como "
        "indicador de encuesta (valor 'PAN_P_CRED')",
    ]
    assert rows(territory_db, "select region_code, value from raw_survey") == [("24", 9.5)]
    assert rows(territory_db, "select count(*) from etl_quarantine") == [(len(r.problems),)]


def test_structural_errors_load_nothing(territory_db, tmp_path):
    nocol = load(
        territory_db, "survey", write(tmp_path / "nocol.csv", "anio,region,indicador\n2023,PE,PAN_DCI\n")
    )
    assert nocol.status == "refused"
    assert [str(p) for p in nocol.problems] == [
        "nocol.csv, fila 1: falta la columna obligatoria 'valor' (también se acepta: value, estimacion, "
        "estimate, porcentaje)"
    ]
    good = dci_file(tmp_path / "good.xlsx").read_bytes()
    broken = tmp_path / "cortado.xlsx"
    broken.write_bytes(good[: len(good) // 2])
    cut = load(territory_db, "survey", broken)
    assert (cut.status, cut.exit_code, len(cut.problems)) == ("refused", 3, 1)
    assert str(cut.problems[0]).startswith(
        "cortado.xlsx: no es un libro Excel legible (¿archivo truncado o dañado?): "
    )
    no_years = cuadro_file(
        tmp_path / "sin_anios.xlsx", ["Cuadro N° 04A", DCI_TITLE], [["Total", 12.1]], years=["Valor"]
    )
    r = load(territory_db, "survey", no_years)
    assert [str(p) for p in r.problems] == [
        "sin_anios.xlsx, hoja 'Cuadro': el cuadro no tiene, en las 8 filas que siguen al título, una fila "
        "de encabezado con los años como columnas (2020, 2021 … o «2024 P/»)"
    ]
    assert rows(territory_db, "select count(*) from raw_survey") == [(0,)]
    assert rows(territory_db, "select count(*) from mart_indicator_agg") == [(0,)]
    assert rows(
        territory_db, "select status, count(*) from etl_batch where source = 'survey' group by all"
    ) == [("refused", 3)]


# --- Replacement, idempotency, CLI --------------------------------------------------------------------------


def test_same_file_twice_adds_nothing_and_a_later_table_replaces_overlapping_years(territory_db, tmp_path):
    first = dci_file(tmp_path / "dci_2024.xlsx")
    old = load(territory_db, "survey", first)
    assert old.status == "loaded"
    count = (
        "select (select count(*) from raw_survey) + (select count(*) from etl_batch) + (select count(*) "
        "from mart_indicator_agg)"
    )
    before = rows(territory_db, count)
    again = load(territory_db, "survey", first)
    assert (again.status, again.exit_code) == ("skipped", 0)
    assert rows(territory_db, count) == before

    later = cuadro_file(
        tmp_path / "dci_2025.xlsx",
        ["Cuadro N° 04A", DCI_TITLE.replace("2020-2024", "2022-2025")],
        [["Total", 11.6, 11.4, 12.0, 12.1], ["Departamento"], ["Amazonas", 18.0, 17.5, 17.0, 16.4]],
        years=[2022, 2023, 2024, "2025 P/"],
    )
    r = load(territory_db, "survey", later, options={"completo": True})  # 2 of 8 regions: --completo
    assert (r.status, r.scope) == ("loaded", "PAN_DCI 2022–2025")
    by_year = rows(
        territory_db,
        "select year, count(*), min(batch_id), max(batch_id) from raw_survey group by year order by year",
    )
    new = r.batch_id
    assert by_year == [
        (2020, 8, old.batch_id, old.batch_id),
        (2021, 8, old.batch_id, old.batch_id),
        (2022, 2, new, new),
        (2023, 2, new, new),
        (2024, 2, new, new),
        (2025, 2, new, new),
    ]
    got = status(territory_db, "PAN_DCI")
    assert got[("PE", 2024)] == (12.0, "en_riesgo") and got[("PE", 2021)] == (11.5, "en_riesgo")
    assert ("09", 2023) not in got and got[("09", 2021)] == (27.1, "critico")
    assert rows(
        territory_db, "select batch_id, status from etl_batch where source = 'survey' order by 1"
    ) == [(old.batch_id, "loaded"), (new, "loaded")]


def test_cli_load_with_indicador_and_hoja(territory_db, tmp_path):
    path = tmp_path / "libro.xlsx"
    book = xlsxwriter.Workbook(str(path))
    add_cuadro(
        book,
        "A",
        ["Cuadro N° 99A", "PERÚ: INDICADOR NUEVO, 2020-2024"],
        YEARS,
        [["Total", 1.0, 2.0, 3.0, 4.0, 5.0]],
    )
    add_cuadro(
        book,
        "B",
        ["Cuadro N° 98A", "PERÚ: OTRO INDICADOR, 2020-2024"],
        YEARS,
        [["Total", 6.0, 7.0, 8.0, 9.0, 10.0]],
    )
    book.close()
    unknown = load(territory_db, "survey", path)
    assert (unknown.status, [(p.sheet, p.row) for p in unknown.problems]) == ("refused", [("A", 1), ("B", 1)])
    runner = CliRunner()
    refused = runner.invoke(
        main, ["load", "--db", str(territory_db), "survey", str(path), "--indicador", "PAN_EDA"]
    )
    assert refused.exit_code == 3
    assert (
        "libro.xlsx: el libro tiene 2 cuadros (hojas A, B): con --indicador indique también la hoja con "
        "--hoja"
    ) in refused.output
    ok = runner.invoke(
        main,
        ["load", "--db", str(territory_db), "survey", str(path), "--indicador", "PAN_EDA", "--hoja", "B"],
    )
    assert ok.exit_code == 0, ok.output
    assert rows(territory_db, "select year, value, sheet from raw_survey order by year") == [
        (2020, 6.0, "B"),
        (2021, 7.0, "B"),
        (2022, 8.0, "B"),
        (2023, 9.0, "B"),
        (2024, 10.0, "B"),
    ]
