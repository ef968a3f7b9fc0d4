"""The warehouse's SQL files and the small helpers every module runs queries with.

Nothing here opens a warehouse: this is the bottom layer that ``db`` (opening, migrating), ``marts`` (refreshing)
and ``constraints`` build on, so none of them imports another to reach these.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import threading
from pathlib import Path
from typing import Any

import duckdb

from .errors import WarehouseError

HERE = Path(__file__).parent
MIGRATIONS = HERE / "migrations"
VIEWS = HERE / "views"
MARTS = HERE / "marts"


def sql_file(path: Path) -> list[str]:
    """The statements of a .sql file as DuckDB's own parser splits them: a semicolon inside a literal or a
    comment does not end a statement; comments alone are no statement."""
    return list(_split(path.read_text(encoding="utf-8")))


@functools.lru_cache(maxsize=256)
def _split(sql: str) -> tuple[str, ...]:
    # Parsed once per text: every load runs the same marts and constraints files.
    return tuple(s.query.strip() for s in _statements(sql))


@functools.lru_cache(maxsize=256)
def named_parameters(sql: str) -> frozenset[str]:
    """The ``$name`` parameters the SQL uses, by DuckDB's parser (``$level`` is not found inside ``$levels``,
    nor in a comment or a literal)."""
    return frozenset(p for s in _statements(sql) for p in s.named_parameters)


_parsers = threading.local()


def _statements(sql: str) -> list[duckdb.Statement]:
    # A private in-memory connection per thread: duckdb.extract_statements() would use the module's default
    # connection, which another thread may be using at the same moment (the bench's generator computing records
    # while files load) — DuckDB aborts the process then.
    con = getattr(_parsers, "con", None)
    if con is None:
        con = _parsers.con = duckdb.connect()
    return con.extract_statements(sql)


def views_fingerprint() -> str:
    h = hashlib.sha256()
    for p in sorted(VIEWS.glob("*.sql")):
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def literal(value: object) -> str:
    """A value as an SQL literal (a date, a number, text), for conditions DuckDB must know when it plans a scan: a
    literal lets it skip row groups by their zone maps, a parameter or a subquery does not."""
    if isinstance(value, dt.date):
        return f"date '{value.isoformat()}'"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def one(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> tuple[Any, ...]:
    """The one row of a query that always returns one (aggregates): a missing row is an error, not ``None``."""
    row = con.execute(sql, params or []).fetchone()
    if row is None:
        raise WarehouseError(f"la consulta no devolvió filas: {sql}")
    return row


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    """The one value of a query that returns one row (an aggregate, a lookup by key)."""
    return one(con, sql, params)[0]
