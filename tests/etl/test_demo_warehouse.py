"""`semaforo demo` end to end: the generated files through the real loaders into a real warehouse."""

from __future__ import annotations

import json

import duckdb
import pytest
from click.testing import CliRunner

from etl.cli import main
from etl.demo.calibration import IMPROVING_REGIONS, LATE_REGIONS
from etl.loaders import LOADERS


@pytest.fixture(scope="module")
def con(demo_db):
    c = duckdb.connect(str(demo_db), read_only=True)
    yield c
    c.close()


def one(con, sql, *params):
    return con.execute(sql, list(params)).fetchone()[0]


def test_every_batch_loaded_and_nothing_quarantined(con):
    assert one(con, "select count(*) from etl_batch where status not in ('loaded', 'superseded')") == 0
    assert one(con, "select count(*) from etl_quarantine") == 0


def test_regions_months_and_indicators(con):
    assert (
        one(
            con, "select count(distinct region_code) from mart_indicator_agg where territory_level = 'region'"
        )
        == 26
    )
    assert one(con, "select count(distinct period) from raw_admin") >= 36
    assert one(con, "select count(distinct period) from raw_stock") >= 36
    assert one(con, "select count(distinct indicator_code) from mart_indicator_agg") >= 15
    assert 1_000 <= one(con, "select count(*) from core_facility") <= 1_500


def test_late_regions_are_not_reported_in_the_last_month(con):
    rows = con.execute(
        "select distinct region_code from mart_indicator_status where territory_level = 'region' "
        "and period = date '2026-09-01' and status = 'no_reportado'"
    ).fetchall()
    assert {r[0] for r in rows} == set(LATE_REGIONS)


def test_a_real_year_has_variety(con):
    statuses = dict(
        con.execute(
            "select status, count(*) from mart_indicator_status where territory_level = 'region' group by all"
        ).fetchall()
    )
    assert {"adecuado", "en_riesgo", "critico", "no_reportado"} <= set(statuses)
    # Iron supplementation this month: some regions red, some not.
    iron = dict(
        con.execute(
            "select region_code, status from mart_indicator_status where indicator_code = 'PAN_P_HIERRO' "
            "and territory_level = 'region' and period = date '2026-08-01'"
        ).fetchall()
    )
    assert "critico" in iron.values() and {"adecuado", "en_riesgo"} & set(iron.values())
    # Facilities skip months: fewer reporting than expected somewhere.
    assert (
        one(
            con,
            "select count(*) from mart_indicator_agg where territory_level = 'region' "
            "and units_reporting < units_expected and units_reporting > 0",
        )
        > 0
    )
    # Stock-outs and over-stock.
    out, over = con.execute(
        "select sum(desabastecido), sum(sobrestock) from mart_stock_summary where territory_level = 'pais'"
    ).fetchone()
    assert out > 0 and over > 0


def test_improving_regions_improve_more_than_the_rest(con):
    gain = dict(
        con.execute(
            "select region_code, max(value) filter (where period = date '2026-08-01') "
            "- max(value) filter (where period = date '2023-08-01') from mart_indicator_agg "
            "where indicator_code = 'PAN_P_CRED' and territory_level = 'region' group by all"
        ).fetchall()
    )
    others = sorted(v for k, v in gain.items() if k not in IMPROVING_REGIONS)
    assert min(gain[r] for r in IMPROVING_REGIONS) > others[len(others) // 2]


@pytest.mark.skipif("survey" not in LOADERS, reason="the survey loader has not landed yet")
def test_survey_years_and_referential_estimates(con):
    assert one(con, "select count(distinct year) from raw_survey") >= 10
    assert one(con, "select count(*) from mart_indicator_status where status = 'referencial'") > 0
    assert one(con, "select count(*) from raw_survey where printed_referential") > 0


def test_status_json_reports_the_batches(demo_db):
    r = CliRunner().invoke(main, ["status", "--db", str(demo_db), "--json"])
    assert r.exit_code == 0, r.output
    s = json.loads(r.output)
    assert s["sources"]["admin"]["batches"] >= 36 and s["sources"]["stock"]["batches"] >= 36
    assert s["sources"]["territory"]["rows"] > 700 and s["sources"]["facilities"]["rows"] >= 1_000
    assert len(s["rows_per_period"]["admin"]) >= 36
    assert s["quarantine_rows"] == 0


def test_anemia_computed_from_records_follows_the_regions_and_names_its_adjustment(con):
    """The demo's anemia from nominal records: three series (one per altitude adjustment), Puno highest under the
    CDC adjustment as in ENDES' historical series, Tacna and Moquegua among the lowest."""
    rows = con.execute(
        "select indicator_code, territory_code, value from mart_indicator_agg where territory_level = 'region' "
        "and indicator_code like 'PAN_ANEMIA_HIS_%' and period >= date '2026-01-01' and period < date '2026-09-01'"
    ).fetchall()
    assert {r[0] for r in rows} == {"PAN_ANEMIA_HIS_CDC", "PAN_ANEMIA_HIS_OMS", "PAN_ANEMIA_HIS_NTS"}
    by_region: dict[str, list[float]] = {}
    for code, region, value in rows:
        if code == "PAN_ANEMIA_HIS_CDC":
            by_region.setdefault(region, []).append(value)
    mean = {r: sum(v) / len(v) for r, v in by_region.items()}
    ranked = sorted(mean, key=mean.get)
    assert len(ranked) == 26 and ranked[-1] == "21" and {"23", "18"} & set(ranked[:4])
    assert one(con, "select count(*) from etl_batch where file_name = 'indicadores_registros'") == 1
