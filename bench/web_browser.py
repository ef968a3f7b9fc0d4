"""What a user waits for in the browser (issue 22 part 7), in headless Chromium against ``semaforo serve`` on
loopback (no link emulation: the server's and the browser's own time): ``/calidad`` until usable, a region
switch on the region page, the language toggle.

- **Calidad usable**: from the navigation's start until both heat-maps are drawn and every grid shows its rows
  (or its "no rows" message), on the browser's clock; the country's page and a region's.
- **Region switch**: on ``/region/09``, from the click on another region in the region filter (the wall clock,
  kept across a page load should one happen) until the new region's page is drawn — its chain and everything
  above it, nothing pending.
- **Its charts**: the region page draws its two charts (a 24-panel and a 10-panel figure, far below the first
  screen) once they come into view: from the scroll to them until the trends chart is drawn for the new region.
- **Language toggle**: from the top of the page, from the click on the language link until the page in the other
  language has drawn its chain.

With the switch and the toggle, each figure's JSON says how they were served: the callback requests they made
(``_dash-update-component``), their bytes, and whether the page was loaded again.

Each is measured ``passes`` times (the first pass after a visit that warmed the server's caches, as any server
has after its first visitors) and the median kept; every time is in the figure's JSON."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from .network import browser as chromium
from .report import Figure
from .server import served_copy

CALIDAD_S, SWITCH_S, TOGGLE_S = 2.0, 1.0, 1.0  # issue 22 part 7, on the demo
PERIOD = "periodo=2026-09"
# Both heat-maps drawn and every list usable: its count told and its grid drawn with rows, or it says it has none.
# A list's count comes with the page, so its grid (whose code loads apart) is looked for in its own panel.
CALIDAD_READY = (
    "document.querySelectorAll('#quality-page .heatmap').length >= 2 && [...document.querySelectorAll("
    "'#page .grid-count')].every(c => c.textContent && (c.classList.contains('grid-empty') || c.closest('.panel')"
    ".querySelector('.table-grid .ag-row:not(.ag-row-loading)')))"
)
CHAIN_DRAWN = (
    "document.querySelector('#region-chain .light') && "
    "!document.querySelector('[data-dash-is-loading=\"true\"]')"
)
# ``name`` among the trends chart's legend entries: the chart of the new region or language is drawn
LEGEND = "[...document.querySelectorAll('#region-trends .legendtext')].some(e => e.textContent === {name!r})"
# the callbacks since the last mark, their bytes, and whether the document was loaded again (it loses its mark)
MARK = "window.__bench = true; performance.clearResourceTimings()"
SERVED = (
    "const r = performance.getEntriesByType('resource').filter(e => e.name.includes('_dash-update-component'));"
    "return [r.length, r.reduce((s, e) => s + e.encodedBodySize, 0), !window.__bench]"
)


def until(driver, condition: str, timeout: float = 90.0) -> float:
    """Wait until a JavaScript condition holds; the browser's clock then (seconds since its navigation began)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        at = driver.execute_script(f"return ({condition}) ? performance.now() : null")
        if at is not None:
            return at / 1000
        time.sleep(0.02)
    raise TimeoutError(f"no se cumplió en {timeout} s: {condition}")


def wall(driver) -> float:
    return driver.execute_script("return performance.timeOrigin + performance.now()") / 1000


def choose(driver, dropdown: str, label: str) -> None:
    """Pick ``label`` in a Dash dropdown, as a user does: open it, click the option."""
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, dropdown).click()
    xpath = f"//*[contains(@class, 'dash-dropdown-option')][normalize-space()='{label}']"
    end = time.monotonic() + 30
    while True:
        options = driver.find_elements(By.XPATH, xpath)
        if options:
            options[0].click()
            return
        if time.monotonic() > end:
            raise TimeoutError(f"{dropdown}: no option {label}")
        time.sleep(0.05)


def served(driver, key: str) -> dict[str, float]:
    calls, size, reloaded = driver.execute_script(SERVED)
    return {f"{key}_callbacks": calls, f"{key}_kb": round(size / 1024, 1), f"{key}_reloaded": int(reloaded)}


def one_pass(driver, url: str) -> dict[str, float]:
    """Every measured wait once, in seconds (and how the switch and the toggle were served)."""
    from selenium.webdriver.common.by import By

    out: dict[str, float] = {}
    for key, path in (("calidad", f"/calidad?{PERIOD}"), ("calidad_region", f"/calidad/09?{PERIOD}")):
        driver.get(url + path)
        out[key] = until(driver, CALIDAD_READY)
    driver.get(f"{url}/region/09?{PERIOD}")
    until(driver, CHAIN_DRAWN)
    time.sleep(0.5)  # the filter bar's own first callbacks
    driver.execute_script(MARK)
    started = wall(driver)
    choose(driver, "#f-region", "Cusco")
    until(driver, "document.querySelector('#region-main h1')?.innerText.includes('Cusco') && " + CHAIN_DRAWN)
    out["region_switch"] = wall(driver) - started
    out |= served(driver, "region_switch")
    time.sleep(0.5)
    started = wall(driver)
    driver.execute_script("document.getElementById('region-trends').scrollIntoView({behavior: 'instant'})")
    until(driver, LEGEND.format(name="Cusco") + " && " + CHAIN_DRAWN)
    out["region_charts"] = wall(driver) - started
    driver.execute_script("window.scrollTo({top: 0, behavior: 'instant'})")
    time.sleep(0.5)
    driver.execute_script(MARK)
    started = wall(driver)
    driver.find_element(By.CSS_SELECTOR, "#lang-switch").click()
    until(
        driver,
        "document.documentElement.lang === 'en' && "
        "document.querySelector('#region-causal h2')?.textContent === 'Causal chain' && " + CHAIN_DRAWN,
    )
    out["language_toggle"] = wall(driver) - started
    out |= served(driver, "language_toggle")
    return out


def measure(db: Path, scratch: Path, env: dict[str, str], passes: int = 3) -> list[Figure]:
    runs: list[dict[str, float]] = []
    with served_copy(db, scratch, "browser", env) as url:
        driver = chromium()
        try:
            driver.execute_cdp_cmd(  # loopback as it is: no emulated link
                "Network.emulateNetworkConditions",
                {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
            )
            one_pass(driver, url)  # the browser's cache and the server's, as after the first visitors
            runs = [one_pass(driver, url) for _ in range(passes)]
        finally:
            driver.quit()
    return figures(runs)


def figures(runs: list[dict[str, float]]) -> list[Figure]:
    def fig(key: str, name: str, limit: float) -> Figure:
        seconds = [r[key] for r in runs]
        return Figure(
            "browser",
            f"{name}, median of {len(seconds)}",
            statistics.median(seconds),
            "s",
            conditions=[("value", "<=", limit)],
            target=f"≤ {limit:g} s",
            extra={"each_s": [round(s, 3) for s in seconds]}
            | {
                k[len(key) + 1 :]: [r[k] for r in runs]
                for k in runs[0]
                if k.startswith(key + "_") and k.rsplit("_", 1)[1] in ("callbacks", "kb", "reloaded")
            },
        )

    return [
        fig("calidad", "/calidad usable (heat-maps and every grid drawn), Chromium on loopback", CALIDAD_S),
        fig("calidad_region", "/calidad/09 usable (heat-maps and every grid drawn)", CALIDAD_S),
        fig("region_switch", "region switch on the region page (click → the new region's chain)", SWITCH_S),
        Figure(
            "browser",
            f"the region page's charts, drawn once scrolled to (median of {len(runs)})",
            statistics.median(r["region_charts"] for r in runs),
            "s",
            target="(information: drawn when they come into view)",
            extra={"each_s": [round(r["region_charts"], 3) for r in runs]},
        ),
        fig("language_toggle", "language toggle on the region page (click → the chain in English)", TOGGLE_S),
    ]
