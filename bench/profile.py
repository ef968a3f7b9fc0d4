"""Where a load's time goes, and whether it follows the file or the warehouse (issue 23).

The admin loader's phases (``warehouse.phases``: hash, copy, open, verify, migrate, reference, read, checks,
write, marts, statuses, constraints, record, commit, checkpoint, close, fsync+rename) on a month of HIS records
and on a 50-row file cut from it — the fixed cost every load pays, whatever its file — each loaded (forced) into
a copy of the national warehouse, as a running system does; then the same loads into a small warehouse holding the
same reference data and only the month's look-back window of HIS months, built with the same loaders. The month's
time in the national warehouse against the small one is the ratio the issue holds to ≤ 1.5×.

A copied file is not the version a writer stamped (``warehouse.integrity``), so each warehouse first gets one
50-row load that reads it whole, as the first load after a restore would; the figures are the loads after it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import duckdb

from warehouse.sqlfiles import scalar

from .report import Figure
from .worker import run_task

FIXED_TARGET_S = 0.15
RATIO_TARGET = 1.5
SMALL_ROWS = 50
LOOKBACK_MONTHS = 6  # settings.yaml expected_lookback_months: the history a month's refresh reads
FACT_SOURCES = {"admin", "stock", "budget"}  # left out of the small warehouse, but for the month's window
MONTHLY = re.compile(r"his_\d{4}_\d{2}\.csv")


def small_copy(month: Path, out: Path, rows: int = SMALL_ROWS) -> Path:
    """The header and the first ``rows`` data rows of a CSV, byte for byte (same layout, same encoding)."""
    with open(month, "rb") as src, open(out, "wb") as dst:
        for k, line in enumerate(src):
            if k > rows:
                break
            dst.write(line)
    return out


def small_warehouse_files(loads: list[dict[str, Any]], sources: Path, month: Path) -> list[dict[str, str]]:
    """The build's loads for the small warehouse, in the build's order: every reference file (territory,
    facilities, network, population, targets, survey) and the HIS months of ``month``'s look-back window."""
    months = sorted(ld["file"] for ld in loads if ld["source"] == "admin" and MONTHLY.fullmatch(ld["file"]))
    window = set(m for m in months if m <= month.name)
    window = set(sorted(window)[-(LOOKBACK_MONTHS + 1) :])
    return [
        {"source": ld["source"], "path": str(sources / ld["file"])}
        for ld in loads
        if ld["source"] not in FACT_SOURCES or ld["file"] in window
    ]


def measure(
    warehouse: Path,
    month: Path,
    scratch: Path,
    env: dict[str, str],
    build_loads: list[dict[str, Any]] | None = None,
    sources: Path | None = None,
) -> list[Figure]:
    scratch.mkdir(parents=True, exist_ok=True)
    catalogue_dir = env.get("SEMAFORO_CATALOGUE")
    national, small_db = scratch / "national.duckdb", scratch / "small.duckdb"
    shutil.copyfile(warehouse, national)
    small = small_copy(month, scratch / f"{month.stem}_{SMALL_ROWS}.csv")
    dbs = {"national": national}
    try:
        if build_loads and sources:
            files = [{**f, "db": str(small_db)} for f in small_warehouse_files(build_loads, sources, month)]
            run_task("load", {"files": files, "catalogue_dir": catalogue_dir}, scratch, env)
            dbs["small"] = small_db
        sizes = {name: db.stat().st_size / 1e6 for name, db in dbs.items()}
        months = {name: _months(db) for name, db in dbs.items()}
        todo = [
            {"source": "admin", "path": str(p), "db": str(db), "warehouse": name, "role": role}
            for name, db in dbs.items()
            for p, role in ((small, "first"), (month, "month"), (small, "fixed"))
        ]
        loads = run_task("profile", {"files": todo, "catalogue_dir": catalogue_dir}, scratch, env)["loads"]
    finally:
        for db in (national, small_db):
            for p in (db, Path(f"{db}.wal"), Path(f"{db}.lock"), Path(f"{db}.verified")):
                p.unlink(missing_ok=True)
        small.unlink(missing_ok=True)
    return figures(loads, sizes, months)


def _months(db: Path) -> int:
    """How many months of HIS records a warehouse holds (read-only, before the loads)."""
    con = duckdb.connect()
    try:
        con.execute("attach ? as w (read_only)", [str(db)])
        return int(scalar(con, "select count(distinct period) from w.raw_admin"))
    finally:
        con.close()


def _phases(ld: dict[str, Any]) -> tuple[dict[str, float], str]:
    phases = dict(sorted(ld["phases"].items(), key=lambda kv: -kv[1]))
    return phases, ", ".join(f"{k} {v:.2f}" for k, v in phases.items() if v >= 0.005)


def figures(
    loads: list[dict[str, Any]], sizes: dict[str, float], months: dict[str, int] | None = None
) -> list[Figure]:
    months = months or {}
    out = []
    by = {(ld["warehouse"], ld["role"]): ld for ld in loads}
    for ld in loads:
        phases, shown = _phases(ld)
        where = f"{_held(ld['warehouse'], months)} warehouse ({sizes[ld['warehouse']]:,.0f} MB)"
        what = f"admin loader, {Path(ld['path']).name} ({ld['rows_read']:,} rows) into the {where}"
        fixed = ld["role"] == "fixed" and ld["warehouse"] == "national"
        label = {
            "first": f"{what}, the first load into the copied file (read whole), phases: ",
            "month": f"{what}, phases: ",
            "fixed": f"{what}, the fixed cost, phases: ",
        }[ld["role"]]
        out.append(
            Figure(
                "profile",
                label + shown,
                ld["seconds"],
                "s",
                conditions=[("value", "<=", FIXED_TARGET_S)] if fixed else [],
                target=f"fixed cost ≤ {FIXED_TARGET_S} s" if fixed else "(phases, information)",
                note=_fixed_note(phases, sizes[ld["warehouse"]]) if fixed else "",
                extra={
                    "phases": {k: round(v, 4) for k, v in phases.items()},
                    "warehouse_mb": sizes[ld["warehouse"]],
                },
            )
        )
    if ("small", "month") in by:
        big, little = by[("national", "month")], by[("small", "month")]
        out.append(
            Figure(
                "profile",
                f"one HIS month ({big['rows_read']:,} rows) into the {_held('national', months)} warehouse "
                f"({sizes['national']:,.0f} MB) against into the small one ({sizes['small']:,.0f} MB: reference "
                f"data and {months.get('small', LOOKBACK_MONTHS + 1)} months)",
                big["seconds"],
                "s",
                little["seconds"],
                "small warehouse",
                [("ratio", "<=", RATIO_TARGET)],
                f"≤ {RATIO_TARGET}× (a load's cost follows its file)",
                note=_ratio_note(big["phases"], little["phases"]),
                extra={"phases": big["phases"], "small_phases": little["phases"]},
            )
        )
    return out


def _held(name: str, months: dict[str, int]) -> str:
    """'national 60-month': the warehouse's name and the months of HIS records it holds."""
    return f"{name} {months[name]}-month" if name in months else name


# The phases that copy the warehouse and write the copy to disk: they grow with its size, whatever the file.
COPY_PHASES = ("copy", "fsync+rename")


def _fixed_note(phases: dict[str, float], size_mb: float) -> str:
    """Where the fixed cost goes, and how much of it is the copy of the warehouse and its flush to disk (what a
    smaller serving database would shrink) against the rest (the statements of the load)."""
    top = ", ".join(f"{k} {v:.2f} s" for k, v in list(phases.items())[:4])
    copying = sum(phases.get(k, 0.0) for k in COPY_PHASES)
    rest = sum(phases.values()) - copying
    return (
        f"where the time goes: {top}; copying the {size_mb:,.0f}-MB warehouse and its flush to disk "
        f"{copying:.2f} s, the rest {rest:.2f} s"
    )


def _ratio_note(big: dict[str, float], little: dict[str, float]) -> str:
    """The phases that grow with the warehouse: national minus small, largest first."""
    grow = sorted(((k, v - little.get(k, 0.0)) for k, v in big.items()), key=lambda kv: -kv[1])
    shown = ", ".join(f"{k} +{d:.2f} s" for k, d in grow[:4] if d > 0.005)
    return f"what grows with the warehouse: {shown}"
