"""What the app's server answers besides pages: exports (CSV, Excel, JSON agree with each other and with the
warehouse), unknown pages, and a server restricted to one region (a regional manager's)."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from click.testing import CliRunner
from dash import no_update

from dashboard import app as shell
from dashboard import context
from dashboard.app import create_app, route
from dashboard.views import VIEWS
from dashboard.views.model import on_screen
from semaforo.cli import main
from tests.dashboard.test_callbacks import PERIOD, _sync, texts


@pytest.fixture
def client(app):
    return app.server.test_client()


def test_csv_export_is_what_the_warehouse_holds(client, sql):
    r = client.get(f"/export/resumen.csv?periodo={PERIOD}")
    assert r.status_code == 200
    assert r.headers["Content-Disposition"] == f'attachment; filename="semaforo_0001_{PERIOD}.csv"'
    body = r.data
    assert body.startswith(b"\xef\xbb\xbf")  # BOM: Excel in Spanish opens the accents right
    table = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert list(table[0])[:4] == ["territorio_codigo", "territorio", "indicador_codigo", "indicador"]
    row = next(t for t in table if t["territorio_codigo"] == "09" and t["indicador_codigo"] == "PAN_DCI")
    ((value, status, year),) = sql(
        "select value, status, year(period) from mart_indicator_status where indicator_code = 'PAN_DCI' "
        "and territory_code = '09' order by period desc limit 1"
    )
    assert float(row["valor"]) == round(value, 3)
    assert row["periodo"] == str(year)
    assert row["estado"] == {"critico": "Crítico", "en_riesgo": "En riesgo", "adecuado": "Adecuado"}[status]
    assert row["territorio"] == "Huancavelica" and row["fuente"] == "ENDES"
    territories = {t["territorio_codigo"] for t in table}
    assert len(territories) == 27  # the country and the 26 regions


def test_excel_and_json_exports_hold_the_same_rows_as_the_csv(client):
    text = client.get(f"/export/resumen.csv?periodo={PERIOD}&lang=en").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/export/resumen.xlsx?periodo={PERIOD}&lang=en").data)
    )
    sheet = [["" if v is None else str(v) for v in r] for r in book.active.iter_rows(values_only=True)]
    view = VIEWS["resumen"]
    assert rows[0] == [c.heading("en") for c in view.columns] and "territory_code" in rows[0]  # names
    assert sheet[0] == [c.label.get("en") for c in view.columns] and "Territory code" in sheet[0]  # labels
    assert len(sheet) == len(rows)
    # Same cells: numbers compared as numbers (Excel keeps 12.0 as a number, the CSV writes "12.0"), the
    # workbook's rounded as on screen.
    kinds = [c.kind for c in view.columns]
    for a, b in zip(sheet[1:], rows[1:], strict=True):
        for x, y, kind in zip(a, b, kinds, strict=True):
            assert (
                x == y
                or (x and y and float(x) == on_screen(float(y), kind))
                or {x, y} <= {"True", "true", "False", "false"}
            )
    records = json.loads(client.get(f"/api/resumen.json?periodo={PERIOD}").data)
    assert len(records) == len(rows) - 1


def test_indicator_export_and_unknown_indicator(client):
    r = client.get(f"/export/indicador/PAN_DCI.csv?periodo={PERIOD}")
    assert r.status_code == 200 and b"PAN_DCI" in r.data
    assert client.get("/export/indicador/NO_EXISTE.csv").status_code == 404


def test_unknown_page_says_so_and_links_home(app):
    children, key = route("/no-existe", "?periodo=2026-09", None)
    shown = texts(children)
    assert "Página no encontrada" in shown and "Volver al resumen nacional" in shown
    assert key == "404:"


def test_a_regional_server_shows_only_its_region(huancavelica_only):
    records = json.loads(
        huancavelica_only.server.test_client().get(f"/api/resumen.json?periodo={PERIOD}").data
    )
    assert {r["territorio_codigo"] for r in records} == {"PE", "09"}
    other, _key = route("/region/05", f"?periodo={PERIOD}", None)
    assert "Ayacucho" not in texts(other)
    own, _key = route("/region/09", f"?periodo={PERIOD}", None)
    assert "Cadena causal" in texts(own)


def test_serve_refuses_unknown_regions_without_a_traceback(small_db):
    r = CliRunner().invoke(main, ["serve", "--db", str(small_db), "--regiones", "09,XX"])
    assert r.exit_code == 4
    assert "regiones desconocidas: XX" in r.output and "Traceback" not in r.output


def test_every_app_in_a_process_gets_every_callback(app, small_db):
    """dash.callback gives its callbacks to the first app only; ours are registered on each app."""
    previous = context.warehouse()
    try:
        second = create_app(small_db)
        for a in (app, second):
            a.server.test_client().get("/")
        first_ids, second_ids = set(app.callback_map), set(second.callback_map)
        assert first_ids == second_ids and any("resumen-heading.children" in k for k in second_ids)
    finally:
        context.set_warehouse(previous)


def test_stale_links_open_something_sensible(app, client):
    # An unknown program opens the first one (its name shows) instead of an error page; its export is a 404.
    page, _key = route("/", "?programa=9999", None)
    assert "Programa Articulado Nutricional" in texts(page)
    assert client.get("/export/resumen.csv?programa=9999").status_code == 404
    assert client.get("/export/resumen.csv?periodo=1999-01").status_code == 404
    assert (
        client.get(f"/export/resumen.csv?periodo={PERIOD}").headers["Content-Type"]
        == "text/csv; charset=utf-8"
    )
    # An unknown region leaves the filter bar on the country, never on a region called "None".
    assert _sync(f"?periodo={PERIOD}", "/region/99", region=None)[-1] == shell.NATIONAL
    _search, path, *_ = _sync(f"?periodo={PERIOD}", "/region/09", region=None, trigger="f-region")
    assert path.split("?")[0] == "/"  # a cleared region dropdown means the country (opened as a page load)


def test_opening_a_region_does_not_push_its_default_drill_indicator_into_history(app):
    from dashboard.pages import region_drill

    f = context.filters(f"?periodo={PERIOD}")
    default = region_drill.drill_indicator(context.warehouse(), f).code
    assert (
        region_drill.choose_drill(default, "territorio", None, None, None, None, f"?periodo={PERIOD}")
        is no_update
    )
    other = "PAN_P_CRED" if default != "PAN_P_CRED" else "PAN_P_VACUNA"
    assert f"indicador={other}" in region_drill.choose_drill(
        other, "territorio", None, None, None, None, f"?periodo={PERIOD}"
    )


def test_equivalent_links_are_never_rewritten_so_back_always_leaves_a_page(app):
    """?lang=es says what ? says: rewriting one into the other pushed a history entry, and Back returned to the
    first, which was rewritten again (a tester was trapped on /region/10 after clicking the map from /?lang=es)."""
    from dashboard.pages import region_drill

    f = context.filters("?lang=es")
    default = region_drill.drill_indicator(context.warehouse(), f).code
    assert region_drill.choose_drill(default, "territorio", None, None, None, None, "?lang=es") is no_update
    search, path, *_ = _sync("?lang=es", "/region/10", period=None, region="10", trigger="f-level")
    assert search is no_update and path is no_update
    # A real change is still written, in the canonical form.
    search, *_ = _sync("?lang=es", "/region/10", period=None, level="product", region="10", trigger="f-level")
    assert search == "?nivel=product"


def test_a_period_without_data_opens_the_latest_and_the_filter_bar_says_so(app):
    page, _key = route("/", "?periodo=2030-01", None)
    assert "setiembre 2026" in texts(page) and "enero 2030" not in texts(page)
    assert _sync("?periodo=2030-01", "/", trigger="url")[4] == PERIOD  # the period dropdown shows it


def test_the_chain_level_filter_is_greyed_out_where_it_changes_nothing(app):
    assert shell.filters_disabled("/")[0] is False  # enabled on the summary (its scorecard and map)
    for path in ("/region/10", "/indicador/PAN_DCI", "/indicador", "/marco-logico"):
        assert shell.filters_disabled(path)[0] is True, path


def test_the_region_filter_stays_on_pages_of_every_region(app):
    """On an indicator's ranking and the logical framework the region filter singles the region out in place
    (?region=09, the country clears it): it never leaves for the region's page; elsewhere it opens the region's
    page."""
    for path in ("/indicador/PAN_DCI", "/indicador", "/marco-logico"):
        assert shell.filters_disabled(path)[1] is False, path
        search, new_path, *_ = _sync(
            "?periodo=2026-09", path, region="09", trigger="f-region", period="2026-09"
        )
        assert new_path is no_update and search == "?periodo=2026-09&region=09", path
        search, new_path, *_ = _sync(search, path, region="PE", trigger="f-region", period="2026-09")
        assert new_path is no_update and search == "?periodo=2026-09", path
        # and the filter bar shows the region the URL names
        assert _sync("?periodo=2026-09&region=09", path)[-1] == "09"
    for path in ("/", "/region/10", "/presupuesto", "/calidad/10"):
        assert shell.filters_disabled(path)[1] is False, path
    go = _sync("?periodo=2026-09", "/", region="09", trigger="f-region", period="2026-09")[1]
    assert go == "/region/09?periodo=2026-09"  # the region's page, opened as a page load with the filters
    assert _sync("?periodo=2026-09", "/calidad", region="09", trigger="f-region")[1].startswith(
        "/calidad/09?"
    )


@pytest.mark.demo
def test_a_survey_year_opens_its_survey_figures_and_says_which_year(app, client):
    # The period chooser offers survey years before the monthly records start: such a year shows its ENDES
    # estimates (monthly lights 'Sin datos'), its heading says the year, and its export is not a 404.
    page, _key = route("/", "?periodo=2012", None)
    shown = texts(page)
    assert "Programa Articulado Nutricional · 2012" in shown and "diciembre 2012" not in shown
    assert "datos de 2012" in shown
    assert client.get("/export/resumen.csv?periodo=2012").status_code == 200
    later, _key = route("/", "?periodo=2025", None)
    assert "· 2025 · diciembre 2025" in texts(later)
