"""``python -m bench.statements``: every statement of a real load, timed, the warehouse it copies untouched."""

from __future__ import annotations

import hashlib

from bench.statements import main, measure
from tests.conftest import write


def test_each_statement_of_a_real_load_is_listed_and_the_warehouse_is_left_as_it_was(
    territory_db, tmp_path, capsys
):
    f = write(
        tmp_path / "a.csv",
        "periodo,ubigeo,indicador,numerador,denominador\n2024-01,080101,PAN_P_CRED,20,40\n",
    )
    before = hashlib.sha256(territory_db.read_bytes()).hexdigest()
    loads = measure(territory_db, "admin", f, loads=2)
    assert [ld.status for ld in loads] == ["loaded", "loaded"]
    last = loads[-1].statements
    assert len(last) > 10
    assert any(sql == "checkpoint" for _, sql in last)
    assert any(sql.startswith("insert into raw_admin") for _, sql in last)
    assert 0 < sum(cpu for cpu, _ in last) <= loads[-1].cpu
    assert hashlib.sha256(territory_db.read_bytes()).hexdigest() == before
    assert main(["admin", str(f), "--db", str(territory_db), "--loads", "1", "--top", "3"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("load 1: loaded, ") and "statements" in out[0]
    assert len(out) == 4
