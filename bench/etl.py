"""ETL figures: each loader on a representative file against DuckDB's read_csv (or python-calamine) of the same
file, and the loads' peak memory.

Reference loaders load into a new warehouse, as they do first; fact loaders load into a copy of the full national
warehouse (forced, replacing the same scope with the same rows), as the monthly loads of a running system do.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from warehouse.integrity import identity, stamp_verified, verified_before

from .report import Figure
from .worker import run_task

CSV_TARGET = "≥ 1,000,000 rows/s and ≥ 50 % of read_csv"
XLSX_TARGET = "≥ 30,000 rows/s"


def representative(folder: Path, months: list[tuple[int, int]], big_year: int | None) -> list[dict[str, str]]:
    """(source, file, warehouse) of every measured load: the largest or newest file of each loader."""
    last = "{}_{:02d}".format(*months[-1])
    budget = folder / f"gasto_{big_year}.csv" if big_year else max(folder.glob("gasto_*.csv"))
    return [
        {"source": "territory", "path": str(folder / "ubigeo_distritos.csv"), "into": "new"},
        {"source": "facilities", "path": str(folder / "renipress.csv"), "into": "new"},
        {"source": "population", "path": str(max(folder.glob("padron_*.csv"))), "into": "new"},
        {"source": "targets", "path": str(max(folder.glob("metas_*.csv"))), "into": "new"},
        {"source": "budget", "path": str(budget), "into": "full"},
        {"source": "survey", "path": str(max(folder.glob("endes_indicadores_*.csv"))), "into": "full"},
        {"source": "survey", "path": str(max(folder.glob("endes_cuadro_*.xlsx"))), "into": "full"},
        {
            "source": "survey",
            "path": str(max(folder.glob("endes_indicadores_resultados_*.xlsx"))),
            "into": "full",
        },
        {"source": "admin", "path": str(folder / f"his_{last}.csv"), "into": "full"},
        {"source": "admin", "path": str(folder / f"his_{last}.xlsx"), "into": "full"},
        {"source": "stock", "path": str(folder / f"stock_{last}.csv"), "into": "full"},
    ]


def measure(
    files: list[dict[str, str]], warehouse: Path, catalogue_dir: str | None, scratch: Path
) -> list[Figure]:
    """Run the loads and the baselines, each set in its own process, and turn them into figures."""
    scratch.mkdir(parents=True, exist_ok=True)
    new, full = scratch / "etl-new.duckdb", scratch / "etl-full.duckdb"
    for p in (new, full, Path(f"{new}.wal"), Path(f"{full}.wal")):
        p.unlink(missing_ok=True)
    copy_as_written(warehouse, full)
    todo = [{**f, "db": str(new if f["into"] == "new" else full)} for f in files]
    env = {"SEMAFORO_CATALOGUE": catalogue_dir} if catalogue_dir else {}
    try:
        loads = run_task("load", {"files": todo, "catalogue_dir": catalogue_dir}, scratch, env)
    finally:
        for p in (new, full, Path(f"{new}.wal"), Path(f"{full}.wal")):
            p.unlink(missing_ok=True)
    reads = run_task("read", {"files": files, "scratch": str(scratch)}, scratch, env)
    figures = []
    for ld, rd in zip(loads["loads"], reads["reads"], strict=True):
        path = Path(ld["path"])
        excel = path.suffix == ".xlsx"
        rows = rd["rows"]  # data rows of the CSV, or rows of the sheet: the same count for both readers
        value, baseline = rows / ld["seconds"], rows / rd["seconds"]
        figures.append(
            Figure(
                "etl",
                f"{ld['source']} loader, {path.name} ({rows:,} rows)",
                value,
                "rows/s",
                baseline,
                "calamine" if excel else "read_csv",
                [("value", ">=", 30_000)] if excel else [("value", ">=", 1_000_000), ("ratio", ">=", 0.5)],
                XLSX_TARGET if excel else CSV_TARGET,
                note="" if excel else csv_note(ld.get("phases", {}), rows, rd["seconds"]),
                extra={
                    "rows": rows,
                    "loader_seconds": ld["seconds"],
                    "baseline_seconds": rd["seconds"],
                    "rows_staged": ld["rows_read"],
                    "into": ld["into"],
                },
            )
        )
    figures.append(
        Figure(
            "memory",
            "ETL: peak RSS of the loads above (largest: the national MEF CSV)",
            loads["peak_rss_mb"],
            "MB",
            reads["peak_rss_mb"],
            "read_csv/calamine",
            target="(none set)",
        )
    )
    return figures


def copy_as_written(warehouse: Path, copy: Path) -> None:
    """Copy the warehouse for the fact loads, stamped as its writer stamped it (``warehouse.integrity``) when the
    original is the stamped version: the copy is those very bytes, and the monthly loads of a running system go
    into the version the last load produced. Unstamped, the first load measured (the budget's) would read 611 MB
    whole and check every raw constraint first — the cost of the first load after a restore, not the loader's."""
    shutil.copyfile(warehouse, copy)
    if verified_before(warehouse, identity(warehouse)):
        stamp_verified(copy)


def csv_note(phases: dict[str, float], rows: int, baseline_seconds: float) -> str:
    """Why a CSV loader is below read_csv: where its time goes, and what reading and checking alone reach."""
    top = ", ".join(f"{k} {v:.2f} s" for k, v in sorted(phases.items(), key=lambda kv: -kv[1])[:4])
    staged = phases.get("read", 0.0) + phases.get("checks", 0.0)
    if not staged:
        return f"where the time goes: {top}"
    return (
        f"where the time goes: {top}; reading and checking alone {rows / staged:,.0f} rows/s "
        f"({baseline_seconds / staged:.0%} of read_csv), the rest is writing, marts, constraints and the copy"
    )


def build_figures(build: dict[str, Any], note: str) -> list[Figure]:
    """How long the data set took to generate and load (information, no target)."""
    loads = build["loads"]
    by_source: dict[str, list[dict[str, Any]]] = {}
    for ld in loads:
        by_source.setdefault(ld["source"], []).append(ld)
    return [
        Figure(
            "build",
            f"generate + load the data set, {len(loads)} files{note}",
            build["seconds"],
            "s",
            build["generate_seconds"],
            "generation alone",
            target="(none set)",
            extra={s: round(sum(x["seconds"] for x in v), 1) for s, v in by_source.items()},
        ),
        Figure(
            "memory",
            f"ETL: peak RSS while building the warehouse{note}",
            build["peak_rss_mb"],
            "MB",
            target="(none set)",
        ),
    ]
