"""One load = one file, one transaction: stage, check, write the valid rows, refresh the marts, check the
constraints, record the batch — or change nothing at all.

Outcomes and exit codes (``semaforo load``):
    0  loaded (or already loaded: the same file, by SHA-256, adds nothing)
    1  loaded the valid rows; the rows listed were rejected and kept in etl_quarantine
    3  refused: nothing loaded (unreadable, empty or wrongly structured file, every row wrong, or --strict
       with any problem); the attempt is recorded in etl_batch / etl_quarantine
    4  the warehouse or the catalogue cannot be used (locked, invalid catalogue, constraint failure)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import duckdb

try:
    import fcntl
except ImportError:  # pragma: no cover — not POSIX: no writer lock
    fcntl = None

from warehouse.catalogue import Catalogue, CatalogueError, load_catalogue
from warehouse.constraints import violations
from warehouse.db import WarehouseError, open_writer
from warehouse.marts import ensure_status
from warehouse.phases import phase, profiled
from warehouse.sync import sync_reference

from .checks import add_problems, collected, run_checks
from .loaders import LOADERS
from .loaders.base import LoadContext
from .parquet import is_parquet, parquet_files
from .problems import LoadError, Problem

EXIT_OK, EXIT_PARTIAL, EXIT_REFUSED, EXIT_ERROR = 0, 1, 3, 4


def program_version() -> str:
    try:
        return version("semaforo-ppr")
    except PackageNotFoundError:
        return "dev"


@dataclass
class LoadReport:
    source: str
    file: str
    status: str  # loaded | partial | skipped | refused | error
    batch_id: int | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    scope: str = ""
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    message: str = ""
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase (warehouse.phases)

    @property
    def exit_code(self) -> int:
        return {"loaded": EXIT_OK, "skipped": EXIT_OK, "partial": EXIT_PARTIAL, "refused": EXIT_REFUSED}.get(
            self.status, EXIT_ERROR
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "file": self.file,
            "status": self.status,
            "batch_id": self.batch_id,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "scope": self.scope,
            "seconds": round(self.seconds, 3),
            "message": self.message,
            "warnings": self.warnings,
            "problems": [str(p) for p in self.problems],
            "problem_details": [
                {
                    "file": p.file,
                    "sheet": p.sheet,
                    "row": p.row,
                    "column": p.column,
                    "value": p.value,
                    "reason": p.reason,
                }
                for p in self.problems
            ],
        }


def report_lines(r: LoadReport, limit: int = 200) -> list[tuple[str, str]]:
    """What a load says to the person who asked for it, as (level, line) with level 'ok', 'aviso' or 'error': the
    CLI prints these lines and the web upload page shows the same ones."""
    lines = [("aviso", f"aviso: {w}") for w in r.warnings]
    if r.problems:
        lines.append(("error", f"{len(r.problems)} problema(s) en {r.file}:"))
        lines += [("error", f"  {p}") for p in r.problems[:limit]]
        if len(r.problems) > limit:
            lines.append(
                (
                    "error",
                    f"  … y {len(r.problems) - limit} más (todos en la tabla etl_quarantine, lote {r.batch_id})",
                )
            )
    if r.status == "loaded":
        lines.append(
            (
                "ok",
                f"{r.file}: {r.rows_loaded:,} filas cargadas en el lote {r.batch_id} ({r.scope}) en {r.seconds:.1f} s",
            )
        )
    elif r.status == "partial":
        lines.append(
            (
                "ok",
                f"{r.file}: {r.rows_loaded:,} filas válidas cargadas en el lote {r.batch_id} ({r.scope}); "
                f"{r.rows_rejected:,} filas rechazadas",
            )
        )
    elif r.message:
        lines.append(("ok" if r.status == "skipped" else "error", r.message))
    return lines


def file_sha256(path: Path) -> str:
    """The file's SHA-256; for a Parquet folder, of its files' relative names and contents in order."""
    h = hashlib.sha256()
    for f in parquet_files(path) if path.is_dir() else [path]:
        if path.is_dir():
            h.update(str(f.relative_to(path)).encode() + b"\0")
        with open(f, "rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
    return h.hexdigest()


class _Refused(Exception):
    pass


def lock_wait_seconds() -> float:
    return float(os.environ.get("SEMAFORO_LOCK_WAIT", "600"))


@contextlib.contextmanager
def writer_lock(
    db: str | os.PathLike, echo: Callable[[str], None] = lambda _msg: None, wait: float | None = None
) -> Iterator[None]:
    """One writer at a time. DuckDB's own file lock cannot tell a reading dashboard (which the writer works
    around by writing the next version beside the file and swapping it in) from another writer, whose committed
    load that swap would silently discard. So every writer also takes an exclusive lock on ``<db>.lock`` and
    waits its turn (up to ``SEMAFORO_LOCK_WAIT`` seconds, then WarehouseError). The kernel releases the lock
    when a process dies, even by SIGKILL; the lock file itself stays."""
    if fcntl is None:
        yield
        return
    wait = lock_wait_seconds() if wait is None else wait
    path = Path(f"{os.fspath(db)}.lock")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        f = open(path, "a+b")  # noqa: SIM115 — closed by the with below
    except OSError as e:
        raise WarehouseError(f"no se puede crear el cerrojo de escritura {path}: {e.strerror}") from e
    with f:
        deadline, told = time.monotonic() + wait, False
        while True:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseError(
                        f"otro proceso sigue escribiendo en el almacén {db} después de {wait:.0f} s de espera"
                    ) from None
                if not told:
                    echo(f"Otro proceso está escribiendo en el almacén {db}; esperando su turno …")
                    told = True
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def load_file(
    db: str | os.PathLike,
    source: str,
    path: str | os.PathLike,
    *,
    strict: bool = False,
    force: bool = False,
    options: dict[str, Any] | None = None,
    catalogue: Catalogue | None = None,
    echo: Callable[[str], None] = lambda _msg: None,
    in_place: bool = False,
) -> LoadReport:
    """Load one source file into the warehouse ``db`` in one transaction; the report says what happened.
    ``in_place`` is for a private file nobody serves (the demo build): see ``warehouse.db.open_writer``."""
    path = Path(path)
    started = time.perf_counter()
    report = LoadReport(source, path.name, "error")
    if source not in LOADERS:
        report.message = f"fuente desconocida {source!r}; use una de: {', '.join(sorted(LOADERS))}"
        return report
    if not path.is_file() and not (path.is_dir() and is_parquet(path)):
        report.status = "refused"
        what = "es una carpeta, no un archivo" if path.is_dir() else "no existe el archivo"
        report.problems = [Problem(path.name, f"{what}: {path}")]
        return report
    try:
        cat = catalogue or load_catalogue()
    except CatalogueError as e:
        report.message = str(e)
        return report
    with profiled() as profile:
        with phase("hash"):
            sha = file_sha256(path)
        try:
            with writer_lock(db, echo), open_writer(db, in_place) as con:
                _load(con, LOADERS[source](), path, sha, cat, report, strict, force, options or {}, echo)
        except WarehouseError as e:
            report.message = str(e)
        except duckdb.IOException as e:
            report.message = f"no se puede escribir el almacén {db}: {e}"
    report.seconds = time.perf_counter() - started
    report.phases = dict(profile.seconds)
    report.phases["other"] = max(0.0, report.seconds - sum(profile.seconds.values()))
    return report


def _load(con, loader, path, sha, cat, report, strict, force, options, echo) -> None:
    label = path.name
    if not force:
        done = con.execute(
            "select batch_id, rows_loaded from etl_batch where source = ? and file_sha256 = ? "
            "and status in ('loaded', 'partial') order by batch_id desc limit 1",
            [loader.source, sha],
        ).fetchone()
        if done:
            report.status, report.batch_id, report.rows_loaded = "skipped", done[0], 0
            report.message = (
                f"{label} ya está cargado (lote {done[0]}, mismo SHA-256): no se añade nada "
                "(para cargarlo otra vez, p. ej. tras reemplazar parte de sus filas: --force)"
            )
            return
    started_at = dt.datetime.now()
    options = dict(options)
    received = options.pop("received", None)  # when the file came in (timeliness), not a loader option
    ctx = LoadContext(con, path, cat, options)
    con.execute("begin")
    try:
        with phase("reference"):
            sync_reference(con, cat)
        echo(f"Leyendo {label} …")
        with phase("read"):
            staged = loader.stage(ctx)
            ctx.warnings += staged.warnings
            report.rows_read = staged.rows + len(staged.problems)
            loader.prepare(ctx, staged)
        echo(f"Validando {staged.rows:,} filas …")
        with phase("checks"):
            run_checks(con, staged, loader.checks(ctx, staged))
            loader.locate(ctx, staged)
            add_problems(con, staged.problems)
            report.problems = collected(con, label, staged.sheet)
            report.warnings = ctx.warnings
            con.execute(
                f"create or replace temp view valid as select * from {staged.table} "
                "where _row not in (select _row from problems where _row is not null)"
            )
            valid = con.execute("select count(*) from valid").fetchone()[0]
        report.rows_rejected = report.rows_read - valid
        if report.problems and (strict or valid == 0 or any(p.row is None for p in report.problems)):
            raise _Refused(
                "--strict: el archivo tiene problemas"
                if strict and valid
                else "ninguna fila válida"
                if valid == 0
                else "problemas de estructura"
            )
        batch_id = con.execute("select nextval('etl_batch_seq')").fetchone()[0]
        echo(f"Escribiendo {valid:,} filas válidas (lote {batch_id}) …")
        with phase("write"):  # the marts and stored statuses it refreshes are phases of their own
            before = _batch_rows(con, loader.raw_table)
            report.scope = loader.write(ctx, staged, batch_id)
            report.warnings += _replaced(before, _batch_rows(con, loader.raw_table), batch_id, valid)
        ensure_status(con)  # a targets load or a catalogue edit changes the stored statuses
        with phase("constraints"):
            failed = violations(con, batch_id)
        if failed:
            raise WarehouseError(
                "restricciones del almacén incumplidas: "
                + "; ".join(f"{name}: {rows}" for name, rows in failed.items())
            )
        if loader.raw_table:
            con.execute(
                f"update etl_batch set status = 'superseded' where source = ? and status in ('loaded', 'partial') "
                f"and batch_id not in (select distinct batch_id from {loader.raw_table})",
                [loader.source],
            )
        report.status = "partial" if report.problems else "loaded"
        report.batch_id, report.rows_loaded = batch_id, valid
        with phase("record"):
            _record(con, batch_id, loader.source, path, sha, started_at, report, staged.format, cat, received)
        with phase("commit"):
            con.execute("commit")
    except (LoadError, _Refused) as e:
        con.execute("rollback")
        if isinstance(e, LoadError):
            report.problems = e.problems
            report.warnings = ctx.warnings
        report.status, report.rows_loaded = "refused", 0
        report.message = (
            f"{label}: no se cargó nada ({e if isinstance(e, _Refused) else 'archivo no válido'})"
        )
        _record_attempt(con, loader.source, path, sha, started_at, report, cat)
    except Exception:
        con.execute("rollback")
        raise


def _batch_rows(con, table: str | None) -> dict[int, int]:
    if table is None:
        return {}
    return dict(con.execute(f"select batch_id, count(*) from {table} group by all").fetchall())


def _replaced(before: dict[int, int], after: dict[int, int], batch_id: int, valid: int) -> list[str]:
    """Say what a load replaced: a file's scope (its months and departments…) replaces every earlier row of that
    scope, so a small file can stand in for a large one. Never silently: the rows and batches it replaced, and a
    louder warning when they far outnumber the file's own."""
    gone = {b: n - after.get(b, 0) for b, n in before.items() if n > after.get(b, 0)}
    total = sum(gone.values())
    if not total:
        return []
    batches = ", ".join(f"{b} ({n:,} filas)" for b, n in sorted(gone.items()))
    line = f"reemplaza {total:,} filas cargadas antes (lotes {batches}) por las {valid:,} de este archivo (lote {batch_id})"
    if total > 2 * valid:
        line += (
            "; ATENCIÓN: el archivo trae mucho menos filas que las que reemplaza en su alcance. Si no era la "
            "intención, vuelva a cargar el archivo anterior con --force (en la web: «volver a cargar»)"
        )
    return [line]


def _record(con, batch_id, source, path, sha, started_at, report, fmt, cat, received=None) -> None:
    con.execute(
        "insert into etl_batch values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            batch_id,
            source,
            path.name,
            sha,
            path.stat().st_size,
            started_at,
            dt.datetime.now(),
            report.status,
            report.rows_read,
            report.rows_loaded,
            report.rows_rejected,
            report.scope,
            json.dumps(fmt, ensure_ascii=False, default=str),
            program_version(),
            cat.version,
            "\n".join(report.warnings) or None,
            received or dt.date.today(),
        ],
    )
    if report.problems:
        con.executemany(
            "insert into etl_quarantine values (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (batch_id, source, p.file, p.sheet, p.row, p.column, p.value, p.reason)
                for p in report.problems
            ],
        )


def _record_attempt(con, source, path, sha, started_at, report, cat) -> None:
    """A refused file changes no data, but the attempt and its problems are kept for the record."""
    con.execute("begin")
    batch_id = con.execute("select nextval('etl_batch_seq')").fetchone()[0]
    report.batch_id = batch_id
    _record(con, batch_id, source, path, sha, started_at, report, {}, cat)
    con.execute("commit")
