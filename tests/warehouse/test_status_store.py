"""The stored statuses of the country and regions (mart_status_top) are always what the rules say now: after
loads, after a targets load that moves a light, and never silently stale after an edit made behind the ETL's
back. The dashboard's reads give the same rows from the stored table as from the rules applied at read time."""

from __future__ import annotations

import datetime as dt
import shutil

import duckdb
import pandas as pd
import pytest

from tests.conftest import load, write
from warehouse import named_queries, query
from warehouse.db import WarehouseError, connect_readonly, open_writer
from warehouse.marts import status_current

STALE = """
select count(*) from (
    (from mart_status_top except all from indicator_status('mart_indicator_top'))
    union all
    (from indicator_status('mart_indicator_top') except all from mart_status_top)
)
"""


@pytest.fixture
def demo_copy(demo_db, tmp_path):
    copy = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, copy)
    return copy


def test_the_demo_warehouse_stores_what_the_rules_say(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    stored, top = con.execute(
        "select (select count(*) from mart_status_top), (select count(*) from mart_indicator_top)"
    ).fetchone()
    assert stored == top > 1000
    assert con.execute(STALE).fetchone()[0] == 0
    assert status_current(con)


def _target_row(con) -> tuple[str, str, int, float, float, str]:
    """A region row lit against its own target, with its value, target and status."""
    return con.execute(
        "select s.indicator_code, s.territory_code, year(s.period), s.value, s.target, s.status "
        "from mart_status_top as s join core_indicator as i using (indicator_code) "
        "join core_target as t on t.indicator_code = s.indicator_code and t.territory_code = s.territory_code "
        "and t.year = year(s.period) "
        "where i.rule_kind = 'target' and i.direction = 'up' and s.territory_level = 'region' "
        "and s.status = 'adecuado' and i.periodicity = 'monthly' and s.value < 70 "
        "order by s.period desc, s.indicator_code, s.territory_code limit 1"
    ).fetchone()


def test_a_targets_load_moves_the_stored_lights(demo_copy, tmp_path):
    con = duckdb.connect(str(demo_copy), read_only=True)
    code, region, year, value, target, status = _target_row(con)
    con.close()
    assert status == "adecuado" and value >= target
    raised = value + 25  # far above the value, below 100 %: the light must turn critical
    f = write(tmp_path / "metas.csv", f"indicador,region,anio,meta\n{code},{region},{year},{raised}\n")
    report = load(demo_copy, "targets", f)
    assert report.status == "loaded", (report.message, report.problems)
    con = duckdb.connect(str(demo_copy), read_only=True)
    after = con.execute(
        "select distinct s.target, s.status from mart_status_top as s join core_indicator as i using (indicator_code) "
        "where s.indicator_code = ? and s.territory_code = ? and year(s.period) = ? and s.value < ? - i.tolerance",
        [code, region, year, raised],
    ).fetchall()
    assert after and all(t == pytest.approx(raised) and s == "critico" for t, s in after)
    assert con.execute(STALE).fetchone()[0] == 0


def test_an_edit_behind_the_etls_back_is_refused_until_migrated(demo_copy):
    con = duckdb.connect(str(demo_copy))
    con.execute("update core_target set target = target + 1 where territory_code <> 'PE'")
    assert con.execute(STALE).fetchone()[0] > 0  # the stored lights no longer match the rules
    con.close()
    with pytest.raises(WarehouseError, match="statuses"):
        connect_readonly(demo_copy)
    with open_writer(demo_copy) as con:  # what `semaforo migrate` opens
        assert con.execute(STALE).fetchone()[0] == 0
    connect_readonly(demo_copy).close()


def test_pages_read_the_same_rows_from_the_stored_statuses(demo_db, monkeypatch):
    con = duckdb.connect(str(demo_db), read_only=True)
    regions = [r[0] for r in con.execute("select region_code from core_region").fetchall()]
    period = con.execute("select max(period) from raw_admin").fetchone()[0]
    period = period.date() if isinstance(period, dt.datetime) else period
    inds = [
        r[0]
        for r in con.execute(
            "select indicator_code from core_indicator where program_code = '0001' order by feed = 'admin' desc, 1"
        ).fetchall()
    ]

    def reads() -> list[pd.DataFrame]:
        return [
            query.snapshot(con, "0001", ["PE", *regions], period),
            query.series(con, inds, ["PE", regions[0]], dt.date(2000, 1, 1), period),
            query.children(con, inds[0], "PE", "pais", period),
            query.budget_results(con, "0001", period.year),
        ]

    assert query.statuses(["pais", "region"]) == "mart_status_top"
    stored = reads()
    assert all(len(df) for df in stored[:3])
    # The same reads with the rules applied at read time (budget_results names the stored table in its SQL).
    text = named_queries.sql_text
    monkeypatch.setattr(query, "statuses", lambda levels: "mart_indicator_status_fast")
    monkeypatch.setattr(
        named_queries,
        "sql_text",
        lambda name: text(name).replace("from mart_status_top", "from mart_indicator_status_fast"),
    )
    applied = reads()
    assert "mart_status_top" in text("budget_results")
    for a, b in zip(stored, applied, strict=True):
        pd.testing.assert_frame_equal(a, b)
