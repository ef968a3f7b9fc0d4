"""The writer attaches each load's copy to one in-memory DuckDB per process (``warehouse.db._attach``): loads one
after another leave nothing of theirs behind in it, and a process forked after a load starts its own."""

from __future__ import annotations

import os
import signal

from tests.conftest import load, rows, write
from warehouse import db as writer

HEADER = "periodo,ubigeo,indicador,numerador,denominador\n"


def test_loads_share_one_duckdb_and_leave_nothing_attached_or_temporary(territory_db, tmp_path):
    for k, value in enumerate((20, 25)):
        f = write(tmp_path / f"a{k}.csv", HEADER + f"2024-01,080101,PAN_P_CRED,{value},40\n")
        assert load(territory_db, "admin", f, force=True).status == "loaded"
    assert rows(territory_db, "select numerator from raw_admin") == [(25.0,)]
    engine = writer._engine
    assert engine is not None and writer._engine_pid == os.getpid()
    # Only the in-memory database itself is attached, and the loads' temp tables went with their connections.
    assert engine.execute("select database_name from duckdb_databases() where not internal").fetchall() == [
        ("memory",)
    ]
    assert engine.execute("select count(*) from duckdb_tables() where temporary").fetchone() == (0,)


def test_a_process_forked_after_a_load_loads_with_a_duckdb_of_its_own(territory_db, tmp_path):
    f = write(tmp_path / "a.csv", HEADER + "2024-01,080101,PAN_P_CRED,20,40\n")
    assert load(territory_db, "admin", f).status == "loaded"
    parent = writer._engine
    g = write(tmp_path / "b.csv", HEADER + "2024-02,080101,PAN_P_CRED,30,40\n")
    pid = os.fork()
    if pid == 0:  # the child: a load, then its exit code says how it went (a hang is cut by the alarm)
        signal.alarm(60)
        ok = False
        try:
            ok = load(territory_db, "admin", g).status == "loaded" and writer._engine is not parent
        finally:
            os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert rows(territory_db, "select period, numerator from raw_admin order by 1")[-1][1] == 30.0
    assert writer._engine is parent  # the parent's own is untouched
