"""``semaforo serve`` stopped with SIGTERM leaves no process behind: its workers had answered requests (each with
its DuckDB database open and a library file queued for level-11 compression) and used to outlive the master —
the interpreter's shutdown in a forked worker waited for ever on DuckDB's idle threads, orphaning them."""

from __future__ import annotations

import shutil
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import requests

from dashboard.delivery import PLOTLY_BUNDLE, PLOTLY_ROUTE
from tests.conftest import rows

from .conftest import start_server, stop_server


def test_sigterm_stops_every_worker(small_db: Path, tmp_path: Path):
    db = tmp_path / "served.duckdb"
    shutil.copy2(small_db, db)
    proc, url, log = start_server(db, env={"SEMAFORO_CACHE_DIR": str(tmp_path / "cache")})
    workers = psutil.Process(proc.pid).children()
    regions = [r for (r,) in rows(db, "select region_code from core_region order by 1")]
    try:
        assert len(workers) == 2, [w.cmdline() for w in workers]

        def visit(region: str) -> list[int]:
            s = requests.Session()
            ref = {"Referer": f"{url}/region/{region}"}
            return [
                s.get(f"{url}/export/region/{region}.json", timeout=60).status_code,
                s.get(f"{url}/_dash-layout", headers=ref, timeout=60).status_code,
                # a library file compressed for the wire: the background Brotli-11 compression starts
                s.get(
                    url + PLOTLY_ROUTE + PLOTLY_BUNDLE.name, headers={"Accept-Encoding": "br"}, timeout=60
                ).status_code,
            ]

        with ThreadPoolExecutor(8) as pool:  # both workers answer (keep-alive sessions spread over them)
            answers = list(pool.map(visit, (regions * 8)[:8]))
        assert {code for a in answers for code in a} == {200}, answers
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=15)
        _gone, alive = psutil.wait_procs(workers, timeout=max(0.1, 5 - (time.monotonic() - started)))
        stopped = time.monotonic() - started
    except BaseException:
        stop_server(proc)
        raise
    finally:
        for w in workers:  # never leave one behind, whatever happened
            if w.is_running():
                w.kill()
    assert not alive, (
        f"workers still running after SIGTERM: {[p.pid for p in alive]}\n{log.read_text()[-2000:]}"
    )
    assert proc.returncode == 0, log.read_text()[-2000:]
    assert stopped < 5, f"stopping took {stopped:.1f} s"
