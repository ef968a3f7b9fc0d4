"""``/healthz`` tells the truth about the warehouse served — 503 when a block of it cannot be read, even though the
file opens — and no failure shows a web user a traceback: a warehouse that cannot be read is a plain 503, anything
else a plain 500 with a reference that the server's log carries with the traceback."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from dashboard import context
from dashboard.app import create_app
from tests.dashboard.clients import PERIOD
from warehouse.db import connect_readonly

BLOCK, HEADER = 262_144, 3 * 4096  # DuckDB's block size and file header


def unreadable_tables(path: Path) -> list[str]:
    """Tables whose rows cannot all be read (plain SELECTs, independent of the app's check)."""
    con = connect_readonly(path)
    bad = []
    try:
        for (name,) in con.execute(
            "select table_name from duckdb_tables() where database_name = current_database()"
        ).fetchall():
            try:
                con.execute(f'select * from "{name}"').fetchall()
            except duckdb.Error:
                bad.append(name)
    finally:
        con.close()
    return bad


def corrupt_copy(src: Path, dst: Path) -> list[str]:
    """A copy of ``src`` with 64 bytes overwritten inside one data block, chosen so that the file still opens (its
    catalogue is intact) but some table cannot be read; the tables hit."""
    blocks = (src.stat().st_size - HEADER) // BLOCK
    for block in range(blocks - 1, blocks // 2, -1):
        shutil.copy2(src, dst)
        with open(dst, "r+b") as f:
            f.seek(HEADER + block * BLOCK + 5000)
            f.write(b"\xa5" * 64)
        try:
            bad = unreadable_tables(dst)
        except duckdb.Error:
            continue  # the catalogue was hit: the file does not even open
        if bad:
            return bad
    pytest.fail("no block of the warehouse could be damaged without damaging its catalogue")


@pytest.fixture
def served(app, small_db, tmp_path):
    db = tmp_path / "w.duckdb"
    shutil.copy2(small_db, db)
    previous = context.warehouse()
    yield create_app(db), db
    context.set_warehouse(previous)


def test_healthz_answers_503_when_a_block_of_the_served_warehouse_is_corrupt(served, tmp_path, caplog):
    app, db = served
    c = app.server.test_client()
    assert c.get("/healthz").status_code == 200
    hit = corrupt_copy(db, tmp_path / "corrupto.duckdb")
    os.replace(tmp_path / "corrupto.duckdb", db)  # swapped in as a writer swaps a new version
    connect_readonly(db).close()  # it opens: a check that only opened the file would say ok
    with caplog.at_level(logging.ERROR, logger="semaforo.web"):
        r = c.get("/healthz")
    assert r.status_code == 503, (hit, r.get_json())
    assert r.get_json()["estado"] == "error" and "Traceback" not in r.get_data(as_text=True)
    assert any(t in caplog.text for t in hit)  # the log names the table that cannot be read


def test_a_warehouse_error_in_a_page_is_a_plain_503(served, monkeypatch):
    app, _db = served
    from dashboard.views import indicators

    def broken(*_a, **_k):
        raise duckdb.IOException(
            "Corrupt database file: computed checksum 1 does not match stored checksum 2"
        )

    monkeypatch.setattr(indicators, "snapshot", broken)
    r = app.server.test_client().get(f"/export/resumen.csv?periodo={PERIOD}")
    assert r.status_code == 503 and r.mimetype == "text/plain"
    text = r.get_data(as_text=True)
    assert "no puede leerse" in text and "checksum" not in text and "Traceback" not in text


def test_an_unexpected_error_shows_a_reference_never_a_traceback(served, monkeypatch, caplog):
    app, _db = served
    from dashboard.views import indicators

    def broken(*_a, **_k):
        raise RuntimeError("detalle interno /srv/semaforo/secreto.py")

    monkeypatch.setattr(indicators, "snapshot", broken)
    c = app.server.test_client()
    with caplog.at_level(logging.ERROR, logger="semaforo.web"):
        responses = [
            c.get(f"/export/resumen.csv?periodo={PERIOD}"),
            c.get(f"/imprimir?periodo={PERIOD}"),
        ]
    for r in responses:
        text = r.get_data(as_text=True)
        assert r.status_code == 500 and r.mimetype == "text/plain"
        assert "Traceback" not in text and "secreto" not in text and "RuntimeError" not in text
        ref = text.split("referencia ")[1][:8]
        assert ref in caplog.text and "Traceback" in caplog.text  # the administrator can find it
