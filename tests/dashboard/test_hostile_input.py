"""Hostile input: URL parameters, paths, callback payloads and uploaded files are untrusted. None may run SQL,
reach a file outside the app's, or change the warehouse except through a valid load; each gets a plain answer.
(Formula cells in exports: tests/dashboard/test_budget_exports.py.)"""

from __future__ import annotations

import hashlib
import io
import re

import duckdb
import markupsafe
import pytest
from click.testing import CliRunner

from dashboard import context
from etl.cli import main
from tests.conftest import rows
from tests.dashboard.clients import PERIOD, client_for, crafted, layout

SQL = [
    "'; drop table core_region; --",
    "0001' or '1'='1",
    '09"); select 1; --',
    "%' union select * from etl_batch --",
]


def data_state(path) -> list[tuple]:
    """Rows per data table and the loaded batches: what any load that wrote data would change (a refused load
    only adds its attempt to the history, as the CLI's does)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [
            n
            for (n,) in con.execute(
                "select table_name from information_schema.tables where table_type = 'BASE TABLE' "
                "and (table_name like 'raw\\_%' escape '\\' or table_name like 'mart\\_%' escape '\\' "
                "or table_name = 'core_target') order by 1"
            ).fetchall()
        ]
        counts = [(n, con.execute(f'select count(*) from "{n}"').fetchone()[0]) for n in names]
        loaded = con.execute(
            "select list(batch_id order by batch_id) from etl_batch where status in ('loaded', 'partial')"
        )
        return [*counts, ("loaded", loaded.fetchone()[0])]
    finally:
        con.close()


def warehouse_sha() -> str:
    return hashlib.sha256(context.warehouse().path.read_bytes()).hexdigest()


@pytest.fixture
def admin(secured):
    return client_for(secured, "adm")


@pytest.mark.slow
def test_sql_metacharacters_in_every_parameter_are_plain_values(secured):
    before = warehouse_sha()
    c = client_for(secured, "mef")
    for bad in SQL:
        for path, args in (
            ("/export/resumen.csv", {"programa": bad}),
            ("/export/resumen.csv", {"periodo": bad}),
            (f"/export/region/{bad}.csv", {}),
            (f"/export/{bad}.csv", {}),
            ("/export/presupuesto-productos.csv", {"producto": bad, "desde": bad}),
            ("/api/resumen.json", {"nivel": bad, "indicador": bad}),
            (f"/indicador/{bad}", {}),
        ):
            r = c.get(path, query_string=args)
            assert r.status_code in (200, 302, 404), (path, args, r.status_code)
        for page in ("/", "/region/09", "/presupuesto", "/calidad/09"):
            text = layout(c, f"{page}?periodo={bad}&provincia={bad}&distrito={bad}&producto={bad}")
            assert "Traceback" not in text
        r = crafted(
            c, "region-drill", {("url", "search"): f"?provincia={bad}", ("url", "pathname"): "/region/09"}
        )
        assert r.status_code in (200, 204), r.status_code
    assert warehouse_sha() == before  # nothing ran: every value went to DuckDB as a parameter


def test_paths_cannot_leave_the_apps_folders(secured):
    c = client_for(secured, "mef")
    for path in (
        "/vendor/../../../../etc/passwd",
        "/vendor/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/assets/../pyproject.toml",
        "/assets/..%2f..%2fpyproject.toml",
        "/_dash-component-suites/dash/../../../etc/passwd",
        "/export/..%2f..%2fetc%2fpasswd.csv",
    ):
        r = c.get(path)
        # refused, or (a path Dash does not know) the app's own page: never the file
        assert r.status_code in (200, 400, 404), path
        assert b"root:" not in r.data and b"[project]" not in r.data, path


def test_a_huge_callback_payload_is_refused_before_it_is_read(secured):
    c = client_for(secured, "mef")
    r = c.post("/_dash-update-component", data=b"x" * (3 << 20), content_type="application/json")
    assert r.status_code == 413


# --- uploads -----------------------------------------------------------------------------------------------


def upload(c, name: str, data: bytes, source: str = "targets", **form):
    page = c.get("/admin/cargar")
    token = re.search(rb'name="csrf" value="([^"]+)"', page.data).group(1).decode()
    return c.post(
        "/admin/cargar",
        data={"csrf": token, "fuente": source, "archivo": (io.BytesIO(data), name), **form},
        content_type="multipart/form-data",
    )


def confirm(c, preview):
    """Confirm the load a preview page offers."""
    upload_id = re.search(rb'name="carga" value="([^"]+)"', preview.data).group(1).decode()
    page = c.get("/admin/cargar")
    token = re.search(rb'name="csrf" value="([^"]+)"', page.data).group(1).decode()
    return c.post("/admin/cargar", data={"csrf": token, "accion": "confirmar", "carga": upload_id})


def test_only_an_administrator_reaches_the_upload_page(secured):
    assert client_for(secured).get("/admin/cargar").status_code == 403  # public
    assert client_for(secured, "mef").get("/admin/cargar").status_code == 403  # nacional
    assert client_for(secured, "huanca").get("/admin/cargar").status_code == 403
    page = client_for(secured, "adm").get("/admin/cargar")
    assert page.status_code == 200 and b'name="archivo"' in page.data
    # a forged post without the page's token is refused
    c = client_for(secured, "adm")
    r = c.post("/admin/cargar", data={"fuente": "targets"}, content_type="multipart/form-data")
    assert r.status_code == 400


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("programa.exe", b"MZ\x90\x00", "tipo de archivo no admitido"),
        ("metas.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "bytes binarios"),
        ("metas.xlsx", b"indicador,region,anio,meta\n", "no es un libro de Excel"),
        ("metas.csv", b"PK\x03\x04" + b"\x00" * 64, "bytes binarios"),
        ("metas.csv", b"x" * (1 << 20) + b"y" * 1024, "supera el máximo de 1 MB"),
        ("metas.xlsx", b"PK\x03\x04" + b"\xff" * 200, "metas.xlsx"),  # looks like a workbook, is not one
        ("metas.csv", "indicador;región\n1;2".encode("utf-16"), "guárdelo como CSV UTF-8"),
        ("ñ" * 300 + ".csv", b"indicador,region,anio,meta\n", "no tiene filas"),  # a name too long to keep
    ],
)
def test_bad_uploads_are_refused_with_a_reason_and_change_nothing(admin, name, data, says):
    path = context.warehouse().path
    before = data_state(path)
    r = upload(admin, name, data)
    assert r.status_code == 422
    assert says in r.get_data(as_text=True)
    assert data_state(path) == before


def test_an_upload_shows_the_clis_validation_report_and_a_traversal_name_stays_in_the_upload_folder(
    admin, secured, tmp_path
):
    bad = (
        b"indicador,region,anio,meta\n"
        b"PAN_P_CRED,09,2026,80\n"
        b"PAN_NO_EXISTE,09,2026,50\n"
        b"PAN_P_CRED,99,2026,50\n"
        b"PAN_P_CRED,10,2026,=1+1\n"
    )
    path = context.warehouse().path
    before = data_state(path)
    history = rows(path, "select count(*) from etl_batch")
    r = upload(admin, "../../../../tmp/metas_malas.csv", bad, estricto="1")
    text = r.get_data(as_text=True)
    assert r.status_code == 422
    # the CLI's report of the same file, strict, on a copy of the warehouse
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(context.warehouse().path.read_bytes())
    f = tmp_path / "tmp_metas_malas.csv"  # the name the upload is kept under (see below)
    f.write_bytes(bad)
    cli = CliRunner().invoke(main, ["load", "targets", str(f), "--db", str(copy), "--strict"])
    problems = [line.strip() for line in cli.output.splitlines() if line.startswith("  ")]
    assert len(problems) >= 3
    for line in problems:
        assert str(markupsafe.escape(line)) in text, line
    # strict: refused whole by the preview — nothing changed, not even the load history (a preview is a dry run)
    assert data_state(path) == before
    assert rows(path, "select count(*) from etl_batch") == history
    assert "Confirmar la carga" not in text  # nothing to confirm
    # the file was kept under the upload folder with a cleaned name, not at the path its name asked for
    uploads = list((context.warehouse().path.parent / "cargas").rglob("*.csv"))
    assert any(p.name == "tmp_metas_malas.csv" for p in uploads)
    assert not (tmp_path.parent / "metas_malas.csv").exists()


@pytest.mark.slow
def test_a_good_upload_loads_and_the_next_request_sees_it(admin, secured):
    good = b"indicador,region,anio,meta\nPAN_P_CRED,09,2026,81.5\n"
    before = data_state(context.warehouse().path)
    r = upload(admin, "metas_2026_huancavelica.csv", good)
    assert r.status_code == 200 and "Confirmar la carga" in r.get_data(as_text=True)
    assert data_state(context.warehouse().path) == before  # the preview changed nothing
    r = confirm(admin, r)
    text = r.get_data(as_text=True)
    assert r.status_code == 200, text[-2000:]
    assert "filas cargadas en el lote" in text
    assert data_state(context.warehouse().path) != before  # the state the refusals are held to does change
    doc = admin.get(f"/export/region/09.json?periodo={PERIOD}").get_json()
    cred = next(row for row in doc["rows"] if row["indicador_codigo"] == "PAN_P_CRED")
    assert cred["meta"] == 81.5
