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
import time
from pathlib import Path
from typing import Any

from .report import Figure

NATIONAL = {"children": 800_000, "chunks": 8, "memory": "2GB", "scale": "national"}
SMALL = {"children": 6_000, "chunks": 2, "memory": "1GB", "scale": "small"}
# Thirteen months, as the records part: the December cohort (12 months old) has its whole first year.
PERIOD = ("2024-12-01", "2025-12-31")
KEY = "clave-del-banco-de-pruebas-0123456789"  # synthetic documents: the key needs no secrecy here
SHAPING = ("etl/demo/records.py", "etl/demo/his_export.py", "etl/demo/his_trama.sql", "etl/demo/network.py")


def his_data(folder: Path, small: bool, echo) -> tuple[Path, dict]:
    """The exports kept in ``folder`` while their generator is unchanged, else written anew."""
    from .worker import ROOT, run_task

    size = SMALL if small else NATIONAL
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


def measure(folder: Path, small: bool, echo) -> list[Figure]:
    from .worker import run_task

    exports, kept = his_data(folder, small, echo)
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


# --- the tasks, run in a child process by bench.worker ---------------------------------------------------------


def his_generate(args: dict[str, Any]) -> dict[str, Any]:
    import datetime as dt

    from etl.demo.his_export import write_his_export
    from etl.demo.records import draw_attentions
    from etl.demo.world import World
    from warehouse.catalogue import load_catalogue

    from .scales import scale_named

    started = time.perf_counter()
    world = World.build(2026, scale_named(args["scale"]), load_catalogue())
    altitude = world.districts.set_index("ubigeo").altitude
    facilities = world.facilities.assign(altitude=altitude.loc[world.facilities.ubigeo].to_numpy())
    weights = world.facility_children(2025, "<3")
    start, end = (dt.date.fromisoformat(d) for d in PERIOD)
    rows, per = 0, -(-args["children"] // args["chunks"])
    for k in range(args["chunks"]):
        att = draw_attentions(facilities, per, start, end, 2026, weights, first_child=k * per)
        write_his_export(att, facilities, world.districts, 2026, Path(args["folder"]) / f"descarga_{k + 1}")
        rows += len(att.item)
    return {"rows": rows, "seconds": time.perf_counter() - started}


def his_scan(args: dict[str, Any]) -> dict[str, Any]:
    import zipfile

    import duckdb

    from .worker import TreePeak

    scratch = Path(args["scratch"])
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    with TreePeak() as peak:
        started = time.perf_counter()
        for k, z in enumerate(sorted(Path(args["exports"]).rglob("NominalTrama*.zip"))):
            with zipfile.ZipFile(z) as f:
                (member,) = f.namelist()
                with f.open(member) as r, open(scratch / f"{k}_{member}", "wb") as w:
                    shutil.copyfileobj(r, w, 1 << 20)
        duckdb.execute(
            f"select count(*), count(distinct Id_Paciente) from read_csv('{scratch}/*.csv', all_varchar = true)"
        ).fetchall()
        seconds = time.perf_counter() - started
    shutil.rmtree(scratch, ignore_errors=True)
    return {"seconds": seconds, "tree_peak_mb": peak.peak}


def his_compute(args: dict[str, Any]) -> dict[str, Any]:
    from etl.records.compute import compute

    from .worker import TreePeak

    with TreePeak() as peak:
        options = {"memory_limit": args["memory_limit"]} if args.get("memory_limit") else {}
        r = compute(Path(args["exports"]), Path(args["out"]), key_file=Path(args["key"]), **options)
    if r.status not in ("computed", "partial"):
        raise RuntimeError("\n".join(r.lines()))
    return {
        "seconds": r.seconds,
        "steps": r.seconds_by_step,
        "rows_out": r.rows_out,
        "rows_read": r.rows_read,
        "tree_peak_mb": peak.peak,
    }


TASKS = {"his_generate": his_generate, "his_scan": his_scan, "his_compute": his_compute}
