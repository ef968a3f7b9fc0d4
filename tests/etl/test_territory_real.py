"""The territory loader on the real official ubigeo table of ../shared/data/ubigeo, and the real GeoJSON
boundaries of ../shared/data/geo against the 26 regions (skipped, saying so, when ../shared/data is absent).
Expected counts come from ../shared/data/SOURCES.md and from the files themselves, not from memory."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from dashboard.components.region_map import load_shapes
from dashboard.config import load_config
from dashboard.serving import check
from semaforo.cli import main
from tests.conftest import load, shared
from warehouse import query


def documented_rows(name: str) -> int:
    """Rows of a ubigeo table as SOURCES.md states them (``| `ubigeo_distrito.csv` (… B) | 1,893 |``)."""
    text = shared("SOURCES.md").read_text(encoding="utf-8")
    m = re.search(rf"\| `{re.escape(name)}` \([\d,]+ B\) \| ([\d,]+) \|", text)
    assert m, f"SOURCES.md no longer states the rows of {name}"
    return int(m.group(1).replace(",", ""))


@pytest.fixture(scope="module")
def official(tmp_path_factory) -> tuple[Path, Path, object]:
    path = shared("ubigeo", "ubigeo_distrito.csv")
    db = tmp_path_factory.mktemp("ubigeo") / "w.duckdb"
    return path, db, load(db, "territory", path)


@pytest.fixture(scope="module")
def con(official):
    c = duckdb.connect(str(official[1]), read_only=True)
    yield c
    c.close()


def file_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_district_with_an_inei_code_loads(official, con):
    path, _, report = official
    table = file_rows(path)
    assert len(table) == documented_rows("ubigeo_distrito.csv")  # 1,893
    # SOURCES.md: one row has inei = NA (RENIEC 170107 SAN ANTONIO, Moquegua). It is the one rejected row.
    na = [(k + 2, r) for k, r in enumerate(table) if r["inei"] == "NA"]
    assert [(r["reniec"], r["distrito"]) for _, r in na] == [("170107", "SAN ANTONIO")]
    assert (report.status, report.exit_code) == ("partial", 1)
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (len(table), len(table) - 1, 1)
    assert [(p.row, p.column, p.reason.split(":")[0]) for p in report.problems] == [
        (na[0][0], "inei", "ubigeo INEI vacío (NA)")
    ]
    assert con.execute("select count(*) from core_district").fetchone()[0] == len(table) - 1
    # Codes are text with their leading zeros, exactly as published; names and the RENIEC crosswalk kept.
    loaded = dict(con.execute("select ubigeo, reniec_code from core_district").fetchall())
    # A missing RENIEC code (NA, e.g. 150144) is NULL, not the text 'NA'.
    assert loaded == {
        r["inei"]: None if r["reniec"] == "NA" else r["reniec"] for r in table if r["inei"] != "NA"
    }
    assert con.execute("select name from core_district where ubigeo = '010101'").fetchone() == (
        "CHACHAPOYAS",
    )
    assert con.execute("select reniec_code from core_district where ubigeo = '070101'").fetchone() == (
        "240101",
    )


def test_every_province_of_the_official_table_is_a_shipped_province(con):
    provinces = documented_rows("ubigeo_provincia.csv")  # 196
    assert con.execute("select count(distinct province_code) from core_district").fetchone()[0] == provinces
    assert con.execute("select count(*) from core_province").fetchone()[0] == provinces
    orphans = "select count(*) from core_district where province_code not in (select province_code from core_province)"
    assert con.execute(orphans).fetchone()[0] == 0


def test_every_district_maps_to_one_of_the_26_regions(official, con):
    table = [r for r in file_rows(official[0]) if r["inei"] != "NA"]
    got = dict(con.execute("select ubigeo, region_code from core_district_region").fetchall())
    assert len(got) == len(table)
    regions = {r for (r,) in con.execute("select region_code from core_region").fetchall()}
    assert len(regions) == 26 and set(got.values()) == regions

    def expected(ubigeo: str) -> str:
        if ubigeo.startswith("1501"):
            return "LM"  # the province of Lima is Lima Metropolitana
        if ubigeo.startswith("15"):
            return "LR"  # the other provinces of the department of Lima
        return ubigeo[:2]  # Callao (07) and every other department is its own region

    assert got == {r["inei"]: expected(r["inei"]) for r in table}
    lima = [r for r in table if r["inei"].startswith("1501")]
    assert {r["provincia"] for r in lima} == {"LIMA"} and len(lima) > 40
    assert {r["departamento"] for r in table if r["inei"].startswith("07")} == {"CALLAO"}
    assert sum(1 for v in got.values() if v == "07") == sum(1 for r in table if r["inei"].startswith("07"))


def test_the_same_official_file_again_adds_nothing(official, tmp_path):
    path, db, _ = official
    copy = tmp_path / "w.duckdb"
    copy.write_bytes(db.read_bytes())
    again = load(copy, "territory", path)
    assert (again.status, again.exit_code) == ("skipped", 0)


@pytest.mark.parametrize("name", ["ubigeo_provincia.csv", "ubigeo_departamento.csv"])
def test_the_province_or_department_table_is_not_taken_for_the_district_table(tmp_path, name):
    r = load(tmp_path / "w.duckdb", "territory", shared("ubigeo", name))
    assert (r.status, r.exit_code) == ("refused", 3)
    assert "falta la columna obligatoria 'distrito'" in r.problems[0].reason


# --- Boundaries ---------------------------------------------------------------------------------------------


def geo(name: str) -> Path:
    return shared("geo", name)


@pytest.mark.parametrize(
    "name",
    ["LIM_PROVINCIAL_PERU_MIN.geojson", "peru_provincial_simple.geojson", "peru_distrital_simple.geojson"],
)
def test_province_and_district_boundaries_give_every_region_a_shape(con, name):
    shapes = load_shapes(geo(name), query.regions(con))
    assert shapes.unit == "province"
    assert set(shapes.rings) == set(query.regions(con).region_code)
    for code, (xs, ys) in shapes.rings.items():
        points = [(x, y) for x, y in zip(xs, ys, strict=True) if x is not None]
        assert len(points) >= 3, code
        # Inside Peru's bounding box (WGS84 lon/lat).
        assert all(-82 < x < -68 and -19 < y < 0.1 for x, y in points), code


@pytest.mark.parametrize("name", ["peru_departamental_simple.geojson", "LIM_DEPARTAMENTAL_PERU_MIN.geojson"])
def test_department_boundaries_give_every_region_but_lima_metropolitana_a_shape(con, name):
    """A department file cannot split Lima: its polygon is Lima Región, Lima Metropolitana a marker."""
    regions = query.regions(con)
    shapes = load_shapes(geo(name), regions)
    assert shapes.unit == "department"
    assert set(regions.region_code) - set(shapes.rings) == {"LM"}


def test_district_boundaries_name_only_districts_of_the_official_table(con):
    features = json.loads(geo("peru_distrital_simple.geojson").read_text(encoding="utf-8"))["features"]
    codes = {f["properties"]["IDDIST"] for f in features}
    assert len(codes) == len(features)
    known = {u for (u,) in con.execute("select ubigeo from core_district").fetchall()}
    assert codes <= known
    regions = dict(con.execute("select ubigeo, region_code from core_district_region").fetchall())
    assert {regions[c] for c in codes} == set(query.regions(con).region_code)


@pytest.mark.parametrize(
    "name, why",
    [
        ("lima_callao_distritos_simple.geojson", "50 sin código"),  # districts named, no ubigeo: join by name
        ("peru_capital_provincia.geojson", "194 sin polígono"),  # points with no codes
    ],
)
def test_boundaries_with_no_usable_region_code_are_refused_with_the_reason(con, name, why):
    with pytest.raises(ValueError) as e:
        load_shapes(geo(name), query.regions(con))
    message = str(e.value)
    assert message.startswith(f"{name}: ningún elemento del GeoJSON se puede asignar a una región")
    assert why in message and "IDPROV" in message


def test_serve_stops_on_boundaries_it_cannot_draw_instead_of_serving_an_empty_map(territory_db, tmp_path):
    not_peru = tmp_path / "otro_pais.geojson"
    ring = [[[-60.0, -30.0], [-59.0, -30.0], [-59.0, -29.0], [-60.0, -30.0]]]
    not_peru.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"CCDD": "77"},
                        "geometry": {"type": "Polygon", "coordinates": ring},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    for path, said in (
        (geo("lima_callao_distritos_simple.geojson"), "ningún elemento del GeoJSON"),
        (not_peru, "1 código desconocido) (p. ej. 77)"),
    ):
        r = CliRunner().invoke(main, ["serve", "--db", str(territory_db), "--geojson", str(path)])
        assert r.exit_code == 4, r.output
        assert said in r.output and "Traceback" not in r.output


def test_the_serve_check_accepts_real_province_boundaries(territory_db):
    """The master's check draws nothing and raises nothing for a usable file (the refusal above is not a blanket)."""
    good = load_config(env={}, db=territory_db, geojson=geo("LIM_PROVINCIAL_PERU_MIN.geojson"))
    assert check(good) is None
    points = load_config(env={}, db=territory_db, geojson=geo("peru_capital_provincia.geojson"))
    with pytest.raises(ValueError, match="194 sin polígono"):
        check(points)
