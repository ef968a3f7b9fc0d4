"""The region page's drill-down along the health network in headless Chromium: Red → MicroRed → facility, chosen
as a person would, with screenshots of each level (tests/browser/screenshots/region_red*.png)."""

from __future__ import annotations

import time

import duckdb
import pytest

from dashboard.app import create_app

from .conftest import console_errors, save
from .test_pages import choose, open_page

pytestmark = pytest.mark.browser


def into_view(duo, selector: str) -> None:
    """Scroll the drill-down to the top of the window and keep it there until the page stops moving (the charts
    above it draw late and push it down; until then a click meant for it lands elsewhere)."""
    element = duo.wait_for_element(selector, timeout=30)
    deadline, settled, last = time.monotonic() + 30, 0, None
    while time.monotonic() < deadline and settled < 3:
        duo.driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", element)
        time.sleep(0.5)
        top = duo.driver.execute_script("return arguments[0].getBoundingClientRect().top", element)
        settled = settled + 1 if last is not None and abs(top - last) < 2 else 0
        last = top


def choose_in_view(duo, dropdown: str, label: str) -> None:
    into_view(duo, dropdown)
    choose(duo, dropdown, label)


@pytest.fixture
def duo(dash_duo, demo_db):
    dash_duo.start_server(create_app(demo_db))
    return dash_duo


def test_region_drills_by_red_microred_and_facility(duo, demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        red, red_name, microred, microred_name = con.execute(
            "select r.territory_code, r.name, m.territory_code, m.name from core_network_territory as r "
            "join core_network_territory as m on m.parent_code = r.territory_code and m.region_code = '09' "
            "where r.region_code = '09' and r.territory_level = 'red' and r.territory_code <> 'sin_red' "
            "and split_part(r.territory_code, '_', 2) <> '00' "  # a Red, not the hospitals outside any
            "order by r.territory_code, m.territory_code limit 1"
        ).fetchone()
        reds = [
            n
            for (n,) in con.execute(
                "select name from core_network_territory where region_code = '09' and territory_level = 'red' "
                "and territory_code <> 'sin_red'"
            ).fetchall()
        ]
    finally:
        con.close()
    text = open_page(duo, "/region/09?periodo=2026-09&indicador=PAN_P_CRED&arbol=red", "#drill-grid .ag-row")
    assert "Detalle por red, microred y establecimiento" in text
    grid = duo.find_element("#drill-grid").text
    assert all(name in grid for name in reds)
    assert "Adecuado" in grid or "En riesgo" in grid or "Crítico" in grid
    into_view(duo, "#region-drill")
    save(duo, "region_red")
    choose_in_view(duo, "#drill-red", red_name)
    duo.wait_for_contains_text(".crumbs", red_name, timeout=60)
    duo.wait_for_contains_text("#drill-grid", microred_name.strip(), timeout=60)
    assert f"red={red}" in duo.driver.current_url
    into_view(duo, "#region-drill")
    save(duo, "region_red_microred")
    choose_in_view(duo, "#drill-microred", microred_name.strip())
    duo.wait_for_contains_text(".crumbs", microred_name.strip(), timeout=60)
    duo.wait_for_contains_text("#drill-grid", "Establecimiento", timeout=60)
    assert f"microred={microred}" in duo.driver.current_url
    header = duo.find_element("#drill-grid .ag-header").text
    assert "Distrito" in header and "MicroRed" in header
    assert microred_name.strip() in duo.find_element("#drill-grid .ag-center-cols-container").text
    assert console_errors(duo) == []
    into_view(duo, "#region-drill")
    save(duo, "region_red_eess")
