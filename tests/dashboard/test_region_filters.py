"""The region filter on the pages of every region (issue 22 part 7): on /indicador and /marco-logico a region chosen
singles itself out on the same page (?region=09) — the indicator's page shows the region's own value, its place in
the ranking and its provinces; the logical framework the region's lights — read from the small fixture warehouse
and checked against it; the navigation carries the choice between these pages and the region's own."""

from __future__ import annotations

from dashboard import context
from dashboard import format as fmt
from dashboard.components.shell import nav_href
from dashboard.pages import PAGES, indicador, marco_logico
from dashboard.state import parse
from tests.dashboard.test_callbacks import _walk, texts

SEARCH = "?periodo=2026-09"
MONTH = "2026-09-01"
PAGE = {p.key: p for p in PAGES}


def _by_id(component, id_: str):
    return next((c for c in _walk(component) if getattr(c, "id", None) == id_), None)


def test_the_indicator_page_singles_out_the_region_chosen(app, sql):
    wh = context.warehouse()
    body = indicador.layout(wh, parse(SEARCH + "&region=09"), "PAN_P_CRED")
    panel = _by_id(body, "indicator-region")
    assert panel is not None
    ((value, status, n),) = sql(
        "select value, status, denominator from mart_indicator_status where indicator_code = 'PAN_P_CRED' "
        "and territory_code = '09' and period = ?",
        MONTH,
    )
    shown = texts(panel)
    assert "Huancavelica en este indicador" in shown and fmt.value(value, "pct") in shown
    assert f"light light-{status}" in shown  # its own light, as the warehouse lit it
    assert f"n = {fmt.number(n, 0)}" in shown
    # Its place among the regions, worst first (higher is better here: the lowest value is place 1).
    values = dict(
        sql(
            "select territory_code, value from mart_indicator_status where indicator_code = 'PAN_P_CRED' "
            "and territory_level = 'region' and period = ? and value is not null",
            MONTH,
        )
    )
    place = 1 + sum(v < values["09"] for v in values.values())
    assert f"puesto {place} de {len(values)} regiones" in texts(_by_id(panel, "indicator-place"))
    # Its provinces, as the region page's drill-down has them, and the way to that breakdown.
    provinces = {
        c
        for (c,) in sql(
            "select territory_code from core_territory where parent_code = '09' and territory_level = 'provincia'"
        )
    }
    grid = _by_id(panel, "indicator-provinces")
    assert {r["code"] for r in grid.rowData} == provinces and "drill-clickable" not in grid.className
    link = _by_id(panel, "indicator-region-link").href
    assert link.startswith("/region/09?") and "indicador=PAN_P_CRED" in link and "region=" not in link
    # The table pins the region under the country; the ranking outlines and names it in bold.
    table = _by_id(body, "indicator-grid")
    names = wh.snapshot.names
    pinned = [r["territory"] for r in table.dashGridOptions["pinnedTopRowData"]]
    assert pinned == [names["PE"], names["09"]]
    ranking = _by_id(body, "indicator-ranking").figure
    assert "<b>Huancavelica</b>" in ranking["layout"]["yaxis"]["ticktext"]
    assert "Huancavelica" in ranking["data"][0]["y"]  # the point itself keeps the plain name


def test_a_survey_indicator_says_why_it_has_no_provinces_and_a_forged_region_is_ignored(app):
    wh = context.warehouse()
    panel = _by_id(indicador.layout(wh, parse(SEARCH + "&region=09"), "PAN_DCI"), "indicator-region")
    assert "no se desagregan por provincia" in texts(panel) and _by_id(panel, "indicator-provinces") is None
    assert _by_id(indicador.layout(wh, parse(SEARCH + "&region=99"), "PAN_DCI"), "indicator-region") is None
    assert _by_id(indicador.layout(wh, parse(SEARCH), "PAN_DCI"), "indicator-region") is None


def test_the_logical_framework_shows_the_regions_lights(app, sql):
    wh = context.warehouse()
    regional = texts(marco_logico.layout(wh, parse(SEARCH + "&region=10"), None))
    national = texts(marco_logico.layout(wh, parse(SEARCH), None))
    assert "Situación en Huánuco" in regional and "Situación nacional" in national
    for code, expected in (("10", regional), ("PE", national)):
        for (value,) in sql(
            "select value from mart_indicator_status where indicator_code in ('PAN_P_CRED', 'PAN_I_SULFATO_JARABE') "
            "and territory_code = ? and period = ?",
            code,
            MONTH,
        ):
            assert fmt.value(value, "pct") in expected, code
    # Its indicators open their page with the region kept.
    assert "/indicador/PAN_P_CRED?periodo=2026-09&region=10" in regional


def test_the_navigation_carries_the_region_between_its_page_and_the_pages_of_every_region(app):
    f = parse(SEARCH)
    assert nav_href(PAGE["indicador"], f, "/region/09") == "/indicador?periodo=2026-09&region=09"
    assert nav_href(PAGE["marco"], f, "/presupuesto/09") == "/marco-logico?periodo=2026-09&region=09"
    chosen = parse(SEARCH + "&region=09")
    assert nav_href(PAGE["region"], chosen, "/indicador/PAN_DCI") == "/region/09?periodo=2026-09"
    assert nav_href(PAGE["marco"], chosen, "/indicador/PAN_DCI") == "/marco-logico?periodo=2026-09&region=09"
    assert nav_href(PAGE["resumen"], chosen, "/marco-logico") == "/?periodo=2026-09"
