"""Fault cases of the load transaction, on real warehouse files: a load killed by SIGKILL while it writes, a load
that fails half-way, two loads at once, numbers that are not numbers, and the same or a corrected file loaded
again for the sources the per-loader tests do not cover (stock, population, budget, the registries)."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from etl.demo.mef import COLUMNS
from etl.load import writer_lock
from tests.conftest import PROVINCES, load, rows, tables, write

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from etl.cli import main; main()"]
LAST_YEAR = dt.date.today().year - 1
ADMIN_HEADER = "periodo,ubigeo,indicador,numerador,denominador\n"
ADMIN_INDICATORS = ("PAN_P_CRED", "PAN_P_HIERRO", "PAN_P_VACUNA", "PAN_P_GESTANTE", "PAN_P_IRA_EDA")


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table of the warehouse (data, provenance and quarantine), sorted."""
    return tables(db)


def districts() -> list[str]:
    """The districts of the small ubigeo table of the ``territory_db`` fixture."""
    with open(PROVINCES, encoding="utf-8") as f:
        return [f"{p['province_code']}0{k}" for p in csv.DictReader(f) for k in (1, 2)]


def months_back(first: dt.date):
    y, m = first.year, first.month
    while True:
        yield f"{y}-{m:02d}"
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)


FIRST = dt.date(LAST_YEAR, 11, 1)  # the big file's newest month; it goes back from there
REPLACED, KEPT = FIRST, dt.date(LAST_YEAR, 12, 1)


def big_admin(path: Path, n: int) -> Path:
    """``n`` valid monthly rows (district × indicator × month, going back from November of last year)."""
    ubigeos = districts()
    with open(path, "w", encoding="utf-8") as f:
        f.write(ADMIN_HEADER)
        k = 0
        for period in months_back(FIRST):
            for ind in ADMIN_INDICATORS:
                for ub in ubigeos:
                    if k == n:
                        return path
                    f.write(f"{period},{ub},{ind},{k % 7},{10 + k % 5}\n")
                    k += 1
    return path


@pytest.fixture
def loaded_db(territory_db, tmp_path):
    """A warehouse with territory, facilities, a month the big file replaces and one it does not touch."""
    base = write(
        tmp_path / "his_base.csv",
        ADMIN_HEADER
        + f"{REPLACED:%Y-%m},010101,PAN_P_CRED,3,4\n{REPLACED:%Y-%m},080101,PAN_P_CRED,1,4\n"
        + f"{KEPT:%Y-%m},010101,PAN_P_HIERRO,2,4\n",
    )
    r = load(territory_db, "admin", base)
    assert r.status == "loaded", r.problems
    return territory_db


class _Watchdog:
    """Kill a child that hangs, so a broken load cannot hang the test run."""

    def __init__(self, proc: subprocess.Popen, seconds: float):
        self.timer = threading.Timer(seconds, proc.kill)
        self.timer.start()

    def cancel(self) -> None:
        self.timer.cancel()


def start_load(db: Path, source: str, path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [*CLI, "load", "--db", str(db), source, str(path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(proc: subprocess.Popen, prefix: str) -> list[str]:
    """Read the child's progress lines (stderr) until one starts with ``prefix``; [] if it never did."""
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if line.startswith(prefix):
            return seen
    return []


def kill_while_writing(db: Path, big: Path, delay: float) -> str:
    """Start ``semaforo load``, SIGKILL it ``delay`` s after it says it is writing. Returns 'killed', or
    'finished' when the load ended before the signal could land."""
    proc = start_load(db, "admin", big)
    dog = _Watchdog(proc, 300)
    try:
        progress = wait_for(proc, "Escribiendo")
        assert progress or proc.wait() == 0, "".join(progress) + proc.stderr.read()
        if not progress:
            return "finished"
        time.sleep(delay)
        if proc.poll() is not None:
            return "finished"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return "killed" if proc.returncode == -signal.SIGKILL else "finished"
    finally:
        dog.cancel()
        proc.stdout.close()
        proc.stderr.close()


def restore(db: Path, copy: Path) -> None:
    for p in db.parent.glob(f"{db.name}.wal"):
        p.unlink()
    shutil.copy(copy, db)


@pytest.mark.slow
def test_a_load_killed_while_writing_leaves_the_warehouse_exactly_as_it_was(loaded_db, tmp_path):
    before = snapshot(loaded_db)
    pristine = shutil.copy(loaded_db, tmp_path / "pristine.duckdb")
    n, delay, outcome, races = 150_000, 0.4, None, []
    for _attempt in range(4):
        big = big_admin(tmp_path / f"his_{n}.csv", n)
        outcome = kill_while_writing(loaded_db, big, delay)
        committed = rows(loaded_db, "select count(*) from etl_batch where file_name = ?", (big.name,))[0][0]
        if outcome == "killed" and not committed:
            break
        # The load won the race (it finished, or committed before the signal landed): that proves nothing.
        # Start again from the same warehouse with a bigger file and an earlier kill.
        races.append((n, outcome, committed))
        restore(loaded_db, pristine)
        n, delay = n * 2, delay / 2
    else:
        pytest.fail(f"the load always finished before SIGKILL {races}: atomicity not tested")
    after = snapshot(loaded_db)
    changed = {t: (len(before[t]), len(after.get(t, []))) for t in before if before[t] != after.get(t)}
    assert after == before, f"killed mid-load, yet these tables changed (rows before, after): {changed}"

    # The warehouse is usable: the same file now loads in full and replaces the month it covers.
    r = load(loaded_db, "admin", big)
    assert (r.status, r.rows_loaded) == ("loaded", n), r.message or r.problems
    assert rows(loaded_db, "select count(*) from raw_admin where batch_id = ?", (r.batch_id,)) == [(n,)]
    old = "select period, ubigeo from raw_admin where batch_id <> ? order by all"
    assert rows(loaded_db, old, (r.batch_id,)) == [(KEPT, "010101")]
    assert rows(loaded_db, "select status from etl_batch where source = 'admin' order by batch_id") == [
        ("loaded",),
        ("loaded",),
    ]


@pytest.mark.slow
def test_two_loads_at_once_both_land(loaded_db, tmp_path):
    """The second writer waits for the first; before the writer lock it swapped its own copy over the first's
    committed load, which was lost while both reported success."""
    n = 150_000
    big = big_admin(tmp_path / "his_big.csv", n)
    pop = write(tmp_path / "padron.csv", f"anio,ubigeo,grupo_edad,ninos\n{LAST_YEAR},010101,<1,100\n")
    proc = start_load(loaded_db, "admin", big)
    dog = _Watchdog(proc, 300)
    try:
        assert wait_for(proc, "Validando"), proc.stderr.read()
        said = []
        second = load(loaded_db, "population", pop, echo=said.append)
        _out, err = proc.communicate()
    finally:
        dog.cancel()
    assert proc.returncode == 0, err
    assert second.status == "loaded", second.message or second.problems
    assert rows(loaded_db, "select count(*) from raw_admin where period <> ?", (KEPT,)) == [(n,)]
    assert rows(loaded_db, "select count(*) from raw_population") == [(1,)]
    assert rows(loaded_db, "select source, status from etl_batch where file_name in (?, ?) order by 1", (
        big.name, pop.name,
    )) == [("admin", "loaded"), ("population", "loaded")]  # fmt: skip
    # And they did run at the same time (else the test proved nothing).
    assert any("esperando su turno" in m for m in said), f"the loads did not overlap: {said}"


def test_a_writer_that_waits_too_long_gives_up_cleanly(territory_db, tmp_path, monkeypatch):
    f = write(tmp_path / "m.csv", ADMIN_HEADER + f"{LAST_YEAR}-05,010101,PAN_P_CRED,1,2\n")
    before = snapshot(territory_db)
    monkeypatch.setenv("SEMAFORO_LOCK_WAIT", "0.3")
    with writer_lock(territory_db):
        r = load(territory_db, "admin", f)
    assert (r.status, r.exit_code) == ("error", 4)
    assert "otro proceso sigue escribiendo" in r.message
    assert snapshot(territory_db) == before
    assert load(territory_db, "admin", f).status == "loaded"


def test_a_load_that_fails_half_way_changes_nothing(loaded_db, tmp_path, monkeypatch):
    """The admin loader has deleted the month and inserted the new rows when the mart refresh fails."""
    import etl.loaders.admin as admin

    before = snapshot(loaded_db)
    f = write(tmp_path / "m.csv", ADMIN_HEADER + f"{REPLACED:%Y-%m},010101,PAN_P_CRED,4,4\n")

    def broken(con, periods, indicators=None, touched=None):
        assert con.execute("select count(*) from raw_admin where numerator = 4").fetchone()[0] == 1
        raise RuntimeError("disco lleno")

    monkeypatch.setattr(admin, "refresh_admin", broken)
    with pytest.raises(RuntimeError, match="disco lleno"):
        load(loaded_db, "admin", f)
    assert snapshot(loaded_db) == before


def test_a_constraint_failure_changes_nothing_and_exits_4(loaded_db, tmp_path, monkeypatch):
    import etl.load

    before = snapshot(loaded_db)
    f = write(tmp_path / "m.csv", ADMIN_HEADER + f"{REPLACED:%Y-%m},010101,PAN_P_CRED,4,4\n")
    monkeypatch.setattr(etl.load, "violations", lambda con, batch_id: {"raw_admin_unique": 1})
    r = load(loaded_db, "admin", f)
    assert (r.status, r.exit_code) == ("error", 4)
    assert "raw_admin_unique" in r.message
    assert snapshot(loaded_db) == before


@pytest.mark.parametrize("text", ["inf", "-inf", "NaN", "1e400", "Infinity"])
def test_numbers_that_are_not_amounts_are_rejected(territory_db, tmp_path, text):
    """DuckDB's cast reads these as doubles; before the fix they loaded as ∞ (or passed as NaN)."""
    admin = write(
        tmp_path / "his.csv",
        ADMIN_HEADER
        + f"{LAST_YEAR}-01,010101,PAN_P_CRED,{text},{text}\n{LAST_YEAR}-01,010102,PAN_P_CRED,1,2\n",
    )
    r = load(territory_db, "admin", admin, force=True)  # 1 of 2 rows: above the threshold
    assert r.status == "partial"
    assert {(p.row, p.column, p.reason) for p in r.problems} >= {
        (2, "numerador", "no es un número"),
        (2, "denominador", "no es un número"),
    }
    stock = write(
        tmp_path / "stock.csv",
        f"periodo,cod_ipress,insumo,stock,cpm\n{LAST_YEAR}-01,00010101,PAN_I_MMN,{text},5\n"
        f"{LAST_YEAR}-01,00010102,PAN_I_MMN,3,5\n",
    )
    r = load(territory_db, "stock", stock, force=True)
    assert r.status == "partial" and {(p.row, p.column) for p in r.problems} == {(2, "stock")}
    survey = write(
        tmp_path / "endes.csv",
        f"anio,region,indicador,valor\n{LAST_YEAR},Cusco,SMN_MNEO,{text}\n{LAST_YEAR},Puno,SMN_MNEO,12\n",
    )
    r = load(territory_db, "survey", survey, force=True)
    assert r.status == "partial" and {(p.row, p.column) for p in r.problems} == {(2, "valor")}
    assert rows(
        territory_db,
        "select count(*) from raw_admin, raw_stock, raw_survey "
        "where not (isfinite(numerator) and isfinite(denominator) and isfinite(stock) and isfinite(value))",
    ) == [(0,)]


# --- Same file twice, corrected file (sources whose own tests do not cover it) -------------------------------


def mef_row(**values) -> dict:
    r = {c: "X" for c in COLUMNS}
    r.update(
        ANO_EJE=LAST_YEAR, MES_EJE=1, PROGRAMA_PPTO="0001", PRODUCTO_PROYECTO="3033255", DEPARTAMENTO_META="09",
        DEPARTAMENTO_EJECUTORA="09", PROVINCIA_EJECUTORA="01", MONTO_PIA=0, MONTO_PIM=100, MONTO_CERTIFICADO=100,
        MONTO_COMPROMETIDO_ANUAL=100, MONTO_COMPROMETIDO=50, MONTO_DEVENGADO=50, MONTO_GIRADO=50,
    )  # fmt: skip
    r.update(values)
    return r


def mef_csv(path: Path, lines: list[dict]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(lines)
    return path


GOOD = {
    "stock": "periodo,cod_ipress,insumo,stock,cpm\n{y}-01,00010101,PAN_I_MMN,10,5\n{y}-02,00080101,PAN_I_SRO,1,5\n",
    "population": "anio,ubigeo,grupo_edad,ninos\n{y},010101,<1,100\n{y},080101,<5,40\n",
    "territory": "inei,distrito\n010103,NUEVO DISTRITO\n",
    "facilities": "COD_IPRESS;NOMBRE;UBIGEO\n00099999;P.S. NUEVO;010101\n",
}


@pytest.mark.parametrize("source", ["stock", "population", "territory", "facilities", "budget"])
def test_same_file_twice_adds_nothing(territory_db, tmp_path, source):
    if source == "budget":
        f = mef_csv(tmp_path / "gasto.csv", [mef_row(), mef_row(MES_EJE=2, DEPARTAMENTO_META="01")])
    else:
        f = write(tmp_path / f"{source}.csv", GOOD[source].format(y=LAST_YEAR))
    first = load(territory_db, source, f)
    assert first.status == "loaded", first.problems
    before = snapshot(territory_db)
    again = load(territory_db, source, f)
    assert (again.status, again.exit_code, again.batch_id) == ("skipped", 0, first.batch_id)
    assert snapshot(territory_db) == before
    # The same bytes under another name are the same file.
    copy = shutil.copy(f, tmp_path / f"copia_{f.name}")
    assert load(territory_db, source, copy).status == "skipped"
    assert snapshot(territory_db) == before


def test_corrected_stock_file_replaces_its_month_and_department_only(territory_db, tmp_path):
    y = LAST_YEAR
    first = write(
        tmp_path / "stock_v1.csv",
        "periodo,cod_ipress,insumo,stock,cpm\n"
        f"{y}-01,00010101,PAN_I_MMN,10,5\n{y}-02,00010101,PAN_I_MMN,20,5\n{y}-02,00010102,PAN_I_SRO,7,5\n"
        f"{y}-02,00080101,PAN_I_MMN,30,5\n",
    )
    a = load(territory_db, "stock", first)
    assert a.status == "loaded", a.problems
    # February of department 01 again: one facility fewer, another amount.
    second = write(
        tmp_path / "stock_v2.csv", f"periodo,cod_ipress,insumo,stock,cpm\n{y}-02,00010101,PAN_I_MMN,25,5\n"
    )
    # It carries 1 of the 2 stored rows of its scope: without --completo the other facility is kept …
    kept = load(territory_db, "stock", second, dry_run=True)
    assert (kept.replacement.replaced, kept.replacement.kept["filas"]) == (1, 1)
    # … with it, the file stands for February of department 01.
    b = load(territory_db, "stock", second, options={"completo": True})
    assert (b.status, b.scope) == ("loaded", f"periodos {y}-02; departamentos 1")
    assert rows(territory_db, "select strftime(period, '%m'), cod_ipress, stock, batch_id from raw_stock order by all") == [
        ("01", "00010101", 10.0, a.batch_id),
        ("02", "00010101", 25.0, b.batch_id),
        ("02", "00080101", 30.0, a.batch_id),
    ]  # fmt: skip
    assert rows(territory_db, "select status from etl_batch where source = 'stock' order by batch_id") == [
        ("loaded",),
        ("loaded",),
    ]


def test_corrected_population_file_replaces_its_year_and_department_only(territory_db, tmp_path):
    y = LAST_YEAR
    first = write(
        tmp_path / "padron_v1.csv",
        f"anio,ubigeo,grupo_edad,ninos\n{y - 1},010101,<1,90\n{y},010101,<1,100\n{y},010102,<1,50\n"
        f"{y},080101,<1,40\n",
    )
    a = load(territory_db, "population", first)
    assert a.status == "loaded", a.problems
    second = write(tmp_path / "padron_v2.csv", f"anio,ubigeo,grupo_edad,ninos\n{y},010101,<1,110\n")
    b = load(territory_db, "population", second, options={"completo": True})
    assert b.status == "loaded", b.problems
    assert rows(territory_db, "select year, ubigeo, children, batch_id from raw_population order by all") == [
        (y - 1, "010101", 90, a.batch_id),
        (y, "010101", 110, b.batch_id),
        (y, "080101", 40, a.batch_id),
    ]
    # Once every row of a batch has been replaced, the batch is marked superseded.
    third = write(
        tmp_path / "padron_v3.csv",
        f"anio,ubigeo,grupo_edad,ninos\n{y - 1},010101,<1,91\n{y},080101,<1,41\n{y},010101,<1,111\n",
    )
    c = load(territory_db, "population", third)
    assert c.status == "loaded"
    assert rows(territory_db, "select batch_id, status from etl_batch where source = 'population' order by 1") == [
        (a.batch_id, "superseded"),
        (b.batch_id, "superseded"),
        (c.batch_id, "loaded"),
    ]  # fmt: skip
