"""Indicators from nominal records at national scale: a year of PAN attentions (≥ 50 million rows for about
1.95 million children at 8,000 facilities, from the demo's generator) computed by ``semaforo compute`` on DuckDB
and on Spark (local mode, the same 2 cores), each in its own process so that its memory is its own.

Baselines, in the same run: a plain DuckDB scan of the same Parquet (count and distinct children) for DuckDB's
rate; DuckDB's own figures for Spark's. The two engines' outputs are compared row by row.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from .report import Figure
from .worker import ROOT, run_task

NATIONAL = {"children": 1_950_000, "facilities": 8_000, "chunks": 8}
SMALL = {"children": 20_000, "facilities": 300, "chunks": 1}
# Thirteen months: a year of attentions plus the month before it, so that a cohort (children turning 12 months
# in December) has its whole first year in the records.
PERIOD = ("2024-12-01", "2025-12-31")


def records_data(folder: Path, small: bool, echo) -> tuple[Path, dict]:
    """The records kept in ``folder`` while the generator is unchanged, else generated anew (in chunks)."""
    size = SMALL if small else NATIONAL
    fp = hashlib.sha256(
        (ROOT / "etl/demo/records.py").read_bytes() + repr((size, PERIOD)).encode()
    ).hexdigest()[:16]
    manifest = folder / "manifest.json"
    if manifest.exists() and json.loads(manifest.read_text())["fingerprint"] == fp:
        kept = json.loads(manifest.read_text())
        echo(f"Reusing {kept['rows']:,} records in {folder}")
        return folder / "parquet", kept
    shutil.rmtree(folder, ignore_errors=True)
    echo(f"Generating records of {size['children']:,} children at {size['facilities']:,} facilities …")
    made = run_task("records_generate", {"folder": str(folder), **size, "period": PERIOD}, folder / "scratch")
    kept = {"fingerprint": fp, **size, "rows": made["rows"], "generate_seconds": made["seconds"]}
    manifest.write_text(json.dumps(kept), encoding="utf-8")
    return folder / "parquet", kept


def measure(folder: Path, small: bool, echo) -> list[Figure]:
    records, kept = records_data(folder, small, echo)
    rows, children = kept["rows"], kept["children"]
    scratch = folder / "scratch"
    echo("Records: DuckDB scan of the same Parquet (baseline) …")
    scan = run_task("records_scan", {"records": str(records)}, scratch)
    echo(f"Records: semaforo compute on DuckDB over {rows:,} records …")
    duck = run_task(
        "records_compute",
        {"records": str(records), "out": str(folder / "out-duckdb"), "engine": "duckdb"},
        scratch,
    )
    echo("Records: the same on DuckDB held to 4 GB of memory (--memoria 4GB) …")
    held = run_task(
        "records_compute",
        {
            "records": str(records),
            "out": str(folder / "out-duckdb-4gb"),
            "engine": "duckdb",
            "memory_limit": "4GB",
        },
        scratch,
    )
    echo("Records: semaforo compute on Spark local[2] over the same records …")
    spark = run_task(
        "records_compute",
        {"records": str(records), "out": str(folder / "out-spark"), "engine": "spark"},
        scratch,
    )
    echo("Records: comparing the two outputs …")
    diff = run_task(
        "records_compare", {"a": str(folder / "out-duckdb"), "b": str(folder / "out-spark")}, scratch
    )
    what = f"{rows / 1e6:.1f} M records of {children / 1e6:.2f} M children, {kept['facilities']:,} facilities"
    duck_rate, spark_rate = rows / duck["seconds"], rows / spark["seconds"]
    scan_rate = rows / scan["seconds"]
    return [
        Figure(
            "records",
            f"compute on DuckDB (2 cores), {what}",
            duck_rate,
            "rows/s",
            scan_rate,
            "a DuckDB scan of the same Parquet (count, distinct children)",
            note=f"{duck['seconds']:.0f} s for 6 definitions and every check; steps {duck['steps']}",
            extra={"seconds": duck["seconds"], "rows_out": duck["rows_out"], "rejected": duck["rejected"]},
        ),
        Figure(
            "records",
            "compute on DuckDB, peak memory (process)",
            duck["tree_peak_mb"],
            "MB",
            scan["tree_peak_mb"],
            "the scan's peak memory",
        ),
        Figure(
            "records",
            "compute on DuckDB held to 4 GB (--memoria 4GB)",
            rows / held["seconds"],
            "rows/s",
            duck_rate,
            "DuckDB with its default limit (80 % of RAM)",
            note=f"{held['seconds']:.0f} s, peak {held['tree_peak_mb']:,.0f} MB; steps {held['steps']}",
            extra={"seconds": held["seconds"], "tree_peak_mb": held["tree_peak_mb"]},
        ),
        Figure(
            "records",
            "compute on DuckDB held to 4 GB, peak memory",
            held["tree_peak_mb"],
            "MB",
            duck["tree_peak_mb"],
            "DuckDB's peak with its default limit",
        ),
        Figure(
            "records",
            "compute on Spark local[2], same records",
            spark_rate,
            "rows/s",
            duck_rate,
            "DuckDB's rate on the same records",
            note=f"{spark['seconds']:.0f} s (session start included); steps {spark['steps']}",
            extra={"seconds": spark["seconds"], "rows_out": spark["rows_out"]},
        ),
        Figure(
            "records",
            "compute on Spark, peak memory (Python + JVM)",
            spark["tree_peak_mb"],
            "MB",
            duck["tree_peak_mb"],
            "DuckDB's peak memory",
        ),
        Figure(
            "records",
            "output rows that differ between DuckDB and Spark",
            diff["differing"],
            "rows",
            diff["rows"],
            "output rows compared",
            conditions=[("value", "<=", 0)],
            target="the same definitions give identical numbers on DuckDB and Spark",
        ),
    ]
