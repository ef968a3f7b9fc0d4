"""What the worker processes of one server must agree on, kept in one small SQLite file beside the warehouse (no
server to run, safe across processes and threads): the failed sign-in counters (a ``limits`` storage, so that
Flask-Limiter counts once per server instead of once per worker) and each user's session generation (signing out
ends every session of that user, in every worker, at once)."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

from limits.storage import Storage

_SCHEMA = """
create table if not exists counter (key text primary key, hits integer not null, expires real not null);
create table if not exists session_generation (username text primary key, generation integer not null);
create table if not exists failed_login (username text not null, address text not null, at real not null);
create index if not exists failed_login_name on failed_login (username, at);
"""


class StateFile:
    """The SQLite file; one connection per thread, in WAL mode so that readers never wait for a writer."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()
        con = (
            self._connect()
        )  # closed at once: a connection must not outlive a fork (serve checks in the master)
        try:
            con.executescript(_SCHEMA)
        finally:
            con.close()

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        con.execute("pragma journal_mode=wal")
        con.execute("pragma synchronous=normal")
        return con

    @property
    def con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = self._local.con = self._connect()
        return con

    # --- sessions --------------------------------------------------------------------------------------------

    def generation(self, username: str) -> int:
        """The user's session generation: a session signed in under an older one is no longer valid."""
        row = self.con.execute(
            "select generation from session_generation where username = ?", (username,)
        ).fetchone()
        return row[0] if row else 0

    def end_sessions(self, username: str) -> None:
        """Invalidate every session of ``username`` (its copies in other browsers and cookies included)."""
        self.con.execute(
            "insert into session_generation values (?, 1) "
            "on conflict (username) do update set generation = generation + 1",
            (username,),
        )

    # --- failed sign-ins of one user name from many addresses ---------------------------------------------------

    def record_failure(self, username: str, address: str) -> None:
        self.con.execute("insert into failed_login values (?, ?, ?)", (username, address, time.time()))

    def name_locked_for(self, username: str, address: str, limit: int, seconds: int) -> bool:
        """Whether ``username`` failed ``limit`` times within ``seconds`` (from any addresses) and ``address`` is
        one of those that failed: a guess spread over many addresses is stopped at each of them, while an address
        that never failed — the user's own — is not locked out by a stranger."""
        since = time.time() - seconds
        self.con.execute("delete from failed_login where at < ?", (since,))
        total, here = self.con.execute(
            "select count(*), count(*) filter (where address = ?) from failed_login "
            "where username = ? and at >= ?",
            (address, username, since),
        ).fetchone()
        return total >= limit and here > 0


class SqliteStorage(Storage):
    """A fixed-window ``limits`` storage in a :class:`StateFile`: ``sqlite:///absolute/path.sqlite``."""

    STORAGE_SCHEME: ClassVar[list[str]] = ["sqlite"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: object):
        path = urlsplit(uri or "").path
        if not path:
            raise ValueError(f"ruta vacía en {uri!r}: use sqlite:///ruta/absoluta.sqlite")
        self.state = StateFile(Path(path))
        super().__init__(uri, wrap_exceptions=wrap_exceptions)

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        self.state.con.execute("delete from counter where expires <= ?", (now,))  # keeps the file small
        # one statement: two workers counting the same key at once both count
        (hits,) = self.state.con.execute(
            "insert into counter values (?, ?, ?) on conflict (key) do update set "
            "hits = case when expires <= ? then excluded.hits else hits + excluded.hits end, "
            "expires = case when expires <= ? then excluded.expires else expires end returning hits",
            (key, amount, now + expiry, now, now),
        ).fetchone()
        return hits

    def get(self, key: str) -> int:
        row = self.state.con.execute(
            "select hits from counter where key = ? and expires > ?", (key, time.time())
        ).fetchone()
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self.state.con.execute("select expires from counter where key = ?", (key,)).fetchone()
        return row[0] if row else time.time()

    def check(self) -> bool:
        return self.state.con.execute("select 1").fetchone() == (1,)

    def reset(self) -> int | None:
        return self.state.con.execute("delete from counter").rowcount

    def clear(self, key: str) -> None:
        self.state.con.execute("delete from counter where key = ?", (key,))
