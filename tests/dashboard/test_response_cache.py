"""Answers kept per warehouse version (dashboard/response_cache.py), on the real app over a copy of the small
fixture warehouse: the same page layout, or the same callback question, for the same viewer is computed once per
version and kept as sent in each encoding; another page, another viewer, a new version of the file, the
administrator's pages, a cache turned off and the callbacks that are not a page's content are answered anew."""

from __future__ import annotations

import gzip
import json
import os
import shutil

import brotli
import flask
import pytest

from bench.session import Browser
from dashboard import app as shell_module
from dashboard import context, response_cache
from dashboard.app import create_app
from dashboard.auth import User
from dashboard.config import load_config


@pytest.fixture
def counted(tmp_path, small_app, small_db, monkeypatch):
    """The app over a copy of the small warehouse, counting the layouts it rendered."""
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


def layout(client, page: str, **headers: str) -> flask.Response:
    r = client.get("/_dash-layout", headers={"Referer": f"http://localhost{page}", **headers})
    assert r.status_code == 200
    return r


def new_version(db) -> None:
    """What a load does: a new file renamed over the path."""
    copy = db.with_name("next.duckdb")
    shutil.copy2(db, copy)
    os.replace(copy, db)


@pytest.fixture
def compressions(monkeypatch) -> list[str | None]:
    """The encodings the wrapper compressed an answer in, in order."""
    done: list[str | None] = []
    real = response_cache.compressed_answer

    def counting(body: bytes, encoding: str | None) -> bytes:
        done.append(encoding)
        return real(body, encoding)

    monkeypatch.setattr(response_cache, "compressed_answer", counting)
    return done


# --- layouts ------------------------------------------------------------------------------------------------


def test_a_page_is_rendered_once_per_version_and_viewer(counted):
    client, rendered, db = counted
    first = layout(client, "/region/09").data
    assert layout(client, "/region/09").data == first and rendered == [("/region/09", "")]
    layout(client, "/region/09?lang=en")  # another query is another page
    assert rendered[-1] == ("/region/09", "?lang=en")
    # A load renames a new file over the path: its layouts are rendered from it, not served from the old one.
    new_version(db)
    assert (
        layout(client, "/region/09").data == first
        and rendered[-1] == ("/region/09", "")
        and len(rendered) == 3
    )


def test_viewers_with_other_rights_never_share_an_answer(small_app):
    app = flask.Flask(__name__)
    regional = User("ana", "Ana", "regional", frozenset({"09"}), via="sesion")
    other = User("luis", "Luis", "regional", frozenset({"10"}), via="sesion")
    public = User("publico", "Público", "publico")
    keys = set()
    for user in (regional, other, public, None):
        with app.test_request_context("/_dash-layout"):
            flask.g.semaforo_user = user
            keys.add(response_cache.viewer())
    assert len(keys) == 4


def test_a_layout_is_kept_as_sent_in_each_encoding(counted, compressions):
    """A hit is the bytes sent before: rendered once, compressed once per encoding, never again."""
    client, rendered, _db = counted
    plain = layout(client, "/region/09").data
    sent = {}
    for enc, unpack in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        for _ in range(2):
            r = layout(client, "/region/09", **{"Accept-Encoding": f"{enc}, deflate"})
            assert r.headers["Content-Encoding"] == enc and "Accept-Encoding" in r.headers["Vary"]
            assert json.loads(unpack(r.data)) == json.loads(plain)
            assert sent.setdefault(enc, r.data) == r.data
    assert len(sent["br"]) < len(plain) / 3
    assert rendered == [("/region/09", "")] and compressions == ["br", "gzip"]
    # a browser that refuses Brotli (q=0) gets gzip, from the cache
    r = layout(client, "/region/09", **{"Accept-Encoding": "br;q=0, gzip"})
    assert r.headers["Content-Encoding"] == "gzip" and r.data == sent["gzip"] and len(compressions) == 2


def test_the_administrators_pages_are_never_kept(counted):
    client, rendered, _db = counted
    layout(client, "/admin/cargar")
    layout(client, "/admin/cargar")
    assert rendered == [("/admin/cargar", "")] * 2  # the upload form carries the session's CSRF token


# --- callback answers ---------------------------------------------------------------------------------------


@pytest.fixture
def opened(tmp_path, small_app, small_db, monkeypatch):
    """A page opening another one (the router callback), counting the pages it drew; make(cache_mb)."""
    db = tmp_path / "w.duckdb"
    shutil.copy2(small_db, db)
    previous = context.warehouse()
    drawn: list[str] = []
    real = shell_module.pages.match

    def match(pathname):
        drawn.append(pathname)
        return real(pathname)

    monkeypatch.setattr(shell_module.pages, "match", match)

    def make(cache_mb: int | None = None):
        made = create_app(config=load_config(env={}, db=db, cache_mb=cache_mb))
        client = made.server.test_client()
        browser = Browser(client)
        browser.open("/", "")

        def ask(pathname: str) -> tuple[bytes, int]:
            """The answer, and how many times the request matched a page (0: answered from the cache)."""
            (route,) = [d for d in browser.listening("url", "pathname") if "page.children" in d["output"]]
            browser.store[("url", "pathname")] = pathname
            browser.store[("page-key", "data")] = "elsewhere:"
            before = len(drawn)
            r, _ms, _parts = browser.post(route, "url.pathname")
            assert r.status_code == 200
            return r.data, len(drawn) - before

        return ask, browser

    yield make, drawn, db
    context.set_warehouse(previous)


def test_the_same_question_is_answered_once_per_version(opened):
    make, _drawn, db = opened
    ask, _ = make()
    first, work = ask("/region/09")
    assert work > 0 and ask("/region/09") == (first, 0)  # from the cache: nothing drawn
    assert ask("/region/10")[1] > 0  # another question
    new_version(db)  # its answers are drawn from the new file, not served from the old one
    assert ask("/region/09") == (first, work)


def test_no_answer_is_kept_without_the_cache_or_for_the_administrators_pages(opened):
    make, _drawn, _db = opened
    ask, _ = make(cache_mb=0)
    first, work = ask("/region/09")
    assert work > 0 and ask("/region/09") == (first, work)  # drawn again
    ask, _ = make()
    _form, work = ask("/admin/cargar")  # the upload form carries the session's CSRF token
    assert work > 0 and ask("/admin/cargar")[1] == work


def test_an_answer_is_kept_compressed_as_a_layout_is(opened, compressions):
    """The same treatment as layouts: a hit in Brotli is the bytes sent before, compressed once."""
    make, drawn, _db = opened
    _ask, browser = make()
    (route,) = [d for d in browser.listening("url", "pathname") if "page.children" in d["output"]]
    value = {("url", "pathname"): "/region/09", ("page-key", "data"): "elsewhere:"}
    body = {
        "output": route["output"],
        "outputs": [{"id": "page", "property": "children"}, {"id": "page-key", "property": "data"}],
        "inputs": [{**i, "value": value.get((i["id"], i["property"]))} for i in route["inputs"]],
        "state": [{**s, "value": value.get((s["id"], s["property"]), "")} for s in route["state"]],
        "changedPropIds": ["url.pathname"],
    }
    sent = []
    for _ in range(2):
        before = len(drawn)
        r = browser.client.post("/_dash-update-component", json=body, headers={"Accept-Encoding": "br"})
        assert r.status_code == 200
        sent.append((r.headers.get("Content-Encoding"), r.data, len(drawn) - before))
    assert sent[0][0] == "br" and sent[0][2] > 0 and sent[1] == ("br", sent[0][1], 0)
    assert compressions == ["br"]
    assert "page" in json.loads(brotli.decompress(sent[0][1]))["response"]
