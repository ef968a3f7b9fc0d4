"""The health-network loader (``semaforo load … red``) and the network tree in the marts, on small files in
MAESTRO_HIS_ESTABLECIMIENTO's real layout and damaged copies of them, in warehouses built with the real loaders.

The hand-built network (the small territory of tests/conftest.py: districts NNNN01 and NNNN02 of every province,
facility 00 + ubigeo in each):

    DISA 13 HUANCAVELICA
      Red 01 HUANCAVELICA   MicroRed 01 ASCENSION   00090101, 00090102     (province 0901 Huancavelica)
                            MicroRed 07 ACORIA      00090201               (province 0902 Acobamba)
                                                    00100101               (department 10: region Huánuco)
      Red 03 TAYACAJA       MicroRed 01 PAMPAS      00090701, 00090702     (province 0907 Tayacaja)
                            MicroRed 07 ACRAQUIA    00090202               (province 0902 Acobamba)

Red 01 spans two provinces (and reaches into another region); MicroRed codes 01 and 07 are reused by both Reds.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import duckdb
import pytest

from tests.conftest import copy_warehouse, load, rows, shared, tables, write
from warehouse import query

HEADER = (
    "Id_Establecimiento,Nombre_Establecimiento,Ubigueo_Establecimiento,Codigo_Disa,Disa,Codigo_Red,Red,"
    "Codigo_MicroRed,MicroRed,Codigo_Unico,Codigo_Sector,Descripcion_Sector,Departamento,Provincia,Distrito,"
    "Categoria_Establecimiento"
)
# (ubigeo, red code, red, microred code, microred): Codigo_Unico is written with 9 characters, as the master does.
NETWORK = [
    ("090101", "01", "HUANCAVELICA", "01", "ASCENSION"),
    ("090102", "01", "HUANCAVELICA", "01", "ASCENSION"),
    ("090201", "01", "HUANCAVELICA", "07", "ACORIA                    "),
    ("100101", "01", "HUANCAVELICA", "07", "ACORIA"),
    ("090701", "03", "TAYACAJA", "01", "PAMPAS"),
    ("090702", "03", "TAYACAJA", "01", "PAMPAS"),
    ("090202", "03", "TAYACAJA", "07", "ACRAQUIA"),
]


def master_line(
    k: int, ubigeo: str, red_code: str, red: str, mr_code: str, mr: str, disa=("13", "HUANCAVELICA")
):
    return (
        f"{90100 + k},P.S. DEMO {ubigeo},{ubigeo},{disa[0]},{disa[1]},{red_code},{red},{mr_code},{mr},"
        f"000{ubigeo},7,GOBIERNO REGIONAL,DEP,PROV,DIST,I-2"
    )


def master(path, entries=NETWORK, encoding="utf-8"):
    lines = [HEADER] + [master_line(k, *e) for k, e in enumerate(entries)]
    return write(path, "\n".join(lines) + "\n", encoding)


# Hand-counted figures of PAN_P_CRED in June 2025 (numerator, denominator) per facility.
FIGURES = {
    "00090101": (30, 50),
    "00090102": (20, 50),
    "00090201": (10, 40),
    "00100101": (45, 50),
    "00090701": (25, 50),
    "00090702": (35, 50),
    "00090202": (12, 30),
}


def admin(path, months=("2025-05", "2025-06")):
    lines = ["periodo,ubigeo,cod_ipress,indicador,numerador,denominador"]
    for month in months:
        for code, (num, den) in FIGURES.items():
            lines.append(f"{month},{code[2:]},{code},PAN_P_CRED,{num},{den}")
    return write(path, "\n".join(lines) + "\n")


def loaded(db, source, path, **options):
    r = load(db, source, path, options=options)
    assert r.status == "loaded", (r.problems, r.message)
    return r


def mart(db, level, code, region, period="2025-06-01"):
    got = rows(
        db,
        "select numerator, denominator, value, units_reporting, units_expected, parent_code from mart_indicator_agg "
        "where indicator_code = 'PAN_P_CRED' and territory_level = ? and territory_code = ? and region_code = ? "
        "and period = ?",
        [level, code, region, period],
    )
    assert len(got) <= 1
    return got[0] if got else None


@pytest.fixture(scope="module")
def network_template(territory_template, tmp_path_factory):
    """The small territory with the hand-built network and its HIS figures loaded, once for the module."""
    folder = tmp_path_factory.mktemp("network")
    db = copy_warehouse(territory_template, folder / "w.duckdb")
    loaded(db, "red", master(folder / "MAESTRO_HIS_ESTABLECIMIENTO.csv"), since="2025-01")
    loaded(db, "admin", admin(folder / "his.csv"))
    return db


@pytest.fixture
def network_db(network_template, db):
    """A copy of the network warehouse for each test (several load more files into it)."""
    return copy_warehouse(network_template, db)


def test_the_master_sample_loads_in_its_real_layout(territory_db, tmp_path):
    """The shared sample (real header, 9-character codes, a padded MicroRed name): its facilities in districts the
    small territory has load; the others are rejected with their row, column and value."""
    # Most of the sample's facilities lie outside the small territory: more rejected rows than the refusal
    # threshold, so the load is forced, as a person who has read the report would.
    r = load(territory_db, "red", shared("his", "MAESTRO_HIS_ESTABLECIMIENTO.csv"), force=True)
    assert r.status == "partial"
    assert {(p.row, p.column, p.value) for p in r.problems} == {
        (2, "Ubigueo_Establecimiento", "090118"),
        (4, "Ubigueo_Establecimiento", "090103"),
        (6, "Ubigueo_Establecimiento", "090703"),
    }
    assert rows(
        territory_db, "select ipress, microred_key, microred from core_network_v order by ipress"
    ) == [
        (90122, "13_01_11", "SANTA ANA"),
        (90144, "13_03_01", "PAMPAS"),
    ]


def test_keys_are_composite_names_trimmed_and_codes_joined_as_integers(network_db):
    assert rows(
        network_db,
        "select microred_key, list(lpad(ipress::varchar, 8, '0') order by ipress), any_value(microred) "
        "from core_network_v group by all order by 1",
    ) == [
        ("13_01_01", ["00090101", "00090102"], "ASCENSION"),
        ("13_01_07", ["00090201", "00100101"], "ACORIA"),
        ("13_03_01", ["00090701", "00090702"], "PAMPAS"),
        ("13_03_07", ["00090202"], "ACRAQUIA"),
    ]


def test_a_red_spanning_two_provinces_aggregates_right(network_db):
    # Red HUANCAVELICA in region 09: 00090101 (30/50) + 00090102 (20/50) in Huancavelica, 00090201 (10/40) in
    # Acobamba = 60/140; its facility in Huánuco counts in region 10 only.
    assert mart(network_db, "red", "13_01", "09") == (60.0, 140.0, pytest.approx(100 * 60 / 140), 3, 3, "09")
    assert mart(network_db, "red", "13_01", "10") == (45.0, 50.0, 90.0, 1, 1, "10")
    # Red TAYACAJA: 25/50 + 35/50 in Tayacaja and 12/30 in Acobamba = 72/130.
    assert mart(network_db, "red", "13_03", "09") == (72.0, 130.0, pytest.approx(100 * 72 / 130), 3, 3, "09")
    # Both trees add up to the same region.
    assert mart(network_db, "region", "09", "09")[:2] == (132.0, 270.0)
    # The province of Acobamba holds a facility of each Red.
    assert mart(network_db, "provincia", "0902", "09")[:2] == (22.0, 70.0)


def test_a_reused_microred_code_stays_apart(network_db):
    assert mart(network_db, "microred", "13_01_01", "09") == (50.0, 100.0, 50.0, 2, 2, "13_01")
    assert mart(network_db, "microred", "13_03_01", "09") == (60.0, 100.0, 60.0, 2, 2, "13_03")
    assert mart(network_db, "microred", "13_01_07", "09") == (10.0, 40.0, 25.0, 1, 1, "13_01")
    assert mart(network_db, "microred", "13_03_07", "09") == (12.0, 30.0, 40.0, 1, 1, "13_03")


def test_the_drill_down_follows_the_network_and_keeps_to_the_region(network_db):
    con = duckdb.connect(str(network_db), read_only=True)
    june = dt.date(2025, 6, 1)
    reds = query.children(con, "PAN_P_CRED", "09", "region", june, tree="red", region="09")
    assert dict(zip(reds.territory_code, reds.name, strict=True)) == {
        "13_01": "HUANCAVELICA",
        "13_03": "TAYACAJA",
    }
    mrs = query.children(con, "PAN_P_CRED", "13_01", "red", june, tree="red", region="09")
    assert sorted(mrs.territory_code) == ["13_01_01", "13_01_07"]
    eess = query.children(con, "PAN_P_CRED", "13_01_07", "microred", june, tree="red", region="09")
    # Red HUANCAVELICA's MicroRed ACORIA reaches into Huánuco: region 09's drill-down shows only its own facility,
    # and a regional user of 09 cannot reach the other one through it, whatever region the request names.
    assert list(eess.territory_code) == ["00090201"]
    for region in ("09", "10", None):
        got = query.children(
            con,
            "PAN_P_CRED",
            "13_01_07",
            "microred",
            june,
            tree="red",
            region=region,
            allowed=frozenset({"09"}),
        )
        assert "00100101" not in set(got.territory_code)
    # A facility's row names its district and its MicroRed, along either tree.
    row = eess.iloc[0]
    assert (row.district_name, row.microred_name) == ("ACOBAMBA", "ACORIA")
    by_district = query.children(con, "PAN_P_CRED", "090201", "distrito", june)
    assert (by_district.iloc[0].district_name, by_district.iloc[0].microred_name) == ("ACOBAMBA", "ACORIA")


def test_survey_and_budget_figures_never_appear_per_red(network_db):
    assert rows(
        network_db,
        "select distinct i.feed from mart_indicator_agg as m join core_indicator as i using (indicator_code) "
        "where m.territory_level in ('red', 'microred')",
    ) == [("admin",)]


def test_a_moved_facility_keeps_its_old_months_under_its_old_microred(network_db, tmp_path):
    moved = [e if e[0] != "090102" else ("090102", "01", "HUANCAVELICA", "07", "ACORIA") for e in NETWORK]
    r = loaded(network_db, "red", master(tmp_path / "MAESTRO_2025_06.csv", moved), since="2025-06")
    assert "1 cambian de microred" in r.scope
    assert any("00090102" in w and "ASCENSION (13_01_01) → ACORIA (13_01_07)" in w for w in r.warnings)
    # May keeps the tree it was reported under; June follows the move.
    assert mart(network_db, "microred", "13_01_01", "09", "2025-05-01")[:2] == (50.0, 100.0)
    assert mart(network_db, "microred", "13_01_07", "09", "2025-05-01")[:2] == (10.0, 40.0)
    assert mart(network_db, "microred", "13_01_01", "09")[:2] == (30.0, 50.0)
    assert mart(network_db, "microred", "13_01_07", "09")[:2] == (30.0, 90.0)
    con = duckdb.connect(str(network_db), read_only=True)
    may = query.children(
        con, "PAN_P_CRED", "13_01_01", "microred", dt.date(2025, 5, 1), tree="red", region="09"
    )
    june = query.children(
        con, "PAN_P_CRED", "13_01_01", "microred", dt.date(2025, 6, 1), tree="red", region="09"
    )
    assert "00090102" in set(may.territory_code) and "00090102" not in set(june.territory_code)
    assert rows(
        network_db,
        "select valid_from, valid_to, microred_code from core_network where ipress = 90102 order by valid_from",
    ) == [(dt.date(1900, 1, 1), dt.date(2025, 6, 1), "01"), (dt.date(2025, 6, 1), None, "07")]


def test_a_load_older_than_the_tree_held_is_refused_and_changes_nothing(network_db, tmp_path):
    moved = [e if e[0] != "090102" else ("090102", "01", "HUANCAVELICA", "07", "ACORIA") for e in NETWORK]
    loaded(network_db, "red", master(tmp_path / "m1.csv", moved), since="2025-06")
    before = tables(network_db, skip=("etl_batch", "etl_quarantine"))
    r = load(network_db, "red", master(tmp_path / "m2.csv", NETWORK[::-1]), options={"since": "2025-03"})
    assert r.status == "refused" and "posterior al mes de esta carga" in str(r.problems[0])
    assert tables(network_db, skip=("etl_batch", "etl_quarantine")) == before


def test_lima_diris_and_no_red_codes_stay_apart(territory_db, tmp_path):
    entries = [
        ("150101", "01", "RED LIMA CIUDAD", "01", "MR UNO", ("36", "DIRIS LIMA CENTRO")),
        ("150102", "01", "RED TUPAC AMARU", "01", "MR UNO", ("35", "DIRIS LIMA NORTE")),
        ("150201", "00", "NO PERTENECE A NINGUNA RED", "00", "", ("22", "DIRESA LIMA")),
    ]
    lines = [HEADER] + [master_line(k, *e[:5], disa=e[5]) for k, e in enumerate(entries)]
    loaded(territory_db, "red", write(tmp_path / "lima.csv", "\n".join(lines) + "\n"))
    got = rows(
        territory_db,
        "select territory_level, territory_code, name, region_code from core_network_territory "
        "where territory_code not like 'sin_red%' order by all",
    )
    assert got == [
        ("microred", "22_00_00", "NO PERTENECE A NINGUNA MICRORED", "LR"),
        ("microred", "35_01_01", "MR UNO", "LM"),
        ("microred", "36_01_01", "MR UNO", "LM"),
        ("red", "22_00", "NO PERTENECE A NINGUNA RED", "LR"),
        ("red", "35_01", "RED TUPAC AMARU (DIRIS LIMA NORTE)", "LM"),
        ("red", "36_01", "RED LIMA CIUDAD (DIRIS LIMA CENTRO)", "LM"),
    ]


def test_windows_1252_and_zip_as_downloaded(territory_db, tmp_path):
    entries = [("090101", "01", "HUANCAVELICA", "01", "ACOBAMBA - CAÑAS")]
    path = master(tmp_path / "MAESTRO_HIS_ESTABLECIMIENTO.csv", entries, encoding="cp1252")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.write(path, "MAESTRO_HIS_ESTABLECIMIENTO.csv")
    zipped = tmp_path / "MAESTRO_HIS_ESTABLECIMIENTO.zip"
    zipped.write_bytes(buf.getvalue())
    r = loaded(territory_db, "red", zipped)
    assert any("del ZIP" in w for w in r.warnings)
    assert rows(territory_db, "select microred from core_network") == [("ACOBAMBA - CAÑAS",)]


def test_an_excel_copy_of_the_master_loads(territory_db, tmp_path):
    import xlsxwriter

    path = tmp_path / "MAESTRO_HIS_ESTABLECIMIENTO.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("MAESTRO")
    for r, line in enumerate([HEADER, master_line(0, *NETWORK[2])]):
        for c, value in enumerate(line.split(",")):
            sheet.write_string(r, c, value)
    book.close()
    loaded(territory_db, "red", path)
    assert rows(territory_db, "select microred_key, microred from core_network_v") == [("13_01_07", "ACORIA")]


def test_a_renipress_file_with_network_columns_loads(territory_db, tmp_path):
    text = (
        "Institución;Codigo_Unico;Nombre_del_establecimiento;UBIGEO;Codigo_DISA;Codigo_Red;Codigo_Microrred;"
        "DISA;Red;MicroRed;COTA\n"
        "GOBIERNO REGIONAL;00090101;P.S. UNO;090101;13;1;2;HUANCAVELICA;HUANCAVELICA;YAULI;3680\n"
    )
    loaded(territory_db, "red", write(tmp_path / "renipress.csv", text, "utf-8-sig"))
    assert rows(territory_db, "select microred_key, microred from core_network_v") == [("13_01_02", "YAULI")]


def test_damaged_rows_are_reported_with_row_column_value_and_reason(territory_db, tmp_path):
    lines = [
        HEADER,
        master_line(0, "090101", "01", "HUANCAVELICA", "01", "ASCENSION"),
        master_line(1, "090102", "01", "HUANCAVELICA", "01", "ASCENSION").replace(",000090102,", ",ABC,"),
        master_line(2, "090101", "01", "HUANCAVELICA", "02", "YAULI"),  # same Codigo_Unico as row 2
        master_line(3, "090201", "01", "HVCA", "07", "ACORIA"),  # Red 13_01 named two ways
        master_line(4, "090202", "1X1", "TAYACAJA", "07", "ACRAQUIA"),
        master_line(5, "090701", "03", "TAYACAJA", "01", ""),
        master_line(6, "999999", "03", "TAYACAJA", "01", "PAMPAS"),
    ]
    r = load(territory_db, "red", write(tmp_path / "damaged.csv", "\n".join(lines) + "\n"), force=True)
    assert r.status == "partial" and r.rows_loaded == 1
    got = {(p.row, p.column, p.value, p.reason) for p in r.problems}
    assert got == {
        (
            3,
            "Codigo_Unico",
            "ABC",
            "el código RENIPRESS (Codigo_Unico) debe ser un número de hasta 9 dígitos",
        ),
        (
            4,
            "Codigo_Unico",
            "000090101",
            "código RENIPRESS repetido en el archivo (primera aparición en la fila 2)",
        ),
        (5, "Red", "HVCA", "el código 13_01 se llama HUANCAVELICA en la fila 2"),
        (6, "Codigo_Red", "1X1", "el código de Red debe tener 2 caracteres (00 = ninguna)"),
        (7, "MicroRed", None, "nombre de MicroRed vacío"),
        (8, "Ubigueo_Establecimiento", "999999", "ubigeo (cargue antes la tabla de ubigeos) desconocido"),
    }
    # Rejected rows are kept aside, the valid one loaded.
    assert rows(territory_db, "select ipress from core_network") == [(90101,)]


def test_a_file_without_the_network_columns_is_refused_and_changes_nothing(territory_db, tmp_path):
    before = tables(territory_db, skip=("etl_batch", "etl_quarantine"))
    r = load(territory_db, "red", write(tmp_path / "x.csv", "Codigo_Unico,Red\n000090101,HUANCAVELICA\n"))
    assert r.status == "refused" and r.exit_code == 3
    assert {p.reason.split(" (")[0] for p in r.problems} >= {"falta la columna obligatoria 'codigo_microred'"}
    assert tables(territory_db, skip=("etl_batch", "etl_quarantine")) == before


def test_the_quality_heat_map_follows_the_network(network_db):
    con = duckdb.connect(str(network_db), read_only=True)
    june = dt.date(2025, 6, 1)
    reds = query.quality_completeness(con, "0001", "09", june, june, "region", "red", "09")
    assert {(r.territory_code, r.name, r.expected, r.reporting) for r in reds.itertuples()} == {
        ("13_01", "HUANCAVELICA", 3, 3),
        ("13_03", "TAYACAJA", 3, 3),
    }
    mrs = query.quality_completeness(con, "0001", "13_01", june, june, "red", "red", "09")
    assert {(r.territory_code, r.expected) for r in mrs.itertuples()} == {("13_01_01", 2), ("13_01_07", 1)}
    # the territorial tree is unchanged: the region's provinces
    provinces = query.quality_completeness(con, "0001", "09", june, june)
    assert set(provinces.territory_code) == {"0901", "0902", "0907"}


def test_quality_lists_name_each_facilitys_microred_of_the_month(network_db, tmp_path):
    # July: 00090102 does not report (expected from May and June), after moving to ACORIA from July on.
    moved = [e if e[0] != "090102" else ("090102", "01", "HUANCAVELICA", "07", "ACORIA") for e in NETWORK]
    loaded(network_db, "red", master(tmp_path / "MAESTRO_2025_07.csv", moved), since="2025-07")
    lines = ["periodo,ubigeo,cod_ipress,indicador,numerador,denominador"]
    lines += [f"2025-07,{c[2:]},{c},PAN_P_CRED,{n},{d}" for c, (n, d) in FIGURES.items() if c != "00090102"]
    loaded(network_db, "admin", write(tmp_path / "his_07.csv", "\n".join(lines) + "\n"))
    con = duckdb.connect(str(network_db), read_only=True)
    missing = query.quality_missing(con, "0001", dt.date(2025, 7, 1), "09")
    assert [(r.cod_ipress, r.red_key, r.microred_name) for r in missing.itertuples()] == [
        ("00090102", "13_01", "ACORIA")
    ]
    # June's completeness of its old MicroRed is untouched by the move
    assert mart(network_db, "microred", "13_01_01", "09")[3:5] == (2, 2)
    assert mart(network_db, "microred", "13_01_07", "09", "2025-07-01")[3:5] == (1, 2)
