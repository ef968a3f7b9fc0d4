"""A load rebuilds the marts of the indicators it wrote or removed only, and what it leaves is exactly what a
rebuild of every mart from the raw tables gives (the fixed cost of a small file must not be its whole month's)."""

from __future__ import annotations

import duckdb

from tests.conftest import load, write
from warehouse.db import open_writer
from warehouse.marts import refresh_all

HEADER = "periodo,ubigeo,indicador,numerador,denominador\n"
MARTS = ("mart_indicator_agg", "mart_indicator_top", "mart_status_top", "mart_stock_summary")


def marts(db) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: sorted(con.execute(f"select * from {t}").fetchall(), key=repr) for t in MARTS}
    finally:
        con.close()


def test_a_load_of_one_indicator_leaves_the_months_others_and_matches_a_full_rebuild(territory_db, tmp_path):
    months = "".join(
        f"2024-{m:02d},{u},{i},{n},10\n"
        for m in range(1, 5)
        for u in ("010101", "080101")
        for n, i in enumerate(("PAN_P_CRED", "PAN_P_HIERRO", "PAN_P_VACUNA"), 3)
    )
    first = load(territory_db, "admin", write(tmp_path / "his_2024.csv", HEADER + months))
    assert first.status == "loaded", first.problems
    # One indicator of one month again, with other figures; one district reported it no longer (replaced, gone).
    again = load(
        territory_db, "admin", write(tmp_path / "cred.csv", HEADER + "2024-03,010101,PAN_P_CRED,9,10\n")
    )
    assert again.status == "loaded", again.problems
    con = duckdb.connect(str(territory_db), read_only=True)
    rebuilt = con.execute(
        "select distinct indicator_code from mart_indicator_agg where batch_id = ?", [again.batch_id]
    ).fetchall()
    untouched = con.execute(
        "select count(*) from mart_indicator_agg where period = date '2024-03-01' "
        "and indicator_code = 'PAN_P_HIERRO' and batch_id = ?",
        [first.batch_id],
    ).fetchone()[0]
    con.close()
    assert rebuilt == [("PAN_P_CRED",)]
    assert untouched > 0  # the month's other indicators were not rebuilt (they keep their batch)
    after_loads = marts(territory_db)
    with open_writer(territory_db) as w:
        w.execute("begin")
        refresh_all(w)
        w.execute("commit")
    assert marts(territory_db) == after_loads
