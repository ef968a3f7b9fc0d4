"""Which codes a ubigeo table holds: INEI's or RENIEC's, told by its names, never by its header alone. The tables
are built from the real ../shared/data/ubigeo/ubigeo_distrito.csv, which carries both codes of every district
(skipped, saying so, when ../shared/data is absent)."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from tests.conftest import copy_warehouse, load, rows, shared, tables


def official() -> list[dict[str, str]]:
    with open(shared("ubigeo", "ubigeo_distrito.csv"), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def table(path: Path, header: list[str], lines: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(lines)
    return path


def reniec_table(path: Path, columns=("ubigeo", "departamento", "provincia", "distrito")) -> Path:
    """RENIEC's districts, their codes under the first header (``ubigeo`` unless told): every district with a
    RENIEC code (including SAN ANTONIO 170107, which has no INEI code), in RENIEC's order."""
    districts = sorted((r for r in official() if r["reniec"] != "NA"), key=lambda r: r["reniec"])
    _, *names = columns
    return table(path, list(columns), [[r["reniec"], *(r[c] for c in names)] for r in districts])


@pytest.fixture(scope="module")
def inei_template(tmp_path_factory) -> Path:
    """A warehouse with the real INEI table (and its RENIEC column, the crosswalk) loaded."""
    db = tmp_path_factory.mktemp("inei") / "w.duckdb"
    r = load(db, "territory", shared("ubigeo", "ubigeo_distrito.csv"))
    assert r.rows_loaded == len(official()) - 1, r.problems
    return db


@pytest.fixture
def inei_db(inei_template, tmp_path) -> Path:
    return copy_warehouse(inei_template, tmp_path / "w.duckdb")


DISTRICTS = (
    "select ubigeo, province_code, department_code, name, reniec_code, altitude_m, latitude, longitude "
    "from core_district order by all"
)


@pytest.mark.parametrize(
    "columns",
    [("ubigeo", "distrito"), ("ubigeo", "departamento", "provincia", "distrito")],
    ids=["bare", "names"],
)
def test_a_reniec_table_is_mapped_through_the_crosswalk_and_renames_no_inei_district(
    inei_db, tmp_path, columns
):
    before = rows(inei_db, DISTRICTS)
    f = reniec_table(tmp_path / "ubigeo_reniec.csv", columns)
    r = load(inei_db, "territory", f)
    # One row cannot be mapped: SAN ANTONIO (RENIEC 170107) has no INEI code; it is located and reported.
    with open(f, encoding="utf-8", newline="") as fh:
        san_antonio = [x[0] for x in csv.reader(fh)].index("170107") + 1  # header = row 1
    assert (r.status, r.exit_code) == ("partial", 1)
    assert [(p.row, p.column, p.value) for p in r.problems] == [(san_antonio, "ubigeo", "170107")]
    assert "sin equivalente INEI" in r.problems[0].reason
    assert any("códigos RENIEC" in w and "no cambian" in w for w in r.warnings)
    assert not [w for w in r.warnings if "cambian de nombre" in w]
    # No INEI district renamed, none added, the crosswalk as it was: BAGUA is still 010201.
    assert rows(inei_db, DISTRICTS) == before
    assert rows(inei_db, "select name, reniec_code from core_district where ubigeo = '010201'") == [
        ("BAGUA", "010205")
    ]


def test_a_reniec_table_without_a_crosswalk_to_map_it_is_refused_whole(tmp_path):
    db = tmp_path / "w.duckdb"
    load(db, "territory", table(tmp_path / "uno.csv", ["inei", "distrito"], [["010101", "CHACHAPOYAS"]]))
    before = tables(db, skip=("etl_batch", "etl_quarantine"))
    r = load(db, "territory", reniec_table(tmp_path / "ubigeo_reniec.csv"))
    assert (r.status, r.exit_code) == ("refused", 3)
    [p] = r.problems
    assert (p.row, p.column) == (1, "ubigeo")
    assert "no corresponden a los nombres" in p.reason and "RENIEC" in p.reason and "tabla INEI" in p.reason
    assert tables(db, skip=("etl_batch", "etl_quarantine")) == before


def test_an_inei_table_under_a_plain_ubigeo_header_loads_as_inei(inei_db, tmp_path):
    before = rows(inei_db, DISTRICTS)
    f = table(
        tmp_path / "ubigeo.csv",
        ["ubigeo", "reniec", "departamento", "provincia", "distrito"],
        [[r[c] for c in ("inei", "reniec", "departamento", "provincia", "distrito")] for r in official()],
    )
    r = load(inei_db, "territory", f)
    assert r.status == "partial" and [p.value for p in r.problems] == [None]  # the NA row, as before
    assert not [w for w in r.warnings if "RENIEC" in w or "cambian de nombre" in w]
    assert rows(inei_db, DISTRICTS) == before


def test_the_inei_reniec_sunat_equivalence_table_loads_and_gives_the_crosswalk(tmp_path):
    header = [
        "cod_dep_inei", "desc_dep_inei", "cod_prov_inei", "desc_prov_inei", "cod_ubigeo_inei", "desc_ubigeo_inei",
        "cod_dep_reniec", "desc_dep_reniec", "cod_prov_reniec", "desc_prov_reniec", "cod_ubigeo_reniec",
        "desc_ubigeo_reniec", "cod_dep_sunat", "desc_dep_sunat", "cod_prov_sunat", "desc_prov_sunat",
        "cod_ubigeo_sunat", "desc_ubigeo_sunat",
    ]  # fmt: skip
    lines = []
    for r in official():
        if r["inei"] == "NA":
            continue
        inei, reniec = r["inei"], r["reniec"]
        named = [r["departamento"], r["provincia"], r["distrito"]]
        codes = [inei[:2], inei[:4], inei]
        rcodes = [reniec[:2], reniec[:4], reniec] if reniec != "NA" else ["NA"] * 3
        lines.append([x for pair in zip(codes, named, strict=True) for x in pair]
                     + [x for pair in zip(rcodes, named, strict=True) for x in pair]
                     + [x for pair in zip(codes, named, strict=True) for x in pair])  # fmt: skip
    db = tmp_path / "w.duckdb"
    r = load(db, "territory", table(tmp_path / "equivalencia_ubigeos.csv", header, lines))
    assert r.status == "loaded", r.problems
    assert rows(db, "select count(*), count(reniec_code) from core_district") == [
        (len(lines), len(lines) - 1)
    ]
    assert rows(db, "select name, reniec_code from core_district where ubigeo = '070101'") == [
        ("CALLAO", "240101")
    ]
    # With that crosswalk, a RENIEC table is mapped, not refused.
    r = load(db, "territory", reniec_table(tmp_path / "reniec.csv"))
    assert r.status == "partial" and len(r.problems) == 1


def test_a_table_whose_names_fit_neither_reading_is_refused(inei_db, tmp_path):
    before = rows(inei_db, DISTRICTS)
    shuffled = [[r["inei"], r["distrito"]] for r in official() if r["inei"] != "NA"]
    names = [n for _, n in shuffled]
    random.Random(15).shuffle(names)
    f = table(
        tmp_path / "ubigeo.csv",
        ["ubigeo", "distrito"],
        [[c, n] for (c, _), n in zip(shuffled, names, strict=True)],
    )
    r = load(inei_db, "territory", f)
    assert (r.status, r.exit_code) == ("refused", 3)
    assert (
        "leídos como INEI solo coinciden" in r.problems[0].reason
        and "leídos como RENIEC" in r.problems[0].reason
    )
    assert "fila 2" in r.problems[0].reason  # an example, located
    assert rows(inei_db, DISTRICTS) == before


def test_a_newer_inei_table_that_renames_a_district_says_so(inei_db, tmp_path):
    renamed = {"010103": "BALSAS NUEVO", "010102": "ASUNCIÓN"}  # an accent is no rename
    f = table(
        tmp_path / "ubigeo.csv",
        ["inei", "distrito"],
        [[r["inei"], renamed.get(r["inei"], r["distrito"])] for r in official() if r["inei"] != "NA"],
    )
    r = load(inei_db, "territory", f)
    assert r.status == "loaded", r.problems
    assert [w.split(": ", 1)[1] for w in r.warnings if "cambian de nombre" in w] == [
        "1 distritos cambian de nombre (p. ej. 010103 BALSAS → BALSAS NUEVO)"
    ]
    assert rows(inei_db, "select name from core_district where ubigeo = '010103'") == [("BALSAS NUEVO",)]


def test_a_few_rows_under_an_inei_header_are_a_correction_under_a_plain_header_they_are_refused(
    inei_db, tmp_path
):
    lines = [["010103", "BALSAS NUEVO"]]
    r = load(inei_db, "territory", table(tmp_path / "correccion.csv", ["inei", "distrito"], lines))
    assert r.status == "loaded", r.problems
    assert any("010103 BALSAS → BALSAS NUEVO" in w for w in r.warnings)
    before = rows(inei_db, DISTRICTS)
    r = load(
        inei_db,
        "territory",
        table(tmp_path / "otra.csv", ["ubigeo", "distrito"], [["010104", "CHETO NUEVO"]]),
    )
    assert r.status == "refused" and "llame a la columna «inei»" in r.problems[0].reason
    assert rows(inei_db, DISTRICTS) == before


def test_a_reniec_table_under_an_inei_header_is_refused_not_mapped(inei_db, tmp_path):
    before = rows(inei_db, DISTRICTS)
    r = load(inei_db, "territory", reniec_table(tmp_path / "mal_rotulada.csv", ("inei", "distrito")))
    assert (r.status, r.exit_code) == ("refused", 3)
    assert "la columna dice INEI pero son RENIEC" in r.problems[0].reason
    assert rows(inei_db, DISTRICTS) == before


def test_a_bare_table_on_an_empty_warehouse_cannot_be_told_and_is_refused(tmp_path):
    """`ubigeo, distrito` and nothing to compare the names with: loading it as INEI would, if it is RENIEC's, put
    RENIEC codes in the warehouse and then refuse the real INEI table. So it is refused, saying how to load it."""
    db = tmp_path / "w.duckdb"
    r = load(db, "territory", reniec_table(tmp_path / "ubigeo.csv", ("ubigeo", "distrito")))
    assert (r.status, r.exit_code) == ("refused", 3)
    assert "no se puede saber si los códigos" in r.problems[0].reason and "«inei»" in r.problems[0].reason
    # The INEI table then loads whole, and the same RENIEC table after it is mapped.
    assert load(db, "territory", shared("ubigeo", "ubigeo_distrito.csv")).rows_loaded == len(official()) - 1
    r = load(db, "territory", reniec_table(tmp_path / "ubigeo.csv", ("ubigeo", "distrito")))
    assert r.status == "partial" and any("códigos RENIEC" in w for w in r.warnings)
