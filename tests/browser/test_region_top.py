"""The regional manager's first screen in headless Chromium, on the demo (issue 22, parts 1–4): what is red in
Huancavelica and why, grouped by cause, with the drill-down's top on a laptop's first screen and a half; the
drill-down opened on the worst indicator with lit provinces, clicked (and driven by the keyboard) down to a
province's facility list and downloaded, a one-child district held back as "muestra pequeña", and a regional user's
map with every region. Screenshots in tests/browser/screenshots/ (region_top*.png), looked at by the developers."""

from __future__ import annotations

import csv
import io

import pytest
import requests
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import context
from dashboard.app import create_app
from dashboard.auth import upsert_user
from dashboard.config import load_config
from dashboard.state import parse
from dashboard.views.drill import drill_indicator

from .conftest import console_errors, save

pytestmark = pytest.mark.browser
PASSWORD = "clave-de-prueba-1"
# The screenshot shows the drill-down's grid: the page scrolled to the drill-down's top, its choosers and crumbs
# above the grid (AG Grid rows scroll with the page: domLayout autoHeight).
# Instantly: Bootstrap makes scrolling smooth, and a shot taken while it glides shows the page's top.
SHOW_GRID = (
    "window.scrollTo({top: document.getElementById('region-drill').getBoundingClientRect().top + window.scrollY - 10, "
    "behavior: 'instant'})"
)
DRILL_TOP = "return document.getElementById('region-drill').getBoundingClientRect().top + window.scrollY"
PORT = 8361  # away from dash[testing]'s 8050, which other browser runs on the machine may hold


@pytest.fixture
def duo(dash_duo, demo_db):
    dash_duo.start_server(create_app(demo_db), port=PORT)
    return dash_duo


def _open(duo, path: str, ready: str) -> str:
    duo.wait_for_page(url=duo.server_url + path, timeout=40)
    duo.wait_for_element(ready, timeout=40)
    return duo.find_element("body").text


def _csv(duo, path: str) -> list[dict]:
    body = requests.get(duo.server_url + path, timeout=60).content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_the_red_list_and_its_causes_lead_the_region_page(duo):
    text = _open(duo, "/region/09?periodo=2026-09", "#region-red .red-item")
    assert "Qué está en rojo y por qué" in text
    causes = duo.driver.find_elements(By.CSS_SELECTOR, "#region-red .red-group")
    assert len(causes) >= 3
    first = causes[0].text
    # worst first, the cause said once above its indicators: the iron chain's anemia and inputs under one sentence
    assert "Cadena: Suplemento de hierro" in first and "Crítico" in first and "En la cadena:" in first
    assert "Anemia" in first and "Hierro en gotas" in first
    assert "La cadena se contradice" in text  # the iron chain: stock Crítico, coverage Adecuado
    sentences = [
        e.get_attribute("textContent") for e in duo.driver.find_elements(By.CSS_SELECTOR, ".red-cause")
    ]
    assert len(sentences) == len(set(sentences)) == len(causes)
    # Nothing lost: every indicator of the view (its download) is listed, in its order, each with its link.
    table = _csv(duo, "/export/region-rojo/09.csv?periodo=2026-09")
    items = duo.driver.find_elements(By.CSS_SELECTOR, "#region-red .red-item")
    assert [i.get_attribute("id") for i in items] == [f"red-{r['Indicador (código)']}" for r in table]
    assert len(table) > len(causes)
    assert all(i.find_element(By.CSS_SELECTOR, "a.red-name").get_attribute("href") for i in items)
    # The list comes before the drill-down, which comes before the chain.
    tops = [duo.find_element(s).location["y"] for s in ("#region-red", "#region-drill", "#region-chain")]
    assert tops == sorted(tops)
    # On a 1,366 × 768 laptop the drill-down's top is within a short scroll (it was about 2,000 px down).
    duo.driver.set_window_size(1366, 768)
    duo.driver.execute_script("window.scrollTo({top: 0, behavior: 'instant'})")
    top, inner = duo.driver.execute_script(DRILL_TOP), duo.driver.execute_script("return window.innerHeight")
    print(f"drill-down top at {top:.0f} px, window inner height {inner} px (1366 × 768)")
    assert top <= 900
    save(duo, "region_top_laptop")
    duo.driver.set_window_size(1366, 1000)
    save(duo, "region_top")
    # Each links to its breakdown in the region: the drill-down for what facilities report, the region's survey
    # panel for a survey estimate (never drilled below the region).
    iron = duo.find_element("#red-PAN_I_HIERRO_GOTAS a.red-name").get_attribute("href")
    assert "/region/09?" in iron and "indicador=PAN_I_HIERRO_GOTAS" in iron and iron.endswith("#region-drill")
    first = items[0].find_element(By.CSS_SELECTOR, "a.red-name").get_attribute("href")
    assert "/region/09" in first and "/indicador/" not in first
    assert console_errors(duo) == []


def test_a_chain_card_opens_its_breakdown_in_place(duo):
    """A chain card's link, written in the chain's block of HTML, opens the region's breakdown of its indicator
    as a dcc.Link does — the URL changes, the page is not loaded again — and brings the drill-down into view."""
    _open(duo, "/region/09?periodo=2026-09", "#box-PAN_P_CRED a.box-name")
    duo.driver.execute_script("window.inPlace = true")  # lost if the page were loaded again
    card = duo.find_element("#box-PAN_P_CRED a.box-name")
    duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", card)
    card.click()
    duo.wait_for_contains_text("#drill-indicator", "CRED completo", timeout=40)
    assert "indicador=PAN_P_CRED" in duo.driver.current_url
    assert duo.driver.execute_script("return window.inPlace"), "the card's link loaded the page again"
    WebDriverWait(duo.driver, 10).until(
        lambda d: abs(d.execute_script(DRILL_TOP + " - window.scrollY")) < 50  # scrolled to the drill-down
    )


def test_the_charts_are_drawn_once_they_come_into_view(duo):
    """The trends and survey charts (6,000 of the page's elements) wait far below the first screen until a user
    scrolls to them; then both are drawn, and a period change redraws them at once."""
    legend = "return [...document.querySelectorAll('#%s .legendtext')].map(e => e.textContent)"
    _open(duo, "/region/09?periodo=2026-09", "#box-PAN_DCI")
    assert duo.driver.execute_script(legend % "region-trends") == []
    assert "El gráfico se dibuja al llegar a él" in duo.find_element("#region-trends").text
    duo.driver.execute_script(
        "document.getElementById('region-trends').scrollIntoView({behavior: 'instant'})"
    )
    for chart in ("region-trends", "region-survey"):
        WebDriverWait(duo.driver, 40).until(lambda d, c=chart: "Huancavelica" in d.execute_script(legend % c))
    save(duo, "region_charts")
    axis = "return document.querySelector('#region-trends .xtick:last-of-type text')?.textContent"
    before = duo.driver.execute_script(axis)
    duo.driver.execute_script("window.scrollTo({top: 0, behavior: 'instant'})")
    duo.find_element("#f-period").click()
    duo.driver.find_element(
        By.XPATH, "//*[contains(@class, 'dash-dropdown-option')][normalize-space()='enero 2025']"
    ).click()
    WebDriverWait(duo.driver, 40).until(lambda d: d.execute_script(axis) not in (None, before))
    assert "Huancavelica" in duo.driver.execute_script(legend % "region-trends")


def test_the_drill_down_opens_on_the_worst_indicator_with_a_lit_province(duo, demo_db):
    """On Huancavelica the worst indicators reported per facility are HIS anemia, where every province is held
    back as "Muestra pequeña": the drill-down opens on the first one with lights."""
    import duckdb

    wh = context.warehouse()
    f = parse("?periodo=2026-09")
    opening = drill_indicator(wh, f, "09")
    con = duckdb.connect(str(demo_db), read_only=True)
    lit = dict(
        con.execute(
            "select indicator_code, bool_or(status in ('critico', 'en_riesgo', 'adecuado')) "
            "from mart_indicator_status where region_code = '09' and territory_level = 'provincia' "
            "and period = date '2026-09-01' group by all"
        ).fetchall()
    )
    con.close()
    assert lit["PAN_ANEMIA_HIS_CDC"] is False and lit[opening.code] is True
    _open(duo, "/region/09?periodo=2026-09", "#drill-grid .ag-row")
    assert duo.find_element("#drill-indicator").text.strip() == opening.short.get("es")
    lights = duo.driver.find_elements(
        By.CSS_SELECTOR,
        "#drill-grid .light-critico, #drill-grid .light-en_riesgo, #drill-grid .light-adecuado",
    )
    assert lights
    assert "indicador=" not in duo.driver.current_url  # the default writes nothing into the URL
    assert console_errors(duo) == []


def test_drill_down_rows_open_with_enter_and_space_and_show_their_focus(duo):
    _open(duo, "/region/09?periodo=2026-09&indicador=PAN_I_HIERRO_GOTAS", "#drill-grid .ag-row")
    first = "#drill-grid .ag-pinned-left-cols-container .ag-row[row-index='0'] .ag-cell"
    cell = duo.wait_for_element(first, timeout=30)
    duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus()", cell)
    keys = ActionChains(duo.driver)
    keys.send_keys(Keys.ARROW_DOWN).perform()  # the keyboard moves along the rows
    focused = duo.driver.switch_to.active_element
    row = focused.find_element(By.XPATH, "./ancestor::div[@row-id][1]")
    code = row.get_attribute("row-id")
    assert row.get_attribute("row-index") == "1" and "ag-row-focus" in row.get_attribute("class")
    outline = duo.driver.execute_script(
        "const s = getComputedStyle(arguments[0]); return [s.outlineStyle, parseFloat(s.outlineWidth)]",
        focused,
    )
    assert outline[0] != "none" and outline[1] >= 2  # a visible focus
    duo.driver.execute_script(SHOW_GRID)
    save(duo, "region_top_keyboard")
    keys.send_keys(Keys.ENTER).perform()  # opens the province, as a click does
    duo.wait_for_contains_text(".crumbs", wh_name(code), timeout=40)
    assert f"provincia={code}" in duo.driver.current_url
    cell = duo.wait_for_element(first, timeout=30)
    district = cell.find_element(By.XPATH, "./ancestor::div[@row-id][1]").get_attribute("row-id")
    duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus()", cell)
    ActionChains(duo.driver).send_keys(" ").perform()  # Space opens the district
    duo.wait_for_contains_text(".crumbs", wh_name(district), timeout=40)
    assert f"distrito={district}" in duo.driver.current_url
    assert console_errors(duo) == []


def wh_name(code: str) -> str:
    return context.warehouse().snapshot.names[code]


def test_the_drill_down_clicks_to_a_provinces_facility_list_and_downloads_it(duo):
    _open(duo, "/region/09?periodo=2026-09&indicador=PAN_I_HIERRO_GOTAS", "#drill-grid .ag-row")
    cell = duo.wait_for_element("#drill-grid .ag-pinned-left-cols-container .ag-row .ag-cell", timeout=30)
    duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
    # A click event on the cell, as the mouse's (a sticky bar may cover the point selenium would aim at).
    duo.driver.execute_script("arguments[0].click()", cell)  # the worst province
    duo.wait_for_element("#drill-all-facilities", timeout=40)
    assert "provincia=" in duo.driver.current_url
    duo.find_element("#drill-all-facilities").click()
    duo.wait_for_contains_text("#region-drill", "Todos sus establecimientos", timeout=40)
    assert "establecimientos=todos" in duo.driver.current_url
    duo.wait_for_element("#drill-grid .ag-row", timeout=30)
    assert "Clase de stock" in duo.find_element("#drill-grid").text  # facilities, with their stock class
    rows = duo.driver.find_elements(By.CSS_SELECTOR, "#drill-grid .ag-center-cols-container .ag-row")
    first_status = rows[0].text
    duo.driver.execute_script(SHOW_GRID)
    save(duo, "region_top_facilities")
    # The CSV button downloads exactly that list, in that order.
    csv_link = duo.driver.find_element(
        By.CSS_SELECTOR, "#region-drill a[href*='/export/region-detalle/09.csv']"
    )
    body = requests.get(csv_link.get_attribute("href"), timeout=60).content.decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(body)))
    assert len(table) >= len(rows) > 0
    # worst first: Crítico (stock-outs), then En riesgo, then the rest; the grid's first row is the file's
    order = [
        "Crítico",
        "En riesgo",
        "Adecuado",
        "Muestra pequeña",
        "Referencial",
        "No reportado",
        "Sin datos",
    ]
    ranks = [order.index(r["Estado"]) for r in table]
    assert ranks == sorted(ranks)
    assert table[0]["Estado"] in first_status
    assert {r["Nivel (código)"] for r in table} == {"eess"}
    assert console_errors(duo) == []


def test_a_one_child_district_shows_muestra_pequena(duo, demo_db):
    import duckdb

    con = duckdb.connect(str(demo_db), read_only=True)
    ((district, province),) = con.execute(
        "select territory_code, parent_code from mart_indicator_status where indicator_code = 'PAN_ANEMIA_HIS_CDC' "
        "and territory_level = 'distrito' and region_code = '09' and period = date '2026-09-01' "
        "and denominator = 1 order by territory_code limit 1"
    ).fetchall()
    con.close()
    _open(
        duo,
        f"/region/09?periodo=2026-09&indicador=PAN_ANEMIA_HIS_CDC&provincia={province}",
        "#drill-grid .ag-row",
    )
    row = duo.driver.find_element(
        By.CSS_SELECTOR, f"#drill-grid .ag-center-cols-container .ag-row[row-id='{district}']"
    )
    assert "Muestra pequeña" in row.text and "Crítico" not in row.text
    pill = row.find_element(By.CSS_SELECTOR, ".light-muestra_pequena")
    assert pill.find_element(By.CSS_SELECTOR, ".bi-people")  # its own icon, a word and a hatch, not a colour
    duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", row)
    save(duo, "region_top_small_sample")
    assert console_errors(duo) == []


@pytest.fixture
def secured_duo(dash_duo, demo_db, tmp_path):
    users = tmp_path / "usuarios.yaml"
    upsert_user(users, "huanca", "regional", ["09"], "Gerencia Regional de Salud Huancavelica", PASSWORD)
    previous = context._current
    app = create_app(config=load_config(env={}, db=demo_db, users_file=users, anonymous="publico"))
    dash_duo.start_server(app, port=PORT + 1)
    yield dash_duo
    if previous is not None:
        context.set_warehouse(previous)


def test_a_regional_users_map_shows_every_region(secured_duo):
    duo = secured_duo
    duo.driver.get(duo.server_url + "/ingresar")  # the sign-in form is a plain page, not the Dash app
    duo.wait_for_element("#usuario", timeout=30).send_keys("huanca")
    duo.find_element("#clave").send_keys(PASSWORD)
    duo.find_element("#login-submit").click()
    duo.wait_for_element("#nav-user", timeout=30)
    _open(duo, "/?periodo=2026-09", "#scorecard .ag-row")
    tiles = {t.text[:3] for t in duo.driver.find_elements(By.CSS_SELECTOR, "#region-map text") if t.text}
    assert {"HUV", "HUC", "CUS", "LMM", "LOR", "TUM"} <= tiles and len(tiles) >= 26
    scorecard = duo.find_element("#scorecard").text
    assert "Huánuco" in scorecard and "Cusco" in scorecard
    save(duo, "region_top_regional_map")
    assert console_errors(duo) == []
