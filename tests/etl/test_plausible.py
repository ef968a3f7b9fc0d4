"""Plausibility as data, on real warehouse files: values above ``plausible_max`` (settings), a devengado above
its PIM, a blank MEF amount, a MEF line repeated whole, a survey estimate with n = 0 are row problems; an
optional column absent from a registry file leaves the stored values as they are."""

from __future__ import annotations

import datetime as dt

from tests.conftest import load, rows, tables, write
from tests.etl.test_cli import cli, mef_row, mef_text
from tests.etl.test_faults import districts

Y = dt.date.today().year - 1
PROVENANCE = ("etl_batch", "etl_quarantine")


def budget_lines(n: int = 30, **extra) -> list[dict]:
    return [mef_row(MES_EJE=1 + k % 12, DEPARTAMENTO_META=f"{1 + k // 12:02d}", **extra) for k in range(n)]


def test_implausible_magnitudes_are_row_problems(territory_db, tmp_path):
    units = districts()[:40]
    admin = "periodo,ubigeo,indicador,numerador,denominador\n" + "".join(
        f"{Y}-03,{u},PAN_P_VACUNA,{'1e20' if k == 4 else 5},10\n" for k, u in enumerate(units)
    )
    r = load(territory_db, "admin", write(tmp_path / "his.csv", admin))
    assert r.status == "partial", r.message
    assert {p.row for p in r.problems} == {6}  # (also above its denominator)
    (p,) = [p for p in r.problems if "inverosímil" in p.reason]
    assert (p.column, p.value) == ("numerador", "1e20")
    assert "valor inverosímil: mayor que 1,000,000 (settings.yaml, plausible_max.admin.numerador)" in p.reason
    stock = "periodo,cod_ipress,insumo,stock,cpm\n" + "".join(
        f"{Y}-03,00{u},PAN_I_MMN,{'1e20' if k == 2 else 10},5\n" for k, u in enumerate(units)
    )
    r = load(territory_db, "stock", write(tmp_path / "stock.csv", stock))
    assert [(p.row, p.column) for p in r.problems] == [(4, "stock")]
    lines = budget_lines()
    lines[7]["MONTO_PIM"] = "1e20"
    r = load(territory_db, "budget", write(tmp_path / "gasto.csv", mef_text(lines)))
    assert [(p.row, p.column) for p in r.problems] == [(9, "MONTO_PIM")], r.problems
    assert rows(territory_db, "select max(pim) from raw_budget") == [(100.0,)]


def test_devengado_above_pim_is_a_problem_of_every_line_of_its_budget_line(territory_db, tmp_path):
    lines = budget_lines()
    lines.append(mef_row(MES_EJE=2, DEPARTAMENTO_META="01", MONTO_PIM=0, MONTO_DEVENGADO=500))
    before = tables(territory_db, skip=PROVENANCE)
    r = load(territory_db, "budget", write(tmp_path / "gasto.csv", mef_text(lines)))
    # Department 01's line: PIM 100 × 12 months = 1,200, devengado 50 × 12 + 500 = 1,100 → within; 02's fine too.
    assert r.status == "loaded", r.problems
    over = budget_lines(n=12)
    over.append(mef_row(MES_EJE=3, DEPARTAMENTO_META="01", MONTO_PIM=0, MONTO_DEVENGADO=700))
    r = load(territory_db, "budget", write(tmp_path / "gasto_mal.csv", mef_text(over)), force=True)
    assert r.status == "refused" and r.rows_rejected == 13  # the whole line: nothing of it is loaded
    assert "supera su PIM" in r.problems[0].reason and "1300" in r.problems[0].reason
    assert tables(territory_db, skip=PROVENANCE) != before  # the first, valid file is there …
    assert rows(territory_db, "select max(devengado) from raw_budget where month = 2") == [
        (550.0,)
    ]  # … unchanged


def test_a_blank_mef_amount_is_not_zero(territory_db, tmp_path):
    lines = budget_lines(n=40)
    lines[5]["MONTO_DEVENGADO"] = ""
    r = load(territory_db, "budget", write(tmp_path / "gasto.csv", mef_text(lines)))
    assert r.status == "partial"
    assert [(p.row, p.column, p.reason) for p in r.problems] == [
        (7, "MONTO_DEVENGADO", "monto vacío: un vacío no se toma como 0")
    ]


def test_a_repeated_mef_line_is_reported_and_summed_only_when_asked(territory_db, tmp_path):
    lines = budget_lines(n=40)
    f = write(
        tmp_path / "gasto.csv", mef_text([*lines[:10], lines[3], *lines[10:]])
    )  # line 5 again at line 12
    r = load(territory_db, "budget", f)
    assert r.status == "partial"
    assert [(p.row, p.column) for p in r.problems] == [(12, "MONTO_PIA")]
    assert "línea repetida" in r.problems[0].reason and "--suma-repetidas" in r.problems[0].reason
    total = rows(territory_db, "select sum(devengado) from raw_budget")[0][0]
    assert total == 40 * 50
    # Lines equal in the columns the warehouse keeps but not in the others are distinct movements: no problem.
    other = [dict(x) for x in lines]
    other.append(dict(lines[3], FUENTE_FINANCIAMIENTO_NOMBRE="RECURSOS DETERMINADOS"))
    r = load(territory_db, "budget", write(tmp_path / "gasto_fuentes.csv", mef_text(other)))
    assert r.status == "loaded", r.problems
    # The user says the source repeats movements on purpose: summed, and said.
    s = cli("load", "--db", territory_db, "budget", f, "--suma-repetidas", "--force")
    assert s.exit_code == 0, s.output
    assert "1 líneas repetidas idénticas se suman (--suma-repetidas)" in s.stderr
    assert rows(territory_db, "select sum(devengado) from raw_budget")[0][0] == 41 * 50


def test_a_survey_estimate_with_n_zero_is_refused(territory_db, tmp_path):
    f = write(
        tmp_path / "endes.csv",
        "anio,region,indicador,valor,ic_inf,ic_sup,cv,n\n"
        f"{Y},Cusco,PAN_DCI,14,13,15,3,0\n{Y},Puno,PAN_DCI,12,11,13,3,120\n",
    )
    r = load(territory_db, "survey", f, force=True)
    assert [(p.row, p.column, p.value) for p in r.problems] == [(2, "n", "0")]
    assert "n = 0" in r.problems[0].reason
    assert rows(territory_db, "select region_code from raw_survey") == [("21",)]


def test_a_territory_file_without_altitude_keeps_the_stored_altitudes(territory_db, tmp_path):
    before = rows(territory_db, "select ubigeo, altitude_m, latitude from core_district order by 1")
    assert all(a is not None for _, a, _ in before)
    f = write(tmp_path / "ubigeo_sin_altitud.csv", "inei,distrito\n010101,CHACHAPOYAS NUEVO\n")
    r = load(territory_db, "territory", f)
    assert r.status == "loaded", r.problems
    after = rows(territory_db, "select ubigeo, altitude_m, latitude from core_district order by 1")
    assert after == before
    assert rows(territory_db, "select name from core_district where ubigeo = '010101'") == [
        ("CHACHAPOYAS NUEVO",)
    ]
    # A facility file without the optional columns keeps them too.
    cls = rows(territory_db, "select clasificacion from core_facility where cod_ipress = '00010101'")
    r = load(
        territory_db,
        "facilities",
        write(tmp_path / "renipress.csv", "COD_IPRESS,NOMBRE,UBIGEO\n00010101,P.S. X,010101\n"),
    )
    assert r.status == "loaded", r.problems
    assert rows(
        territory_db, "select clasificacion, name from core_facility where cod_ipress = '00010101'"
    ) == [(cls[0][0], "P.S. X")]
