"""The bench's HIS-MINSA tasks, each run in a child process by ``bench.worker``: writing a year of exports,
scanning their tramas with DuckDB (the baseline) and computing the indicators from them."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from .memory import TreePeak

# Thirteen months, as the records part: the December cohort (12 months old) has its whole first year.
PERIOD = ("2024-12-01", "2025-12-31")


def his_generate(args: dict[str, Any]) -> dict[str, Any]:
    import datetime as dt

    from etl.demo.his_export import write_his_export
    from etl.demo.records import draw_attentions
    from etl.demo.world import World
    from warehouse.catalogue_read import load_catalogue

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
