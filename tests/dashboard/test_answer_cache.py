"""The pages' callback answers kept per warehouse version (dashboard/answer_cache.py), on the real app over a copy
of the small fixture warehouse, asked as the browser asks (bench.session's renderer): the same question from the
same viewer is answered once per version; a new version, the administrator's pages, a cache turned off and the
callbacks that are not a page's content are answered anew each time."""

from __future__ import annotations

import os
import shutil

import pytest

from bench.session import Browser
from dashboard import app as shell_module
from dashboard import context
from dashboard.app import create_app
from dashboard.config import load_config


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

        def ask(pathname: str) -> bytes:
            (route,) = [d for d in browser.listening("url", "pathname") if "page.children" in d["output"]]
            browser.store[("url", "pathname")] = pathname
            browser.store[("page-key", "data")] = "elsewhere:"
            r, _ms, _parts = browser.post(route, "url.pathname")
            assert r.status_code == 200
            return r.data

        return ask

    yield make, drawn, db
    context.set_warehouse(previous)


def _drawing(ask, drawn: list[str]):
    """ask, also saying how many times the request matched a page (0: answered from the cache)."""

    def asked(pathname: str) -> tuple[bytes, int]:
        before = len(drawn)
        body = ask(pathname)
        return body, len(drawn) - before

    return asked


def test_the_same_question_is_answered_once_per_version(opened):
    make, drawn, db = opened
    ask = _drawing(make(), drawn)
    first, work = ask("/region/09")
    assert work > 0 and ask("/region/09") == (first, 0)  # from the cache: nothing drawn
    assert ask("/region/10")[1] > 0  # another question
    # A load renames a new file over the path: its answers are drawn from it, not served from the old one.
    copy = db.with_name("next.duckdb")
    shutil.copy2(db, copy)
    os.replace(copy, db)
    assert ask("/region/09") == (first, work)


def test_no_answer_is_kept_without_the_cache_or_for_the_administrators_pages(opened):
    make, drawn, _db = opened
    ask = _drawing(make(cache_mb=0), drawn)
    first, work = ask("/region/09")
    assert work > 0 and ask("/region/09") == (first, work)  # drawn again
    ask = _drawing(make(), drawn)
    _form, work = ask("/admin/cargar")  # the upload form carries the session's CSRF token
    assert work > 0 and ask("/admin/cargar")[1] == work
