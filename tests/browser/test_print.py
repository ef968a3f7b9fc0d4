"""The printed scorecards in headless Chromium, printed to PDF by the browser's own engine (DevTools
``Page.printToPDF``, the page's CSS size: A4 landscape): a region's page is one sheet that names the region, with
its red list drawn from the same lights as its chain. The PDFs and screenshots are saved for a person to look at
(tests/browser/screenshots/)."""

from __future__ import annotations

import base64
import re

import pytest
from selenium.webdriver.common.by import By

from dashboard.app import create_app

from .conftest import SCREENSHOTS, console_errors, save

pytestmark = pytest.mark.browser

A4_LANDSCAPE = (841.9, 595.3)  # points


@pytest.fixture
def duo(dash_duo, demo_db):
    dash_duo.start_server(create_app(demo_db))
    # start_server opens "/": let its layout arrive before a test navigates away, or the server is stopped at
    # teardown while a thread still computes it (an unhandled SystemExit in that thread).
    dash_duo.wait_for_element("#page", timeout=60)
    return dash_duo


def _pdf(duo) -> bytes:
    pdf = duo.driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    return base64.b64decode(pdf["data"])


def _pages(data: bytes) -> list[tuple[float, float]]:
    """The size of each page of a PDF (its MediaBox, in points)."""
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 1
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    return [(float(w), float(h)) for w, h in boxes]


@pytest.mark.parametrize(("lang", "words"), [("es", "tablero de la región"), ("en", "regional scorecard")])
def test_huancavelica_prints_on_one_a4_page(duo, lang, words):
    duo.driver.get(duo.server_url + f"/imprimir?region=09&periodo=2026-09&lang={lang}")  # plain HTML, no Dash
    title = duo.wait_for_element("h1", timeout=30).text
    assert "Huancavelica" in title and words in title
    chain = duo.driver.find_elements(By.CSS_SELECTOR, "table.chain tbody tr:not(.level)")
    assert len(chain) >= 30  # the program's whole chain, every level
    red_in_chain = duo.driver.find_elements(
        By.CSS_SELECTOR, "table.chain td.light .s-critico, table.chain td.light .s-en_riesgo"
    )
    red_list = duo.driver.find_elements(By.CSS_SELECTOR, "ol.red > li")
    assert len(red_list) == len(red_in_chain) > 0
    first = red_list[0].find_element(By.CSS_SELECTOR, ".pill").get_attribute("class")
    assert "s-critico" in first or not duo.driver.find_elements(By.CSS_SELECTOR, "ol.red .s-critico")
    assert len(duo.driver.find_elements(By.CSS_SELECTOR, "svg.spark polyline")) >= 10  # trend lines
    text = duo.find_element("body").text
    assert "2026-09" in text and ("his_2026_09" in text)  # the sources of the month printed
    assert console_errors(duo) == []
    data = _pdf(duo)
    sizes = _pages(data)
    assert len(sizes) == 1, f"{len(sizes)} pages"
    assert all(abs(w - A4_LANDSCAPE[0]) < 2 and abs(h - A4_LANDSCAPE[1]) < 2 for w, h in sizes), sizes
    SCREENSHOTS.mkdir(exist_ok=True)
    (SCREENSHOTS / f"imprimir_09_{lang}.pdf").write_bytes(data)
    save(duo, f"imprimir_09_{lang}")


def test_an_unknown_region_is_said_so(duo):
    duo.driver.get(duo.server_url + "/imprimir?region=99")
    assert "No hay una región «99»" in duo.wait_for_element("body", timeout=30).text
