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
import time
from pathlib import Path

import requests

from .crowd import Users, batch_of_context, cache_effect, mixed, quiet_baseline, row_batches
from .report import Figure
from .server import free_port, stop
from .web import pct

# dashboard.shared_layouts' line once a version's common layouts are rendered, by one worker of the server
WARMED = re.compile(r"versión \d+: (\d+) diseños de página calculados de antemano en ([\d.]+) s")


def warm_up(log: Path, proc: subprocess.Popen, limit: float = 180.0) -> None:
    """Wait until the server has rendered its common layouts (one worker does, at start): a quiet server is one
    that is not doing that."""
    deadline = time.monotonic() + limit
    while not WARMED.search(log.read_text(errors="replace")):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"semaforo serve did not render its layouts:\n{log.read_text()[-3000:]}")
        time.sleep(0.5)


def load_test(db: Path, sources: Path, scratch: Path, env: dict[str, str], small: bool) -> list[Figure]:
    users, seconds = (10, 15.0) if small else (50, 60.0)
    think = (1.0, 3.0)
    scratch.mkdir(parents=True, exist_ok=True)
    served = scratch / "served.duckdb"
    shutil.copy2(db, served)
    month = sorted(sources.glob("his_*.csv"))[-1]
    semaforo = str(Path(sys.executable).with_name("semaforo"))
    port = free_port()
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
        warm_up(log, proc)
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
        stop(proc)
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
    warmed = WARMED.findall(log.read_text(errors="replace"))
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
        *(
            Figure(
                "load",
                f"{label}: layouts rendered ahead of the visitors ({when})",
                float(seconds_),
                "s",
                target="(information)",
                extra={"layouts": int(n)},
            )
            for when, (n, seconds_) in zip(("at the start", "after the load"), warmed, strict=False)
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
