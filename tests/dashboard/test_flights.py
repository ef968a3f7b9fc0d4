"""What a version's caches compute is computed once, whoever asks at the same time (``dashboard.data.Flights``):
the requests that arrive meanwhile wait for the answer instead of computing it too."""

from __future__ import annotations

import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pandas as pd

from dashboard.data import Warehouse


def test_a_read_asked_by_many_at_once_runs_once(tmp_path, small_db):
    db = tmp_path / "w.duckdb"
    shutil.copy2(small_db, db)
    wh = Warehouse(db)
    runs: list[int] = []
    lock = threading.Lock()

    def slow(cur) -> pd.DataFrame:
        with lock:
            runs.append(threading.get_ident())
        time.sleep(0.3)  # every other request arrives meanwhile
        return cur.execute("select count(*) as n from core_region").df()

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _: wh.remembered(("regions",), slow), range(6)))
    assert len(runs) == 1
    assert all(a.equals(answers[0]) for a in answers) and answers[0].n[0] > 0
    # another key is another computation, not held up by the first's
    assert wh.remembered(("regions", "again"), slow).equals(answers[0]) and len(runs) == 2
