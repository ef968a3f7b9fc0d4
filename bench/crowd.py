"""Simulated users on loopback: what each does next (a page and its layout, or a region's snapshot), the crowd
of them with think time, one user alone on the quiet server, the query cache's effect, and the check that no
snapshot mixed two versions of the data."""

from __future__ import annotations

import random
import re
import threading
import time
from dataclasses import dataclass

import requests

from etl.demo.records import DEMO_INDICATORS

REGIONS = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13"]
REGIONS += ["14", "LM", "LR", "16", "17", "18", "19", "20", "21", "22", "23", "24", "25"]


@dataclass
class Hit:
    user: int
    at: float  # seconds since the test began
    kind: str  # page | layout | export
    ms: float
    status: int  # 0: no answer (connection error, timeout)


def views(rng: random.Random) -> list[tuple[str, str]]:
    """What one user does next: open a page (HTML, then its layout), or download a region's snapshot."""
    region = rng.choice(REGIONS)
    page = rng.choice(
        ["/", f"/region/{region}", f"/presupuesto/{region}", "/indicador/PAN_DCI", f"/calidad/{region}"]
    )
    if rng.random() < 0.25:
        return [("export", f"/export/region/{region}.json")]
    return [("page", page), ("layout", page)]


def batch_of_context(doc: dict) -> int | None:
    line = next((v for k, v in doc["context"].items() if "registros administrativos" in k), "")
    m = re.search(r"lote (\d+)", line)
    return int(m.group(1)) if m else None


def row_batches(doc: dict) -> set[int]:
    """Batches of the snapshot's HIS rows that monthly files carry (anemia from nominal records is a batch of
    its own, which a month's file neither replaces nor dates)."""
    return {
        r["lote"]
        for r in doc["rows"]
        if r.get("fuente") == "HIS"
        and r["lote"] is not None
        and r.get("indicador_codigo") not in DEMO_INDICATORS
    }


def mixed(docs: list[dict]) -> list[dict]:
    """Snapshots that mix versions: the load's new batch named by the context (one query) but not by the rows
    (another), or the other way round. A region without records that month (rows without a batch) shows
    nothing to compare."""
    new = max((batch_of_context(d) or 0 for d in docs), default=0)
    return [d for d in docs if row_batches(d) and (batch_of_context(d) == new) != (new in row_batches(d))]


class Users:
    def __init__(self, url: str, n: int, seconds: float, think: tuple[float, float]):
        self.url, self.n, self.seconds, self.think = url, n, seconds, think
        self.hits: list[Hit] = []
        self.docs: list[tuple[float, dict]] = []
        self.lock = threading.Lock()
        self.t0 = 0.0

    def user(self, k: int) -> None:
        rng = random.Random(k)
        s = requests.Session()
        time.sleep(rng.uniform(0, self.think[1]))  # users arrive spread out, not all at once
        while time.perf_counter() - self.t0 < self.seconds:
            for kind, path in views(rng):
                started = time.perf_counter()
                try:
                    if kind == "layout":
                        r = s.get(
                            self.url + "/_dash-layout", headers={"Referer": self.url + path}, timeout=60
                        )
                    else:
                        r = s.get(self.url + path, timeout=60)
                    status = r.status_code
                except requests.RequestException:
                    r, status = None, 0
                done = time.perf_counter()
                with self.lock:
                    self.hits.append(Hit(k, started - self.t0, kind, (done - started) * 1000, status))
                    if kind == "export" and r is not None and status == 200:
                        self.docs.append((done - self.t0, r.json()))
            time.sleep(rng.uniform(*self.think))

    def run(self, during=None) -> float | None:
        self.t0 = time.perf_counter()
        threads = [threading.Thread(target=self.user, args=(k,), daemon=True) for k in range(self.n)]
        for t in threads:
            t.start()
        extra = during() if during else None
        for t in threads:
            t.join(self.seconds + 120)
        return extra


def quiet_baseline(url: str, rng: random.Random, n: int) -> dict[str, list[float]]:
    """The same kinds of request from one user alone on the server: what the load is compared with."""
    s = requests.Session()
    out: dict[str, list[float]] = {"page": [], "layout": [], "export": []}
    for _ in range(n):
        for kind, path in views(rng):
            started = time.perf_counter()
            if kind == "layout":
                s.get(url + "/_dash-layout", headers={"Referer": url + path}, timeout=60).raise_for_status()
            else:
                s.get(url + path, timeout=60).raise_for_status()
            out[kind].append((time.perf_counter() - started) * 1000)
    return out


def cache_effect(url: str) -> tuple[list[float], list[float]]:
    """Layouts of views not opened before, then the same ones again on the same connection (so the same worker):
    the second answer comes from that process's query cache."""
    s = requests.Session()
    first: list[float] = []
    again: list[float] = []
    for region in REGIONS[:8]:
        path = f"/presupuesto/{region}?periodo=2026-06"
        for out in (first, again):
            started = time.perf_counter()
            s.get(url + "/_dash-layout", headers={"Referer": url + path}, timeout=60).raise_for_status()
            out.append((time.perf_counter() - started) * 1000)
    return first, again
