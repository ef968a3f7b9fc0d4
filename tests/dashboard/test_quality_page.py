"""The Calidad de datos page against the demo warehouse: its lights and heat-map come from the completeness rows,
its tables equal their downloads, a facility's light in the drill-down carries the quality mark of its value, and
a regional server neither shows nor serves the load history and quarantine."""

from __future__ import annotations

import csv
import html
import io

import pytest
from dash.exceptions import PreventUpdate

from dashboard import context
from dashboard import format as fmt
from dashboard.components.paged_grid import first_request
from dashboard.pages import calidad, region_drill
from dashboard.state import parse
from dashboard.views import VIEWS as TABLES
from dashboard.views import frame
from dashboard.views.quality import QUALITY_COMPLETENESS
from tests.dashboard.clients import crafted
from tests.dashboard.page_nodes import walk
from tests.dashboard.test_budget_page import _csv, grid
from tests.dashboard.test_callbacks import PERIOD, texts
from warehouse import query
from warehouse.rules import status


def page(search: str, arg: str | None = None):
    return calidad.layout(context.warehouse(), parse(search), arg)


def text_of(content) -> str:
    """All the text a page would show, its blocks of HTML unescaped (a link's ``&`` as the browser reads it)."""
    return html.unescape(texts(content))


def heat_maps(content) -> list:
    """The page's heat-map tables (completeness, timeliness), sent as HTML (components.markup)."""
    return [c for c in walk(content) if getattr(c, "className", None) == "heatmap"]


def grid_rows(
    grid_id: str, search: str, arg: str | None = None, page_rows: int = 50, **request
) -> list[dict]:
    """Every row a paged grid shows, asked page by page as the grid asks (its rows callback); ``request``: the
    grid's sortModel and filterModel."""
    pathname = "/calidad" + (f"/{arg}" if arg else "")
    rows: list[dict] = []
    while True:
        ask = {"startRow": len(rows), "endRow": len(rows) + page_rows, **request}
        answer = calidad.grid_rows(grid_id, ask, search, pathname).answer
        rows += answer["rowData"]
        if len(rows) >= answer["rowCount"] or not answer["rowData"]:
            assert len(rows) == answer["rowCount"]
            return rows


@pytest.mark.demo
def test_heat_map_and_lights_come_from_the_completeness_rows(app, sql):
    content = page(f"?periodo={PERIOD}")
    text = text_of(content)
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
    heat = heat_maps(content)
    assert len(heat) == 2
    head, body = heat[0].children
    assert len(head.children[0].children) == 1 + 12 and len(body.children) == 26
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
        assert grid(page(f"?periodo={PERIOD}", arg), grid_id).rowModelType == "infinite"  # no rows inside
        shown = grid_rows(grid_id, f"?periodo={PERIOD}", arg)
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
    assert grid(layout, "quality-batches").rowModelType == "infinite"
    assert grid_rows("quality-batches", f"?periodo={PERIOD}", "10")
    updated = calidad.update(f"?periodo={PERIOD}&provincia=1001", "/calidad/10")
    ids = {c.id for c in walk(updated) if isinstance(getattr(c, "id", None), str)}
    assert {"quality-kpis", "quality-completeness", "quality-missing-panel", "quality-outliers-panel"} <= ids
    assert "quality-batches-panel" not in ids and "quality-quarantine-panel" not in ids  # the whole history


def test_a_regional_server_keeps_the_load_history_to_itself(huancavelica_only):
    client = huancavelica_only.server.test_client()
    assert client.get(f"/export/calidad-cargas.csv?periodo={PERIOD}").status_code == 404
    assert client.get(f"/export/calidad-cuarentena.csv?periodo={PERIOD}").status_code == 404
    text = text_of(calidad.layout(context.warehouse(), parse(f"?periodo={PERIOD}"), None))
    assert "Historial de cargas" not in text and "Huancavelica" in text and "Ayacucho" not in text


def test_a_region_breaks_down_to_provinces_and_a_province_to_districts(app, sql):
    regional = text_of(page(f"?periodo={PERIOD}", "10"))
    assert f"/calidad/10?periodo={PERIOD}&provincia=1001" in regional  # each province opens its districts
    content = page(f"?periodo={PERIOD}&provincia=1001", "10")
    rows = {r.children[0].children for r in heat_maps(content)[0].children[1].children}
    ((districts,),) = sql(
        "select count(distinct territory_code) from mart_indicator_agg where territory_level = 'distrito' "
        "and parent_code = '1001' and period = ?",
        f"{PERIOD}-01",
    )
    assert len(rows) == districts > 0
    assert "Calidad de datos · Huánuco · HUANUCO" in text_of(content)


@pytest.mark.demo
def test_a_province_narrows_the_lists_and_only_the_program_counts(app, sql):
    wh = context.warehouse()
    whole = grid_rows("quality-outliers", f"?periodo={PERIOD}", "10")
    province = grid_rows("quality-outliers", f"?periodo={PERIOD}&provincia=1003", "10")
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


def test_each_heat_map_cell_is_its_row_lit_by_its_status(app):
    wh = context.warehouse()
    rows = frame(QUALITY_COMPLETENESS, wh, parse(f"?periodo={PERIOD}"), None)
    assert len(rows) > 0
    completeness, timeliness = heat_maps(page(f"?periodo={PERIOD}"))
    for table, value, state in (
        (completeness, "completeness_pct", "completeness_status"),
        (timeliness, "timeliness_pct", "timeliness_status"),
    ):
        head, body = table.children
        months = [th.children for th in head.children[0].children[1:]]
        by_name = {
            tr.children[0].children[0].children: tr.children[1:] for tr in body.children
        }  # the name's link
        for r in rows.itertuples():
            td = by_name[r.name][months.index(fmt.month(r.period, "es", short=True))]
            light = status(getattr(r, state))
            assert td.className == f"heat light-{light.code}"
            assert td.children == f"{light.glyph} {fmt.number(getattr(r, value), 0)}"
            assert td.attrs["title"] == (
                f"{light.label.get('es')} · recibidos {fmt.number(r.reporting, 0)} de "
                f"{fmt.number(r.expected, 0)} · a tiempo {fmt.number(r.on_time, 0)}"
            )


@pytest.mark.demo
def test_a_paged_grid_sorts_filters_and_pages_every_row_on_the_server(app):
    search, path = f"?periodo={PERIOD}", "/calidad"
    every = grid_rows("quality-outliers", search)
    assert len(every) > 7
    # in pages of 7, the same rows in the same order as in pages of 50
    assert grid_rows("quality-outliers", search, page_rows=7) == every
    # sorted by a column, largest first and empty values last: the same rows, reordered
    by_value = grid_rows("quality-outliers", search, sortModel=[{"colId": "value", "sort": "desc"}])
    key = lambda r: (r["cod_ipress"], r["indicator"])  # noqa: E731
    assert sorted(map(key, by_value)) == sorted(map(key, every))
    values = [r["value"] for r in by_value]
    present = [v for v in values if v is not None]
    assert present == sorted(present, reverse=True) and values[: len(present)] == present
    # the grid's text filter (case-insensitive "contains"), applied to every row before paging
    needle = every[len(every) // 2]["facility_name"][1:6].upper()
    hits = grid_rows(
        "quality-outliers",
        search,
        filterModel={"facility_name": {"filterType": "text", "type": "contains", "filter": needle}},
    )
    assert hits and hits == [r for r in every if needle.lower() in r["facility_name"].lower()]
    # two conditions joined by OR
    other = every[0]["facility_name"]
    either = grid_rows(
        "quality-outliers",
        search,
        filterModel={
            "facility_name": {
                "filterType": "text",
                "operator": "OR",
                "conditions": [
                    {"filterType": "text", "type": "equals", "filter": other},
                    {"filterType": "text", "type": "contains", "filter": needle},
                ],
            }
        },
    )
    assert either == [
        r for r in every if r["facility_name"] == other or needle.lower() in r["facility_name"].lower()
    ]
    # what only a script would send: no answer (Dash's 204), never a guess
    for bad in (
        None,
        {"startRow": 0, "endRow": 100_000},
        {"startRow": 5, "endRow": 5},
        {"startRow": 0, "endRow": 50, "sortModel": [{"colId": "batch_id", "sort": "asc"}]},  # not on screen
        {"startRow": 0, "endRow": 50, "filterModel": {"value": {"type": "contains", "filter": "1"}}},
        {"startRow": 0, "endRow": 50, "filterModel": {"facility_name": {"type": "regex", "filter": ".*"}}},
        {"startRow": 0, "endRow": 50, "filterModel": []},
    ):
        with pytest.raises(PreventUpdate):
            calidad.grid_rows("quality-outliers", bad, search, path)


@pytest.mark.demo
def test_each_grid_s_first_page_and_count_come_with_the_page_and_the_server_answers_the_rest(app):
    c = app.server.test_client()
    search, path = f"?periodo={PERIOD}", "/calidad/10"
    every = grid_rows("quality-outliers", search, "10")
    assert len(every) > 50
    counted = f"{len(every):,} filas (de a 50 por página; todas en las descargas)"
    content = page(search, "10")
    # every grid's first page is in the page, as the server answers the grid's first request (so the browser
    # answers that request itself, assets/calidad.js), with the line counting its rows written already
    for grid_id in calidad.GRIDS:
        ids = {c.id for c in walk(content) if isinstance(getattr(c, "id", None), str)}
        if calidad.grid_rows(grid_id, first_request(), search, path).total == 0:  # it says so, with no grid
            assert grid_id not in ids and f"{grid_id}-count" in ids
            continue
        first = grid(content, f"{grid_id}-first").data
        assert first["request"] == first_request()
        served = calidad.grid_rows(grid_id, first_request(), search, path)
        assert first["answer"] == served.answer
        told = list(calidad.count_line(grid_id, served, "es"))
        assert first["told"] == told
        line = grid(content, f"{grid_id}-count")
        assert [line.children, line.className] == told
    assert grid(content, "quality-outliers-first").data["answer"]["rowData"] == every[:50]
    assert grid(content, "quality-outliers-count").children == counted
    kpis = grid(content, "quality-kpis")
    assert f'"{len(every):,}"' in texts(kpis)  # the suspect values' KPI: all of them
    # the browser asks the server only through the grid's ask store, never for the first page on its own
    deps = c.get("/_dash-dependencies").get_json()
    listening = [d for d in deps if any(i["id"] == "quality-outliers" for i in d["inputs"])]
    assert [d.get("clientside_function", {}).get("function_name") for d in listening] == ["firstPage"]
    assert [s["id"] for s in listening[0]["state"]] == ["quality-outliers-first"]
    ask = {**first_request(), "startRow": 50, "endRow": 100}
    values = {("quality-outliers-ask", "data"): ask, ("url", "search"): search, ("url", "pathname"): path}
    later = crafted(c, "quality-outliers.getRowsResponse", values).get_json()["response"]
    assert set(later) == {"quality-outliers"}  # a later page carries its rows only
    assert later["quality-outliers"]["getRowsResponse"]["rowData"] == every[50:100]
    # with the grid's filters: how many pass, of how many
    name = every[0]["facility_name"]
    values[("quality-outliers-ask", "data")] = {
        **first_request(),
        "filterModel": {"facility_name": {"filterType": "text", "type": "equals", "filter": name}},
    }
    filtered = crafted(c, "quality-outliers.getRowsResponse", values).get_json()["response"]
    shown = sum(1 for x in every if x["facility_name"] == name)
    assert filtered["quality-outliers-count"]["children"] == (
        f"{shown:,} de {len(every):,} filas con los filtros de la tabla"
    )


def test_an_empty_grid_says_so_above_it():
    empty = calidad.GridPage({"rowData": [], "rowCount": 0}, 0)
    assert calidad.count_line("quality-quarantine", empty, "es") == (
        "Ninguna fila en cuarentena: todos los archivos se cargaron enteros.",
        "hint grid-count grid-empty",
    )
    assert calidad.count_line("quality-missing", empty, "en")[1] == "hint grid-count grid-empty"
    some = calidad.GridPage({"rowData": [{}], "rowCount": 1200}, 1200)
    assert calidad.count_line("quality-missing", some, "en") == (
        "1,200 rows (50 a page; all of them in the downloads)",
        "hint grid-count",
    )
