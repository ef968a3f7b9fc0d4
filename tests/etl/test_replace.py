"""What a load replaces, on real warehouse files: accepted files change only the keys they carry unless they cover
a scope (or ``--completo``), ``--dry-run`` says what would change and changes nothing, and ``--deshacer LOTE``
puts back exactly what a batch replaced — marts included."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from etl.cli import main
from etl.load import undo_batch
from tests.conftest import load, rows, tables, write
from tests.etl.test_cli import mef_row, mef_text
from tests.etl.test_faults import districts

Y = dt.date.today().year - 1
KEEP_OUT = ("etl_batch", "etl_quarantine")


def data(db: Path) -> dict[str, list[tuple]]:
    """The data tables: what the dashboard reads (raw, marts, registries), without the load log and the copies
    of replaced rows."""
    return {t: v for t, v in tables(db, skip=KEEP_OUT).items() if not t.startswith("etl_replaced_")}


def cli(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    return result


def admin_month(month: int, units: list[str], value: int = 5) -> str:
    return "periodo,ubigeo,indicador,numerador,denominador\n" + "".join(
        f"{Y}-{month:02d},{ub},PAN_P_CRED,{value},10\n" for ub in units
    )


def test_a_late_report_of_one_district_does_not_wipe_its_department(territory_db, tmp_path):
    amazonas = [d for d in districts() if d.startswith("01")]  # 14 districts in the small table
    load(territory_db, "admin", write(tmp_path / "his.csv", admin_month(3, amazonas)))
    before = data(territory_db)
    late = write(tmp_path / "his_tarde.csv", admin_month(3, amazonas[:1], value=7))
    r = load(territory_db, "admin", late)
    assert r.status == "loaded" and r.replacement.replaced == 1
    assert r.replacement.kept["filas"] == len(amazonas) - 1
    after = data(territory_db)
    # Only the one key changed in raw_admin.
    gone, new = (
        set(before["raw_admin"]) - set(after["raw_admin"]),
        set(after["raw_admin"]) - set(before["raw_admin"]),
    )
    assert [(g[3], g[6]) for g in gone] == [(amazonas[0], 5.0)] and [(n[3], n[6]) for n in new] == [
        (amazonas[0], 7.0)
    ]


def test_a_stray_row_of_another_year_does_not_replace_that_year(territory_db, tmp_path):
    """The issue's case: one row of year Y-1 in the file of year Y replaced program 0001's whole Y-1."""
    old = [mef_row(ANO_EJE=Y - 1, MES_EJE=m, DEPARTAMENTO_META=d) for m in range(1, 13) for d in ("09", "10")]
    load(territory_db, "budget", write(tmp_path / "gasto_old.csv", mef_text(old)))
    this = [mef_row(MES_EJE=m, DEPARTAMENTO_META=d) for m in range(1, 6) for d in ("09", "10")]
    stray = [mef_row(ANO_EJE=Y - 1, MES_EJE=3, DEPARTAMENTO_META="09", MONTO_DEVENGADO=77)]
    before = rows(territory_db, "select count(*) from raw_budget where year = ?", (Y - 1,))[0][0]
    r = load(territory_db, "budget", write(tmp_path / "gasto.csv", mef_text(this + stray)))
    assert r.status == "loaded", r.problems
    assert rows(territory_db, "select count(*) from raw_budget where year = ?", (Y - 1,)) == [(before,)]
    assert rows(
        territory_db,
        "select devengado from raw_budget where year = ? and month = 3 and department_code = '09'",
        (Y - 1,),
    ) == [(77.0,)]
    assert any("se conservan 23 filas" in w for w in r.warnings), r.warnings


def test_half_a_budget_year_keeps_the_months_it_does_not_carry(territory_db, tmp_path):
    """The issue's case: half of gasto_AAAA.csv (cut at a line break) cut the year back to month 5."""
    year = [
        mef_row(MES_EJE=m, DEPARTAMENTO_META=d, MONTO_DEVENGADO=10 * m)
        for m in range(1, 11)
        for d in ("09", "10")
    ]
    load(territory_db, "budget", write(tmp_path / "gasto.csv", mef_text(year)))
    before = data(territory_db)
    half = write(tmp_path / "gasto_mitad.csv", mef_text(year[:10]))
    preview = cli("load", "--db", territory_db, "budget", half, "--dry-run", "--force")
    assert preview.exit_code == 0 and "SIMULACIÓN (--dry-run), no se cambió nada" in preview.stdout
    assert "se conservan 10 filas" in preview.stderr and "--completo" in preview.stderr
    assert data(territory_db) == before
    r = load(territory_db, "budget", half, force=True)
    assert r.status == "loaded"
    assert data(territory_db)["raw_budget"] == sorted(
        (r.batch_id if row[2] <= 5 else row[0], *row[1:]) for row in before["raw_budget"]
    )  # the same rows, the first five months now of the new batch


def test_half_a_population_file_keeps_the_age_groups_it_does_not_carry(territory_db, tmp_path):
    groups = ("<1", "<3", "<5", "6-35m")
    amazonas = [d for d in districts() if d.startswith("01")]
    text = "anio,ubigeo,grupo_edad,ninos\n" + "".join(f"{Y},{u},{g},100\n" for g in groups for u in amazonas)
    load(territory_db, "population", write(tmp_path / "padron.csv", text))
    before = data(territory_db)
    lines = text.splitlines(keepends=True)
    half = write(tmp_path / "padron_mitad.csv", "".join(lines[: len(lines) // 2]))
    r = load(territory_db, "population", half)
    assert r.status == "loaded" and r.replacement.kept["filas"] == len(lines) - 1 - (len(lines) // 2 - 1)
    assert r.replacement.kept["grupos de edad"] == 3  # the half ends inside the second group
    carried = len(lines) // 2 - 1  # data lines in the half (the header is line 1)
    first = before["raw_population"][0][0]
    assert rows(territory_db, "select batch_id, count(*) from raw_population group by all order by 1") == [
        (first, len(lines) - 1 - carried),
        (r.batch_id, carried),
    ]
    assert rows(territory_db, "select count(*) from raw_population") == [(len(lines) - 1,)]
    assert rows(territory_db, "select sum(children) from raw_population") == [((len(lines) - 1) * 100,)]


def test_a_file_that_covers_its_scope_replaces_it_whole(territory_db, tmp_path):
    """A corrected month that drops one district of 14 (93 % ≥ 90 %) stands for the month: that row goes."""
    amazonas = [d for d in districts() if d.startswith("01")]
    load(territory_db, "admin", write(tmp_path / "his.csv", admin_month(3, amazonas)))
    r = load(territory_db, "admin", write(tmp_path / "his_v2.csv", admin_month(3, amazonas[1:], value=6)))
    assert r.replacement.gone["filas"] == 1 and r.replacement.gone["distritos"] == 1
    assert any("DESAPARECEN 1 filas, 1 distritos" in w for w in r.warnings), r.warnings
    assert rows(territory_db, "select count(*), min(numerator) from raw_admin") == [(len(amazonas) - 1, 6.0)]


@pytest.mark.parametrize("source", ["admin", "budget", "population"])
def test_undo_puts_back_exactly_what_a_batch_replaced(territory_db, tmp_path, source):
    amazonas = [d for d in districts() if d.startswith("01")]
    if source == "admin":
        first = admin_month(3, amazonas)
        second = admin_month(3, amazonas[1:], value=6) + f"{Y}-04,010101,PAN_P_CRED,1,2\n"
    elif source == "budget":
        first = mef_text([mef_row(MES_EJE=m) for m in range(1, 11)])
        second = mef_text(
            [mef_row(MES_EJE=m, MONTO_DEVENGADO=60) for m in range(1, 11)] + [mef_row(ANO_EJE=Y - 1)]
        )
    else:
        first = "anio,ubigeo,grupo_edad,ninos\n" + "".join(f"{Y},{u},<1,100\n" for u in amazonas)
        second = "anio,ubigeo,grupo_edad,ninos\n" + "".join(f"{Y},{u},<1,120\n" for u in amazonas[2:])
    a = load(territory_db, source, write(tmp_path / "a.csv", first))
    assert a.status == "loaded", a.problems
    before = data(territory_db)
    b = load(territory_db, source, write(tmp_path / "b.csv", second), options={"completo": True})
    assert b.status == "loaded", b.problems
    assert data(territory_db) != before
    r = cli("load", "--db", territory_db, "--deshacer", b.batch_id)
    assert r.exit_code == 0, r.output
    assert f"lote {b.batch_id} deshecho" in r.stdout
    assert data(territory_db) == before  # raw rows and marts as they were
    assert rows(territory_db, "select batch_id, status from etl_batch order by 1")[-2:] == [
        (a.batch_id, "loaded"),
        (b.batch_id, "undone"),
    ]
    assert rows(territory_db, f"select count(*) from etl_replaced_raw_{source}") == [(0,)]
    again = cli("load", "--db", territory_db, "--deshacer", b.batch_id)
    assert again.exit_code == 3 and "está undone" in again.stderr


def test_undo_refuses_a_batch_whose_rows_a_later_batch_replaced(territory_db, tmp_path):
    amazonas = [d for d in districts() if d.startswith("01")]
    load(territory_db, "admin", write(tmp_path / "a.csv", admin_month(3, amazonas)))
    b = load(territory_db, "admin", write(tmp_path / "b.csv", admin_month(3, amazonas, value=6)))
    c = load(territory_db, "admin", write(tmp_path / "c.csv", admin_month(3, amazonas, value=7)))
    before = tables(territory_db)
    r = undo_batch(territory_db, b.batch_id)
    assert r.status == "refused" and r.exit_code == 3
    assert f"el lote {c.batch_id} reemplazó filas suyas" in r.message
    assert tables(territory_db) == before
    assert undo_batch(territory_db, c.batch_id).status == "loaded"
    assert undo_batch(territory_db, b.batch_id).status == "loaded"
    assert rows(territory_db, "select distinct numerator from raw_admin") == [(5.0,)]


def test_a_dry_run_changes_nothing_at_all(territory_db, tmp_path):
    amazonas = [d for d in districts() if d.startswith("01")]
    load(territory_db, "admin", write(tmp_path / "a.csv", admin_month(3, amazonas)))
    before = tables(territory_db)  # the load log too: a dry run records no attempt
    f = write(tmp_path / "b.csv", admin_month(3, amazonas[:3], value=9))
    for extra in ([], ["--completo"]):
        r = cli("load", "--db", territory_db, "admin", f, "--dry-run", *extra)
        assert r.exit_code == 0, r.output
        assert "no se cambió nada" in r.stdout
        assert ("DESAPARECEN 11 filas" in r.stderr) == bool(extra), r.stderr
    assert tables(territory_db) == before


def test_undo_restores_the_registries_a_batch_updated(territory_db, tmp_path):
    districts_before = rows(territory_db, "select * from core_district order by all")
    f = write(
        tmp_path / "ubigeo.csv",
        "inei,distrito,altitude\n010101,NUEVO NOMBRE,2500\n010199,DISTRITO NUEVO,10\n",
    )
    t = load(territory_db, "territory", f)
    assert t.status == "loaded", t.problems
    assert rows(territory_db, "select name, altitude_m from core_district where ubigeo = '010101'") == [
        ("NUEVO NOMBRE", 2500.0)
    ]
    targets = "indicador,region,anio,meta\nPAN_P_CRED,09,2026,80\n"
    a = load(territory_db, "targets", write(tmp_path / "metas.csv", targets))
    b = load(territory_db, "targets", write(tmp_path / "metas2.csv", targets.replace(",80", ",85")))
    assert rows(territory_db, "select target from core_target") == [(85.0,)]
    assert undo_batch(territory_db, b.batch_id).status == "loaded"
    assert rows(territory_db, "select target, batch_id from core_target") == [(80.0, a.batch_id)]
    assert undo_batch(territory_db, a.batch_id).status == "loaded"
    assert rows(territory_db, "select count(*) from core_target") == [(0,)]
    r = undo_batch(territory_db, t.batch_id)
    assert r.status == "loaded", r.message
    assert rows(territory_db, "select * from core_district order by all") == districts_before
