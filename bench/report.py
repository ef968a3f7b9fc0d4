"""Figures, their targets, the printed table and the JSON file.

A figure is one measured value with the baseline measured in the same run, their ratio, and the target it is
held to (issue 4). Targets are conditions on the value and on the ratio; a figure meets its target when every
condition holds.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import sys
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any


@dataclass
class Figure:
    group: str  # etl | callbacks | payload | memory | start
    name: str
    value: float
    unit: str  # rows/s | ms | kB | MB | s
    baseline: float | None = None
    baseline_name: str = ""
    # Conditions: (what, op, limit) with what in {"value", "ratio"} and op in {"<=", ">="}.
    conditions: list[tuple[str, str, float]] = field(default_factory=list)
    target: str = ""  # the target as the issue words it
    note: str = ""  # what was measured, or why a target is missed
    extra: dict[str, Any] = field(default_factory=dict)  # p50, sizes… kept in the JSON only

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline

    @property
    def met(self) -> bool | None:
        if not self.conditions:
            return None
        ok = True
        for what, op, limit in self.conditions:
            x = self.value if what == "value" else self.ratio
            if x is None:
                return None
            ok &= x <= limit if op == "<=" else x >= limit
        return ok

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["ratio"] = None if self.ratio is None else round(self.ratio, 4)
        d["met"] = self.met
        d["conditions"] = [list(c) for c in self.conditions]
        return d


def _num(x: float | None, unit: str) -> str:
    if x is None:
        return "—"
    if unit == "rows/s":
        return f"{x:,.0f}"
    if unit in ("ms", "kB", "MB"):
        return f"{x:,.1f}" if x < 100 else f"{x:,.0f}"
    return f"{x:,.2f}"


def table(figures: list[Figure]) -> str:
    """The figures as one plain-text table, grouped, with met/missed per target."""
    head = ("figure", "value", "baseline (same run)", "ratio", "target", "")
    rows: list[tuple[str, ...]] = []
    group = None
    for f in figures:
        if f.group != group:
            group = f.group
            rows.append((f"[{group}]", "", "", "", "", ""))
        verdict = {True: "met", False: "MISSED", None: ""}[f.met]
        base = f"{_num(f.baseline, f.unit)} {f.baseline_name}".strip() if f.baseline is not None else "—"
        rows.append(
            (
                "  " + f.name,
                f"{_num(f.value, f.unit)} {f.unit}",
                base,
                "—" if f.ratio is None else f"{f.ratio:.2f}",
                f.target,
                verdict,
            )
        )
    widths = [max(len(r[k]) for r in [head, *rows]) for k in range(len(head))]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)), line]
    for r in rows:
        out.append("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    return "\n".join(out)


def markdown(figures: list[Figure]) -> str:
    """The same table in Markdown, for the README."""
    out = ["| figure | value | baseline (same run) | ratio | target | |", "|---|---:|---:|---:|---|---|"]
    for f in figures:
        verdict = {True: "met", False: "**missed**", None: ""}[f.met]
        base = f"{_num(f.baseline, f.unit)} {f.baseline_name}".strip() if f.baseline is not None else "—"
        ratio = "—" if f.ratio is None else f"{f.ratio:.2f}"
        out.append(
            f"| {f.group}: {f.name} | {_num(f.value, f.unit)} {f.unit} | {base} | {ratio} | {f.target} | "
            f"{verdict} |"
        )
    return "\n".join(out)


def _pkg(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    ram = 0.0
    with contextlib.suppress(ValueError, OSError):
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpus": cpus,
        "cpu_model": model,
        "ram_gb": round(ram, 1),
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "duckdb": _pkg("duckdb"),
        "dash": _pkg("dash"),
        "plotly": _pkg("plotly"),
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }


def write_json(path: Path, figures: list[Figure], meta: dict[str, Any]) -> None:
    data = {**meta, "figures": [f.as_dict() for f in figures]}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
