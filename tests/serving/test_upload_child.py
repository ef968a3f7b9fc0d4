"""A web upload on the real server (gunicorn worker, threads): its load runs in a child process of the worker, and
the next request of any worker serves the new data."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import requests

from dashboard.auth import upsert_user
from tests.dashboard.clients import PASSWORD, PERIOD
from tests.serving.conftest import start_server, stop_server


@pytest.fixture(scope="module")
def server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("carga-web")
    db = folder / "served.duckdb"
    shutil.copy2(demo_db, db)
    users = folder / "usuarios.yaml"
    upsert_user(users, "adm", "admin", [], "Administración", PASSWORD)
    proc, url, log = start_server(db, "--usuarios", str(users), "--anonimo", "publico")
    yield url, log
    stop_server(proc)


def test_an_upload_loads_in_a_child_of_the_worker_and_every_worker_serves_it(server):
    url, log = server
    s = requests.Session()
    page = s.get(url + "/ingresar", timeout=30)
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = s.post(url + "/ingresar", data={"usuario": "adm", "clave": PASSWORD, "csrf": token}, timeout=30)
    assert r.status_code == 200
    page = s.get(url + "/admin/cargar", timeout=30)
    assert page.status_code == 200  # an administrator's page: the sign-in held
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    before = requests.get(url + "/healthz", timeout=60).json()["ultimo_lote"]
    r = s.post(
        url + "/admin/cargar",
        data={"csrf": token, "fuente": "targets"},
        files={"archivo": ("metas_2026_09.csv", b"indicador,region,anio,meta\nPAN_P_CRED,09,2026,83.5\n")},
        timeout=120,
    )
    assert r.status_code == 200, r.text[-2000:]
    assert "Confirmar la carga" in r.text  # first the preview, then the confirmation loads it
    upload_id = re.search(r'name="carga" value="([^"]+)"', r.text).group(1)
    r = s.post(
        url + "/admin/cargar", data={"csrf": token, "accion": "confirmar", "carga": upload_id}, timeout=120
    )
    assert r.status_code == 200, r.text[-2000:]
    assert "filas cargadas en el lote" in r.text
    assert "carga web de targets por adm" in log.read_text()
    # new connections: whichever worker answers serves the new batch and value
    for _ in range(6):
        assert (
            requests.get(url + "/healthz", headers={"Connection": "close"}, timeout=60).json()["ultimo_lote"]
            > before
        )
        doc = requests.get(
            f"{url}/export/region/09.json?periodo={PERIOD}", headers={"Connection": "close"}, timeout=60
        ).json()
        assert next(x for x in doc["rows"] if x["indicador_codigo"] == "PAN_P_CRED")["meta"] == 83.5
