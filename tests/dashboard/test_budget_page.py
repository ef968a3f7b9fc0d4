"""The Presupuesto page against the demo warehouse: the grid shows exactly the rows its downloads write, the pace
light is the one rule the status view applies, bottlenecks come first, the choosers and the region filter write
the URL, and the print view holds the whole scorecard."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest
from dash import html, no_update

from dashboard import context
from dashboard import format as fmt
from dashboard.pages import budget_change, presupuesto
from dashboard.state import parse
from dashboard.views import VIEWS, frame
from dashboard.views import VIEWS as TABLES
from tests.dashboard.test_callbacks import PERIOD, _sync, _walk, texts


def grid(component, grid_id: str):
    return next(c for c in _walk(component) if getattr(c, "id", None) == grid_id)


def page(search: str, region: str | None = None):
    return presupuesto.layout(context.warehouse(), parse(search), region)


def change(search: str, region: str | None = None):
    """The money across years, as its own callback draws it once it comes into view."""
    return html.Div(budget_change.change_body(context.warehouse(), parse(search), region)[0])


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
        shown = grid((change if grid_id == "budget-change" else page)(search, region), grid_id).rowData
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


def test_bottlenecks_are_ranked_by_execution_gap_times_coverage_gap(app, sql):
    """Region × product, ranked: each row's gaps worked out again from the warehouse's own figures (the budget
    lines and the coverage lights), the score their product, ranks in the score's order, none for a product on
    pace or on target; the page lists the first five by name, above the grid of them all."""
    content = page(f"?periodo={PERIOD}")
    rows = grid(content, "budget-bottlenecks-grid").rowData
    assert len(rows) > 26  # every region × product with a coverage indicator, not only the flagged
    month = int(PERIOD[5:])
    ((expected,),) = sql("select expected_pct from core_budget_pace_rule where month = ?", month)
    lines = {
        (region, product): (pim, dev)
        for region, product, pim, dev in sql(
            "select region_code, product_code, sum(pim), sum(devengado) from core_budget_line "
            "where program_code = '0001' and year = ? and month <= ? group by all",
            int(PERIOD[:4]),
            month,
        )
    }
    ranked = [r for r in rows if r["bottleneck_rank"] is not None]
    assert 0 < len(ranked) < len(rows)  # ranked, not all flagged
    assert [r["bottleneck_rank"] for r in ranked] == sorted(r["bottleneck_rank"] for r in ranked)
    assert ranked[0]["bottleneck_rank"] == 1 and rows[: len(ranked)] == ranked  # the ranked first
    full = frame(VIEWS["presupuesto-cuellos"], context.warehouse(), parse(f"?periodo={PERIOD}"), None)
    for r in full.itertuples():
        pim, dev = lines[(r.region_code, r.product_code)]
        execution = 100 * dev / pim
        assert abs(r.execution_pct - execution) < 1e-9
        gap = max(expected - execution, 0)
        cover = None if pd.isna(r.coverage_value) else max(r.coverage_target - r.coverage_value, 0)
        assert abs(r.execution_gap - gap) < 1e-9
        if cover is not None:
            assert abs(r.bottleneck_score - gap * cover) < 1e-9
            assert pd.notna(r.bottleneck_rank) == (gap * cover > 0)  # no rank: not a bottleneck
    scores = full.bottleneck_score[full.bottleneck_rank.notna()]
    assert list(scores) == sorted(scores, reverse=True)
    listed = texts(grid(content, "budget-bottlenecks"))
    first = full.iloc[0]
    assert f"{first.region} · {first.element}" in listed and "esperado" in listed
    assert "brecha de ejecución" in listed  # the page's help states the ranking


def test_a_regions_bottlenecks_keep_their_national_rank_and_follow_the_product(app):
    wh = context.warehouse()
    everyone = frame(VIEWS["presupuesto-cuellos"], wh, parse(f"?periodo={PERIOD}"), None)
    mine = frame(VIEWS["presupuesto-cuellos"], wh, parse(f"?periodo={PERIOD}"), "09")
    assert set(mine.region_code) == {"09"} and len(mine) > 0
    national = everyone[everyone.region_code == "09"].reset_index(drop=True)
    assert mine.bottleneck_rank.equals(national.bottleneck_rank)
    iron = frame(VIEWS["presupuesto-cuellos"], wh, parse(f"?periodo={PERIOD}&producto=PAN_P_HIERRO"), None)
    assert set(iron.element_code) == {"PAN_P_HIERRO"} if "element_code" in iron else len(iron) > 0


def test_the_kpi_row_follows_the_product_filter_and_says_so(app):
    whole = page(f"?periodo={PERIOD}", "09")
    iron = page(f"?periodo={PERIOD}&producto=PAN_P_HIERRO", "09")
    assert "Cifras de todo el programa" in texts(grid(whole, "budget-kpis-scope"))
    assert "Cifras del producto" in texts(grid(iron, "budget-kpis-scope"))
    months = grid(iron, "budget-months").rowData
    kpi = texts(grid(iron, "budget-kpis"))
    assert fmt.soles(months[-1]["pim"]) in kpi  # the product's PIM, not the program's
    assert texts(grid(whole, "budget-kpis")) != kpi


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
    text = texts(change(f"?periodo={PERIOD}&desde={base + 1}&producto=PAN_P_CRED"))
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


@pytest.mark.demo
def test_the_money_across_years_is_drawn_once_in_view_and_again_only_when_it_changes(app):
    laid = page(f"?periodo={PERIOD}", "09")
    ids = {c.id for c in _walk(laid) if isinstance(getattr(c, "id", None), str)}
    assert {"budget-change-panel", "budget-change-seen", "budget-page"} <= ids
    assert not {"budget-change", "budget-change-result", "budget-since"} & ids  # not computed for the answer
    with app.server.test_request_context("/"):
        assert budget_change.draw(None, f"?periodo={PERIOD}", "/presupuesto/09", None) == (no_update,) * 3
        body, hidden, key = budget_change.draw("?", f"?periodo={PERIOD}", "/presupuesto/09", None)
        drawn = {c.id for c in _walk(body) if isinstance(getattr(c, "id", None), str)}
        assert not hidden and "budget-change" in drawn
        assert texts(html.Div(body)) == texts(change(f"?periodo={PERIOD}", "09"))
        # Another month of the same year compares the same years: nothing to redraw; another product does.
        month = f"{PERIOD[:4]}-01"
        assert budget_change.draw("?", f"?periodo={month}", "/presupuesto/09", key) == (no_update,) * 3
        assert (
            budget_change.draw("?", f"?periodo={PERIOD}&producto=PAN_P_CRED", "/presupuesto/09", key)[2]
            != key
        )
        assert budget_change.draw("?", "?periodo=2019", "/presupuesto/09", key)[:2] == ([], True)
        assert budget_change.draw("?", f"?periodo={PERIOD}", "/region/09", None) == (no_update,) * 3
