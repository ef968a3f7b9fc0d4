"""Is a warehouse sound? Every block readable (DuckDB checks each block's checksum as it reads it) and every
constraint holding — and the stamp that spares a writer from reading whole, again, the version the previous writer
produced.

The stamp (``<db>.verified``) names the file a writer renamed into place: device, inode, size and modification
time. A file that is not exactly that one — edited in place, restored from a backup, copied in, never loaded — is
read whole and its raw constraints checked before anything is written into it. The version a writer produces was
the verified one plus one transaction whose rows its own constraints checked, so reading it whole again would only
repeat the check at a cost that grows with the warehouse (about 1 s per GB). Damage that comes later without
touching the file's metadata (a failing disk) is what ``semaforo check`` and the server's health check (every
version read whole once, ``dashboard.health``) are for.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from .constraints import violations_anywhere
from .errors import WarehouseError

STAMP_SUFFIX = ".verified"


def verify(con: duckdb.DuckDBPyConnection) -> list[str]:
    """What is wrong with an open warehouse, [] when nothing: every block of every table is read
    (:func:`unreadable`) and every constraint runs over the whole warehouse."""
    return unreadable(con) or broken_constraints(con)


def unreadable(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The tables that cannot be read whole. DuckDB checks each block's checksum as it reads it, so reading
    every column of every row finds a damaged block here rather than in a dashboard query."""
    problems = []
    tables = con.execute(
        "select table_name from information_schema.tables where table_type = 'BASE TABLE' "
        "and table_catalog = current_database() and table_schema = 'main' order by 1"
    ).fetchall()
    for (table,) in tables:
        try:
            con.execute(f'select count(*), bit_xor(hash(columns(*))) from "{table}"').fetchall()
        except duckdb.OutOfMemoryException:
            raise  # too little memory to read it through is not damage: the caller says what ran out
        except duckdb.Error as e:
            problems.append(f"la tabla {table} no se puede leer entera: {first_line(e)}")
    return problems


def broken_constraints(con: duckdb.DuckDBPyConnection, prefix: str = "") -> list[str]:
    """The constraints (warehouse/constraints, those named ``prefix…``) that fail anywhere in the warehouse."""
    try:
        failed = violations_anywhere(con, prefix)
    except duckdb.OutOfMemoryException:
        raise  # not damage, as in unreadable()
    except duckdb.Error as e:
        return [f"las restricciones no se pueden comprobar: {first_line(e)}"]
    return [f"restricción {name} incumplida: {rows}" for name, rows in failed.items()]


def refuse_damage(path: Path, damage: list[str]) -> None:
    if damage:
        raise WarehouseError(
            f"el almacén {path} está dañado; no se escribe nada (restaure una copia de seguridad): "
            + "; ".join(damage)
        )


def first_line(e: Exception) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__


def identity(path: Path) -> str:
    """Which file ``path`` is now: device, inode, size and modification time (ns)."""
    st = os.stat(path)
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"


def stamp_path(path: Path) -> Path:
    return path.with_name(path.name + STAMP_SUFFIX)


def verified_before(path: Path, ident: str) -> bool:
    """Whether the file whose :func:`identity` is ``ident`` is the version a writer produced and stamped."""
    try:
        return stamp_path(path).read_text(encoding="utf-8").strip() == ident
    except OSError:
        return False


def stamp_verified(path: Path) -> None:
    """Record that the file now at ``path`` (just renamed into place by the writer) is sound. Written beside and
    renamed, so a stamp is whole or absent; a stamp that cannot be written costs the next writer a full read."""
    stamp, tmp = stamp_path(path), path.with_name(f"{path.name}{STAMP_SUFFIX}.tmp-{os.getpid()}")
    try:
        tmp.write_text(identity(path) + "\n", encoding="utf-8")
        os.replace(tmp, stamp)
    except OSError:
        tmp.unlink(missing_ok=True)
        stamp.unlink(missing_ok=True)
