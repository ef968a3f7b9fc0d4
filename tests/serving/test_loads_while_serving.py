"""Loading while serving: ``semaforo load`` processes swap new warehouse versions under a running gunicorn server
while clients keep requesting. Every response must be whole — entirely the old data or entirely the new — and
none may fail; a load killed half-way must leave the served data as it was."""

from __future__ import annotations

import csv
import hashlib
import os
import re
import signal
import subprocess
import threading
import time
from collections import defaultdict
from pathlib import Path

import duckdb
import requests

from etl.demo.records import DEMO_INDICATORS

from .conftest import SEMAFORO

MONTH = "2026-09"
EXPORT = f"/export/region/09.json?periodo={MONTH}"


def variant(sources: Path, out: Path) -> Path:
    """The month's HIS file with every numerator lowered by a fifth: the same scope, other values."""
    with open(sources / f"his_{MONTH.replace('-', '_')}.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        for r in rows:
            w.writerow({**r, "numerador": int(int(r["numerador"]) * 0.8)})
    return out


def admin_batch_in_context(doc: dict) -> int:
    """The HIS batch the export's context names (computed by its own query, apart from the rows')."""
    line = next(v for k, v in doc["context"].items() if "registros administrativos" in k)
    return int(re.search(r"lote (\d+)", line).group(1))


def admin_rows(doc: dict) -> dict[str, tuple[int, float]]:
    """The month's HIS rows the loaded files carry (not the anemia computed from nominal records, a batch of its
    own that these loads leave alone)."""
    return {
        r["indicador_codigo"]: (r["lote"], r["valor"])
        for r in doc["rows"]
        if r["fuente"] == "HIS" and r["periodo"] == MONTH and r["indicador_codigo"] not in DEMO_INDICATORS
    }


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_loads_while_clients_request_give_whole_responses_and_no_errors(served, tmp_path):
    b_file = variant(served.sources, tmp_path / f"his_{MONTH.replace('-', '_')}_b.csv")
    a_file = served.sources / f"his_{MONTH.replace('-', '_')}.csv"
    stop = threading.Event()
    seen: list[dict] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(k: int) -> None:
        s = requests.Session()
        paths = [EXPORT, "/", "/api/resumen.json?periodo=" + MONTH, "/region/09", "/healthz"]
        i = k
        while not stop.is_set():
            path = paths[i % len(paths)]
            i += 1
            try:
                r = s.get(served.url + path, timeout=60)
            except requests.RequestException as e:
                with lock:
                    errors.append(f"{path}: {e}")
                continue
            if r.status_code != 200:
                with lock:
                    errors.append(f"{path}: HTTP {r.status_code} {r.text[:200]}")
            elif path == EXPORT:
                with lock:
                    seen.append(r.json())

    threads = [threading.Thread(target=client, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    try:
        time.sleep(2)
        loads = []
        for file in (b_file, a_file, b_file, a_file):
            started = time.monotonic()
            done = served.load("admin", file)
            assert done.returncode == 0, done.stderr
            loads.append(time.monotonic() - started)
            time.sleep(1.5)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=90)

    assert errors == []
    # Whole responses: the rows' batch is the batch the context names, and one batch always means one set of values.
    by_batch: dict[int, set] = defaultdict(set)
    for doc in seen:
        rows = admin_rows(doc)
        context_batch = admin_batch_in_context(doc)
        assert rows and {b for b, _ in rows.values()} == {context_batch}
        by_batch[context_batch].add(tuple(sorted((k, v) for k, (_, v) in rows.items())))
    assert all(len(values) == 1 for values in by_batch.values())
    # The clients saw the loads happen: at least the original and two of the four new versions.
    assert len(by_batch) >= 3, sorted(by_batch)
    con = duckdb.connect(str(served.db), read_only=True)
    files = dict(con.execute("select batch_id, file_name from etl_batch").fetchall())
    con.close()
    values_of = defaultdict(set)
    for batch, values in by_batch.items():
        values_of[files[batch].endswith("_b.csv")] |= values
    assert len(values_of[True]) == 1 and len(values_of[False]) == 1 and values_of[True] != values_of[False]


def test_new_data_is_served_within_seconds_of_a_load_without_a_restart(served, tmp_path):
    before = admin_batch_in_context(served.get(EXPORT).json())
    done = served.load("admin", variant(served.sources, tmp_path / "his_2026_09_c.csv"))
    assert done.returncode == 0, done.stderr
    finished = time.monotonic()
    while admin_batch_in_context(served.get(EXPORT).json()) == before:
        assert time.monotonic() - finished < 5, "the new version was not served within 5 s"
        time.sleep(0.1)
    assert served.process.poll() is None  # same server, no restart


def test_a_load_killed_midway_leaves_the_served_data_intact_and_the_next_load_works(served):
    before_file = sha(served.db)
    before = served.get(EXPORT).json()
    budget = served.sources / "gasto_2026.csv"  # 10 MB: long enough to be killed in the middle
    proc = subprocess.Popen(
        [*SEMAFORO, "load", "budget", str(budget), "--db", str(served.db), "--force"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    copy = served.db.with_name(f"{served.db.name}.tmp-{proc.pid}")
    deadline = time.monotonic() + 60
    while not copy.exists():
        assert proc.poll() is None and time.monotonic() < deadline, "the load ended before it could be killed"
        time.sleep(0.02)
    time.sleep(0.3)  # copying or loading: either way mid-way
    assert proc.poll() is None, "the load ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    assert sha(served.db) == before_file  # the served file was never written
    assert copy.exists()  # the killed writer's copy is left behind …
    assert served.get(EXPORT).json()["rows"] == before["rows"]  # … and users see the same data
    r = served.get("/presupuesto/09")
    assert r.status_code == 200

    done = served.load("budget", budget)  # the writer lock died with the process: the next load proceeds
    assert done.returncode == 0, done.stderr
    assert not copy.exists()  # and removes the dead writer's copy
    con = duckdb.connect(str(served.db), read_only=True)
    status = con.execute("select status from etl_batch order by batch_id desc limit 1").fetchone()[0]
    con.close()
    assert status == "loaded"
    assert served.get("/healthz").json()["estado"] == "ok"
