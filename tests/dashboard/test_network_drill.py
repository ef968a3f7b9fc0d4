"""The region page's drill-down along the health network (?arbol=red): Red → MicroRed → facility with the same
lights, each facility naming its district and its MicroRed, and a regional user's access holding on this tree too
(a Red that reaches into another region shows only the user's own facilities). Real callbacks, on a small
warehouse built with the real loaders (tests/etl/test_network.py's network) and on the demo."""

from __future__ import annotations

import json

import openpyxl
import pytest
from click.testing import CliRunner

from dashboard import context
from dashboard.app import create_app
from dashboard.pages import region, region_drill
from dashboard.state import parse
from semaforo.cli import main
from tests.conftest import copy_warehouse, load, rows, write
from tests.etl.test_network import admin, loaded, master
from warehouse.integrity import identity

JUNE = "?periodo=2025-06&indicador=PAN_P_CRED&arbol=red"


def grid(drill) -> list[dict]:
    found = []

    def walk(c):
        if getattr(c, "id", None) == "drill-grid":
            found.append(c)
        children = getattr(c, "children", None)
        for child in children if isinstance(children, list) else [children] if children is not None else []:
            walk(child)

    for c in drill:
        walk(c)
    return found[0].rowData if found else []


@pytest.fixture(scope="module")
def network_template(territory_template, tmp_path_factory):
    """The small territory with the network master and two months of HIS loaded, once for the module."""
    folder = tmp_path_factory.mktemp("network")
    db = folder / "w.duckdb"
    copy_warehouse(territory_template, db)
    loaded(db, "red", master(folder / "MAESTRO_HIS_ESTABLECIMIENTO.csv"), since="2025-01")
    loaded(db, "admin", admin(folder / "his.csv"))
    return db


@pytest.fixture(scope="module")
def network_apps(network_template, tmp_path_factory):
    """A copy of the network warehouse that no test writes, and the apps serving it by the regions they are
    restricted to, made once for the module (half a CPU-second an app)."""
    return copy_warehouse(network_template, tmp_path_factory.mktemp("red-servida") / "w.duckdb"), {}


@pytest.fixture
def small_app(network_template, territory_db, network_apps):
    copy_warehouse(network_template, territory_db)  # a copy for each test: one of them loads a budget file
    copied = identity(territory_db)
    shared, made = network_apps
    previous = context._current  # the session's app (other tests' demo) gets its warehouse back afterwards

    def serve(allowed=None):
        """The app on the test's warehouse: the module's app on the same bytes while the test has not written
        to its copy, an app of its own on the copy once it has (a load renames a new file into place)."""
        if identity(territory_db) != copied:
            return create_app(territory_db, allowed=allowed)
        if allowed not in made:
            made[allowed] = (create_app(shared, allowed=allowed), context.warehouse())
        app, warehouse = made[allowed]
        context.set_warehouse(warehouse)
        return app

    yield serve
    context.set_warehouse(previous)


def test_red_microred_facility_with_the_same_lights(small_app, territory_db):
    small_app()
    *_, drill = region.update(JUNE, "/region/09", "x")
    reds = grid(drill)
    assert {r["code"]: (r["name"], r["numerator"], r["denominator"]) for r in reds} == {
        "13_01": ("HUANCAVELICA", 60.0, 140.0),
        "13_03": ("TAYACAJA", 72.0, 130.0),
    }
    # the light is the status rule's, as on the territory tree
    status = rows(
        territory_db,
        "select status from mart_indicator_status where territory_level = 'red' and territory_code = '13_01' "
        "and region_code = '09' and period = '2025-06-01' and indicator_code = 'PAN_P_CRED'",
    )[0][0]
    assert next(r for r in reds if r["code"] == "13_01")["status"] == status
    *_, drill = region.update(JUNE + "&red=13_01", "/region/09", "x")
    assert {r["code"] for r in grid(drill)} == {"13_01_01", "13_01_07"}
    *_, drill = region.update(JUNE + "&red=13_01&microred=13_01_01", "/region/09", "x")
    facilities = grid(drill)
    assert {(r["code"], r["district"], r["microred"]) for r in facilities} == {
        ("00090101", "HUANCAVELICA", "ASCENSION"),
        ("00090102", "DISTRITO 2", "ASCENSION"),
    }
    text = json.dumps([c.to_plotly_json() for c in drill], default=str, ensure_ascii=False)
    assert "Detalle por red, microred y establecimiento" in text and "ASCENSION" in text


def test_a_microred_of_another_red_in_the_url_falls_back_to_the_red(small_app):
    small_app()
    *_, drill = region.update(JUNE + "&red=13_01&microred=13_03_01", "/region/09", "x")
    assert {r["code"] for r in grid(drill)} == {"13_01_01", "13_01_07"}


def test_a_regional_user_cannot_reach_another_regions_facility_through_a_shared_red(small_app):
    small_app(frozenset({"09"}))
    # MicroRed ACORIA of Red HUANCAVELICA holds 00090201 (Huancavelica) and 00100101 (Huánuco).
    *_, drill = region.update(JUNE + "&red=13_01&microred=13_01_07", "/region/09", "x")
    assert [r["code"] for r in grid(drill)] == ["00090201"]
    # The Red's own figure in this region counts only the region's facilities.
    *_, drill = region.update(JUNE, "/region/09", "x")
    assert next(r for r in grid(drill) if r["code"] == "13_01")["denominator"] == 140.0
    # Asking for the other region's page gives nothing.
    answer = region.update(JUNE + "&red=13_01&microred=13_01_07", "/region/10", "x")
    assert "00100101" not in json.dumps(answer, default=str)
    # … while a national user sees it there: the check can fail.
    small_app()
    *_, drill = region.update(JUNE + "&red=13_01&microred=13_01_07", "/region/10", "x")
    assert [r["code"] for r in grid(drill)] == ["00100101"]


def test_choosing_a_red_and_the_tree_writes_the_url(small_app):
    small_app()
    got = parse(
        region_drill.choose_drill("PAN_P_CRED", "red", None, None, "13_01", None, "?indicador=PAN_P_CRED")
    )
    assert (got.tree, got.red, got.microred, got.indicator) == ("red", "13_01", None, "PAN_P_CRED")
    search = "?indicador=PAN_P_CRED&arbol=red&red=13_01"
    got = parse(region_drill.choose_drill("PAN_P_CRED", "red", None, None, "13_01", "13_01_07", search))
    assert (got.red, got.microred) == ("13_01", "13_01_07")
    got = parse(region_drill.choose_drill("PAN_P_CRED", "territorio", None, None, None, None, search))
    assert (got.tree, got.red) == ("territorio", None)


def test_the_drill_down_exports_carry_the_tree_and_level(small_app, territory_db, tmp_path):
    app = small_app()
    out = tmp_path / "detalle.xlsx"
    args = ["export", "--db", str(territory_db), "--region", "09", "--periodo", "2025-06", "--view"]
    r = CliRunner().invoke(
        main,
        [
            *args,
            "region-detalle",
            "--indicador",
            "PAN_P_CRED",
            "--arbol",
            "red",
            "--red",
            "13_01",
            "--format",
            "xlsx",
            "-o",
            str(out),
        ],
    )
    assert r.exit_code == 0, r.output
    book = openpyxl.load_workbook(out)
    context_rows = {row[0]: row[1] for row in book["Contexto"].iter_rows(values_only=True)}
    assert context_rows["Árbol"].startswith("Red de salud")
    assert context_rows["Nivel de las filas"] == "MicroRed"
    assert "arbol=red" in context_rows["Enlace que reproduce la vista"]
    table = [row for row in book.worksheets[0].iter_rows(values_only=True)]
    assert {row[2] for row in table[1:]} == {"13_01_01", "13_01_07"}
    # The web download of the same view has the same rows, and a regional user of 09 gets only 09's facility of
    # the MicroRed that reaches into Huánuco.
    csv_cli = tmp_path / "detalle.csv"
    CliRunner().invoke(
        main,
        [
            *args,
            "region-detalle",
            "--indicador",
            "PAN_P_CRED",
            "--arbol",
            "red",
            "--red",
            "13_01",
            "--format",
            "csv",
            "-o",
            str(csv_cli),
        ],
    )
    web = app.server.test_client().get(
        "/export/region-detalle/09.csv?periodo=2025-06&indicador=PAN_P_CRED&arbol=red&red=13_01"
    )
    assert web.status_code == 200 and web.data == csv_cli.read_bytes()
    regional = small_app(frozenset({"09"})).server.test_client()
    got = regional.get(
        "/export/region-detalle/09.csv?periodo=2025-06&indicador=PAN_P_CRED&arbol=red&red=13_01&microred=13_01_07"
    ).get_data(as_text=True)
    assert "00090201" in got and "00100101" not in got
    assert regional.get("/export/region-detalle/10.csv?arbol=red").status_code in (403, 404)
    # without a region, the command line says what is missing
    bad = CliRunner().invoke(
        main,
        [
            "export",
            "--db",
            str(territory_db),
            "--view",
            "region-detalle",
            "--format",
            "csv",
            "-o",
            str(tmp_path / "x.csv"),
        ],
    )
    assert bad.exit_code == 2 and "--region" in bad.output


def test_the_budget_pages_coverage_follows_the_network(small_app, territory_db, tmp_path):
    """?arbol=red on /presupuesto/<region>: each Red's coverage of a product, as the region page's drill-down
    gives it; the budget is not split (there is none per Red). The small warehouse needs a budget year for the
    page to have a scope: a one-line MEF file."""
    text = (
        "ANO_EJE,MES_EJE,NIVEL_GOBIERNO,SECTOR,PLIEGO,SEC_EJEC,EJECUTORA_NOMBRE,DEPARTAMENTO_EJECUTORA_NOMBRE,"
        "PROVINCIA_EJECUTORA_NOMBRE,PROGRAMA_PPTO,PROGRAMA_PPTO_NOMBRE,PRODUCTO_PROYECTO,PRODUCTO_PROYECTO_NOMBRE,"
        "DEPARTAMENTO_META,MONTO_PIA,MONTO_PIM,MONTO_CERTIFICADO,MONTO_COMPROMETIDO_ANUAL,MONTO_COMPROMETIDO,"
        "MONTO_DEVENGADO,MONTO_GIRADO\n"
        "2025,6,R,99,440,1000,REGION HUANCAVELICA-SALUD,HUANCAVELICA,HUANCAVELICA,0001,PROGRAMA ARTICULADO "
        "NUTRICIONAL,3033255,NIÑOS CON CRED COMPLETO SEGUN EDAD,09,100,100,50,50,50,40,40\n"
    )
    r = load(territory_db, "budget", write(tmp_path / "gasto.csv", text))
    assert r.status == "loaded", (r.message, r.problems[:3])
    small_app()
    from dashboard.context import warehouse
    from dashboard.pages import presupuesto
    from dashboard.views import frame
    from dashboard.views.budget import BUDGET_NETWORK

    f = parse("?periodo=2025-06&producto=PAN_P_CRED&arbol=red")
    rows_ = frame(BUDGET_NETWORK, warehouse(), f, "09")
    assert {(r.territory_code, r.numerator, r.denominator) for r in rows_.itertuples()} == {
        ("13_01", 60.0, 140.0),
        ("13_03", 72.0, 130.0),
    }
    page = json.dumps(
        presupuesto.layout(warehouse(), f, "09").to_plotly_json(), default=str, ensure_ascii=False
    )
    assert "Cobertura por red de salud" in page
    territory = json.dumps(
        presupuesto.layout(warehouse(), f.with_(tree="territorio"), "09").to_plotly_json(), default=str
    )
    assert "budget-network-panel" not in territory


def test_the_quality_page_heat_map_follows_the_tree(small_app):
    small_app()
    from dashboard.context import warehouse
    from dashboard.pages import calidad

    f = parse("?periodo=2025-06&arbol=red")
    page = json.dumps(
        [c.to_plotly_json() for c in calidad.content(warehouse(), f, "09")], default=str, ensure_ascii=False
    )
    assert "HUANCAVELICA" in page and "TAYACAJA" in page and "red=13_01" in page  # a Red opens its MicroRedes
    page = json.dumps(
        [c.to_plotly_json() for c in calidad.content(warehouse(), f.with_(red="13_01"), "09")],
        default=str,
        ensure_ascii=False,
    )
    assert "ASCENSION" in page and "ACORIA" in page
    territory = json.dumps(
        [c.to_plotly_json() for c in calidad.content(warehouse(), f.with_(tree="territorio"), "09")],
        default=str,
    )
    assert "provincia=0902" in territory and "red=13_01" not in territory
