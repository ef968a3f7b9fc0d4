"""The provincial link: each page opened in headless Chromium against ``semaforo serve`` on loopback, under the
DevTools network emulation of a 2 Mbit/s, 150 ms link, first with an empty cache and then again (cache warm).

Per page and visit: bytes transferred (what crossed the wire: headers and compressed bodies, as DevTools'
"transferred"), requests that reached the network (answers from the browser's cache are not counted; a 304
revalidation is), and the time from navigation until the page's lights are shown — the page's own ``.light``
elements in the DOM with no Dash callback still pending — and until the network was idle."""

from __future__ import annotations

import json
import re
import shutil
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import brotli

from .report import Figure
from .server import served_copy

DOWN_BPS = 2_000_000  # 2 Mbit/s
UP_BPS = 1_000_000
LATENCY_MS = 150
# A page of each kind, as a provincial manager opens it from a link.
PAGES = [
    ("resumen", "/"),
    ("region", "/region/09"),
    ("indicador", "/indicador/PAN_P_CRED"),
    ("presupuesto", "/presupuesto/09"),
    ("calidad", "/calidad/09"),
    ("marco", "/marco-logico"),
]
TARGET_FIRST_KB, TARGET_FIRST_S = 1500.0, 10.0
TARGET_REPEAT_S, TARGET_REPEAT_REQUESTS = 1.5, 15

# True once the page's lights are in the DOM and the renderer has nothing pending: no component loading and no
# callback in flight (Dash marks loading components with data-dash-is-loading).
LIGHTS_SHOWN = """
const page = document.getElementById('page');
if (!page || !page.querySelector('.light')) return null;
if (document.querySelector('[data-dash-is-loading="true"]')) return null;
if (document.querySelector('._dash-loading, ._dash-undo-redo ~ ._dash-loading')) return null;
return performance.now();
"""


@dataclass
class Visit:
    page: str
    first: bool
    kb: float  # transferred
    requests: int  # that reached the network
    lights_s: float | None  # navigation → lights shown
    idle_s: float  # navigation → no request for 1 s
    biggest: list[tuple[str, float]]  # the largest transfers (path, kB), for the JSON


def browser():
    """Headless Chromium with DevTools performance logs (Network events)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary:
        options.binary_location = binary
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
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": LATENCY_MS,
            "downloadThroughput": DOWN_BPS / 8,
            "uploadThroughput": UP_BPS / 8,
        },
    )
    return driver


class Traffic:
    """The DevTools Network events of one visit, read from Chromium's performance log as they come."""

    def __init__(self) -> None:
        self.url: dict[str, str] = {}
        self.cached: set[str] = set()
        self.size: dict[str, int] = {}
        self.done: set[str] = set()
        self.start: float | None = None  # monotonic seconds of the navigation request
        self.last = 0.0  # of the last request finished

    def read(self, driver) -> int:
        """Take the new events; returns how many there were."""
        entries = driver.get_log("performance")
        for entry in entries:
            msg = json.loads(entry["message"])["message"]
            method, p = msg.get("method"), msg.get("params", {})
            rid = p.get("requestId")
            if method == "Network.requestWillBeSent":
                self.url[rid] = p["request"]["url"]
                if self.start is None and p.get("type") == "Document":
                    self.start = p["timestamp"]
            elif method == "Network.requestServedFromCache" or (
                method == "Network.responseReceived"
                and (p["response"].get("fromDiskCache") or p["response"].get("fromPrefetchCache"))
            ):
                self.cached.add(rid)
            elif method in ("Network.loadingFinished", "Network.loadingFailed"):
                self.size[rid] = int(p.get("encodedDataLength", 0))
                self.done.add(rid)
                self.last = max(self.last, p["timestamp"])
        return len(entries)

    def fetched(self) -> list[str]:
        return [r for r in self.url if not self.url[r].startswith("data:")]

    @property
    def in_flight(self) -> int:
        return len([r for r in self.fetched() if r not in self.done])

    def wire(self) -> dict[str, int]:
        """Bytes per request that reached the network (not answered by the browser's cache)."""
        return {r: self.size.get(r, 0) for r in self.fetched() if r not in self.cached}


def visit(driver, url: str, page: str, first: bool, limit: float = 180.0) -> Visit:
    driver.get_log("performance")  # drop what came before
    traffic = Traffic()
    driver.get(url)  # returns at the load event; the Dash app renders after it
    deadline = time.monotonic() + limit
    lights = None
    quiet_since = time.monotonic()
    while time.monotonic() < deadline:
        if lights is None:
            lights = driver.execute_script(LIGHTS_SHOWN)
        if traffic.read(driver) or traffic.in_flight:
            quiet_since = time.monotonic()
        elif lights is not None and time.monotonic() - quiet_since >= 1.0:
            break  # lights shown and no request for a second: idle
        time.sleep(0.05)
    wire = traffic.wire()
    biggest = sorted(
        ((traffic.url[r].split("/", 3)[-1][:90], n / 1000) for r, n in wire.items()), key=lambda x: -x[1]
    )
    idle = traffic.last - traffic.start if traffic.start is not None else float("nan")
    lights_s = None if lights is None else lights / 1000
    return Visit(page, first, sum(wire.values()) / 1000, len(wire), lights_s, idle, biggest[:8])


def warm(url: str, cache: Path, limit: float = 300.0) -> None:
    """Ask once for every page and its library files (Brotli accepted), then wait until the server has written
    their best compression to its cache (``dashboard.delivery.StaticCache``): the state of any server after its
    first visitors, which is what a provincial user meets."""
    files: set[str] = set()
    for _page, path in PAGES:
        html = _fetch(url + path)
        files |= set(re.findall(r'(?:src|href)="(/[^"]+)"', html.decode()))
        files |= {p.replace("\\u002f", "/") for p in re.findall(r'"plotlyjs_url":"([^"]+)"', html.decode())}
    for f in sorted(files):
        _fetch(url + f)
    deadline, seen, stable = time.monotonic() + limit, -1, 0
    while time.monotonic() < deadline and stable < 5:
        done = {p.name.split(".")[0] for p in cache.glob("*.br11")}
        busy = bool({p.name.split(".")[0] for p in cache.glob("*.lock")} - done)  # started, not written
        stable = stable + 1 if len(done) == seen and not busy else 0
        seen = len(done)
        time.sleep(1.0)


def _fetch(url: str) -> bytes:
    req = urllib.request.Request(url, headers={"Accept-Encoding": "br"})
    with urllib.request.urlopen(req, timeout=120) as r:
        body = r.read()
        return brotli.decompress(body) if r.headers.get("Content-Encoding") == "br" else body


def measure(db: Path, scratch: Path, env: dict[str, str], best: bool = True) -> list[Figure]:
    """Every page, first visit (fresh browser profile: empty cache) then the same page again; ``best``: after the
    server has made its best compression of the library files."""
    visits: list[Visit] = []
    with served_copy(db, scratch, "network", env) as url:
        # the new installation's compressed files, warmed as a server that has run a while
        warm(url, scratch / "compressed", 300.0 if best else 0.0)  # --small (CI) does not wait for Brotli 11
        for page, path in PAGES:
            driver = browser()  # a new profile per page: the first visit starts with an empty cache
            try:
                visits.append(visit(driver, url + path, page, first=True))
                visits.append(visit(driver, url + path, page, first=False))
            finally:
                driver.quit()
    return figures(visits)


def figures(visits: list[Visit]) -> list[Figure]:
    out: list[Figure] = []
    link = f"{DOWN_BPS // 1_000_000} Mbit/s, {LATENCY_MS} ms"
    for v in visits:
        extra = {"requests": v.requests, "idle_s": round(v.idle_s, 2), "largest_kB": v.biggest}
        lights = v.lights_s if v.lights_s is not None else float("inf")
        if v.first:
            out.append(
                Figure(
                    "network",
                    f"{v.page}: first visit, bytes transferred ({v.requests} requests)",
                    v.kb,
                    "kB",
                    conditions=[("value", "<=", TARGET_FIRST_KB)],
                    target="≤ 1.5 MB",
                    extra=extra,
                )
            )
            out.append(
                Figure(
                    "network",
                    f"{v.page}: first visit at {link}, until the lights are shown (idle at {v.idle_s:.1f} s)",
                    lights,
                    "s",
                    conditions=[("value", "<=", TARGET_FIRST_S)],
                    target="≤ 10 s",
                    extra=extra,
                )
            )
        else:
            out.append(
                Figure(
                    "network",
                    f"{v.page}: repeat visit at {link}, until the lights are shown "
                    f"({v.requests} requests, {v.kb:,.0f} kB)",
                    lights,
                    "s",
                    conditions=[("value", "<=", TARGET_REPEAT_S)],
                    target="≤ 1.5 s",
                    extra=extra,
                )
            )
            out.append(
                Figure(
                    "network",
                    f"{v.page}: repeat visit, requests that reached the network",
                    float(v.requests),
                    "requests",
                    conditions=[("value", "<=", TARGET_REPEAT_REQUESTS)],
                    target="≤ 15 requests",
                    extra=extra,
                )
            )
    return out
