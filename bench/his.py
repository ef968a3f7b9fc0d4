"""A national year of HIS-MINSA exports through ``semaforo compute``: monthly ``NominalTrama…zip`` files of 48
columns with their MaestroPaciente, code masters and Padrón extract, written by the demo's HIS writer
(``etl/demo/his_export.py``) for the national world's facilities, one download per chunk of children (as each
DIRESA downloads its own) — about 20 million item rows of 800,000 children.

Measured, each in its own process so that its memory is its own: every definition computed from the exports on
DuckDB, with DuckDB's default memory limit and held by ``--memoria``; against the baseline, a DuckDB scan of the
same tramas (the ZIPs extracted and every CSV read: count and distinct patients).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from .his_tasks import PERIOD
from .report import Figure

NATIONAL = {"children": 800_000, "chunks": 8, "memory": "2GB", "scale": "national"}
BENCH_CHILDREN = 100_000  # the share of the national year the whole bench measures (``--ninos`` changes it)
SMALL = {"children": 6_000, "chunks": 2, "memory": "1GB", "scale": "small"}


def part_of_national(children: int) -> dict:
    """A share of the national year (``python -m bench --only his --ninos N``): the national world's facilities,
    ``children`` children in downloads of 50,000, held to 1 GB: what a run that cannot wait for the whole year
    measures — named as that scale in its figures, never as the national one."""
    return {
        "children": children,
        "chunks": max(1, -(-children // 50_000)),
        "memory": "1GB",
        "scale": "national",
    }


KEY = "clave-del-banco-de-pruebas-0123456789"  # synthetic documents: the key needs no secrecy here
SHAPING = ("etl/demo/records.py", "etl/demo/his_export.py", "etl/demo/his_trama.sql", "etl/demo/network.py")


def his_data(folder: Path, size: dict, echo) -> tuple[Path, dict]:
    """The exports kept in ``folder`` while their generator is unchanged, else written anew."""
    from .worker import ROOT, run_task

    h = hashlib.sha256(repr((size, PERIOD)).encode())
    for name in SHAPING:
        h.update((ROOT / name).read_bytes())
    manifest = folder / "manifest.json"
    if manifest.exists() and json.loads(manifest.read_text())["fingerprint"] == h.hexdigest()[:16]:
        kept = json.loads(manifest.read_text())
        echo(f"Reusing {kept['rows']:,} HIS item rows in {folder}")
        return folder / "exportaciones", kept
    shutil.rmtree(folder, ignore_errors=True)
    echo(f"Writing a year of HIS exports of {size['children']:,} children …")
    made = run_task("his_generate", {"folder": str(folder / "exportaciones"), **size}, folder / "scratch")
    kept = {"fingerprint": h.hexdigest()[:16], **size, **made}
    manifest.write_text(json.dumps(kept), encoding="utf-8")
    return folder / "exportaciones", kept


def measure(folder: Path, small: bool, echo, size: dict | None = None) -> list[Figure]:
    from .worker import run_task

    exports, kept = his_data(folder, size or (SMALL if small else NATIONAL), echo)
    rows, scratch = kept["rows"], folder / "scratch"
    (folder / "clave.txt").write_text(KEY, encoding="utf-8")
    echo("HIS: DuckDB scan of the same tramas (baseline: ZIPs extracted, every CSV read) …")
    scan = run_task("his_scan", {"exports": str(exports), "scratch": str(scratch / "scan")}, scratch)
    runs = {}
    for name, limit in (("default", None), ("held", kept["memory"])):
        echo(
            f"HIS: semaforo compute over {rows:,} item rows" + (f" --memoria {limit}" if limit else "") + " …"
        )
        runs[name] = run_task(
            "his_compute",
            {
                "exports": str(exports),
                "out": str(folder / f"out-{name}"),
                "key": str(folder / "clave.txt"),
                "memory_limit": limit,
            },
            scratch,
        )
    shutil.rmtree(scratch, ignore_errors=True)
    what = f"{rows / 1e6:.1f} M HIS item rows of {kept['children'] / 1e6:.2f} M children, 13 monthly tramas"
    duck, held = runs["default"], runs["held"]
    scan_rate = rows / scan["seconds"]
    return [
        Figure(
            "his",
            f"compute from HIS exports (DuckDB, 2 cores), {what}",
            rows / duck["seconds"],
            "rows/s",
            scan_rate,
            "a DuckDB scan of the same tramas (extracted, read: count, distinct patients)",
            note=f"{duck['seconds']:.0f} s for every definition; steps {duck['steps']}",
            extra={
                "seconds": duck["seconds"],
                "rows": rows,
                "rows_read": duck["rows_read"],
                "rows_out": duck["rows_out"],
                "generate_seconds": kept["seconds"],
            },
        ),
        Figure(
            "his",
            "compute from HIS exports, peak memory (process)",
            duck["tree_peak_mb"],
            "MB",
            scan["tree_peak_mb"],
            "the scan's peak memory",
        ),
        Figure(
            "his",
            f"compute from HIS exports held to {kept['memory']} (--memoria)",
            rows / held["seconds"],
            "rows/s",
            rows / duck["seconds"],
            "DuckDB with its default limit (80 % of RAM)",
            note=f"{held['seconds']:.0f} s; steps {held['steps']}",
            extra={"seconds": held["seconds"], "rows": rows, "rows_read": held["rows_read"]},
        ),
        Figure(
            "his",
            f"compute from HIS exports held to {kept['memory']}, peak memory",
            held["tree_peak_mb"],
            "MB",
            duck["tree_peak_mb"],
            "the peak with DuckDB's default limit",
        ),
    ]
