"""The benchmark's measured work, each task in its own process so that its memory is its own:
``python -m bench.worker TASK ARGS.json RESULT.json``.

Tasks: ``build`` (generate the data set and load every file into the warehouse), ``load`` (time chosen files
through the real loaders), ``read`` (the same files through DuckDB's read_csv or python-calamine alone),
``session`` (the scripted dashboard session) and ``replay`` (the session's raw queries, nothing else).
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import queue
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def peak_rss_mb() -> float:
    """This process's peak resident memory (Linux reports ru_maxrss in kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


# --- tasks --------------------------------------------------------------------------------------------------


def build(args: dict[str, Any]) -> dict[str, Any]:
    """Generate the data set in a thread and load each file as soon as it is written (as `semaforo demo`)."""
    from etl.demo.generate import generate
    from etl.load import load_file
    from warehouse.catalogue import load_catalogue

    from .scales import scale_named
    from .workbook import write_xlsx_copy

    folder, db = Path(args["folder"]), Path(args["db"])
    scale = scale_named(args["scale"])
    done = object()
    files: queue.Queue = queue.Queue()
    generated: dict[str, Any] = {}

    def produce() -> None:
        try:
            started = time.perf_counter()
            g = generate(folder, args["seed"], scale, on_file=files.put)
            generated["catalogue_dir"] = str(g.catalogue_dir) if g.catalogue_dir else None
            generated["seconds"] = time.perf_counter() - started
            # The Excel figure's workbook: the newest HIS month as .xlsx, written while the loads run.
            write_xlsx_copy(folder / "his_{}_{:02d}.csv".format(*scale.months[-1]))
            files.put(done)
        except BaseException as e:  # re-raised by the loading thread
            files.put(e)

    for p in (db, Path(f"{db}.wal")):
        p.unlink(missing_ok=True)
    catalogue_dir = _extra_catalogue(folder, scale)
    catalogue = load_catalogue(catalogue_dir)
    thread = threading.Thread(target=produce, name="bench-generator", daemon=True)
    started = time.perf_counter()
    thread.start()
    loads = []
    while (item := files.get()) is not done:
        if isinstance(item, BaseException):
            raise item
        r = load_file(db, item.source, item.path, catalogue=catalogue)
        if r.status not in ("loaded", "partial"):
            raise RuntimeError(f"{item.path.name}: {r.status} {r.message} {[str(p) for p in r.problems[:3]]}")
        loads.append(
            {"source": item.source, "file": item.path.name, "rows": r.rows_read, "seconds": r.seconds}
        )
    thread.join()
    return {
        "seconds": time.perf_counter() - started,
        "generate_seconds": generated["seconds"],
        "catalogue_dir": generated["catalogue_dir"],
        "loads": loads,
    }


def _extra_catalogue(folder: Path, scale) -> Path | None:
    from etl.demo.generate import extra_catalogue

    return extra_catalogue(folder, scale)


def load(args: dict[str, Any]) -> dict[str, Any]:
    """Each file through its loader, forced (a file already loaded is loaded again), timed."""
    from etl.load import load_file
    from warehouse.catalogue import load_catalogue

    catalogue = load_catalogue(args.get("catalogue_dir"))
    out = []
    for item in args["files"]:
        r = load_file(item["db"], item["source"], item["path"], force=True, catalogue=catalogue)
        if r.status not in ("loaded", "partial"):
            raise RuntimeError(f"{item['path']}: {r.status} {r.message} {[str(p) for p in r.problems[:3]]}")
        out.append(
            {
                **item,
                "seconds": r.seconds,
                "rows_read": r.rows_read,
                "rows_loaded": r.rows_loaded,
                "phases": r.phases,
            }
        )
    return {"loads": out}


def read(args: dict[str, Any]) -> dict[str, Any]:
    """The baselines: DuckDB's own read_csv of each file into a table of a new DuckDB file; calamine reading
    each workbook's sheet into Python rows."""
    import duckdb
    from python_calamine import CalamineWorkbook

    out = []
    scratch = Path(args["scratch"])
    for item in args["files"]:
        path = item["path"]
        if path.endswith(".xlsx"):
            started = time.perf_counter()
            book = CalamineWorkbook.from_path(path)
            sheet = item.get("sheet") or book.sheet_names[0]
            rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            seconds = time.perf_counter() - started
            out.append({**item, "seconds": seconds, "rows": len(rows)})
            continue
        db = scratch / "read_csv.duckdb"
        for p in (db, Path(f"{db}.wal")):
            p.unlink(missing_ok=True)
        started = time.perf_counter()
        con = duckdb.connect(str(db))
        con.execute("create table t as select * from read_csv(?)", [path])
        con.close()  # the table is on disk, as the loader's is
        seconds = time.perf_counter() - started
        con = duckdb.connect(str(db), read_only=True)
        rows = con.execute("select count(*) from t").fetchall()[0][0]
        con.close()
        out.append({**item, "seconds": seconds, "rows": rows})
        db.unlink(missing_ok=True)
    return {"reads": out}


def session(args: dict[str, Any]) -> dict[str, Any]:
    """The scripted session on a new app, as one serving worker; its memory after the session."""
    from dashboard import context
    from dashboard.app import create_app
    from dashboard.config import load_config

    from .session import run, script

    # No query cache: each measured callback repeats the same request, which a cache would answer from memory;
    # the cache's effect is measured by the load test (bench/load.py), where many users repeat popular views.
    app = create_app(config=load_config(env={}, db=args["db"], cache_mb=0))
    pages = script(context.warehouse())
    out = run(app, pages, args["repeats"])
    with open(args["queries"], "wb") as f:
        pickle.dump(out.pop("queries"), f)
    out["rss_mb"] = rss_mb()
    return out


def replay(args: dict[str, Any]) -> dict[str, Any]:
    """The session's raw queries alone on a read-only connection: the serving worker's memory baseline."""
    from warehouse import query
    from warehouse.db import connect_readonly, reader_cursor

    with open(args["queries"], "rb") as f:
        calls = pickle.load(f)
    con = connect_readonly(args["db"])
    cur = reader_cursor(con)
    started = time.perf_counter()
    for name, a, kw in calls:
        getattr(query, name)(cur, *a, **kw)
    return {"seconds": time.perf_counter() - started, "queries": len(calls), "rss_mb": rss_mb()}


class TreePeak:
    """Peak resident memory of this process and its children (Spark's JVM is one), sampled every 0.2 s."""

    def __init__(self) -> None:
        import psutil

        self.me, self.peak, self.stop = psutil.Process(), 0.0, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> None:
        import psutil

        total = 0
        for p in [self.me, *self.me.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss
        self.peak = max(self.peak, total / 2**20)

    def _run(self) -> None:
        while not self.stop.wait(0.2):
            self.sample()

    def __enter__(self) -> TreePeak:
        self.sample()
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()
        self.sample()
        # A short task may end between samples: never report less than this process's own peak.
        self.peak = max(self.peak, peak_rss_mb())


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


TASKS = {
    "build": build,
    "load": load,
    "profile": load,
    "read": read,
    "session": session,
    "replay": replay,
    "records_generate": records_generate,
    "records_scan": records_scan,
    "records_compute": records_compute,
    "records_compare": records_compare,
}


# --- running a task in a child process ------------------------------------------------------------------------


def run_task(
    task: str, args: dict[str, Any], scratch: Path, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run a task in a new Python process; its result, with its peak resident memory (``peak_rss_mb``)."""
    scratch.mkdir(parents=True, exist_ok=True)
    given, result = scratch / f"{task}-args.json", scratch / f"{task}-result.json"
    given.write_text(json.dumps(args), encoding="utf-8")
    result.unlink(missing_ok=True)
    proc = subprocess.run(
        [sys.executable, "-m", "bench.worker", task, str(given), str(result)],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if proc.returncode != 0 or not result.exists():
        raise RuntimeError(f"bench task {task} failed ({proc.returncode}):\n{proc.stdout[-4000:]}")
    return json.loads(result.read_text(encoding="utf-8"))


def main(argv: list[str]) -> None:
    task, given, result = argv
    args = json.loads(Path(given).read_text(encoding="utf-8"))
    out = TASKS[task](args)
    out["peak_rss_mb"] = peak_rss_mb()
    Path(result).write_text(json.dumps(out, default=str), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
