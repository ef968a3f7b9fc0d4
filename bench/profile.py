"""Where a load's time goes: the admin loader's phases (``warehouse.phases``: hash, copy, open, migrate,
reference, read, checks, write, marts, statuses, constraints, record, commit, checkpoint, close, fsync+rename) on a month of HIS
records and on a 50-row file cut from it, each loaded (forced) into a copy of the warehouse, as a running system
does. The 50-row load is the fixed cost every load pays, whatever its file."""

from __future__ import annotations

import shutil
from pathlib import Path

from .report import Figure
from .worker import run_task

FIXED_TARGET_S = 0.15
SMALL_ROWS = 50


def small_copy(month: Path, out: Path, rows: int = SMALL_ROWS) -> Path:
    """The header and the first ``rows`` data rows of a CSV, byte for byte (same layout, same encoding)."""
    with open(month, "rb") as src, open(out, "wb") as dst:
        for k, line in enumerate(src):
            if k > rows:
                break
            dst.write(line)
    return out


def measure(warehouse: Path, month: Path, scratch: Path, env: dict[str, str]) -> list[Figure]:
    scratch.mkdir(parents=True, exist_ok=True)
    db = scratch / "profile.duckdb"
    shutil.copyfile(warehouse, db)
    small = small_copy(month, scratch / f"{month.stem}_{SMALL_ROWS}.csv")
    size_mb = warehouse.stat().st_size / 1e6
    files = [
        {"source": "admin", "path": str(month), "db": str(db)},
        {"source": "admin", "path": str(small), "db": str(db)},
    ]
    try:
        loads = run_task(
            "profile", {"files": files, "catalogue_dir": env.get("SEMAFORO_CATALOGUE")}, scratch, env
        )
    finally:
        for p in (db, Path(f"{db}.wal"), Path(f"{db}.lock"), small):
            p.unlink(missing_ok=True)
    figures = []
    for ld in loads["loads"]:
        label = f"admin loader, {Path(ld['path']).name} ({ld['rows_read']:,} rows) into {size_mb:,.0f} MB"
        phases = dict(sorted(ld["phases"].items(), key=lambda kv: -kv[1]))
        shown = ", ".join(f"{k} {v:.2f}" for k, v in phases.items() if v >= 0.005)
        is_small = ld["rows_read"] <= SMALL_ROWS
        figures.append(
            Figure(
                "profile",
                f"{label}: {shown}",
                ld["seconds"],
                "s",
                conditions=[("value", "<=", FIXED_TARGET_S)] if is_small else [],
                target="fixed cost ≤ 0.15 s" if is_small else "(phases, information)",
                extra={
                    "phases": {k: round(v, 4) for k, v in phases.items()},
                    "warehouse_mb": round(size_mb, 1),
                },
            )
        )
    return figures
