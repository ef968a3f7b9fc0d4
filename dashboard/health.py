"""Whether the served warehouse can answer its queries, for ``/healthz``: a file that opens may still hold a corrupt
block that every page reading it would fail on. Each version of the file is read whole once (every block of every
table: DuckDB checks each block's checksum as it reads it — the warehouse's own check, ``warehouse.db.unreadable``,
which ``semaforo check`` and every load run too), and every check also runs a live query."""

from __future__ import annotations

import threading
import weakref

import duckdb

from warehouse.db import unreadable

from .data import Version, Warehouse


class Health:
    """The verdict on each version of the warehouse, reached once per version (a few tenths of a second per
    100 MB) and kept while the version lives."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._verdicts: weakref.WeakKeyDictionary[Version, str | None] = weakref.WeakKeyDictionary()

    def problem(self, wh: Warehouse) -> str | None:
        """None when the version this request reads answers; else what fails."""
        v = wh.version
        with self._lock:  # one full read per version, even when health checks arrive together
            if v not in self._verdicts:
                try:
                    self._verdicts[v] = "; ".join(unreadable(v.cursor())) or None
                except duckdb.Error as e:  # the table list itself cannot be read
                    self._verdicts[v] = str(e)
        if self._verdicts[v] is not None:
            return self._verdicts[v]
        try:  # the connection itself may have failed since (DuckDB invalidates a database after a fatal error)
            v.cursor().execute("select count(*) from mart_status_top").fetchone()
        except duckdb.Error as e:
            return str(e)
        return None
