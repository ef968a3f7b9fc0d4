"""Serving figures: callback server times against the raw queries underneath, response and map payloads, one
serving worker's memory, and the cold start of ``semaforo serve``."""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from .report import Figure
from .session import outputs_of
from .worker import ROOT, run_task

SHELL = {"url.search": "filter bar ↔ URL sync", "nav-resumen.href": "navigation links"}


def pct(values: list[float], q: float) -> float:
    """The q-quantile (nearest rank: an observed value, as p95 of a few samples should be)."""
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * len(s) + 0.5) - 1))]


# Issue 23: any callback p95 at national scale ≤ 150 ms, the region page's ≤ 100 ms, ≤ 2× the raw queries.
CALLBACK_MS, REGION_CALLBACK_MS, RAW_RATIO = 150, 100, 2.0
PAYLOAD_KB = 100  # callback responses, typical (median) per page


def _limit(page: str) -> tuple[float, str]:
    ms = REGION_CALLBACK_MS if page == "region" else CALLBACK_MS
    return ms, f"p95 ≤ {ms} ms"


def _timing(group: str, name: str, calls: list[dict], limit: float, target: str) -> Figure:
    ms = [c["ms"] for c in calls]
    raw = [c["raw_ms"] for c in calls if c["raw_ms"] is not None]
    conditions = [("value", "<=", limit)]
    if raw:
        conditions.append(("ratio", "<=", RAW_RATIO))
    return Figure(
        group,
        f"{name} p95 (n={len(ms)})",
        pct(ms, 0.95),
        "ms",
        pct(raw, 0.95) if raw else None,
        "raw queries" if raw else "",
        conditions,
        target + (f", ≤ {RAW_RATIO:g}× raw" if raw else ""),
        extra={
            "p50_ms": statistics.median(ms),
            "raw_p50_ms": statistics.median(raw) if raw else None,
            "in_query_p50_ms": statistics.median(c["query_ms"] for c in calls),
            "max_ms": max(ms),
        },
    )


def session_figures(s: dict[str, Any], replay: dict[str, Any]) -> list[Figure]:
    calls = s["calls"]
    figures: list[Figure] = []
    pages = list(dict.fromkeys(c["page"] for c in calls))
    for page in pages:
        mine = [c for c in calls if c["page"] == page]
        update = [
            c
            for c in mine
            if c["step"] != "navegar a la página" and not _shell(c["callback"]) and not c["drill"]
        ]
        drill = [c for c in mine if c["drill"] and not _shell(c["callback"])]
        nav = [c for c in mine if c["step"] == "navegar a la página"]
        limit, target = _limit(page)
        if update:
            figures.append(_timing("callbacks", f"{page}: filter change", update, limit, target))
        if drill:
            figures.append(_timing("callbacks", f"{page}: district → facilities", drill, limit, target))
        if nav:
            figures.append(_timing("callbacks", f"{page}: opened from another page", nav, limit, target))
    for key, label in SHELL.items():
        shell = [c for c in calls if c["callback"].startswith(f"..{key}")]
        if shell:
            figures.append(_timing("callbacks", label, shell, CALLBACK_MS, f"p95 ≤ {CALLBACK_MS} ms"))
    for page in pages:
        loads = [x for x in s["loads"] if x["page"] == page]
        figures.append(
            Figure(
                "callbacks",
                f"{page}: first load, /_dash-layout p95 (n={len(loads)})",
                pct([x["ms"] for x in loads], 0.95),
                "ms",
                target="(not a callback: information)",
                extra={"p50_ms": statistics.median(x["ms"] for x in loads)},
            )
        )
    for page in pages:
        mine = [c for c in calls if c["page"] == page and not _shell(c["callback"]) and c["status"] == 200]
        kb = [c["kb"] for c in mine]
        figures.append(
            Figure(
                "payload",
                f"{page}: callback response, median (max {max(kb):,.0f} kB)",
                statistics.median(kb),
                "kB",
                target=f"≤ {PAYLOAD_KB} kB typical",
                conditions=[("value", "<=", PAYLOAD_KB)],
                extra={
                    "max_kb": max(kb),
                    "first_load_kb": next(x["kb"] for x in s["loads"] if x["page"] == page),
                },
            )
        )
    first = s["first_map_kb"]
    figures.append(
        Figure(
            "payload",
            "first map (region-map figure in the first page load)",
            first,
            "kB",
            target="≤ 1 MB",
            conditions=[("value", "<=", 1000)],
        )
    )
    updates = [
        c["parts_kb"]["region-map.figure"]
        for c in calls
        if c["page"] == "resumen"
        and "region-map.figure" in c["parts_kb"]
        and c["step"] != "navegar a la página"
    ]
    if updates:
        figures.append(
            Figure(
                "payload",
                f"map update, colours/values only (max of {len(updates)})",
                max(updates),
                "kB",
                first,
                "first map",
                [("value", "<=", 20)],
                "≤ 20 kB",
            )
        )
    figures.append(
        Figure(
            "memory",
            "one serving worker: peak RSS after the scripted session",
            s["peak_rss_mb"],
            "MB",
            replay["peak_rss_mb"],
            "raw queries alone",
            [("value", "<=", 2048)],
            "≤ 2 GB",
            extra={"rss_mb_at_end": s["rss_mb"], "raw_queries": replay["queries"]},
        )
    )
    return figures


def _shell(callback: str) -> bool:
    return any(callback.startswith(f"..{k}") for k in SHELL)


def session(db: Path, repeats: int, scratch: Path, env: dict[str, str]) -> list[Figure]:
    queries = scratch / "queries.pkl"
    s = run_task("session", {"db": str(db), "repeats": repeats, "queries": str(queries)}, scratch, env)
    replay = run_task("replay", {"db": str(db), "queries": str(queries)}, scratch, env)
    return session_figures(s, replay)


# --- cold start -------------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, referer: str | None = None) -> bytes:
    req = urllib.request.Request(url, headers={"Referer": referer} if referer else {})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.read()


def _wait_listening(url: str, proc: subprocess.Popen, limit: float = 60) -> None:
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode}): {proc.stdout.read()[-2000:]}")
        try:
            _get(url)  # urlopen raises unless 2xx
            return
        except OSError:
            time.sleep(0.01)
    raise RuntimeError(f"no answer from {url} after {limit} s")


def _launch(cmd: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        cmd,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


BARE_FLASK = (
    "import sys, flask; app = flask.Flask('bare'); app.route('/')(lambda: 'ok'); "
    "app.run(host='127.0.0.1', port=int(sys.argv[1]))"
)


def cold_start(db: Path, env: dict[str, str]) -> list[Figure]:
    """``semaforo serve`` started anew: time to the first answered GET / and to the first page (GET /, its
    layout, the callbacks list and the router's first callback); a bare Flask app started alike is the
    baseline."""
    semaforo = Path(sys.executable).with_name("semaforo")
    base_cmd = [str(semaforo)] if semaforo.exists() else [sys.executable, "-m", "semaforo"]
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    proc = _launch([*base_cmd, "serve", "--db", str(db), "--port", str(port)], env)
    try:
        _wait_listening(url + "/", proc)
        listening = time.perf_counter() - started
        _get(url + "/_dash-layout", referer=url + "/")
        _first_callback(url, json.loads(_get(url + "/_dash-dependencies")))
        first_page = time.perf_counter() - started
        again = time.perf_counter()
        _get(url + "/")
        _get(url + "/_dash-layout", referer=url + "/")
        warm = time.perf_counter() - again
    finally:
        _stop(proc)
    port = _free_port()
    started = time.perf_counter()
    bare = _launch([sys.executable, "-c", BARE_FLASK, str(port)], {})
    try:
        _wait_listening(f"http://127.0.0.1:{port}/", bare)
        bare_s = time.perf_counter() - started
    finally:
        _stop(bare)
    return [
        Figure(
            "start",
            "semaforo serve: launch → first GET / answered",
            listening,
            "s",
            bare_s,
            "bare Flask app",
            target="(information)",
        ),
        Figure(
            "start",
            "semaforo serve: launch → first page served (GET /, layout, first callback)",
            first_page,
            "s",
            bare_s,
            "bare Flask app",
            [("value", "<=", 2.0)],
            "< 2 s",
            extra={"same_page_again_s": warm},
        ),
    ]


def _first_callback(url: str, deps: list[dict]) -> None:
    """The router callback a browser fires on first load (it answers 204: the page came with the layout)."""
    (route,) = [d for d in deps if d["output"].startswith("..page.children")]
    values = {("url", "pathname"): "/", ("url", "search"): "", ("page-key", "data"): "resumen:"}
    body = {
        "output": route["output"],
        "outputs": outputs_of(route["output"]),
        "inputs": [{**i, "value": values.get((i["id"], i["property"]))} for i in route["inputs"]],
        "state": [{**x, "value": values.get((x["id"], x["property"]))} for x in route["state"]],
        "changedPropIds": ["url.pathname"],
    }
    req = urllib.request.Request(
        url + "/_dash-update-component",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        r.read()
