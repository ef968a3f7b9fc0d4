"""Serving figures from the scripted session: callback server times against the raw queries underneath, response
and map payloads, one serving worker's memory (the cold start is in :mod:`bench.cold_start`)."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

from .report import Figure
from .worker import run_task

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
        rows = [c for c in mine if c.get("rows")]
        mine = [c for c in mine if not c.get("rows")]
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
        if rows:  # a paged grid's first page, asked once the page's answer has drawn the grid
            figures.append(_timing("callbacks", f"{page}: a grid's page of rows", rows, limit, target))
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
        # the page's own answers, and apart from them its grids' pages of rows (many and small: counted with
        # the page's answers they would pull its median down)
        for name, chosen in (
            ("callback response", [c for c in mine if not c.get("rows")]),
            ("a grid's page of rows", [c for c in mine if c.get("rows")]),
        ):
            if not chosen:
                continue
            kb = [c["kb"] for c in chosen]
            figures.append(
                Figure(
                    "payload",
                    f"{page}: {name}, median (max {max(kb):,.0f} kB)",
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
