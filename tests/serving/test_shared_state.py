"""What the workers of one real server (``semaforo serve``: gunicorn, two worker processes) must agree on: the
failed sign-in count holds across them (not once per worker), and a sign-out in one ends the session in all."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
import requests

from dashboard.auth import upsert_user
from tests.dashboard.clients import PASSWORD, PERIOD
from tests.serving.conftest import start_server, stop_server

FACILITY_LIST = f"/export/calidad-sin-reporte/09.csv?periodo={PERIOD}"


@pytest.fixture(scope="module")
def server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("shared")
    db = folder / "served.duckdb"
    shutil.copy2(demo_db, db)
    users = folder / "usuarios.yaml"
    upsert_user(users, "huanca", "regional", ["09"], "Gerencia Huancavelica", PASSWORD)
    upsert_user(users, "otra", "regional", ["09"], "Otra persona de Huancavelica", PASSWORD)
    proc, url, log = start_server(db, "--usuarios", str(users), "--anonimo", "publico")
    yield url, log
    stop_server(proc)


def login(url: str, user: str, password: str) -> requests.Response:
    """The login form as a browser posts it, on a new connection (so that either worker may answer)."""
    s = requests.Session()
    page = s.get(url + "/ingresar", timeout=30)
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = s.post(
        url + "/ingresar",
        data={"usuario": user, "clave": password, "csrf": token},
        headers={"Connection": "close"},
        allow_redirects=False,
        timeout=30,
    )
    r.session = s  # type: ignore[attr-defined]
    return r


def sign_in_posts(log: Path) -> list[tuple[str, int]]:
    """(worker process, status) of each sign-in post, from the server's request log."""
    found = re.findall(r" (\d+) INFO semaforo\.access: \S+ \S+ POST /ingresar (\d{3}) ", log.read_text())
    return [(pid, int(code)) for pid, code in found]


def test_the_sign_in_limit_holds_across_workers(server):
    url, log = server
    codes = []
    # new connections until both workers have answered some of them (which one accepts is the kernel's choice)
    while len(codes) < 12 or (len({pid for pid, _ in sign_in_posts(log)}) < 2 and len(codes) < 60):
        codes.append(login(url, "huanca", f"mala-clave-{len(codes):03d}").status_code)
    # the default limit, 5 failures a minute per user name and address, counted once for the whole server: a
    # count per worker would have let up to 10 through
    assert codes[:5] == [401] * 5 and set(codes[5:]) == {429}, codes
    answered = sign_in_posts(log)
    assert len({pid for pid, _ in answered}) == 2, answered


def test_signing_out_in_one_worker_ends_the_session_in_every_worker(server):
    url, _log = server
    r = login(url, "otra", PASSWORD)
    assert r.status_code == 302
    cookie = r.session.cookies.get("session")  # type: ignore[attr-defined]

    def copied() -> list[int]:  # fresh connections: both workers answer some of them
        return [
            requests.get(
                url + FACILITY_LIST, cookies={"session": cookie}, headers={"Connection": "close"}, timeout=30
            ).status_code
            for _ in range(8)
        ]

    assert set(copied()) == {200}
    r.session.get(url + "/salir", timeout=30)  # type: ignore[attr-defined]
    assert set(copied()) == {403}  # the public view: no facility lists


def test_the_limit_storage_counts_once_for_every_process_that_opens_the_file(tmp_path):
    """Two storages on one file (as two workers open it): their hits add up, and the window expires."""
    from limits import parse
    from limits.storage import storage_from_string
    from limits.strategies import FixedWindowRateLimiter

    import dashboard.shared_state  # noqa: F401 — registers the sqlite:// scheme, as the server's import does

    uri = f"sqlite://{tmp_path / 'estado.sqlite'}"
    first, second = (FixedWindowRateLimiter(storage_from_string(uri)) for _ in range(2))
    limit = parse("3 per 2 seconds")
    assert [first.hit(limit, "ip"), second.hit(limit, "ip"), first.hit(limit, "ip")] == [True] * 3
    assert not second.hit(limit, "ip") and not first.hit(limit, "ip")
    assert second.hit(limit, "otra-ip")  # another key has its own count
    time.sleep(2.1)
    assert second.hit(limit, "ip")  # a new window
