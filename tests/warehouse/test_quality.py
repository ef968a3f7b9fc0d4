"""Data-quality rules on a small hand-built warehouse whose answers are known: suspect facility values are listed
with their reasons (far from the facility's own history, abrupt jump, denominator change), never dropped; a
coverage above 100 % is quarantined by the loader with its row; a steady facility is not listed."""

from __future__ import annotations

import datetime as dt

import duckdb

from tests.conftest import load, write
from warehouse import query

MONTHS = [f"2025-{m:02d}" for m in range(1, 9)]  # seven months of history, then August


def admin_file(tmp_path):
    lines = ["periodo,ubigeo,cod_ipress,indicador,numerador,denominador"]
    for k, month in enumerate(MONTHS):
        last = month == MONTHS[-1]
        # A: about half covered every month (49–51 %), then 95 % in August: far from its history and a jump.
        lines.append(f"{month},010101,00010101,PAN_P_CRED,{95 if last else 49 + k % 3},100")
        # B: steady at 60 %, then more children covered than children in the denominator.
        lines.append(f"{month},010102,00010102,PAN_P_CRED,{45 if last else 30},{40 if last else 50}")
        # C: steady coverage, but its denominator doubles in August.
        lines.append(f"{month},080101,00080101,PAN_P_CRED,{120 if last else 60},{200 if last else 100}")
        # D: steady within a point or two: never listed.
        lines.append(f"{month},080102,00080102,PAN_P_CRED,{70 + k % 2},100")
    return write(tmp_path / "his_2025.csv", "\n".join(lines) + "\n")


def test_suspect_values_are_listed_with_their_reasons(territory_db, tmp_path):
    r = load(territory_db, "admin", admin_file(tmp_path))
    # B's August row (45 of 40) is kept aside by the loader, with its line and reason: listed, not lost.
    assert r.status == "partial"
    assert [(p.row, p.column, p.reason) for p in r.problems] == [
        (31, "numerador", "el numerador es mayor que el denominador")
    ]
    con = duckdb.connect(str(territory_db), read_only=True)
    df = query.quality_outliers(con, "0001", dt.date(2025, 8, 1))
    got = {row.cod_ipress: sorted(row.reasons) for row in df.itertuples()}
    assert got == {
        "00010101": ["atipico", "salto"],
        "00080101": ["denominador"],
    }
    a = df[df.cod_ipress == "00010101"].iloc[0]
    assert a.history_months == 7 and a.history_median == 50.0 and a.modified_z > 3.5
    assert a.value == 95.0 and a.prev_value == 49.0
    # One region only, and a caller who may see another region gets nothing from this one.
    assert set(query.quality_outliers(con, "0001", dt.date(2025, 8, 1), region="08").cod_ipress) == {
        "00080101"
    }
    assert query.quality_outliers(con, "0001", dt.date(2025, 8, 1), allowed=frozenset({"09"})).empty
    # Flagged values stay in the marts: listed, not dropped.
    assert con.execute(
        "select count(*) from raw_admin where period = '2025-08-01' and cod_ipress = '00010101'"
    ).fetchone() == (1,)


def test_too_short_a_history_is_not_called_an_outlier(territory_db, tmp_path):
    f = write(
        tmp_path / "his_short.csv",
        "periodo,ubigeo,cod_ipress,indicador,numerador,denominador\n"
        "2025-07,010101,00010101,PAN_P_CRED,50,100\n"
        "2025-08,010101,00010101,PAN_P_CRED,95,100\n",
    )
    load(territory_db, "admin", f)
    con = duckdb.connect(str(territory_db), read_only=True)
    (row,) = query.quality_outliers(con, "0001", dt.date(2025, 8, 1)).itertuples()
    # One month of history (fewer than min_history_months): a jump, but no verdict on its history.
    assert list(row.reasons) == ["salto"]
    assert row.modified_z is None or row.modified_z != row.modified_z  # NULL: no verdict


def month_file(tmp_path, month: str, rows: list[str]):
    return write(
        tmp_path / f"his_{month}.csv",
        "periodo,ubigeo,cod_ipress,indicador,numerador,denominador\n"
        + "".join(f"{month},{r}\n" for r in rows),
    )


def test_completeness_and_timeliness_have_known_answers(territory_db, tmp_path):
    a = "010101,00010101,PAN_P_CRED,30,40"
    b = "010102,00010102,PAN_P_CRED,10,40"
    # June and July: both facilities report; August: only A. July's file came late (the deadline is 15 days after
    # the month closed: 15 August), August's on time (10 September).
    for month, rows_, received in (
        ("2025-06", [a, b], dt.date(2025, 7, 5)),
        ("2025-07", [a, b], dt.date(2025, 8, 30)),
        ("2025-08", [a], dt.date(2025, 9, 10)),
    ):
        r = load(territory_db, "admin", month_file(tmp_path, month, rows_), options={"received": received})
        assert r.status == "loaded", r.problems
    con = duckdb.connect(str(territory_db), read_only=True)
    df = query.quality_completeness(con, "0001", "PE", dt.date(2025, 6, 1), dt.date(2025, 8, 1))
    amazonas = {
        str(r.period)[:7]: (
            r.expected,
            r.reporting,
            r.completeness_pct,
            r.completeness_status,
            r.on_time,
            r.timeliness_status,
        )
        for r in df[df.territory_code == "01"].itertuples()
    }
    assert amazonas == {
        "2025-06": (2, 2, 100.0, "adecuado", 2, "adecuado"),
        "2025-07": (2, 2, 100.0, "adecuado", 0, "critico"),
        "2025-08": (2, 1, 50.0, "critico", 1, "adecuado"),
    }
    # Within the region: the two districts of province 0101.
    provinces = query.quality_completeness(con, "0001", "01", dt.date(2025, 8, 1), dt.date(2025, 8, 1))
    assert list(provinces.territory_code) == ["0101"] and provinces.completeness_pct.iloc[0] == 50.0
    (missing,) = query.quality_missing(con, "0001", dt.date(2025, 8, 1)).itertuples()
    assert (missing.cod_ipress, missing.indicators, str(missing.last_reported)[:7]) == (
        "00010102",
        "PAN_P_CRED",
        "2025-07",
    )
    assert query.quality_missing(con, "0001", dt.date(2025, 8, 1), allowed=frozenset({"08"})).empty


def test_records_outside_the_survey_interval_are_flagged(territory_db, tmp_path):
    # Records: Amazonas covered 60 % all year, Cusco 55 %.
    rows_ = []
    for m in range(1, 13):
        rows_ += [
            f"2025-{m:02d},010101,00010101,PAN_P_CRED,60,100",
            f"2025-{m:02d},080101,00080101,PAN_P_CRED,55,100",
        ]
    f = write(
        tmp_path / "his_2025.csv",
        "periodo,ubigeo,cod_ipress,indicador,numerador,denominador\n" + "\n".join(rows_) + "\n",
    )
    assert load(territory_db, "admin", f).status == "loaded"
    # The survey: Amazonas 40 (35–45) excludes 60; Cusco 58 (50–66) includes 55.
    survey = write(
        tmp_path / "endes.csv",
        "anio,region,indicador,valor,ic_inf,ic_sup,cv,n\n"
        "2025,Amazonas,PAN_P_CRED_ENDES,40,35,45,6,300\n"
        "2025,Cusco,PAN_P_CRED_ENDES,58,50,66,7,280\n",
    )
    assert load(territory_db, "survey", survey).status == "loaded"
    con = duckdb.connect(str(territory_db), read_only=True)
    df = query.quality_triangulation(con, "0001")
    got = {
        r.territory_code: (round(r.admin_value, 6), r.survey_value, round(r.gap, 6), r.outside_ci)
        for r in df.itertuples()
    }
    assert got == {"01": (60.0, 40.0, 20.0, True), "08": (55.0, 58.0, -3.0, False)}
    assert list(df.territory_code) == ["01", "08"]  # the gaps that matter first
