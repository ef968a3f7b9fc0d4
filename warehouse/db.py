"""Opening the warehouse: numbered migrations and views applied on open, read-only opens for readers.

DuckDB lets one process write a file or many read it, never both. The writer therefore never writes a file that
readers hold: when the file is locked by a reader, :func:`open_writer` builds the next version beside it and
swaps it in atomically (readers notice the new file and reopen, see ``dashboard.data``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import duckdb

HERE = Path(__file__).parent
MIGRATIONS = HERE / "migrations"
VIEWS = HERE / "views"
MARTS = HERE / "marts"


class WarehouseError(RuntimeError):
    """The warehouse file cannot be used as asked (missing, outdated, locked)."""


def sql_file(path: Path) -> list[str]:
    """The statements of a .sql file, split on semicolons at line ends."""
    text = path.read_text(encoding="utf-8")
    return [s.strip() for s in text.split(";\n") if s.strip() and not _only_comments(s)]


def _only_comments(statement: str) -> bool:
    return all(not line.strip() or line.strip().startswith("--") for line in statement.splitlines())


def migrations() -> list[tuple[int, Path]]:
    return sorted((int(p.name.split("_", 1)[0]), p) for p in MIGRATIONS.glob("[0-9]*_*.sql"))


def views_fingerprint() -> str:
    h = hashlib.sha256()
    for p in sorted(VIEWS.glob("*.sql")):
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def schema_version(con: duckdb.DuckDBPyConnection) -> tuple[int, str | None]:
    """(last applied migration, fingerprint of the views) of an open warehouse; (0, None) when new."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_name = 'schema_version'"
    ).fetchone()[0]
    if not exists:
        return 0, None
    version = con.execute("select coalesce(max(version), 0) from schema_version").fetchone()[0]
    views = con.execute("select max(views_sha) from schema_views").fetchone()[0]
    return int(version), views


def pending(con: duckdb.DuckDBPyConnection) -> list[str]:
    version, views = schema_version(con)
    todo = [p.name for n, p in migrations() if n > version]
    if views != views_fingerprint():
        todo.append("views")
    if not todo:
        from .marts import status_current  # marts builds on this module

        if not status_current(con):
            todo.append("statuses")
    return todo


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply pending migrations and re-create the views; a no-op on an up-to-date warehouse."""
    con.execute(
        "create table if not exists schema_version (version integer primary key, name varchar, applied_at timestamp)"
    )
    con.execute("create table if not exists schema_views (views_sha varchar, applied_at timestamp)")
    version, views = schema_version(con)
    applied = []
    for number, path in migrations():
        if number <= version:
            continue
        con.execute("begin")
        try:
            for statement in sql_file(path):
                con.execute(statement)
            con.execute("insert into schema_version values (?, ?, ?)", [number, path.name, datetime.now()])
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
        applied.append(path.name)
    if applied or views != views_fingerprint():
        con.execute("begin")
        for path in sorted(VIEWS.glob("*.sql")):
            for statement in sql_file(path):
                con.execute(statement)
        con.execute("delete from schema_views")
        con.execute("insert into schema_views values (?, ?)", [views_fingerprint(), datetime.now()])
        con.execute("commit")
        applied.append("views")
    from .marts import ensure_status  # marts builds on this module

    con.execute("begin")
    if ensure_status(con):
        applied.append("statuses")
    con.execute("commit")
    return applied


def connect_readonly(path: str | os.PathLike) -> duckdb.DuckDBPyConnection:
    """A read-only connection; refuses a missing warehouse or one that needs migrating."""
    path = Path(path)
    if not path.exists():
        raise WarehouseError(
            f"No existe el almacén {path}. Créelo con 'semaforo demo --db {path}' o 'semaforo load'."
        )
    con = duckdb.connect(str(path), read_only=True)
    todo = pending(con)
    if todo:
        con.close()
        raise WarehouseError(
            f"El almacén {path} necesita migrarse ({', '.join(todo)}): ejecute 'semaforo migrate --db {path}'."
        )
    return con


def _is_lock_error(exc: Exception) -> bool:
    return "lock" in str(exc).lower()


@contextlib.contextmanager
def open_writer(path: str | os.PathLike) -> Iterator[duckdb.DuckDBPyConnection]:
    """The one writer. Writes in place when nobody reads the file; otherwise builds the next version beside it
    (copy, write, checkpoint) and renames it over the original, so readers never see a half-written file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path))
    except duckdb.IOException as e:
        if not _is_lock_error(e):
            raise WarehouseError(f"No se puede abrir {path}: {e}") from e
        yield from _write_beside(path)
        return
    try:
        migrate(con)
        yield con
    finally:
        con.close()


def _write_beside(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    shutil.copy2(path, tmp)
    con = duckdb.connect(str(tmp))
    ok = False
    try:
        migrate(con)
        yield con
        con.execute("checkpoint")
        ok = True
    finally:
        con.close()
        if ok:
            os.replace(tmp, path)
        else:
            tmp.unlink(missing_ok=True)
            Path(f"{tmp}.wal").unlink(missing_ok=True)
