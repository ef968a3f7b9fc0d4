"""One browser test per page: the real app on the demo warehouse in headless Chromium. Each opens a URL with
filters, checks what a person reads, checks the console is clean, and saves a screenshot (tests/browser/
screenshots/, looked at by the developers)."""

from __future__ import annotations

import base64
import csv
import os
import re
import time
from pathlib import Path

import openpyxl
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from bench.web_browser import CALIDAD_READY
from dashboard.app import create_app

from .conftest import SCREENSHOTS, console_errors, save

STATUS_WORDS = re.compile(r"Adecuado|En riesgo|Crítico|Sin datos|No reportado|Referencial")

pytestmark = pytest.mark.browser


@pytest.fixture
def duo(dash_duo, demo_db):
    dash_duo.start_server(create_app(demo_db))
    return dash_duo


def open_page(duo, path: str, ready: str):
    duo.wait_for_page(url=duo.server_url + path, timeout=30)
    duo.wait_for_element(ready, timeout=30)
    return duo.find_element("body").text


def choose(duo, dropdown: str, label: str) -> None:
    """Open a dropdown and click the option a person reads, waiting for each step (Dash's own helper does
    not wait for the menu to render, which fails on a loaded machine)."""
    duo.wait_for_element(dropdown, timeout=30).click()
    duo.wait_for_element(".dash-dropdown-options", timeout=30)
    option = duo.driver.find_element(
        By.XPATH, f"//*[contains(@class, 'dash-dropdown-option')][normalize-space()='{label}']"
    )
    option.click()


def test_resumen_nacional(duo):
    text = open_page(duo, "/?periodo=2026-09", "#scorecard .ag-row")
    for region in ("Huancavelica", "Lima Metropolitana", "Callao", "Loreto", "Tumbes"):
        assert region in text
    assert "Desnutrición crónica" in text and "setiembre 2026" in text
    assert len(STATUS_WORDS.findall(text)) >= 20
    assert "datos a setiembre de 2026" in text and "datos de 2025" in text
    # The map draws 26 tiles, each with its abbreviation.
    tiles = duo.driver.find_elements(By.CSS_SELECTOR, "#region-map text")
    assert {"HUV", "LMM", "CAL", "TUM"} <= {t.text[:3] for t in tiles}
    assert console_errors(duo) == []
    save(duo, "resumen")


def test_period_change_lives_in_the_url_and_back_restores_it(duo):
    open_page(duo, "/?periodo=2026-09", "#scorecard .ag-row")
    choose(duo, "#f-period", "agosto 2026")
    duo.wait_for_contains_text("#resumen-heading", "agosto 2026", timeout=60)
    assert "periodo=2026-08" in duo.driver.current_url
    duo.driver.back()
    duo.wait_for_contains_text("#resumen-heading", "setiembre 2026", timeout=40)
    assert "periodo=2026-09" in duo.driver.current_url
    assert console_errors(duo) == []


def test_region_page_follows_the_chain_and_drills_down(duo):
    text = open_page(duo, "/region/09?periodo=2026-09&provincia=0901", "#box-PAN_DCI")
    assert "Huancavelica" in text and "Cadena causal" in text
    for level in (
        "PRESUPUESTO",
        "INSUMOS CRÍTICOS",
        "PRODUCTOS",
        "RESULTADOS INTERMEDIOS",
        "RESULTADO FINAL",
    ):
        assert level in text.upper()
    assert "Suplemento de hierro" in text and "establecimientos" in text  # product and its stock detail
    duo.wait_for_element("#drill-grid .ag-row", timeout=20)
    assert "no se desagregan por provincia" in duo.find_element("#region-drill").text
    assert console_errors(duo) == []
    save(duo, "region")


def test_indicator_page(duo):
    text = open_page(duo, "/indicador/PAN_DCI?periodo=2026-09", "#indicator-grid .ag-row")
    assert "Ranking de regiones" in text and "Definición" in text
    assert "Niñas y niños menores de 5 años con talla para la edad" in text  # numerator, from the catalogue
    assert "Referencial" in text
    assert console_errors(duo) == []
    save(duo, "indicador")


def test_anemia_computed_from_nominal_records(duo):
    """The demo's anemia from nominal records (semaforo compute): a monthly series per altitude adjustment, each
    page saying which adjustment it used."""
    text = open_page(duo, "/indicador/PAN_ANEMIA_HIS_OMS?periodo=2026-08", "#indicator-grid .ag-row")
    assert "ajuste OMS" in text and "tabla por tramos" in text
    assert "Puno" in text and "Huancavelica" in text
    assert console_errors(duo) == []
    save(duo, "indicador-anemia-registros")


def test_marco_logico_in_english(duo):
    text = open_page(duo, "/marco-logico?lang=en&periodo=2026-09", ".logframe")
    assert "Logical framework" in text and "Means of verification" in text and "Assumptions" in text
    assert "Reduce chronic malnutrition (stunting) in children under 5" in text
    assert re.search(r"On track|At risk|Off track", text)
    assert console_errors(duo) == []
    save(duo, "marco_logico_en")


def test_phone_width(duo):
    duo.driver.set_window_size(390, 844)
    text = open_page(duo, "/region/21?periodo=2026-09", "#box-PAN_DCI")
    assert "Puno" in text
    width = duo.driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= 400  # no sideways scrolling of the page itself
    save(duo, "region_phone")


def _downloaded(folder: str, name: str, timeout: float = 30) -> Path:
    """The file the browser saved, once it is complete (Chromium writes '.crdownload' until then)."""
    path = Path(folder) / name
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if path.exists() and path.stat().st_size > 0 and not path.with_name(name + ".crdownload").exists():
            return path
        time.sleep(0.2)
    raise AssertionError(f"{name} was not downloaded into {folder}: {sorted(os.listdir(folder))}")


def _click(duo, selector: str) -> None:
    """Click a link once scrolled to the middle of the window and still: grids above it size their rows after
    drawing, which moves it (a click at its old place lands on whatever moved there)."""
    link = duo.driver.find_element(By.CSS_SELECTOR, selector)
    where = None
    for _ in range(50):
        duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
        now = duo.driver.execute_script(
            "const r = arguments[0].getBoundingClientRect(); return [r.x, r.y];", link
        )
        if now == where:
            break
        where = now
        time.sleep(0.2)
    link.click()


def test_presupuesto_region_and_its_downloads(duo):
    text = open_page(duo, "/presupuesto/09?periodo=2026-09", "#budget-products .ag-row")
    for words in ("Presupuesto · Huancavelica", "Cuellos de botella", "Ejecución por producto", "Total del programa",
                  "Por unidad ejecutora", "Dinero y resultados entre años", "PIM", "Devengado"):  # fmt: skip
        assert words in text, words
    shown = duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('#budget-products .ag-center-cols-container .ag-row'))"
        ".sort((a, b) => a.getAttribute('row-index') - b.getAttribute('row-index'))"
        ".map(r => r.querySelector('[col-id=product_code]').innerText)"
    )
    save(duo, "presupuesto")
    name = "semaforo_presupuesto-productos_0001_09_2026-09"
    _click(duo, 'a[href^="/export/presupuesto-productos/09.csv"]')
    with open(_downloaded(duo.download_path, f"{name}.csv"), encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0][:2] == ["Código MEF", "Producto presupuestal"]
    assert [r[0] for r in rows[1:]] == shown  # the same products, in the same order as on screen
    _click(duo, 'a[href^="/export/presupuesto-productos/09.xlsx"]')
    book = openpyxl.load_workbook(_downloaded(duo.download_path, f"{name}.xlsx"))
    assert book.sheetnames[1:] == ["Contexto", "Definiciones", "Estados", "Lotes", "Columnas"]
    assert next([str(c or "") for c in r] for r in book.worksheets[0].iter_rows(values_only=True)) == rows[0]
    assert book.worksheets[0].max_row == len(rows)
    assert console_errors(duo) == []


def test_print_view_prints_on_one_a4_landscape_page(duo):
    duo.driver.get(duo.server_url + "/imprimir?periodo=2026-09")  # plain HTML: no Dash app to wait for
    assert "Tablero de indicadores por región" in duo.wait_for_element("h1", timeout=30).text
    pdf = duo.driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    data = base64.b64decode(pdf["data"])
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) == 1
    (SCREENSHOTS / "imprimir.pdf").write_bytes(data)


def test_calidad_de_datos(duo):
    text = open_page(duo, "/calidad/10?periodo=2026-09", "#quality-outliers .ag-row")
    for words in ("Calidad de datos · Huánuco", "Completitud del reporte", "Oportunidad del reporte",
                  "No reportaron en setiembre 2026", "Valores sospechosos de setiembre 2026",
                  "Registros frente a la encuesta", "Historial de cargas", "Filas en cuarentena"):  # fmt: skip
        assert words in text, words
    cells = duo.driver.find_elements(By.CSS_SELECTOR, ".heatmap td.heat")
    assert len(cells) >= 2 * 12 * 10  # two heat-maps, 12 months, Huánuco's 11 provinces
    assert console_errors(duo) == []
    save(duo, "calidad")


# Every callback the page posts, by its outputs (installed before the page's scripts run).
RECORD_POSTS = """
window.__posted = [];
const send = window.fetch;
window.fetch = function (url, options) {
  if (String(url).includes('_dash-update-component') && options && options.body)
    window.__posted.push(JSON.parse(options.body).output);
  return send.apply(this, arguments);
};
"""
VALUES = (  # the suspect values' "value" column as shown, top to bottom
    "return [...document.querySelectorAll('#quality-outliers .ag-center-cols-container .ag-row')]"
    ".sort((a, b) => a.getAttribute('row-index') - b.getAttribute('row-index'))"
    ".map(r => r.querySelector('[col-id=value]').textContent)"
)


def test_calidad_grids_draw_their_first_page_without_asking_and_sort_on_the_server(duo):
    """Each list's first page comes with the page: its grid shows rows and its count with no callback asking for
    them. Sorting asks the server (every row of the view, sorted there); back to no order, the first page is
    the one the page brought, again without asking."""
    duo.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_POSTS})
    duo.driver.get(duo.server_url + "/calidad/10?periodo=2026-09")
    WebDriverWait(duo.driver, 60).until(lambda d: d.execute_script(f"return {CALIDAD_READY}"))
    time.sleep(1)  # anything the page would still ask for
    asked = lambda: [o for o in duo.driver.execute_script("return window.__posted") if "getRowsResponse" in o]  # noqa: E731
    assert asked() == []
    count = duo.find_element("#quality-outliers-count").text
    assert re.fullmatch(r"[\d,]+ filas \(de a 50 por página; todas en las descargas\)", count), count
    first = duo.driver.execute_script(VALUES)
    assert len(first) == 50

    def click_value_header() -> None:  # a click event on the header's label (where a person clicks to sort)
        label = duo.find_element("#quality-outliers .ag-header-cell[col-id=value] .ag-header-cell-label")
        duo.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center'}); arguments[0].click()", label
        )

    def sort_and_wait(n: int) -> list[float | None]:
        click_value_header()
        WebDriverWait(duo.driver, 30).until(lambda d: len(asked()) == n)
        WebDriverWait(duo.driver, 30).until(lambda d: d.execute_script(VALUES) != first)
        time.sleep(0.5)
        return [None if v == "–" else float(v.replace(",", "")) for v in duo.driver.execute_script(VALUES)]

    ascending = sort_and_wait(1)
    shown = [v for v in ascending if v is not None]
    assert shown == sorted(shown) and len(ascending) == 50
    descending = sort_and_wait(2)
    assert descending[0] is not None and descending[0] >= max(shown)
    assert [v for v in descending if v is not None] == sorted(
        [v for v in descending if v is not None], reverse=True
    )
    # no order again: the page's first page, answered in the browser
    click_value_header()
    WebDriverWait(duo.driver, 30).until(lambda d: d.execute_script(VALUES) == first)
    assert len(asked()) == 2 and duo.find_element("#quality-outliers-count").text == count
    assert console_errors(duo) == []
