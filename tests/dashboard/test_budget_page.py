"""The Presupuesto page against the demo warehouse: the grid shows exactly the rows its downloads write, the pace
light is the one rule the status view applies, bottlenecks come first, the choosers and the region filter write
the URL, and the print view holds the whole scorecard."""

from __future__ import annotations

import csv
import io
import re

import pytest
from dash import no_update

from dashboard import context
from dashboard.pages import presupuesto
from dashboard.state import parse
from dashboard.views import VIEWS as TABLES
from tests.dashboard.test_callbacks import PERIOD, _sync, _walk, texts


def grid(component, grid_id: str):
    return next(c for c in _walk(component) if getattr(c, "id", None) == grid_id)


def page(search: str, region: str | None = None):
    return presupuesto.layout(context.warehouse(), parse(search), region)


@pytest.mark.demo
def test_the_grid_holds_exactly_the_rows_of_its_downloads(app):
    client = app.server.test_client()
    for table, grid_id, region in (
        ("presupuesto-productos", "budget-products", "09"),
        ("presupuesto-unidades", "budget-units", None),
        ("presupuesto-regiones", "budget-regions", "09"),
        ("presupuesto-meses", "budget-months", "09"),
        ("presupuesto-cambio", "budget-change", None),
    ):
        search = f"?periodo={PERIOD}&producto=PAN_P_CRED"
        shown = grid(page(search, region), grid_id).rowData
        path = f"/export/{table}" + (f"/{region}" if region else "") + f".csv{search}"
        downloaded = list(csv.DictReader(io.StringIO(client.get(path).data.decode("utf-8-sig"))))
        assert len(shown) == len(downloaded) > 0, table
        for key in list(shown[0])[:3]:  # the first columns on screen, in the same order in the file
            heading = TABLES[table].column(key).label.get("es")
            assert [_csv(r[key]) for r in shown] == [r[heading] for r in downloaded], (table, key)


def _csv(value) -> str:
    return "" if value is None else str(value)


def test_total_row_is_lit_by_the_same_rule_as_the_budget_indicator(app, sql):
    products = grid(page(f"?periodo={PERIOD}", "09"), "budget-products").rowData
    total = products[-1]
    assert total["product_code"] is None and total["product_name"] == "Total del programa"
    ((value, pim, status),) = sql(
        "select value, denominator, status from mart_status_top where indicator_code = 'PAN_B_TOTAL' "
        "and territory_code = '09' and period = ?",
        f"{PERIOD}-01",
    )
    assert round(value, 3) == total["execution_pct"] and round(pim, 3) == total["pim"]
    assert status == total["pace_status"]
    assert total["pim"] == round(sum(r["pim"] for r in products[:-1]), 3)


def test_bottlenecks_come_first_and_are_named_with_their_reason(app):
    content = page(f"?periodo={PERIOD}")  # the country: in the demo, execution lags and so does coverage
    rows = grid(content, "budget-products").rowData
    flags = [r["bottleneck"] for r in rows]
    assert flags == sorted(flags, reverse=True) and any(flags)
    for r in rows:
        lagging = {"critico", "en_riesgo"}
        assert r["bottleneck"] == (r["pace_status"] in lagging and r["coverage_status"] in lagging)
    listed = texts(grid(content, "budget-bottlenecks"))
    first = next(r for r in rows if r["bottleneck"])
    assert first["product_name"] in listed and "esperado" in listed


@pytest.mark.demo
def test_product_and_base_year_choosers_write_the_url(app):
    assert presupuesto.choose_product("PAN_P_HIERRO", f"?periodo={PERIOD}") == (
        f"?periodo={PERIOD}&producto=PAN_P_HIERRO"
    )
    assert (
        presupuesto.choose_product("all", f"?periodo={PERIOD}&producto=PAN_P_HIERRO") == f"?periodo={PERIOD}"
    )
    # The default base year is left out of the link; another one goes in.
    wh = context.warehouse()
    scope = presupuesto.budget_scope(wh, parse(f"?periodo={PERIOD}"), None)
    base, last = presupuesto.change_years(wh, parse(f"?periodo={PERIOD}"), scope)
    assert base < last <= int(PERIOD[:4])
    assert presupuesto.choose_since(str(base), f"?periodo={PERIOD}", "/presupuesto") is no_update
    assert presupuesto.choose_since(str(base + 1), f"?periodo={PERIOD}", "/presupuesto") == (
        f"?periodo={PERIOD}&desde={base + 1}"
    )
    text = texts(page(f"?periodo={PERIOD}&desde={base + 1}&producto=PAN_P_CRED"))
    assert f"De {base + 1} a {last}" in text and "CRED completo" in text


def test_region_filter_moves_within_the_budget_page(app):
    assert (
        _sync(f"?periodo={PERIOD}", "/presupuesto", region="09", trigger="f-region")[1].split("?")[0]
        == "/presupuesto/09"
    )
    assert (
        _sync(f"?periodo={PERIOD}", "/presupuesto/09", region="PE", trigger="f-region")[1].split("?")[0]
        == "/presupuesto"
    )
    assert _sync(f"?periodo={PERIOD}", "/presupuesto/09", trigger="url")[-1] == "09"


def test_a_year_without_budget_says_so(app):
    text = texts(page("?periodo=2019"))
    assert "No hay ejecución presupuestal cargada del programa para 2019" in text


def test_print_view_holds_the_whole_scorecard_with_legend_and_sources(app):
    r = app.server.test_client().get(f"/imprimir?periodo={PERIOD}")
    assert r.status_code == 200
    html = r.data.decode()
    assert "size: A4 landscape" in html
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    assert body.count("<tr") == 27  # the country and the 26 regions
    assert "Huancavelica" in body and "Lima Metropolitana" in body
    for word in ("Crítico", "En riesgo", "Adecuado", "Referencial", "No reportado", "Sin datos"):
        assert word in html
    assert re.search(r"presupuesto \(MEF–SIAF\) 2026-09 \(gasto_2026\.csv", html)
    assert "setiembre 2026" in html


@pytest.mark.demo
def test_a_regional_server_names_only_its_own_executing_units(huancavelica_only):
    client = huancavelica_only.server.test_client()
    units = csv.DictReader(
        io.StringIO(client.get(f"/export/presupuesto-unidades.csv?periodo={PERIOD}").data.decode("utf-8-sig"))
    )
    regions = csv.DictReader(
        io.StringIO(client.get(f"/export/presupuesto-regiones.csv?periodo={PERIOD}").data.decode("utf-8-sig"))
    )
    # The units listed, and only their lines in Huancavelica: together exactly the region's PIM.
    own = next(r for r in regions if r["Código"] == "09")
    assert round(sum(float(u["PIM (S/)"]) for u in units), 2) == float(own["PIM (S/)"])
    assert client.get(f"/export/presupuesto-unidades/05.csv?periodo={PERIOD}").status_code == 404
    change = client.get(f"/export/presupuesto-cambio.csv?periodo={PERIOD}").data.decode("utf-8-sig")
    assert {row["Región"] for row in csv.DictReader(io.StringIO(change))} == {"Huancavelica"}
