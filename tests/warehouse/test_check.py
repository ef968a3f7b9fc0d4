"""``semaforo check --db`` and the check every load makes before it writes: a warehouse with a damaged block or a
broken constraint is named as such (exit 4), and a load refuses to carry the damage into the next version."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb
from click.testing import CliRunner

from etl.cli import main
from tests.conftest import write
from warehouse.db import check_file

BLOCK = 262144  # DuckDB's block size; the file starts with three 4 KiB headers
HIS = "periodo,ubigeo,indicador,numerador,denominador\n2024-03,010101,PAN_P_CRED,5,10\n"


def cli(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    return result


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def damaged_copy(db: Path, out: Path) -> Path:
    """A copy of ``db`` with 16 bytes flipped inside one data block: chosen so that the file still opens and a
    row count still answers (the damage a quick look misses), while reading the block's rows fails."""
    size = db.stat().st_size
    for k in range(size // BLOCK):
        shutil.copy(db, out)
        with open(out, "r+b") as f:
            f.seek(3 * 4096 + k * BLOCK + 5008)
            chunk = f.read(16)
            f.seek(3 * 4096 + k * BLOCK + 5008)
            f.write(bytes(b ^ 0xFF for b in chunk))
        try:
            con = duckdb.connect(str(out), read_only=True)
            con.execute("select count(*) from core_district").fetchall()
            con.close()
        except duckdb.Error:
            continue
        if check_file(out):
            return out
    raise AssertionError("no data block found to damage")


def test_a_sound_warehouse_passes(territory_db):
    r = cli("check", "--db", territory_db)
    assert r.exit_code == 0 and "íntegro" in r.stdout


def test_a_damaged_block_is_found_and_no_load_carries_it_forward(territory_db, tmp_path):
    bad = damaged_copy(territory_db, tmp_path / "danado.duckdb")
    r = cli("check", "--db", bad)
    assert r.exit_code == 4
    assert "NO está íntegro" in r.stderr and "no se puede leer entera" in r.stderr and "checksum" in r.stderr
    js = json.loads(cli("check", "--db", bad, "--json").stdout)
    assert js["ok"] is False and js["problems"]
    status = cli("status", "--db", bad)
    assert status.exit_code == 4 and ("está DAÑADO" in status.stderr or "No se puede leer" in status.stderr)
    assert cli("status", "--db", territory_db).exit_code == 0
    before = sha(bad)
    load = cli("load", "--db", bad, "admin", write(tmp_path / "his.csv", HIS))
    assert load.exit_code == 4, load.output
    assert "está dañado; no se escribe nada" in load.stderr
    assert sha(bad) == before  # the served file was never written
    assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name] == []  # and no copy is left behind


def test_a_broken_constraint_anywhere_is_found(territory_db, tmp_path):
    assert cli("load", "--db", territory_db, "admin", write(tmp_path / "his.csv", HIS)).exit_code == 0
    con = duckdb.connect(str(territory_db))
    con.execute("insert into raw_admin select * from raw_admin")  # the same key twice: raw_admin_unique
    con.close()
    r = cli("check", "--db", territory_db)
    assert r.exit_code == 4 and "restricción raw_admin_unique incumplida" in r.stderr
    before = sha(territory_db)
    again = cli("load", "--db", territory_db, "admin", write(tmp_path / "his2.csv", HIS.replace("03", "04")))
    assert again.exit_code == 4 and "raw_admin_unique" in again.stderr
    assert sha(territory_db) == before


def test_a_file_that_is_not_a_warehouse_is_named(tmp_path):
    f = write(tmp_path / "x.duckdb", "no es un almacén\n")
    r = cli("check", "--db", f)
    assert r.exit_code == 4 and "no se puede abrir" in r.stderr
    assert cli("check", "--db", tmp_path / "nada.duckdb").exit_code == 4
