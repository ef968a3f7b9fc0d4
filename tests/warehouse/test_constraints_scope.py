"""Each load checks its own batch cheaply; `semaforo check` applies the rules anew over the whole warehouse. A
stored verdict edited behind the ETL's back is found either way: by the batch's constraint when the stored row no
longer is the row it was given on, and by the whole check when the verdict itself is not the rules'."""

from __future__ import annotations

import duckdb

from tests.conftest import load, write
from warehouse.constraints import violations, violations_anywhere

HEADER = "periodo,ubigeo,indicador,numerador,denominador\n"


def test_a_stale_stored_status_is_found_by_the_batch_check_or_by_the_whole_check(territory_db, tmp_path):
    report = load(
        territory_db, "admin", write(tmp_path / "a.csv", HEADER + "2024-01,080101,PAN_P_CRED,20,40\n")
    )
    assert report.status == "loaded", report.problems
    con = duckdb.connect(str(territory_db))
    try:
        assert violations(con, report.batch_id) == {} and violations_anywhere(con) == {}
        # The verdict changed, the row it was given on not: only the rules applied anew can tell.
        con.execute("update mart_status_top set status = 'adecuado' where status <> 'adecuado'")
        assert con.execute(
            "select count(*) from mart_status_top where batch_id = ?", [report.batch_id]
        ).fetchone()[0]
        assert "mart_status_in_step" not in violations(con, report.batch_id)
        assert "mart_status_rules" in violations_anywhere(con)
        # The row changed under its verdict: the batch's own check finds it.
        con.execute("update mart_status_top set value = value + 1 where batch_id = ?", [report.batch_id])
        assert "mart_status_in_step" in violations(con, report.batch_id)
    finally:
        con.close()


def test_a_duplicate_a_batch_wrote_is_found_and_a_table_it_did_not_write_is_not_read(territory_db, tmp_path):
    report = load(
        territory_db, "admin", write(tmp_path / "a.csv", HEADER + "2024-01,080101,PAN_P_CRED,20,40\n")
    )
    assert report.status == "loaded", report.problems
    con = duckdb.connect(str(territory_db))
    try:
        con.execute("insert into raw_admin select * from raw_admin where batch_id = ?", [report.batch_id])
        failed = violations(con, report.batch_id)
        assert list(failed) == ["raw_admin_unique"]
        # The same duplicate in raw_stock under this batch is found too: the skip is only for a table the
        # batch wrote nothing into.
        con.execute(
            "insert into raw_stock values (?, 1, date '2024-01-01', '00000001', '080101', 'X', 1, 1), "
            "(?, 2, date '2024-01-01', '00000001', '080101', 'X', 1, 1)",
            [report.batch_id, report.batch_id],
        )
        assert "raw_stock_unique" in violations(con, report.batch_id)
    finally:
        con.close()


def test_a_stored_status_that_is_no_accepted_value_is_found_by_the_batch_check(territory_db, tmp_path):
    """The batch's own check reads the verdicts it stored (the rules applied to every mart row: semaforo check)."""
    report = load(
        territory_db, "admin", write(tmp_path / "a.csv", HEADER + "2024-01,080101,PAN_P_CRED,20,40\n")
    )
    assert report.status == "loaded", report.problems
    con = duckdb.connect(str(territory_db))
    try:
        con.execute("update mart_status_top set status = 'verde' where batch_id = ?", [report.batch_id])
        assert "mart_accepted_values" in violations(con, report.batch_id)
        # The rules applied anew still give accepted values: only the stored verdict is wrong.
        assert "mart_accepted_statuses" not in violations_anywhere(con)
    finally:
        con.close()


def test_the_top_copy_and_the_stored_verdicts_out_of_step_with_their_batch_are_found_both_ways(
    territory_db, tmp_path
):
    """mart_top_in_step and mart_status_in_step count each side's rows whole: a row missing, one more time than in
    the mart, or changed under its verdict is named, on the right side."""
    report = load(
        territory_db, "admin", write(tmp_path / "a.csv", HEADER + "2024-01,080101,PAN_P_CRED,20,40\n")
    )
    assert report.status == "loaded", report.problems
    con = duckdb.connect(str(territory_db))
    try:
        b = report.batch_id
        assert violations(con, b) == {}
        # A region row twice in the copy: extra there, and then missing from the verdicts.
        con.execute(
            "insert into mart_indicator_top select * from mart_indicator_top "
            "where batch_id = ? and territory_level = 'region' limit 1",
            [b],
        )
        failed = violations(con, b)
        assert [r[0] for r in failed["mart_top_in_step"]] == ["extra in mart_indicator_top"]
        assert [r[0] for r in failed["mart_status_in_step"]] == ["missing from mart_status_top"]
        # The country row gone from the copy: missing there (the duplicate still extra); its verdict now stale.
        con.execute("delete from mart_indicator_top where batch_id = ? and territory_level = 'pais'", [b])
        failed = violations(con, b)
        assert sorted(r[0] for r in failed["mart_top_in_step"]) == [
            "extra in mart_indicator_top",
            "missing from mart_indicator_top",
        ]
        assert "stale in mart_status_top" in [r[0] for r in failed["mart_status_in_step"]]
        assert [r[1:3] for r in failed["mart_top_in_step"] if r[0].startswith("missing")] == [
            ("PAN_P_CRED", "PE")
        ]
    finally:
        con.close()
