"""Many users on the real server while a month of data is loaded: ``semaforo serve`` (gunicorn) on a copy of the
bench warehouse, simulated users on loopback opening pages (the page, then its layout, as a browser does) and
downloading region snapshots, with think time between requests; a ``semaforo load`` of one month's records in the
middle. Printed, never asserted in a timed test: users held, latency p50/p95 against the same requests from one
user on a quiet server (same run), error rate, and whether any response mixed two versions of the data.

Users are threads of one client process on the same two-core machine as the server: they take some of its CPU,
so the figures are a floor for what the server holds, not a ceiling."""

from __future__ import annotations

import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from etl.demo.records import DEMO_INDICATORS

from .report import Figure
from .web import _free_port, pct

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


def load_test(db: Path, sources: Path, scratch: Path, env: dict[str, str], small: bool) -> list[Figure]:
    users, seconds = (10, 15.0) if small else (50, 60.0)
    think = (1.0, 3.0)
    scratch.mkdir(parents=True, exist_ok=True)
    served = scratch / "served.duckdb"
    shutil.copy2(db, served)
    month = sorted(sources.glob("his_*.csv"))[-1]
    semaforo = str(Path(sys.executable).with_name("semaforo"))
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = scratch / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [semaforo, "serve", "--db", str(served), "--port", str(port), "--workers", "2", "--threads", "8"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **env},
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(url + "/healthz", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"semaforo serve did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        first, again = cache_effect(url)
        base = quiet_baseline(url, random.Random(7), 8 if small else 20)
        crowd = Users(url, users, seconds, think)
        loaded: dict[str, float] = {}

        def load_a_month() -> None:
            time.sleep(seconds / 4)
            started = time.perf_counter()
            done = subprocess.run(
                [semaforo, "load", "admin", str(month), "--db", str(served), "--force"],
                capture_output=True,
                text=True,
                env={**os.environ, **env},
            )
            if done.returncode != 0:
                raise RuntimeError(f"the load failed: {done.stderr[-2000:]}")
            loaded["start"] = started - crowd.t0
            loaded["end"] = time.perf_counter() - crowd.t0
            loaded["seconds"] = time.perf_counter() - started

        crowd.run(load_a_month)
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
    shutil.rmtree(scratch / "cargas", ignore_errors=True)

    hits = crowd.hits
    errors = [h for h in hits if h.status != 200]
    mixed_docs = mixed([d for _, d in crowd.docs])
    batches_before = {batch_of_context(d) for at, d in crowd.docs if at < loaded.get("start", 0)}
    new_seen = [at for at, d in crowd.docs if batch_of_context(d) not in batches_before]
    # A client may see the new version before the load process has exited: 0 then.
    seen_after = max(0.0, min(new_seen) - loaded["end"]) if new_seen and "end" in loaded else None
    during = [h for h in hits if loaded.get("start", 0) <= h.at <= loaded.get("end", 0)]
    last = seconds - 10
    failed_users = {h.user for h in hits if h.status != 200}
    held = len({h.user for h in hits if h.at >= last} - failed_users)  # answered to the end, never refused
    layout = [h.ms for h in hits if h.kind == "layout" and h.status == 200]
    export = [h.ms for h in hits if h.kind == "export" and h.status == 200]
    label = (
        f"{users} users × {seconds:.0f} s, think {think[0]:.0f}–{think[1]:.0f} s, a month loaded meanwhile"
    )
    figures = [
        Figure(
            "load",
            f"{label}: failed requests",
            len(errors),
            "requests",
            len(hits),
            "requests made",
            [("value", "<=", 0)],
            "0",
            note="; ".join(sorted({f"{h.kind} {h.status}" for h in errors}))[:200],
            extra={"requests": len(hits), "users_held": held},
        ),
        Figure(
            "load",
            f"{label}: snapshots mixing two data versions",
            len(mixed_docs),
            "responses",
            sum(1 for _, d in crowd.docs if row_batches(d)),
            "snapshots checked",
            [("value", "<=", 0)],
            "0",
        ),
        Figure(
            "load",
            f"{label}: page layout p95",
            pct(layout, 0.95),
            "ms",
            pct(base["layout"], 0.95),
            "one user, quiet server",
            [("value", "<=", 500), ("ratio", "<=", 2.0)],  # issue 23
            "≤ 500 ms, ≤ 2× one user on a quiet server",
            extra={"p50_ms": statistics.median(layout), "quiet_p50_ms": statistics.median(base["layout"])},
        ),
        Figure(
            "load",
            f"{label}: snapshot download p95",
            pct(export, 0.95),
            "ms",
            pct(base["export"], 0.95),
            "one user, quiet server",
            target="(information)",
            extra={"p50_ms": statistics.median(export)},
        ),
        Figure(
            "load",
            f"{label}: users held (answered to the end, no error)",
            held,
            "users",
            users,
            "users started",
            [("ratio", ">=", 1.0)],
            "all",
        ),
        Figure(
            "load",
            "one user: a view's layout opened again (query cache) p50",
            statistics.median(again),
            "ms",
            statistics.median(first),
            "the same view the first time",
            [("ratio", "<=", 0.8)],
            "cache pays: ≤ 0.8× first",
        ),
        Figure(
            "load",
            f"{label}: requests answered per second",
            len(hits) / seconds,
            "req/s",
            target="(information)",
            extra={"during_load_p95_ms": pct([h.ms for h in during], 0.95) if during else None},
        ),
        Figure(
            "load",
            f"{label}: month load (semaforo load admin, {month.name}) while serving",
            loaded.get("seconds", float("nan")),
            "s",
            target="(information)",
        ),
        Figure(
            "load",
            f"{label}: new data served after the load ended",
            seen_after if seen_after is not None else float("nan"),
            "s",
            conditions=[("value", "<=", 5.0)],
            target="≤ 5 s, no restart",
        ),
    ]
    return figures
