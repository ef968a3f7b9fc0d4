"""A load rebuilds the marts of the indicators it wrote or removed only, and what it leaves is exactly what a
rebuild of every mart from the raw tables gives (the fixed cost of a small file must not be its whole month's)."""

from __future__ import annotations

import shutil

import duckdb

from tests.conftest import load, small_facilities, write
from warehouse.db import open_writer
from warehouse.marts import refresh_all

HEADER = "periodo,ubigeo,indicador,numerador,denominador\n"
MARTS = ("mart_indicator_agg", "mart_indicator_top", "mart_status_top", "mart_stock_summary")


def marts(db, digits: int | None = None) -> dict[str, list[tuple]]:
    """Every mart's rows, sorted; with ``digits``, each float to that many significant digits."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: sorted((_rounded(r, digits) for r in con.execute(f"select * from {t}").fetchall()), key=repr)
                for t in MARTS}  # fmt: skip
    finally:
        con.close()


def _rounded(row: tuple, digits: int | None) -> tuple:
    return (
        row if digits is None else tuple(float(f"{x:.{digits}g}") if isinstance(x, float) else x for x in row)
    )


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


def test_a_load_into_one_region_rebuilds_that_region_and_the_country_and_matches_a_full_rebuild(
    small_db, tmp_path
):
    """The fixture's month, every region: 50 rows of Cusco's facilities with other figures, replacing Cusco's
    month whole (--completo: its other rows are removed). Only Cusco's rows and the country's are rebuilt (the
    other regions keep their batch), and every mart is exactly what a rebuild of every mart from the raw tables
    gives — to 12 significant digits: the country's sums of fractional denominators are summed region by region,
    and doubles summed in another order differ in their last bits (as two full rebuilds on more threads may)."""
    db = tmp_path / "w.duckdb"
    shutil.copy2(small_db, db)
    month = (small_db.parent / "sources" / "his_2026_09.csv").read_text(encoding="utf-8").splitlines()
    header, rows = month[0], [r.split(",") for r in month[1:]]
    cusco = [r for r in rows if r[1].startswith("08")][:50]
    changed = [[*r[:4], str(int(r[4]) // 2 + 1), r[5]] for r in cusco]
    before = marts(db, 12)
    cusco_csv = write(tmp_path / "cusco.csv", "\n".join([header, *map(",".join, changed)]) + "\n")
    report = load(db, "admin", cusco_csv, options={"completo": True})
    assert report.status == "loaded", report.problems
    assert report.replacement.gone["filas"] > 0  # rows removed too, not only replaced
    con = duckdb.connect(str(db), read_only=True)
    rebuilt = con.execute(
        "select distinct region_code from mart_indicator_agg where batch_id = ? order by 1", [report.batch_id]
    ).fetchall()
    con.close()
    assert rebuilt == [("08",), ("PE",)]  # Cusco is region 08; the country sums every region
    after_load = marts(db, 12)
    assert after_load != before  # the figures changed: the check below compares a real refresh
    with open_writer(db) as w:
        w.execute("begin")
        refresh_all(w)
        w.execute("commit")
    assert marts(db, 12) == after_load


def test_a_facility_the_registry_moved_to_another_region_is_never_counted_twice(territory_db, tmp_path):
    """Facility 00010101 reports in Amazonas (01) for three months, then the registry moves it to a district of
    Cusco (08) and it reports there. A later file of another Amazonas facility rebuilds Amazonas: the moved
    facility's new rows are in Cusco, so Amazonas must not count it as expected and not reporting — the rebuild
    takes in every region a moved facility was registered in, and equals a full rebuild."""
    head = "periodo,ubigeo,cod_ipress,indicador,numerador,denominador\n"

    def rows(month, moved_to="010101", h=5):
        return (
            f"{month},{moved_to},00010101,PAN_P_CRED,5,10\n{month},010201,00010201,PAN_P_CRED,{h},10\n"
            f"{month},080101,00080101,PAN_P_CRED,5,10\n"
        )

    months = "".join(rows(f"2024-{m:02d}") for m in (1, 2, 3))
    assert load(territory_db, "admin", write(tmp_path / "q1.csv", head + months)).status == "loaded"
    moved = small_facilities(tmp_path / "renipress.csv").read_text(encoding="utf-8-sig").splitlines()
    line = next(x for x in moved if ";00010101;" in x).replace(";010101;", ";080102;")
    facilities = load(
        territory_db, "facilities", write(tmp_path / "moved.csv", moved[0] + "\n" + line + "\n")
    )
    assert facilities.status == "loaded", facilities.problems
    april = load(territory_db, "admin", write(tmp_path / "apr.csv", head + rows("2024-04", "080102")))
    assert april.status == "loaded", april.problems
    again = load(
        territory_db, "admin", write(tmp_path / "h.csv", head + "2024-04,010201,00010201,PAN_P_CRED,7,10\n")
    )
    assert again.status == "loaded", again.problems
    expected = dict(
        duckdb.connect(str(territory_db), read_only=True)
        .execute(
            "select territory_code, units_expected from mart_indicator_agg where period = date '2024-04-01' "
            "and territory_level = 'region'"
        )
        .fetchall()
    )
    assert expected == {"01": 1, "08": 2}  # the moved facility counts in Cusco only
    after_load = marts(territory_db, 12)
    with open_writer(territory_db) as w:
        w.execute("begin")
        refresh_all(w)
        w.execute("commit")
    assert marts(territory_db, 12) == after_load
