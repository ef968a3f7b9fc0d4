"""The web upload previews before it changes anything: the page shows what ``semaforo load --dry-run`` prints
(rows loaded and rejected, what would be replaced, disappear or be kept), loads only on confirmation — the very
file previewed, with the choices previewed — and cancels by deleting the stored file; a batch is undone from the
page, after a confirmation, as ``semaforo load --deshacer`` does. On a real copy of the demo warehouse, through the
real app and its child process."""

from __future__ import annotations

import html
import io
import re

import pytest

from dashboard import context
from dashboard.app import create_app
from dashboard.auth import upsert_user
from dashboard.config import load_config
from tests.conftest import copy_warehouse, rows, tables
from tests.dashboard.clients import PASSWORD, client_for

# What a web preview may not change: nothing at all, the load history included.
NOTHING = ()


@pytest.fixture(scope="module")
def site(small_app, small_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("vista-previa")
    db = folder / "warehouse.duckdb"
    copy_warehouse(small_db, db)
    users = folder / "usuarios.yaml"
    upsert_user(users, "adm", "admin", [], "Administración", PASSWORD)
    upsert_user(users, "mef", "nacional", [], "Analista MEF", PASSWORD)
    previous = context.warehouse()
    app = create_app(config=load_config(env={}, db=db, users_file=users))
    yield app
    context.set_warehouse(previous)


@pytest.fixture(scope="module")
def late(small_db) -> tuple[bytes, str, int]:
    """A late report of one facility for September 2026 (its rows sent again), cut from the fixture warehouse's HIS file: the
    file, the facility and how many rows it carries."""
    lines = (small_db.parent / "sources" / "his_2026_09.csv").read_text(encoding="utf-8").splitlines()
    facility = lines[1].split(",")[2]
    own = [line for line in lines[1:] if line.split(",")[2] == facility]
    return ("\n".join([lines[0], *own]) + "\n").encode(), facility, len(own)


def data_tables(state: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """The data tables, without the copies of replaced rows, their floats to 9 significant digits: a mart
    recomputed from the same rows may sum them in another order."""
    return {
        k: sorted(tuple(float(f"{x:.9g}") if isinstance(x, float) else x for x in row) for row in v)
        for k, v in state.items()
        if not k.startswith("etl_replaced_")
    }


def token(c, path: str = "/admin/cargar") -> str:
    page = c.get(path)
    return re.search(rb'name="csrf" value="([^"]+)"', page.data).group(1).decode()


def preview(c, name: str, data: bytes, source: str = "admin", **form):
    return c.post(
        "/admin/cargar",
        data={"csrf": token(c), "fuente": source, "archivo": (io.BytesIO(data), name), **form},
        content_type="multipart/form-data",
    )


def pending_id(r) -> str:
    return re.search(r'name="carga" value="([^"]+)"', r.get_data(as_text=True)).group(1)


def post(c, **form):
    return c.post("/admin/cargar", data={"csrf": token(c), **form})


def db_path():
    return context.warehouse().path


def text(r) -> str:
    return html.unescape(r.get_data(as_text=True))


@pytest.mark.slow
def test_the_preview_shows_a_late_reports_scope_and_changes_nothing(site, late):
    data, _, n = late
    c = client_for(site, "adm")
    before = tables(db_path(), skip=NOTHING)
    r = preview(c, "his_2026_09_tarde.csv", data)
    page = text(r)
    assert r.status_code == 200, page[-2000:]
    assert 'data-status="preview"' in page and "Confirmar la carga" in page and "Cancelar" in page
    assert f"SIMULACIÓN (--dry-run), no se cambió nada: se cargarían {n:,} filas" in page
    assert f"reemplaza {n:,} filas guardadas con la misma clave" in page
    # one facility of a department: the department's other facilities are kept, and the page says how to widen
    kept = re.search(r"se conservan ([\d,]+) filas, (\d+) establecimientos", page)
    assert kept, page[-3000:]
    assert int(kept.group(2)) >= 1 and "--completo" in page
    assert "DESAPARECEN" not in page
    assert tables(db_path(), skip=NOTHING) == before
    assert list((db_path().parent / "cargas").rglob("his_2026_09_tarde.csv"))  # stored for the confirmation
    post(c, accion="cancelar", carga=pending_id(r))


@pytest.mark.slow
def test_a_completo_preview_says_what_would_disappear_and_confirmation_loads_exactly_that(site, late):
    data, facility, n = late
    c = client_for(site, "adm")
    before = tables(db_path(), skip=NOTHING)
    r = preview(c, "his_2026_09_completo.csv", data, completo="1")
    page = text(r)
    assert r.status_code == 200, page[-2000:]
    gone = re.search(r"DESAPARECEN ([\d,]+) filas", page)
    assert gone and "reemplazar alcances completos" in page
    assert tables(db_path(), skip=NOTHING) == before
    # the confirmation loads what was previewed, --completo included: the department's month is this facility's
    dept = rows(db_path(), "select distinct left(ubigeo, 2) from raw_admin where cod_ipress = ?", [facility])
    indicators = sorted({line.split(",")[3] for line in data.decode().splitlines()[1:]})
    scope = "from raw_admin where period = date '2026-09-01' and left(ubigeo, 2) = ? and list_contains(?, indicator_code)"
    stored = rows(db_path(), f"select count(*) {scope}", [dept[0][0], indicators])[0][0]
    upload_id = pending_id(r)
    r = post(c, accion="confirmar", carga=upload_id)
    page = text(r)
    assert r.status_code == 200, page[-2000:]
    assert f"{n:,} filas cargadas en el lote" in page
    # the department's month of the file's indicators is now this facility's rows: the others disappeared
    after = rows(db_path(), f"select count(*), count(distinct cod_ipress) {scope}", [dept[0][0], indicators])[
        0
    ]
    assert after == (n, 1) and stored - n == int(gone.group(1).replace(",", ""))
    # one confirmation per preview
    again = post(c, accion="confirmar", carga=upload_id)
    assert again.status_code == 422


@pytest.mark.slow
def test_confirmation_loads_the_file_previewed_and_undo_from_the_web_restores_the_rows(site, late):
    data, _, n = late
    c = client_for(site, "adm")
    before = tables(db_path(), skip=("etl_batch", "etl_quarantine"))
    r = preview(
        c, "his_2026_09_uno.csv", data, forzar="1"
    )  # the same file as before: loaded again, by choice
    r = post(c, accion="confirmar", carga=pending_id(r))
    page = text(r)
    assert r.status_code == 200 and "filas cargadas en el lote" in page, page[-2000:]
    batch = int(re.search(r"filas cargadas en el lote (\d+)", page).group(1))
    values = rows(db_path(), "select sum(numerator) from raw_admin where batch_id = ?", [batch])
    assert rows(db_path(), "select count(*) from raw_admin where batch_id = ?", [batch]) == [(n,)]
    assert values[0][0] is not None
    # undo: first a confirmation naming the batch, nothing changed yet
    middle = tables(db_path(), skip=())
    r = post(c, accion="deshacer", lote=str(batch))
    page = text(r)
    assert r.status_code == 200 and 'id="undo-confirm"' in page and "his_2026_09_uno.csv" in page
    assert tables(db_path(), skip=()) == middle
    r = post(c, accion="deshacer", lote=str(batch), confirmado="1")
    page = text(r)
    assert r.status_code == 200, page[-2000:]
    assert f"lote {batch} deshecho: quitadas {n:,} filas del lote {batch}; repuestas {n:,} filas" in page
    after = tables(db_path(), skip=("etl_batch", "etl_quarantine"))
    assert data_tables(after) == data_tables(before)
    # undone twice: refused, as the CLI refuses it
    r = post(c, accion="deshacer", lote=str(batch), confirmado="1")
    assert r.status_code == 422 and "no se puede deshacer" in text(r)


@pytest.mark.slow
def test_a_file_changed_between_preview_and_confirmation_is_refused(site, late):
    data, _, _ = late
    c = client_for(site, "adm")
    r = preview(c, "his_2026_09_cambiado.csv", data)
    upload_id = pending_id(r)
    stored = next((db_path().parent / "cargas" / upload_id).glob("*.csv"))
    stored.write_bytes(data.replace(b"\n2026-09", b"\n2026-08", 1))
    before = tables(db_path(), skip=NOTHING)
    r = post(c, accion="confirmar", carga=upload_id)
    assert r.status_code == 422
    assert "el archivo cambió desde la vista previa" in text(r)
    assert tables(db_path(), skip=NOTHING) == before


def test_cancel_deletes_the_stored_upload_and_changes_nothing(site, late):
    data, _, _ = late
    c = client_for(site, "adm")
    before = tables(db_path(), skip=NOTHING)
    r = preview(c, "his_2026_09_cancelado.csv", data)
    upload_id = pending_id(r)
    folder = db_path().parent / "cargas" / upload_id
    assert folder.is_dir()
    r = post(c, accion="cancelar", carga=upload_id)
    assert r.status_code == 200 and "carga cancelada" in text(r)
    assert not folder.exists()
    assert tables(db_path(), skip=NOTHING) == before
    # nothing left to confirm
    assert post(c, accion="confirmar", carga=upload_id).status_code == 422


@pytest.mark.slow
def test_a_non_administrator_cannot_preview_confirm_or_undo(site, late):
    data, _, _ = late
    adm = client_for(site, "adm")
    upload_id = pending_id(preview(adm, "his_2026_09_ajeno.csv", data))
    before = tables(db_path(), skip=NOTHING)
    for c in (client_for(site, "mef"), client_for(site)):
        assert c.get("/admin/cargar").status_code in (302, 401, 403)
        for form in (
            {"fuente": "admin", "archivo": (io.BytesIO(data), "his.csv")},
            {"accion": "confirmar", "carga": upload_id},
            {"accion": "cancelar", "carga": upload_id},
            {"accion": "deshacer", "lote": "1", "confirmado": "1"},
        ):
            r = c.post("/admin/cargar", data=form, content_type="multipart/form-data")
            assert r.status_code in (302, 400, 401, 403), (form, r.status_code)
    assert tables(db_path(), skip=NOTHING) == before
    assert (db_path().parent / "cargas" / upload_id).is_dir()  # a stranger's cancel did not delete it
    post(adm, accion="cancelar", carga=upload_id)


def test_every_step_needs_the_pages_csrf_token(site, late):
    data, _, _ = late
    c = client_for(site, "adm")
    upload_id = pending_id(preview(c, "his_2026_09_csrf.csv", data))
    before = tables(db_path(), skip=NOTHING)
    for form in (
        {"fuente": "admin", "archivo": (io.BytesIO(data), "his.csv")},
        {"accion": "confirmar", "carga": upload_id},
        {"accion": "cancelar", "carga": upload_id},
        {"accion": "deshacer", "lote": "1", "confirmado": "1"},
    ):
        r = c.post("/admin/cargar", data={**form, "csrf": "falso"}, content_type="multipart/form-data")
        assert r.status_code == 400, form
    assert tables(db_path(), skip=NOTHING) == before
    assert (db_path().parent / "cargas" / upload_id).is_dir()
    # a form naming a folder outside the uploads is refused before any file is touched
    r = post(c, accion="cancelar", carga="../../etc")
    assert r.status_code == 422 and "Carga desconocida" in text(r)


def test_the_page_speaks_english_when_asked(site, late):
    data, _, _ = late
    c = client_for(site, "adm")
    r = c.post(
        "/admin/cargar",
        data={"csrf": token(c), "fuente": "admin", "lang": "en", "archivo": (io.BytesIO(data), "his_en.csv")},
        content_type="multipart/form-data",
    )
    page = text(r)
    assert r.status_code == 200 and 'lang="en"' in page
    assert "Preview: nothing has changed yet" in page and "Confirm the load" in page
    post(c, accion="cancelar", carga=pending_id(r))
