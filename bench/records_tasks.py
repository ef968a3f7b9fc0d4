"""The bench's nominal-records tasks: generating national-scale records, scanning them, computing indicators from
them with each engine, and comparing the engines' results."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from .memory import TreePeak


def records_generate(args: dict[str, Any]) -> dict[str, Any]:
    """National-scale nominal records, in chunks of children (memory stays bounded), as year-partitioned Parquet."""
    import datetime as dt

    import numpy as np
    import pandas as pd

    from etl.demo.records import generate_records, write_records

    started = time.perf_counter()
    rng = np.random.default_rng(2026)
    n = args["facilities"]
    regions = [f"{1 + k % 25:02d}" for k in range(n)]
    facilities = pd.DataFrame(
        {
            "cod_ipress": [f"{k:08d}" for k in range(1, n + 1)],
            "ubigeo": [f"{r}{1 + k % 9:02d}{1 + k % 7:02d}" for k, r in enumerate(regions)],
            "altitude": rng.gamma(1.2, 1200, n).clip(0, 4800),
            "region": regions,
        }
    )
    start, end = (dt.date.fromisoformat(d) for d in args["period"])
    rows, per = 0, -(-args["children"] // args["chunks"])
    for k in range(args["chunks"]):
        table = generate_records(facilities, per, start, end, 2026, first_child=k * per)
        write_records(table, Path(args["folder"]) / "parquet", part=k)
        rows += table.num_rows
    return {"rows": rows, "seconds": time.perf_counter() - started}


def records_scan(args: dict[str, Any]) -> dict[str, Any]:
    import duckdb

    with TreePeak() as peak:
        started = time.perf_counter()
        duckdb.execute(
            f"select count(*), count(distinct id_nino) from read_parquet('{args['records']}/**/*.parquet')"
        ).fetchall()
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "tree_peak_mb": peak.peak}


def records_compute(args: dict[str, Any]) -> dict[str, Any]:
    from etl.records.compute import compute

    with TreePeak() as peak:
        options = {"memory_limit": args["memory_limit"]} if args.get("memory_limit") else {}
        r = compute(Path(args["records"]), Path(args["out"]), args["engine"], **options)
    if r.status not in ("computed", "partial"):
        raise RuntimeError("\n".join(r.lines()))
    return {
        "seconds": r.seconds,
        "steps": r.seconds_by_step,
        "rows_out": r.rows_out,
        "rejected": r.rows_rejected,
        "tree_peak_mb": peak.peak,
    }


def records_compare(args: dict[str, Any]) -> dict[str, Any]:
    import duckdb

    def q(folder: str) -> str:
        return f"select * exclude (anio) from read_parquet('{folder}/**/*.parquet')"

    a, b = q(args["a"]), q(args["b"])
    rows = duckdb.execute(f"select count(*) from ({a})").fetchall()[0][0]
    differing = duckdb.execute(
        f"select count(*) from (({a} except all {b}) union all ({b} except all {a}))"
    ).fetchall()[0][0]
    return {"rows": rows, "differing": differing}
