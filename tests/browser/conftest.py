"""Browser tests: the real app in headless Debian Chromium through dash[testing] (selenium + chromedriver).

Without Chromium they are skipped on a developer's machine, but fail under CI (SEMAFORO_REQUIRE_BROWSER=1, set
by .ci/run): a browser test that cannot run there must not pass silently."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from selenium.webdriver.chrome.options import Options

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
SCREENSHOTS = Path(__file__).parent / "screenshots"


def pytest_setup_options():
    options = Options()
    if CHROMIUM:
        options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--window-size=1366,900",
        "--lang=es-PE",
    ):
        options.add_argument(arg)
    return options


@pytest.fixture(autouse=True)
def _need_browser():
    if CHROMIUM and CHROMEDRIVER:
        return
    msg = "Chromium y chromedriver no están instalados (apt-get install chromium chromium-driver)"
    if os.environ.get("SEMAFORO_REQUIRE_BROWSER") == "1":
        pytest.fail(msg)
    pytest.skip(msg)


def save(dash_duo, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    dash_duo.driver.save_screenshot(str(path))
    return path


def console_errors(dash_duo) -> list[dict]:
    """SEVERE browser console entries, without the favicon request (the app serves none)."""
    return [e for e in dash_duo.get_logs() if "favicon" not in e.get("message", "")]
