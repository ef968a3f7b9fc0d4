"""The stamp beside a warehouse (``<db>.verified``): the version a writer produced is not read whole again by the
next writer — a load's cost must not grow with the warehouse — while any other file (edited, copied in, restored)
is, and ``semaforo check`` finding damage takes the stamp away so that no load carries that damage forward."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from etl.cli import main
from tests.conftest import write
from warehouse import integrity
from warehouse.integrity import identity, stamp_path

from .test_check import HIS, damaged_copy


@pytest.fixture
def territory_db(territory_template: Path, db: Path) -> Path:
    """The small territory warehouse copied in as a person would copy a file: no writer stamped this copy."""
    shutil.copy(territory_template, db)
    return db


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def full_reads(monkeypatch) -> list[int]:
    """Count the whole-warehouse reads a writer makes (it calls integrity.unreadable through warehouse.db)."""
    import warehouse.db

    calls: list[int] = []
    real = integrity.unreadable

    def counted(con):
        calls.append(1)
        return real(con)

    monkeypatch.setattr(warehouse.db, "unreadable", counted)
    return calls


def test_the_version_a_writer_produced_is_stamped_and_not_read_whole_again(
    territory_db, tmp_path, monkeypatch
):
    reads = full_reads(monkeypatch)
    first = cli("load", "--db", territory_db, "admin", write(tmp_path / "a.csv", HIS))
    assert first.exit_code == 0, first.output
    assert reads == [1]  # the fixture's file was not produced by a stamping writer: read whole
    assert stamp_path(territory_db).read_text().strip() == identity(territory_db)
    second = cli("load", "--db", territory_db, "admin", write(tmp_path / "b.csv", HIS.replace("03", "04")))
    assert second.exit_code == 0, second.output
    assert reads == [1]  # the stamped version: not read again
    assert stamp_path(territory_db).read_text().strip() == identity(territory_db)


def test_a_file_that_is_not_the_stamped_one_is_read_whole(territory_db, tmp_path, monkeypatch):
    assert cli("load", "--db", territory_db, "admin", write(tmp_path / "a.csv", HIS)).exit_code == 0
    reads = full_reads(monkeypatch)
    os.utime(territory_db)  # touched (an edit in place, a restore): no longer the file the writer stamped
    assert (
        cli(
            "load", "--db", territory_db, "admin", write(tmp_path / "b.csv", HIS.replace("03", "04"))
        ).exit_code
        == 0
    )
    assert reads == [1]


def test_damage_found_by_check_is_never_carried_forward_under_a_stamp(territory_db, tmp_path):
    """Damage that keeps the file's size and times (a failing disk) escapes the stamp; `semaforo check` finds it
    and removes the stamp, so the next load reads the file whole and refuses it."""
    assert cli("load", "--db", territory_db, "admin", write(tmp_path / "a.csv", HIS)).exit_code == 0
    bad = damaged_copy(
        territory_db, tmp_path / "bad.duckdb"
    )  # where 16 flipped bytes make a block unreadable
    offset = next(k for k in range(0, bad.stat().st_size, 16) if _differs(bad, territory_db, k))
    st = os.stat(territory_db)
    with open(territory_db, "r+b") as f, open(bad, "rb") as g:  # the same damage, in place
        g.seek(offset)
        f.seek(offset)
        f.write(g.read(16))
    os.utime(territory_db, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert stamp_path(territory_db).read_text().strip() == identity(territory_db)  # the stamp is fooled
    check = cli("check", "--db", territory_db)
    assert check.exit_code == 4 and "no se puede leer entera" in check.output
    assert not stamp_path(territory_db).exists()
    before = hashlib.sha256(territory_db.read_bytes()).hexdigest()
    load = cli("load", "--db", territory_db, "admin", write(tmp_path / "b.csv", HIS.replace("03", "04")))
    assert load.exit_code == 4 and "está dañado; no se escribe nada" in load.output
    assert hashlib.sha256(territory_db.read_bytes()).hexdigest() == before


def _differs(a: Path, b: Path, offset: int) -> bool:
    with open(a, "rb") as f, open(b, "rb") as g:
        f.seek(offset)
        g.seek(offset)
        return f.read(16) != g.read(16)
