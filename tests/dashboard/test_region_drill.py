"""The region page's drill-down as a manager acts on it, on the small fixture warehouse with the real callbacks:
rows open their own breakdown when clicked, a province's whole facility list comes stock-outs first, and a figure
below its indicator's minimum n shows "muestra pequeña" on screen and in the download."""

from __future__ import annotations

import csv
import io

from dash import no_update

from dashboard import context
from dashboard.pages import region_drill
from dashboard.state import parse
from dashboard.views.drill import drill_table
from tests.dashboard.test_network_drill import grid

SEARCH = "?periodo=2026-09"
MONTH = "2026-09-01"


def test_clicking_a_row_opens_its_breakdown(app, sql):
    province = grid(region_drill.drill_content(context.warehouse(), parse(SEARCH), "10"))[0]["code"]
    got = region_drill.open_row({"rowId": province}, SEARCH, "/region/10")
    assert parse(got).province == province and parse(got).district is None
    search = f"{SEARCH}&provincia={province}"
    district = grid(region_drill.drill_content(context.warehouse(), parse(search), "10"))[0]["code"]
    assert parse(region_drill.open_row({"rowId": district}, search, "/region/10")).district == district
    # A facility is the last level; another region's province (a forged click) opens nothing.
    facility_search = f"{search}&distrito={district}"
    assert region_drill.open_row({"rowId": "00000001"}, facility_search, "/region/10") is no_update
    assert region_drill.open_row({"rowId": "0901"}, SEARCH, "/region/10") is no_update
    assert region_drill.open_row({"rowId": province}, SEARCH, "/region/99") is no_update


def test_a_provinces_whole_facility_list_comes_stock_outs_first(app, sql):
    region_code = "10"
    ((province, n),) = sql(
        "select d.province_code, count(*) from mart_indicator_status as s join core_facility as f "
        "on f.cod_ipress = s.territory_code join core_district as d on d.ubigeo = f.ubigeo "
        "where s.indicator_code = 'PAN_I_SULFATO_JARABE' and s.territory_level = 'eess' and s.period = ? "
        "and s.region_code = ? group by 1 order by count(*) filter (where s.stock_class = 'desabastecido') desc, "
        "2 desc limit 1",
        MONTH,
        region_code,
    )
    search = f"{SEARCH}&indicador=PAN_I_SULFATO_JARABE&provincia={province}&establecimientos=todos"
    f = parse(search)
    df = drill_table(context.warehouse(), f, region_code)
    assert len(df) == n and set(df.territory_level) == {"eess"}
    classes = list(df.stock_class)
    assert "desabastecido" in classes
    out = classes.count("desabastecido")
    assert classes[:out] == ["desabastecido"] * out  # every stock-out before any other facility
    # On the page: the facility grid (with district and MicroRed columns) and the way back to the districts.
    content = region_drill.drill_content(context.warehouse(), f, region_code)
    rows = grid(content)
    assert [r["code"] for r in rows] == list(df.territory_code)
    assert all(r["district"] for r in rows)
    links = [c for c in _walk(content) if type(c).__name__ == "Link"]
    assert any(
        "establecimientos=" not in (c.href or "") and c.children == "Ver por distrito" for c in links
    ), [(c.href, c.children) for c in links]
    # Its download is the same list; choosing a district leaves the whole-list mode.
    body = app.server.test_client().get(f"/export/region-detalle/{region_code}.csv{search}").data
    table = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [r["Código"] for r in table] == list(df.territory_code)
    district = context.warehouse().snapshot.children_of(province).territory_code.iloc[0]
    chosen = region_drill.choose_drill(
        "PAN_I_SULFATO_JARABE", "territorio", province, district, None, None, search
    )
    assert parse(chosen).district == district and parse(chosen).facilities is None
    moved = region_drill.choose_drill("PAN_I_SULFATO_JARABE", "territorio", None, None, None, None, search)
    assert parse(moved).facilities is None


def test_a_figure_below_its_minimum_n_shows_muestra_pequena_on_screen_and_in_the_download(app, sql):
    small = sql(
        "select region_code, parent_code, territory_code, denominator from mart_indicator_status "
        "where indicator_code = 'PAN_P_GESTANTE' and territory_level = 'distrito' and period = ? "
        "and denominator < 30 order by denominator limit 1",
        MONTH,
    )
    assert small, "the fixture has districts with fewer than 30 expected pregnancies"
    ((region_code, province, district, n),) = small
    search = f"{SEARCH}&indicador=PAN_P_GESTANTE&provincia={province}"
    rows = {
        r["code"]: r
        for r in grid(region_drill.drill_content(context.warehouse(), parse(search), region_code))
    }
    row = rows[district]
    assert row["status"] == "muestra_pequena" and row["status_label"] == "Muestra pequeña"
    assert abs(row["denominator"] - round(n, 1)) < 1e-9 and row["value"] is not None  # value and n stay
    body = app.server.test_client().get(f"/export/region-detalle/{region_code}.csv{search}").data
    table = {r["Código"]: r for r in csv.DictReader(io.StringIO(body.decode("utf-8-sig")))}
    assert table[district]["Estado"] == "Muestra pequeña"
    # Every held-back row of the grid is one the warehouse counts below the minimum, and vice versa.
    held = {c for c, r in rows.items() if r["status"] == "muestra_pequena"}
    below = {
        c
        for (c,) in sql(
            "select territory_code from mart_indicator_status where indicator_code = 'PAN_P_GESTANTE' "
            "and territory_level = 'distrito' and parent_code = ? and period = ? and denominator < 30",
            province,
            MONTH,
        )
    }
    assert held == below


def _walk(component):
    if isinstance(component, list):
        for c in component:
            yield from _walk(c)
        return
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children] if children is not None else []:
        yield from _walk(child)
