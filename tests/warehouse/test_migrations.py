"""Numbered migrations applied on open, recorded, idempotent; readers refuse an outdated warehouse."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from warehouse.db import (
    WarehouseError,
    connect_readonly,
    migrate,
    migrations,
    open_writer,
    pending,
    schema_version,
)


def test_new_warehouse_gets_every_migration_once(db):
    with open_writer(db) as con:
        version, views = schema_version(con)
        assert version == max(n for n, _ in migrations())
        assert views is not None
        assert migrate(con) == []  # second run: nothing to do
        assert pending(con) == []
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    assert {
        "etl_batch",
        "raw_admin",
        "mart_indicator_agg",
        "mart_indicator_status",
        "core_indicator",
    } <= tables


def test_readonly_open_refuses_missing_or_outdated_warehouse(db, tmp_path):
    with pytest.raises(WarehouseError, match="No existe"):
        connect_readonly(tmp_path / "none.duckdb")
    with open_writer(db):
        pass
    con = duckdb.connect(str(db))
    con.execute("update schema_views set views_sha = 'old'")
    con.close()
    with pytest.raises(WarehouseError, match="necesita migrarse"):
        connect_readonly(db)


READER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.execute("select count(*) from core_department").fetchone()[0], flush=True)
sys.stdin.readline()  # hold the file until told
print(con.execute("select count(*) from core_department").fetchone()[0], flush=True)
"""


def test_writer_beside_a_reader_in_another_process_swaps_the_file_atomically(db):
    with open_writer(db) as con:
        con.execute("insert into core_department values ('99', 'PRUEBA')")
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert reader.stdout.readline().strip() == "1"
        with open_writer(db) as con:  # the reader holds the file: the writer works on a copy and swaps it in
            con.execute("insert into core_department values ('98', 'OTRO')")
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "1"  # the reader still sees its own, unchanged file
    finally:
        reader.kill()
        reader.wait()
    fresh = duckdb.connect(str(db), read_only=True)
    assert fresh.execute("select count(*) from core_department").fetchone()[0] == 2
    fresh.close()
    assert not list(db.parent.glob("*.tmp-*"))
