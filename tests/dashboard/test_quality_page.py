"""The Calidad de datos page against the demo warehouse: its lights and heat-map come from the completeness rows,
its tables equal their downloads, a facility's light in the drill-down carries the quality mark of its value, and
a regional server neither shows nor serves the load history and quarantine."""

from __future__ import annotations

import csv
import io

import pytest

from dashboard import context
from dashboard.pages import calidad, region_drill
from dashboard.state import parse
from dashboard.views import VIEWS as TABLES
from tests.dashboard.test_budget_page import _csv, grid
from tests.dashboard.test_callbacks import PERIOD, _walk, texts
from warehouse import query


def page(search: str, arg: str | None = None):
    return calidad.layout(context.warehouse(), parse(search), arg)


@pytest.mark.demo
def test_heat_map_and_lights_come_from_the_completeness_rows(app, sql):
    content = page(f"?periodo={PERIOD}")
    text = texts(content)
    assert "Calidad de datos · Perú (nacional)" in text and "Completitud del reporte" in text
    # The national completeness is the regions' reports received over expected, in the month.
    ((reporting, expected),) = sql(
        "select sum(units_reporting), sum(units_expected) from mart_indicator_agg as a "
        "join core_indicator as i using (indicator_code) "
        "where i.feed in ('admin', 'stock') and i.program_code = '0001' and a.territory_level = 'region' "
        "and a.period = ?",
        f"{PERIOD}-01",
    )
    share = f"{100 * reporting / expected:,.1f} %"
    assert share in text and f"{reporting:,.0f} / {expected:,.0f}" in text
    # Two heat-maps (completeness, timeliness): twelve months × the 26 regions, each region linking to its page.
    heat = [c for c in _walk(content) if getattr(c, "className", None) == "heatmap"]
    assert len(heat) == 2
    head, body = heat[0].children
    assert len(head.children.children) == 1 + 12 and len(body.children) == 26
    for code in ("01", "10", "LM"):
        assert f"/calidad/{code}?periodo={PERIOD}" in text


@pytest.mark.demo
def test_quality_tables_equal_their_downloads(app):
    client = app.server.test_client()
    for table, grid_id, arg in (
        ("calidad-sin-reporte", "quality-missing", None),
        ("calidad-atipicos", "quality-outliers", "10"),
        ("calidad-triangulacion", "quality-triangulation", None),
        ("calidad-cargas", "quality-batches", None),
    ):
        shown = grid(page(f"?periodo={PERIOD}", arg), grid_id).rowData
        path = f"/export/{table}" + (f"/{arg}" if arg else "") + f".csv?periodo={PERIOD}"
        downloaded = list(csv.DictReader(io.StringIO(client.get(path).data.decode("utf-8-sig"))))
        assert len(shown) == len(downloaded) > 0, table
        for key in list(shown[0])[:3]:
            heading = TABLES[table].column(key).label.get("es")
            assert [_csv(r[key]) for r in shown] == [r[heading] for r in downloaded], (table, key)


@pytest.mark.demo
def test_a_suspect_facility_value_carries_the_mark_in_the_drill_down(app):
    wh = context.warehouse()
    period = wh.resolve_period("0001", PERIOD)
    flagged = query.quality_outliers(wh.cursor, "0001", period, "10")
    flagged = flagged[
        flagged.indicator_code.isin([i.code for i in wh.snapshot.catalogue.indicators_for(program="0001")])
    ]
    r = flagged.iloc[0]
    f = parse(f"?periodo={PERIOD}&provincia={r.ubigeo[:4]}&distrito={r.ubigeo}&indicador={r.indicator_code}")
    rows = grid(region_drill.drill_content(wh, f, "10"), "drill-grid").rowData
    mine = next(x for x in rows if x["code"] == r.cod_ipress)
    assert mine["value_text"].endswith("⚑") and "calidad del dato" in mine["detail"]
    assert all("⚑" not in x["value_text"] for x in rows if x["code"] not in set(flagged.cod_ipress))


def test_a_filter_change_sends_the_page_again_but_not_the_load_history(app):
    layout = page(f"?periodo={PERIOD}", "10")
    assert grid(layout, "quality-batches").rowData
    updated = calidad.update(f"?periodo={PERIOD}&provincia=1001", "/calidad/10")
    ids = {c.id for c in _walk(updated) if isinstance(getattr(c, "id", None), str)}
    assert {"quality-kpis", "quality-completeness", "quality-missing-panel", "quality-outliers-panel"} <= ids
    assert "quality-batches-panel" not in ids and "quality-quarantine-panel" not in ids  # the whole history


def test_a_regional_server_keeps_the_load_history_to_itself(huancavelica_only):
    client = huancavelica_only.server.test_client()
    assert client.get(f"/export/calidad-cargas.csv?periodo={PERIOD}").status_code == 404
    assert client.get(f"/export/calidad-cuarentena.csv?periodo={PERIOD}").status_code == 404
    text = texts(calidad.layout(context.warehouse(), parse(f"?periodo={PERIOD}"), None))
    assert "Historial de cargas" not in text and "Huancavelica" in text and "Ayacucho" not in text


def test_a_region_breaks_down_to_provinces_and_a_province_to_districts(app, sql):
    regional = texts(page(f"?periodo={PERIOD}", "10"))
    assert f"/calidad/10?periodo={PERIOD}&provincia=1001" in regional  # each province opens its districts
    content = page(f"?periodo={PERIOD}&provincia=1001", "10")
    heat = [c for c in _walk(content) if getattr(c, "className", None) == "heatmap"]
    rows = {r.children[0].children for r in heat[0].children[1].children}
    ((districts,),) = sql(
        "select count(distinct territory_code) from mart_indicator_agg where territory_level = 'distrito' "
        "and parent_code = '1001' and period = ?",
        f"{PERIOD}-01",
    )
    assert len(rows) == districts > 0
    assert "Calidad de datos · Huánuco · HUANUCO" in texts(content)


@pytest.mark.demo
def test_a_province_narrows_the_lists_and_only_the_program_counts(app, sql):
    wh = context.warehouse()
    whole = grid(page(f"?periodo={PERIOD}", "10"), "quality-outliers").rowData
    province = grid(page(f"?periodo={PERIOD}&provincia=1003", "10"), "quality-outliers").rowData
    assert 0 < len(province) < len(whole)
    codes = {r["cod_ipress"] for r in province}
    located = sql(
        "select cod_ipress, ubigeo from core_facility where list_contains(?, cod_ipress)", sorted(codes)
    )
    assert {u[:4] for _c, u in located} == {"1003"}
    # Only the program's indicators: the other program's never appear among PAN's suspect values.
    pan = {i.code for i in wh.snapshot.catalogue.indicators_for(program="0001")}
    flagged = query.quality_outliers(wh.cursor, "0001", wh.resolve_period("0001", PERIOD), "10")
    assert set(flagged.indicator_code) <= pan
