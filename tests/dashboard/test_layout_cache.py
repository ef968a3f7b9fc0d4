"""Page layouts kept per warehouse version (dashboard/layout_cache.py), on the real app over a copy of the small
fixture warehouse: the same page for the same viewer is rendered once per version; another page, another
viewer or a new version of the file is rendered anew."""

from __future__ import annotations

import gzip
import json
import os
import shutil

import brotli
import flask
import pytest

from dashboard import app as shell_module
from dashboard import context, layout_cache
from dashboard.app import create_app
from dashboard.auth import User


@pytest.fixture
def counted(tmp_path, small_app, small_db, monkeypatch):
    db = tmp_path / "w.duckdb"
    shutil.copy2(small_db, db)
    previous = context.warehouse()
    made = create_app(db)
    rendered: list[tuple[str, str]] = []
    real = shell_module.shell

    def shell(wh, pathname, search, known=False):
        rendered.append((pathname, search))
        return real(wh, pathname, search, known)

    monkeypatch.setattr(shell_module, "shell", shell)
    yield made.server.test_client(), rendered, db
    context.set_warehouse(previous)


def layout(client, page: str) -> bytes:
    r = client.get("/_dash-layout", headers={"Referer": f"http://localhost{page}"})
    assert r.status_code == 200
    return r.data


def test_a_page_is_rendered_once_per_version_and_viewer(counted):
    client, rendered, db = counted
    first = layout(client, "/region/09")
    assert layout(client, "/region/09") == first and rendered == [("/region/09", "")]
    layout(client, "/region/09?lang=en")  # another query is another page
    assert rendered[-1] == ("/region/09", "?lang=en")
    # A load renames a new file over the path: its layouts are rendered from it, not served from the old one.
    copy = db.with_name("next.duckdb")
    shutil.copy2(db, copy)
    os.replace(copy, db)
    assert layout(client, "/region/09") == first and rendered[-1] == ("/region/09", "") and len(rendered) == 3


def test_viewers_with_other_rights_never_share_a_layout(small_app):
    app = flask.Flask(__name__)
    regional = User("ana", "Ana", "regional", frozenset({"09"}), via="sesion")
    other = User("luis", "Luis", "regional", frozenset({"10"}), via="sesion")
    public = User("publico", "Público", "publico")
    keys = set()
    for user in (regional, other, public, None):
        with app.test_request_context("/_dash-layout"):
            flask.g.semaforo_user = user
            keys.add(layout_cache.viewer())
    assert len(keys) == 4


def test_a_layout_is_kept_as_sent_in_each_encoding(counted, monkeypatch):
    """A hit is the bytes sent before: rendered once, compressed once per encoding, never again."""
    client, rendered, _db = counted
    compressions: list[str | None] = []
    real = layout_cache.compressed_answer

    def counting(body: bytes, encoding: str | None) -> bytes:
        compressions.append(encoding)
        return real(body, encoding)

    monkeypatch.setattr(layout_cache, "compressed_answer", counting)
    plain = layout(client, "/region/09")
    ref = {"Referer": "http://localhost/region/09"}
    sent = {}
    for enc, unpack in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        for _ in range(2):
            r = client.get("/_dash-layout", headers={**ref, "Accept-Encoding": f"{enc}, deflate"})
            assert r.headers["Content-Encoding"] == enc and "Accept-Encoding" in r.headers["Vary"]
            assert json.loads(unpack(r.data)) == json.loads(plain)
            assert sent.setdefault(enc, r.data) == r.data
    assert len(sent["br"]) < len(plain) / 3
    assert rendered == [("/region/09", "")] and compressions == ["br", "gzip"]
    # a browser that refuses Brotli (q=0) gets gzip, from the cache
    r = client.get("/_dash-layout", headers={**ref, "Accept-Encoding": "br;q=0, gzip"})
    assert r.headers["Content-Encoding"] == "gzip" and r.data == sent["gzip"] and len(compressions) == 2
