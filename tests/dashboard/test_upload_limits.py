"""A file built to exhaust the machine costs a limited child process, never a server worker: the XLSX reader
refuses a workbook whose parts would inflate implausibly (a zip bomb: 3.6 MB that expands to 1 GiB) before it
decompresses anything — on the command line too — and a web upload is loaded in a child held to a memory and a
time limit, whose report (or the limit it passed) the page shows; the warehouse is unchanged either way."""

from __future__ import annotations

import io
import re
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from dashboard import context
from dashboard.app import create_app
from dashboard.auth import upsert_user
from dashboard.config import load_config
from dashboard.upload_job import Limits, run_load
from etl.excel import check_expansion
from etl.lock import writer_lock
from etl.problems import LoadError
from tests.conftest import copy_warehouse, shared, tables
from tests.dashboard.clients import PASSWORD, client_for
from tests.dashboard.test_hostile_input import data_state

SEMAFORO = str(Path(sys.executable).with_name("semaforo"))
GIB = 1 << 30
# What the loader adds to its own history when it refuses a file: everything else must stay as it was.
HISTORY = ("etl_batch", "etl_quarantine")


def zip_bomb(path: Path, size: int = GIB) -> Path:
    """A workbook whose one sheet inflates to ``size`` bytes of valid rows (repetition compresses ~290×)."""
    row = b'<row><c t="inlineStr"><is><t>PAN_P_CRED</t></is></c><c><v>1</v></c></row>'
    chunk = row * ((1 << 20) // len(row))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><worksheet><sheetData>')
            written = 0
            while written < size:
                f.write(chunk)
                written += len(chunk)
            f.write(b"</sheetData></worksheet>")
    return path


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    path = zip_bomb(tmp_path_factory.mktemp("bomba") / "his_2026_09.xlsx")
    with zipfile.ZipFile(path) as z:
        inflated = sum(p.file_size for p in z.infolist())
    assert 3 << 20 < path.stat().st_size < 5 << 20 and inflated >= GIB
    return path


@pytest.mark.slow
def test_the_reader_refuses_a_zip_bomb_from_its_directory(bomb):
    started = time.perf_counter()
    with pytest.raises(LoadError) as e:
        check_expansion(bomb)
    assert time.perf_counter() - started < 1  # nothing was inflated
    text = str(e.value)
    assert "his_2026_09.xlsx" in text and "xl/worksheets/sheet1.xml" in text and "se expande" in text


def test_a_real_workbook_passes_the_check():
    check_expansion(shared("mef", "consulta_amigable_gl_municipalidades_2024_2025.xlsx"))


@pytest.mark.slow
def test_the_cli_refuses_the_bomb_under_a_memory_cap_and_changes_nothing(bomb, territory_db):
    before = tables(territory_db, skip=HISTORY)

    def cap():  # 1 GiB of address space: inflating the sheet alone would need more
        resource.setrlimit(resource.RLIMIT_AS, (GIB, GIB))

    started = time.perf_counter()
    r = subprocess.run(
        [SEMAFORO, "load", "--db", str(territory_db), "admin", str(bomb)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=cap,
    )
    assert r.returncode == 3, r.stdout + r.stderr
    assert "se expande" in r.stdout + r.stderr and "Traceback" not in r.stdout + r.stderr
    assert time.perf_counter() - started < 60
    assert tables(territory_db, skip=HISTORY) == before


@pytest.fixture(scope="module")
def uploader(small_app, small_db, tmp_path_factory):
    """An app with a users file and an administrator, on its own copy of the fixture warehouse; uploads up to 20 MB."""
    folder = tmp_path_factory.mktemp("cargas")
    db = folder / "warehouse.duckdb"
    copy_warehouse(small_db, db)
    users = folder / "usuarios.yaml"
    upsert_user(users, "adm", "admin", [], "Administración", PASSWORD)
    previous = context.warehouse()
    app = create_app(config=load_config(env={}, db=db, users_file=users, upload_max_mb=20))
    yield app
    context.set_warehouse(previous)


def upload(c, name: str, data: bytes, source: str = "admin"):
    page = c.get("/admin/cargar")
    token = re.search(rb'name="csrf" value="([^"]+)"', page.data).group(1).decode()
    return c.post(
        "/admin/cargar",
        data={"csrf": token, "fuente": source, "archivo": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


@pytest.mark.slow
def test_a_web_upload_of_the_bomb_is_refused_and_the_worker_never_reads_it(uploader, bomb):
    c = client_for(uploader, "adm")
    path = context.warehouse().path
    before = data_state(path)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB, of this process: the server's worker
    r = upload(c, bomb.name, bomb.read_bytes())
    text = r.get_data(as_text=True)
    assert r.status_code == 422, text[-2000:]
    assert "se expande" in text and "xl/worksheets/sheet1.xml" in text
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak < 200 << 10  # < 200 MB more, at most
    assert data_state(path) == before
    assert c.get("/healthz").status_code == 200  # the worker serves on


@pytest.mark.slow
def test_a_load_past_its_memory_limit_stops_in_the_child_and_says_so(uploader, tmp_path):
    path = context.warehouse().path
    before = data_state(path)
    f = tmp_path / "metas_2026.csv"
    f.write_text("indicador,region,anio,meta\nPAN_P_CRED,09,2026,77\n", encoding="utf-8")
    # 800 MB: less than DuckDB needs to open the warehouse, so the child runs out of memory
    lines, status = run_load(path, "targets", f, Limits(memory_mb=800, seconds=120))
    assert status == "error"
    assert lines == [
        (
            "error",
            "metas_2026.csv: la carga superó el límite de memoria de 800 MB; no se cargó nada (el almacén quedó "
            "como estaba)",
        )
    ]
    assert data_state(path) == before
    # with room, the same file loads
    lines, status = run_load(path, "targets", f, Limits(memory_mb=4096, seconds=120))
    assert status == "loaded", lines


@pytest.mark.slow
def test_a_load_past_its_time_limit_is_killed_and_changes_nothing(uploader, tmp_path):
    path = context.warehouse().path
    before = data_state(path)
    # The load waits for the writer lock this test holds (another writer's load, as on a busy morning) until its
    # second runs out, whatever the machine's speed.
    f = tmp_path / "metas_2027.csv"
    f.write_text("indicador,region,anio,meta\nPAN_P_CRED,09,2026,78\n", encoding="utf-8")
    started = time.perf_counter()
    with writer_lock(path, wait=0):
        lines, status = run_load(path, "targets", f, Limits(memory_mb=4096, seconds=1))
    assert time.perf_counter() - started < 10
    assert status == "error" and "superó el tiempo máximo de 1 s" in lines[0][1]
    assert data_state(path) == before
    # the killed load left no lock behind: once the other writer is done, the next one proceeds
    lines, status = run_load(path, "targets", f, Limits(memory_mb=4096, seconds=120))
    assert status == "loaded", lines


def test_the_upload_limits_are_checked_at_start():
    from dashboard.config import ConfigError

    assert load_config(env={}).upload_seconds == 280  # 20 s less than the request timeout, 300
    assert load_config(env={}, timeout=60).upload_seconds == 40
    with pytest.raises(ConfigError, match="menor que timeout"):
        load_config(env={}, timeout=60, upload_seconds=90)  # the page would time out before saying why
    with pytest.raises(ConfigError, match="al menos 1536"):
        load_config(env={"SEMAFORO_UPLOAD_MEMORY_MB": "512"})
