"""The benchmark's measured work, each task in its own process so that its memory is its own:
``python -m bench.worker TASK ARGS.json RESULT.json``.

Tasks: ``build`` (generate the data set and load every file into the warehouse), ``load`` (time chosen files
through the real loaders), ``read`` (the same files through DuckDB's read_csv or python-calamine alone),
``session`` (the scripted dashboard session) and ``replay`` (the session's raw queries, nothing else):
``web_tasks``; the nominal records' tasks: ``records_tasks``.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from . import his_tasks
from .memory import peak_rss_mb
from .records_tasks import records_compare, records_compute, records_generate, records_scan
from .web_tasks import replay, session

ROOT = Path(__file__).resolve().parents[1]


# --- tasks --------------------------------------------------------------------------------------------------


def build(args: dict[str, Any]) -> dict[str, Any]:
    """Generate the data set in a thread and load each file as soon as it is written (as `semaforo demo`)."""
    from etl.demo.generate import generate
    from etl.load import load_file
    from warehouse.catalogue_read import load_catalogue

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
            {
                "source": item.source,
                "file": str(item.path.relative_to(folder)),
                "rows": r.rows_read,
                "seconds": r.seconds,
            }
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
    from warehouse.catalogue_read import load_catalogue

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
    **his_tasks.TASKS,
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
