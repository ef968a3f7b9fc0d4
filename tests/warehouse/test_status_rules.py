"""The one status view applies each catalogue rule as the catalogue says: checked against a plain-Python reading
of the same rules over many generated values (property tests), plus the non-light states."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warehouse.catalogue_read import load_catalogue
from warehouse.db import open_writer
from warehouse.sync import sync_reference

CAT = load_catalogue()
values = st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda x: round(x, 2))


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = tmp_path_factory.mktemp("status") / "w.duckdb"
    with open_writer(path) as c:
        c.execute("begin")
        sync_reference(c, CAT)
        c.execute("commit")
    c = duckdb.connect(str(path))
    yield c
    c.close()


def status_of(
    con,
    indicator,
    value,
    period=dt.date(2025, 6, 1),
    grain="M",
    cv=None,
    printed=False,
    units_expected=None,
    numerator=None,
    region="08",
    target=None,
):
    con.execute("delete from mart_indicator_agg")
    con.execute("delete from core_target")
    if target is not None:
        con.execute(
            "insert into core_target values (?, ?, ?, ?, null)", [indicator, region, period.year, target]
        )
    con.execute(
        "insert into mart_indicator_agg values (?, 'region', ?, ?, 'PE', ?, ?, ?, ?, null, null, null, ?, null, ?, "
        "null, ?, 1)",
        [indicator, region, region, period, grain, value, numerator, cv, printed, units_expected],
    )
    return con.execute(
        "select status, light from mart_indicator_status where indicator_code = ?", [indicator]
    ).fetchone()


def reference_target(v, target, tol, direction):
    if direction == "up":
        return "adecuado" if v >= target else "en_riesgo" if v >= target - tol else "critico"
    return "adecuado" if v <= target else "en_riesgo" if v <= target + tol else "critico"


@settings(max_examples=60, deadline=None)
@given(v=values, target=values)
def test_target_rule_up(con, v, target):
    ind = CAT.indicators["PAN_P_CRED"]  # up, tolerance 10
    assert status_of(con, ind.code, v, target=target)[0] == reference_target(
        v, target, ind.rule.tolerance, "up"
    )


@settings(max_examples=60, deadline=None)
@given(v=values, target=values)
def test_target_rule_down(con, v, target):
    ind = CAT.indicators["PAN_EDA"]  # down, tolerance 2
    got = status_of(con, ind.code, v, grain="A", period=dt.date(2024, 1, 1), target=target)
    assert got[0] == reference_target(v, target, ind.rule.tolerance, "down")


def test_target_falls_back_to_the_catalogue_default(con):
    ind = CAT.indicators["PAN_P_VACUNA"]  # default 85, tolerance 10
    assert status_of(con, ind.code, 85.0)[0] == "adecuado"
    assert status_of(con, ind.code, 75.0)[0] == "en_riesgo"
    assert status_of(con, ind.code, 74.9)[0] == "critico"


@settings(max_examples=80, deadline=None)
@given(v=st.floats(min_value=0, max_value=80, allow_nan=False).map(lambda x: round(x, 2)))
def test_band_rule_matches_the_catalogue_bands(con, v):
    expected = CAT.indicators["PAN_DCI"].rule.band_set.classify(v).status
    assert status_of(con, "PAN_DCI", v, grain="A", period=dt.date(2024, 1, 1))[0] == expected


@settings(max_examples=60, deadline=None)
@given(v=values, month=st.integers(1, 12))
def test_budget_pace_rule(con, v, month):
    pace = CAT.budget_pace
    e = pace.expected_cumulative_pct[month - 1]
    expected = (
        "adecuado" if v >= e - pace.at_risk_gap else "en_riesgo" if v >= e - pace.critical_gap else "critico"
    )
    assert status_of(con, "PAN_B_TOTAL", v, period=dt.date(2025, month, 1))[0] == expected


def test_referential_no_report_and_no_data(con):
    assert status_of(con, "PAN_DCI", 12.0, grain="A", cv=15.1) == ("referencial", "en_riesgo")
    assert status_of(con, "PAN_DCI", 12.0, grain="A", cv=15.0)[0] == "en_riesgo"
    assert status_of(con, "PAN_DCI", 30.0, grain="A", printed=True) == ("referencial", "critico")
    assert status_of(con, "PAN_P_CRED", None, units_expected=12)[0] == "no_reportado"
    assert status_of(con, "PAN_P_CRED", None)[0] == "sin_datos"


def test_stock_availability_bands(con):
    assert status_of(con, "PAN_I_MMN", 80.0)[0] == "adecuado"
    assert status_of(con, "PAN_I_MMN", 74.9)[0] == "en_riesgo"
    assert status_of(con, "PAN_I_MMN", 49.9)[0] == "critico"


@pytest.mark.parametrize(
    ("stock", "cpm", "klass", "light"),
    [
        (0, 10, "desabastecido", "critico"),
        (5, 10, "substock", "en_riesgo"),
        (20, 10, "normostock", "adecuado"),
        (60, 10, "normostock", "adecuado"),
        (61, 10, "sobrestock", "en_riesgo"),
        (8, 0, "sin_rotacion", "en_riesgo"),
    ],
)
def test_facility_stock_classes(con, stock, cpm, klass, light):
    con.execute("delete from raw_stock")
    con.execute("delete from core_district")
    con.execute(
        "insert into core_district values ('080101', '0801', '08', 'CUSCO', null, 3400, null, null, 1)"
    )
    con.execute(
        "insert into raw_stock values (1, 2, '2025-06-01', '00001234', '080101', 'PAN_I_MMN', ?, ?)",
        [stock, cpm],
    )
    got = con.execute(
        "select stock_class, status from mart_indicator_status where territory_level = 'eess'"
    ).fetchone()
    assert got == (klass, light)
