"""Opening the warehouse: numbered migrations and views applied on open, read-only opens for readers.

DuckDB lets one process write a file or many read it, never both. The writer therefore never writes the file
readers use: :func:`open_writer` builds the next version beside it (copy, write, checkpoint, fsync) and renames it
over the original, atomically. Readers notice the new file and open it beside the old one, which they keep until
their requests on it end (see ``dashboard.data``). A writer killed mid-way leaves only its copy behind, removed by
the next writer; the served file is never touched.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import duckdb

from .errors import WarehouseError
from .integrity import (
    broken_constraints,
    first_line,
    identity,
    refuse_damage,
    stamp_path,
    stamp_verified,
    unreadable,
    verified_before,
    verify,
)
from .marts import ensure_status, status_current
from .phases import phase
from .sqlfiles import MARTS, MIGRATIONS, VIEWS, named_parameters, one, scalar, sql_file, views_fingerprint

# Re-exported: the rest of the project imports these from here.
__all__ = [
    "MARTS",
    "MIGRATIONS",
    "VIEWS",
    "WarehouseError",
    "check_file",
    "connect_readonly",
    "migrate",
    "named_parameters",
    "one",
    "open_writer",
    "reader_cursor",
    "scalar",
    "sql_file",
    "unreadable",
    "verify",
]


def migrations() -> list[tuple[int, Path]]:
    return sorted((int(p.name.split("_", 1)[0]), p) for p in MIGRATIONS.glob("[0-9]*_*.sql"))


def schema_version(con: duckdb.DuckDBPyConnection) -> tuple[int, str | None]:
    """(last applied migration, fingerprint of the views) of an open warehouse; (0, None) when new."""
    # duckdb_tables() rather than information_schema, which builds every column of every table first (≈ 30 ms)
    exists = scalar(
        con,
        "select count(*) from duckdb_tables() where table_name = 'schema_version' "
        "and database_name = current_database()",
    )
    if not exists:
        return 0, None
    version, views = one(
        con,
        "select (select coalesce(max(version), 0) from schema_version), (select max(views_sha) from schema_views)",
    )
    return int(version), views


def pending(con: duckdb.DuckDBPyConnection) -> list[str]:
    version, views = schema_version(con)
    todo = [p.name for n, p in migrations() if n > version]
    if views != views_fingerprint():
        todo.append("views")
    if not todo and not status_current(con):
        todo.append("statuses")
    return todo


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply pending migrations and re-create the views; a no-op on an up-to-date warehouse."""
    try:
        version, views = schema_version(con)
    except duckdb.CatalogException:  # a warehouse from before schema_views
        version, views = 0, None
    # Only a new (or that old) file lacks the two tables: an up-to-date one costs no statement here.
    if not version:
        con.execute(
            "create table if not exists schema_version "
            "(version integer primary key, name varchar, applied_at timestamp)"
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
    con.execute("begin")
    if ensure_status(con):
        applied.append("statuses")
    con.execute("commit")
    return applied


CATALOG = "wh"  # the name a read-only warehouse is attached under


def connect_readonly(path: str | os.PathLike[str]) -> duckdb.DuckDBPyConnection:
    """A read-only connection; refuses a missing warehouse or one that needs migrating.

    The file is ATTACHed to a fresh in-memory database rather than opened with ``duckdb.connect(path)``: DuckDB
    caches databases by path within a process, so after a writer renamed a new version over the path, connecting
    to it again would hand back the old, still open, version. Cursors of this connection must ``use`` the
    catalogue: :func:`reader_cursor`."""
    path = Path(path)
    if not path.exists():
        raise WarehouseError(
            f"No existe el almacén {path}. Créelo con 'semaforo demo --db {path}' o 'semaforo load'."
        )
    con = duckdb.connect()
    try:
        con.execute(f"attach ? as {CATALOG} (read_only)", [str(path)])
    except duckdb.Error:
        con.close()
        raise
    con.execute(f"use {CATALOG}")
    todo = pending(con)
    if todo:
        con.close()
        raise WarehouseError(
            f"El almacén {path} necesita migrarse ({', '.join(todo)}): ejecute 'semaforo migrate --db {path}'."
        )
    return con


def reader_cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor of a :func:`connect_readonly` connection, for another thread, reading the warehouse."""
    cur = con.cursor()
    cur.execute(f"use {CATALOG}")
    return cur


@contextlib.contextmanager
def open_writer(
    path: str | os.PathLike[str], in_place: bool = False, discard: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The one writer (callers hold ``etl.load.writer_lock``). Builds the next version beside the file — copy,
    write, checkpoint, fsync — and renames it over the original: readers see the old version or the new one,
    never a half-written file, and a writer that dies leaves the original intact. ``in_place`` writes the file
    itself, for a file nobody else can be reading (the demo's private build file). ``discard``: the copy is
    thrown away at the end (a dry run), whatever was done in it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if in_place and not discard:
        try:
            con, alias = _attach(path)
        except duckdb.IOException as e:
            raise WarehouseError(f"No se puede abrir {path}: {e}") from e
        try:
            migrate(con)
            yield con
        finally:
            _detach(con, alias)
        return
    remove_stale_copies(path)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    before = identity(path) if path.exists() else None
    flushing = None
    if before is not None:
        with phase("copy"):
            shutil.copy2(path, tmp)
        if not discard:
            flushing = _FlushBehind(tmp)
    try:
        with phase("open"):
            con, alias = _attach(tmp)
    except duckdb.OutOfMemoryException:
        tmp.unlink(missing_ok=True)
        raise  # too little memory to open it is not a warehouse that cannot be opened: the caller says what ran out
    except duckdb.Error as e:
        tmp.unlink(missing_ok=True)
        raise WarehouseError(f"el almacén {path} no se puede abrir: {first_line(e)}") from e
    ok = False
    try:
        # A damaged warehouse is refused before anything is written: its damage must not be carried forward
        # into the next version (the copy holds the same bytes, read here from the page cache). The version the
        # last writer stamped is not read whole again (warehouse.integrity says why).
        with phase("verify"):
            stamped = before is not None and verified_before(path, before) and identity(path) == before
            check = before is not None and not stamped and schema_version(con)[0] > 0
            refuse_damage(path, unreadable(con) if check else [])
        with phase("migrate"):
            migrate(con)
        # The raw data's constraints over the whole warehouse; the marts' are derived from them, checked for each
        # load's batch and whole by `semaforo check`.
        with phase("verify"):
            refuse_damage(path, broken_constraints(con, "raw_") if check else [])
        yield con
        with phase("checkpoint"):
            con.execute("checkpoint")
        ok = not discard
    finally:
        with phase("close"):
            _detach(con, alias)
        if ok:
            with phase("fsync+rename"):
                try:
                    if flushing is not None:
                        flushing.wait()
                    _fsync(tmp)
                except OSError:  # the copy may not be on disk: it must not become the warehouse
                    tmp.unlink(missing_ok=True)
                    raise
                replaced = _hold(path)
                try:
                    os.replace(tmp, path)
                    _fsync(path.parent)
                    stamp_verified(path)
                finally:
                    _release(replaced)
        else:
            tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)


_engine: duckdb.DuckDBPyConnection | None = None  # the process's one writing DuckDB (in memory)
# The process that started it: a forked child starts its own (DuckDB's threads are not forked with it).
_engine_pid = 0
_engine_lock = threading.Lock()
_inherited: list[duckdb.DuckDBPyConnection] = []
_aliases = itertools.count()


def _attach(path: Path) -> tuple[duckdb.DuckDBPyConnection, str]:
    """A connection of the process's one in-memory DuckDB with ``path`` attached as its default database (and the
    name it is attached under, for :func:`_detach`). Starting a DuckDB per load cost about 20 ms of CPU (its
    catalogue of built-in functions is built anew); attaching a file to a running one, about 6. Each connection
    has its own temp tables and ``use``, dropped with it."""
    global _engine, _engine_pid
    with _engine_lock:
        if _engine is None or _engine_pid != os.getpid():
            # A parent's, inherited by fork: kept, never closed (its threads are gone).
            if _engine is not None:
                _inherited.append(_engine)
            _engine, _engine_pid = duckdb.connect(), os.getpid()
            # An in-memory DuckDB would spill into '.tmp' under the working directory: a folder of the system's
            # temporary directory instead, made only if a load spills.
            spill = Path(tempfile.gettempdir()) / f"semaforo-duckdb-{os.getpid()}"
            _engine.execute("set temp_directory = ?", [str(spill)])
        con = _engine.cursor()
        alias = f"writing_{next(_aliases)}"
    try:
        con.execute(f"attach ? as {alias}", [str(path)])
        con.execute(f"use {alias}")
    except BaseException:
        con.close()
        raise
    return con, alias


def _detach(con: duckdb.DuckDBPyConnection, alias: str) -> None:
    """Detach what :func:`_attach` attached (its file is closed) and close the connection. A DuckDB that cannot
    detach (a fatal error invalidated it) is closed whole, which closes the file too: the next load starts
    another."""
    global _engine
    try:
        with contextlib.suppress(duckdb.Error):  # a transaction a failure left open: nothing of it is kept
            con.execute("rollback")
        con.execute("use memory")
        con.execute(f"detach {alias}")
    except duckdb.Error:
        with _engine_lock:
            if _engine is not None and _engine_pid == os.getpid():
                with contextlib.suppress(duckdb.Error):
                    _engine.close()
                _engine = None
    finally:
        con.close()


def check_file(path: str | os.PathLike[str], constraints: bool = True) -> list[str]:
    """:func:`verify` on a warehouse file, opened read-only (``constraints=False``: only :func:`unreadable`); a
    file that cannot even be opened says why."""
    path = Path(path)
    if not path.exists():
        return [f"no existe el almacén {path}"]
    try:
        con = duckdb.connect()
        try:
            con.execute(f"attach ? as {CATALOG} (read_only)", [str(path)])
            con.execute(f"use {CATALOG}")
            problems = verify(con) if constraints else unreadable(con)
        finally:
            con.close()
        if problems:  # the next writer must read this file whole again, whatever its stamp says
            with contextlib.suppress(OSError):
                stamp_path(path).unlink(missing_ok=True)
        return problems
    except duckdb.Error as e:
        return [f"el almacén no se puede abrir: {first_line(e)}"]


def remove_stale_copies(path: Path) -> list[Path]:
    """Delete the copies left beside ``path`` by writers that died mid-load (SIGKILL, power cut). Only called
    under the writer lock, so no live writer owns one."""
    removed = []
    for p in path.parent.glob(f"{path.name}.tmp-[0-9]*"):
        pid = p.name.rsplit("-", 1)[-1].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            p.unlink(missing_ok=True)
            removed.append(p)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this writer's own leftover from an earlier failure
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _FlushBehind(threading.Thread):
    """Writes a fresh copy to disk while the load works. The copy leaves the whole file in the page cache, and
    the checkpoint and the rename's fsync would otherwise wait for all of it at the end (about a second per GB);
    flushed beside the reading and checking, only the pages the load changes are left for them."""

    def __init__(self, path: Path) -> None:
        super().__init__(name="semaforo-flush", daemon=True)
        self.path = path
        self.error: OSError | None = None
        self.start()

    def run(self) -> None:
        try:
            _fsync(self.path)
        except OSError as e:  # kept for wait(): a write error this fsync saw, a later fsync may not see again
            self.error = e

    def wait(self) -> None:
        self.join()
        if self.error is not None:
            raise self.error


def _hold(path: Path) -> int | None:
    """A handle on the version about to be replaced (None if there is none, or off POSIX, where a file held open
    cannot be renamed over): with it, the rename only unlinks the old file, whose blocks are freed at its last
    close. Freeing the 618 MB national warehouse took 0.1–0.4 s on this project's ext4 machines: inside the rename,
    every load waited for it."""
    if os.name != "posix":
        return None
    try:
        return os.open(path, os.O_RDONLY)
    except OSError:
        return None


def _release(fd: int | None) -> None:
    """Close the replaced version's handle in a thread: its blocks are freed beside whatever the process does next
    (a server reading the new version; a command that exits frees them on exit). Readers that still hold the old
    version keep it until they close it, as before."""
    if fd is not None:
        threading.Thread(target=os.close, args=(fd,), name="semaforo-release", daemon=True).start()


def _fsync(path: Path) -> None:
    """Make a rename durable: the new file's blocks, then the directory entry."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
