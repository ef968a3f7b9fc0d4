"""Warehouse versions in one serving process: a request reads one version from start to end while a writer
swaps in the next; the next request reads the new one; the old one is closed when its last request ends; the
query cache belongs to a version and to the caller's regions."""

from __future__ import annotations

import threading

import duckdb
import pandas as pd
import pytest

from dashboard.data import Access, Forbidden, Warehouse
from warehouse import access, query
from warehouse.db import open_writer


def put(path, key: str, value: str) -> None:
    with open_writer(path) as con:
        con.execute("insert or replace into core_meta values (?, ?)", [key, value])


def meta(wh: Warehouse, key: str) -> str | None:
    row = wh.cursor.execute("select value from core_meta where key = ?", [key]).fetchone()
    return row[0] if row else None


def in_thread(fn):
    out = {}
    t = threading.Thread(target=lambda: out.setdefault("v", fn()))
    t.start()
    t.join()
    return out["v"]


def test_a_pinned_request_keeps_its_version_while_a_load_swaps_in_the_next(db):
    put(db, "probe", "old")
    wh = Warehouse(db)
    old = wh.pin()  # a request begins
    assert meta(wh, "probe") == "old"
    put(db, "probe", "new")  # a load finishes meanwhile (writes a copy, renames it over the file)
    assert meta(wh, "probe") == "old"  # the same request still reads what it started with
    assert in_thread(lambda: meta(wh, "probe")) == "new"  # a new request reads the new version
    assert old.retired and old.users == 1  # replaced, still in use by the first request
    wh.release()  # the request ends: the old version, now unused, is closed
    assert old.retired
    with pytest.raises(duckdb.ConnectionException):
        old.con.execute("select 1")
    assert meta(wh, "probe") == "new" and wh.version.number == old.number + 1


def test_a_broken_new_file_is_not_served_and_the_old_version_goes_on(db, caplog):
    put(db, "probe", "old")
    wh = Warehouse(db)
    assert meta(wh, "probe") == "old"
    replaced = db.with_name("other.duckdb")
    replaced.write_bytes(b"not a warehouse")
    replaced.replace(db)
    assert meta(wh, "probe") == "old"
    assert "se sigue sirviendo la anterior" in caplog.text


def test_the_query_cache_belongs_to_a_version_and_to_the_callers_regions(db, monkeypatch):
    put(db, "probe", "old")
    wh = Warehouse(db)
    calls = []
    monkeypatch.setattr(
        access, "DECLARED", dict(access.DECLARED)
    )  # the probe below is declared for this test only

    @access.declare(access.Scope.REGION, regions=True)
    def regions(con, allowed=None):
        calls.append(allowed)
        return pd.DataFrame({"n": [len(calls)]})

    first = wh.query(regions)
    first.loc[0, "n"] = 99  # callers get a copy: changing it does not change the cache
    assert wh.query(regions).n[0] == 1 and len(calls) == 1
    wh.access = lambda: Access(regions=frozenset({"09"}))
    assert wh.query(regions).n[0] == 2 and calls[-1] == frozenset({"09"})  # another scope, another entry
    put(db, "probe", "new")
    assert wh.query(regions).n[0] == 3  # a new version starts with an empty cache


def test_the_public_is_refused_queries_below_the_region_level(db):
    put(db, "probe", "x")
    wh = Warehouse(db)
    wh.access = lambda: Access(below_region=False, admin=False)
    import datetime as dt

    for fn, args in (
        (query.children, ("PAN_P_CRED", "09", "region", dt.date(2026, 9, 1))),
        (query.quality_missing, ("0001", dt.date(2026, 9, 1))),
        (query.budget_units, ("0001", 2026, 9, "PE")),
        (query.snapshot, ("0001", ["0901"], dt.date(2026, 9, 1))),
        (query.quality_completeness, ("0001", "09", dt.date(2026, 1, 1), dt.date(2026, 9, 1))),
    ):
        with pytest.raises(Forbidden):
            wh.query(fn, *args)
    # region-level questions are answered
    assert isinstance(wh.query(query.children, "PAN_P_CRED", "PE", "pais", dt.date(2026, 9, 1)), pd.DataFrame)
    assert isinstance(wh.query(query.snapshot, "0001", ["PE", "09"], dt.date(2026, 9, 1)), pd.DataFrame)


def test_reads_run_together_see_the_requests_version_and_user(db):
    """Warehouse.together's threads read what the request reads: its pinned version (not a newer one swapped in
    meanwhile), as its user (whose access the request context says, which those threads cannot read), sharing
    its memo; a refusal in one of them reaches the request."""
    put(db, "probe", "old")
    wh = Warehouse(db)
    main = threading.current_thread()
    # like dashboard.gate's: the user's access where the request's context is, everything elsewhere
    wh.access = lambda: (
        Access(regions=frozenset({"09"}), below_region=False, admin=False)
        if threading.current_thread() is main
        else Access()
    )
    wh.pin()
    put(db, "probe", "new")
    seen = wh.together(lambda: meta(wh, "probe"), lambda: wh.allowed, lambda: (wh.below_region, wh.admin))
    assert seen == ["old", frozenset({"09"}), (False, False)]
    import datetime as dt

    with pytest.raises(Forbidden):
        wh.together(lambda: wh.query(query.quality_missing, "0001", dt.date(2026, 9, 1)))
    wh.release()
    assert wh.together(lambda: meta(wh, "probe")) == ["new"]  # outside a request: the current version
