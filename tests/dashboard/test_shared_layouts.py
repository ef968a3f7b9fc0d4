"""Layouts shared by a server's workers (dashboard/shared_layouts.py): two apps over the same warehouse copy, as
two workers of ``semaforo serve`` are, render each page once between them; a new version of the file is a new
folder, never served the old one's layouts; a viewer never reads another viewer's; the common pages are rendered
before they are asked, and after a load the previous version's most asked first."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading

import flask
import pytest

from dashboard import app as shell_module
from dashboard import context, shared_layouts
from dashboard.app import create_app
from dashboard.data import Access, Warehouse


@pytest.fixture
def server(tmp_path, small_app, small_db, monkeypatch):
    """make(pages) → a worker's test client (an app with shared layouts over one warehouse copy, warming
    ``pages`` first); the layouts rendered, as (path, query); the warehouse; the shared folder."""
    db = tmp_path / "w.duckdb"
    shutil.copy2(small_db, db)
    monkeypatch.setenv("SEMAFORO_CACHE_DIR", str(tmp_path / "cache"))
    previous = context.warehouse()
    rendered: list[tuple[str, str]] = []
    real = shell_module.shell

    def shell(wh, pathname, search, known=False):
        if flask.request.path == "/_dash-layout":  # not Dash's own setup, which draws it once at start
            rendered.append((pathname, search))
        return real(wh, pathname, search, known)

    monkeypatch.setattr(shell_module, "shell", shell)

    def make(pages=()):
        monkeypatch.setattr(shared_layouts, "every_page", lambda wh: list(pages))
        client = create_app(db, share_layouts=True).server.test_client()
        warmed()
        return client

    yield make, rendered, db, tmp_path / "cache" / "layouts"
    context.set_warehouse(previous)


def warmed() -> None:
    """Wait for the warm-up threads of this process."""
    for t in threading.enumerate():
        if t.name == "semaforo-warm":
            t.join(60)


def layout(client, page: str) -> bytes:
    r = client.get("/_dash-layout", headers={"Referer": f"http://localhost{page}", "Accept-Encoding": "br"})
    assert r.status_code == 200 and r.headers["Content-Encoding"] == "br"
    return r.data


def new_version(db) -> None:
    copy = db.with_name("next.duckdb")
    shutil.copy2(db, copy)
    os.replace(copy, db)


def test_workers_render_a_page_once_between_them(server):
    make, rendered, db, folder = server
    one, two = make(), make()
    sent = layout(one, "/region/09")
    assert layout(two, "/region/09") == sent and rendered == [("/region/09", "")]
    (version,) = [d for d in folder.glob("*/*") if d.is_dir()]
    assert {p.suffix for p in version.iterdir() if not p.name.startswith(".")} == {".json", ".br", ".lock"}
    # A load renames a new file over the path: a new folder, the page rendered anew from the new file, once;
    # the old version's folder goes.
    new_version(db)
    assert layout(two, "/region/09") == sent and layout(one, "/region/09") == sent
    warmed()
    assert rendered == [("/region/09", "")] * 2
    (newer,) = [d for d in folder.glob("*/*") if d.is_dir()]
    assert newer != version and not version.exists()


def test_common_pages_are_rendered_before_they_are_asked(server):
    make, rendered, db, _folder = server
    client = make(pages=[("/region/09", "", True), ("/calidad", "", True)])
    assert rendered == [("/region/09", ""), ("/calidad", "")]
    layout(client, "/calidad")
    layout(client, "/calidad")
    layout(client, "/region/10")
    assert rendered[2:] == [("/region/10", "")]  # only the page not warmed was rendered on request
    # After a load, the previous version's most asked pages first, then the common ones.
    new_version(db)
    layout(client, "/region/10")  # the first request of the new version starts its warm-up
    warmed()
    again = rendered[3:]
    assert again[:2] == [("/calidad", ""), ("/region/10", "")] or again[:2] == [
        ("/region/10", ""),
        ("/calidad", ""),
    ]
    assert sorted(again) == sorted([("/calidad", ""), ("/region/10", ""), ("/region/09", "")])


def test_a_viewer_never_reads_another_viewers_layout(tmp_path, small_db):
    wh = Warehouse(small_db)
    v = wh.version
    shared = shared_layouts.SharedLayouts(tmp_path, small_db, 1 << 20)
    app = flask.Flask(__name__)
    page = ("/region/09", "", True)
    ana = ("ana", "Ana", "regional", frozenset({"09"}), "sesion", Access(regions=frozenset({"09"})))
    luis = ("luis", "Luis", "regional", frozenset({"10"}), "sesion", Access(regions=frozenset({"10"})))
    got = {}
    with app.test_request_context():
        for name, viewer in (("ana", ana), ("luis", luis), ("ana again", ana)):
            body = f'{{"for": "{name}"}}'.encode()
            got[name] = shared.get(v, ("layout", page, viewer), lambda b=body: b)
        assert got == {"ana": b'{"for": "ana"}', "luis": b'{"for": "luis"}', "ana again": b'{"for": "ana"}'}
        # an answer that is not a layout (a redirect to sign in) is passed on, never kept
        asked = []
        for _ in range(2):
            sent = shared.get(v, ("layout", page, None), lambda: asked.append(1) or flask.redirect("/login"))
            assert isinstance(sent, flask.Response) and sent.status_code == 302
        assert len(asked) == 2
    wh.version.close()


def test_a_key_is_named_the_same_in_every_process():
    """Workers of one server share a hash seed, but a restarted server does not: sets are named sorted."""
    key = ("layout", ("/region/09", "", True), ("ana", frozenset({"09", "10", "LM", "01"}), Access()))
    code = f"from dashboard.shared_layouts import digest; from dashboard.data import Access; print(digest({key!r}))"
    names = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert names == {shared_layouts.digest(key) + "\n"}


def test_the_folders_of_warehouses_that_are_gone_are_removed(server, tmp_path):
    make, _rendered, db, folder = server
    gone, kept = folder / "0123456789abcdef", folder / "fedcba9876543210"
    for other, named in ((gone, tmp_path / "borrado.duckdb"), (kept, db)):
        (other / "1-2").mkdir(parents=True)
        (other / shared_layouts.WAREHOUSE).write_text(str(named), encoding="utf-8")
    make()
    assert not gone.exists() and kept.exists()
    (mine,) = set(folder.iterdir()) - {kept}
    assert (mine / shared_layouts.WAREHOUSE).read_text(encoding="utf-8") == str(db.resolve())
