"""One load = one file, one transaction: stage, check, write the valid rows, refresh the marts, check the
constraints, record the batch — or change nothing at all.

Outcomes and exit codes (``semaforo load``):
    0  loaded (or already loaded: the same file, by SHA-256, adds nothing)
    1  loaded the valid rows; the rows listed were rejected and kept in etl_quarantine
    3  refused: nothing loaded (unreadable, empty, cut or wrongly structured file, a column that fails wholesale,
       more rejected rows than settings' load.max_rejected_pct without --force, every row wrong, or --strict
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
from pathlib import Path
from typing import Any

import duckdb

try:
    import fcntl
except ImportError:  # pragma: no cover — not POSIX: no writer lock
    fcntl = None

from warehouse.catalogue_model import Catalogue, CatalogueError
from warehouse.catalogue_read import load_catalogue
from warehouse.command import EXIT_ERROR, EXIT_OK, EXIT_PARTIAL, EXIT_REFUSED
from warehouse.constraints import violations
from warehouse.db import WarehouseError, open_writer, scalar
from warehouse.marts import ensure_status
from warehouse.phases import phase, profiled
from warehouse.sync import sync_reference
from warehouse.version import program_version

from .checks import collected, run_checks
from .csvfile import Staged
from .excel import check_expansion
from .loaders import LOADERS
from .loaders.base import LoadContext
from .parquet import is_parquet, parquet_files
from .problems import LoadError, Problem
from .replace import Replacement


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
    dry_run: bool = False  # --dry-run: what the load would do; nothing was changed
    replacement: Replacement | None = None  # what it replaced (or would replace)
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
            "dry_run": self.dry_run,
            "replacement": None
            if self.replacement is None
            else {
                "replaced": self.replacement.replaced,
                "gone": self.replacement.gone,
                "kept": self.replacement.kept,
                "thin_scopes": self.replacement.thin,
                "whole_scopes": self.replacement.whole,
            },
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
    if r.dry_run and r.status in ("loaded", "partial"):
        lines.append(
            (
                "ok",
                f"{r.file}: SIMULACIÓN (--dry-run), no se cambió nada: se cargarían {r.rows_loaded:,} filas "
                f"({r.scope})" + (f" y se rechazarían {r.rows_rejected:,}" if r.rows_rejected else ""),
            )
        )
    elif r.status == "loaded":
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
    dry_run: bool = False,
) -> LoadReport:
    """Load one source file into the warehouse ``db`` in one transaction; the report says what happened.
    ``in_place`` is for a private file nobody serves (the demo build): see ``warehouse.db.open_writer``.
    ``dry_run``: do everything but commit — the report says what would be loaded, rejected and replaced
    (:func:`preview_load`). Option ``completo``: replace every scope the file touches entirely."""
    path = Path(path)
    started = time.perf_counter()
    report = LoadReport(source, path.name, "error", dry_run=dry_run)
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
    try:  # a workbook that would inflate past any plausible size is refused before the warehouse is touched
        if path.is_file():
            check_expansion(path)
    except LoadError as e:
        report.status, report.problems = "refused", e.problems
        return report
    with profiled() as profile:
        with phase("hash"):
            sha = file_sha256(path)
        try:
            with writer_lock(db, echo), open_writer(db, in_place, discard=dry_run) as con:
                _load(con, LOADERS[source](), path, sha, cat, report, strict, force, options or {}, echo)
        except WarehouseError as e:
            report.message = str(e)
        except duckdb.IOException as e:
            report.message = f"no se puede escribir el almacén {db}: {e}"
    report.seconds = time.perf_counter() - started
    report.phases = dict(profile.seconds)
    report.phases["other"] = max(0.0, report.seconds - sum(profile.seconds.values()))
    return report


def preview_load(db: str | os.PathLike, source: str, path: str | os.PathLike, **options: Any) -> LoadReport:
    """What loading ``path`` would do, with nothing changed: rows loaded and rejected, problems, and what it
    would replace (``report.replacement``: rows replaced by key, and rows, facilities, indicators, months and
    years that would disappear or be kept). For the web upload's confirmation step; ``options`` as for
    :func:`load_file` (``strict``, ``force``, ``options={"completo": True, …}``)."""
    return load_file(db, source, path, dry_run=True, **options)


def _load(con, loader, path, sha, cat, report, strict, force, options, echo) -> None:
    label = path.name
    if not force and not report.dry_run:
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
            if staged.problems:  # lines the reader could not split: the file is damaged or cut, not a bad row
                report.problems = staged.problems
                raise _Refused(
                    f"estructura dañada: {len(staged.problems)} línea(s) que no se pueden separar en columnas "
                    "(comillas sin cerrar, campos de más o de menos, archivo cortado)"
                )
            loader.prepare(ctx, staged)
        echo(f"Validando {staged.rows:,} filas …")
        with phase("checks"):
            run_checks(con, staged, loader.checks(ctx, staged))
            loader.locate(ctx, staged)
            report.problems = collected(con, label, staged.sheet)
            report.warnings = ctx.warnings
            con.execute(
                f"create or replace temp view valid as select * from {staged.table} "
                "where _row not in (select _row from problems where _row is not null)"
            )
            con.execute(
                f"create or replace temp view rejected as select * from {staged.table} "
                "where _row in (select _row from problems where _row is not null)"
            )
            valid = scalar(con, "select count(*) from valid")
        report.rows_rejected = report.rows_read - valid
        refusal = failed_column(con, staged, cat)
        if refusal:
            raise _Refused(refusal)
        if report.problems and (strict or valid == 0 or any(p.row is None for p in report.problems)):
            raise _Refused(
                "--strict: el archivo tiene problemas"
                if strict and valid
                else "ninguna fila válida"
                if valid == 0
                else "problemas de estructura"
            )
        refusal = too_many_rejected(report, cat, force)
        if refusal:
            raise _Refused(refusal)
        batch_id = scalar(con, "select nextval('etl_batch_seq')")
        echo(
            f"Simulando la escritura de {valid:,} filas válidas …"
            if report.dry_run
            else f"Escribiendo {valid:,} filas válidas (lote {batch_id}) …"
        )
        with phase("write"):  # the marts and stored statuses it refreshes are phases of their own
            report.scope = loader.write(ctx, staged, batch_id)
        report.replacement = ctx.replacement
        if ctx.replacement and (
            ctx.replacement.replaced or ctx.replacement.gone["filas"] or ctx.replacement.kept["filas"]
        ):
            report.warnings += ctx.replacement.lines()
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
        if report.dry_run:
            report.batch_id = None
            con.execute("rollback")
            return
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
        if not report.dry_run:
            _record_attempt(con, loader.source, path, sha, started_at, report, cat)
    except Exception:
        con.execute("rollback")
        raise


def failed_column(con: duckdb.DuckDBPyConnection, staged: Staged, cat: Catalogue) -> str | None:
    """A column that fails in most rows is a changed convention (decimal comma, date format) or the wrong file,
    never a few bad rows: the reason to refuse the file whole, --force or not."""
    share = cat.load["column_failure_pct"] / 100
    worst = con.execute(
        "select column_name, count(distinct _row) as n, arg_min(reason, _row), arg_min(coalesce(line, _row), _row), "
        "arg_min(value, _row) from problems where _row is not null group by column_name order by n desc limit 1"
    ).fetchone()
    if worst is None or worst[1] < max(cat.load["column_failure_min_rows"], share * staged.rows):
        return None
    column, n, reason, row, value = worst
    return (
        f"la columna {column!r} falla en {n:,} de {staged.rows:,} filas (p. ej. fila {row}, valor {value!r}: "
        f"{reason}): un cambio de convención (coma decimal, formato de fecha) o un archivo equivocado, no filas "
        "sueltas"
    )


def too_many_rejected(report: LoadReport, cat: Catalogue, force: bool) -> str | None:
    """A load that would reject more than its share of rows (settings, load.max_rejected_pct) is refused whole
    unless ``--force``: what is left of a misread file must not replace what the warehouse holds."""
    limit = cat.load["max_rejected_pct"]
    if force or not report.rows_read or report.rows_rejected * 100 <= limit * report.rows_read:
        return None
    pct = 100 * report.rows_rejected / report.rows_read
    return (
        f"{report.rows_rejected:,} de {report.rows_read:,} filas rechazadas ({pct:.1f} %), más que el "
        f"{limit:g} % admitido (settings.yaml, load.max_rejected_pct); para cargar las filas válidas de todos "
        "modos: --force"
    )


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
    batch_id = scalar(con, "select nextval('etl_batch_seq')")
    report.batch_id = batch_id
    _record(con, batch_id, source, path, sha, started_at, report, {}, cat)
    con.execute("commit")


def undo_batch(
    db: str | os.PathLike, batch_id: int, echo: Callable[[str], None] = lambda _msg: None
) -> LoadReport:
    """Undo batch ``batch_id``: remove its rows and put back the rows it replaced (kept in
    ``etl_replaced_<raw table>``), in one transaction that refreshes the marts and checks the constraints. Refused
    when a later batch replaced rows of this one (undo that one first) or wrote keys that the restored rows
    hold. The batch is marked ``undone``; batches whose rows come back are ``loaded``/``partial`` again."""
    started = time.perf_counter()
    report = LoadReport("", f"lote {batch_id}", "error")
    try:
        with writer_lock(db, echo), open_writer(db) as con:
            _undo(con, batch_id, report)
    except WarehouseError as e:
        report.message = str(e)
    except duckdb.IOException as e:
        report.message = f"no se puede escribir el almacén {db}: {e}"
    report.seconds = time.perf_counter() - started
    return report


def _undo(con, batch_id: int, report: LoadReport) -> None:
    found = con.execute(
        "select source, status, file_name from etl_batch where batch_id = ?", [batch_id]
    ).fetchone()
    if found is None:
        report.status, report.message = "refused", f"no existe el lote {batch_id}"
        return
    source, status, file_name = found
    report.source, report.file = source, f"lote {batch_id} ({file_name})"
    grain = LOADERS[source].grain if source in LOADERS else None
    if grain is None or status not in ("loaded", "partial", "superseded"):
        why = f"está {status}" if grain else f"la fuente {source} no guarda lo que reemplaza"
        report.status, report.message = "refused", f"el lote {batch_id} no se puede deshacer: {why}"
        return
    t, saved = grain.table, f"etl_replaced_{grain.table}"
    later = [
        b
        for (b,) in con.execute(
            f"select distinct replaced_by from {saved} where batch_id = ? order by 1", [batch_id]
        ).fetchall()
    ]
    if later:
        report.status = "refused"
        report.message = (
            f"el lote {batch_id} no se puede deshacer: el lote {', '.join(map(str, later))} reemplazó filas suyas "
            "(deshaga primero ese lote)"
        )
        return
    keys = ", ".join(grain.keys)
    con.execute("begin")
    try:
        con.execute(
            f"create or replace temp table _undo_back as select * exclude (replaced_by) from {saved} "
            "where replaced_by = ?",
            [batch_id],
        )
        con.execute(
            f"create or replace temp table _undo_gone as select * from {t} where batch_id = ?", [batch_id]
        )
        clash = scalar(
            con,
            f"select count(*) from (select {keys} from _undo_back intersect all "
            f"select {keys} from {t} where batch_id <> ?)",
            [batch_id],
        )
        if clash:
            raise _Refused(
                f"{clash:,} filas que volverían tienen ya otra versión cargada por un lote posterior"
            )
        con.execute(f"delete from {t} where batch_id = ?", [batch_id])
        con.execute(f"insert into {t} select * from _undo_back")
        con.execute(f"delete from {saved} where replaced_by = ?", [batch_id])
        con.execute(
            "create or replace temp table _undo_rows as select * from _undo_back union all "
            "by name select * from _undo_gone"
        )
        grain.refresh(con, "_undo_rows")
        ensure_status(con)
        restored = [
            b for (b,) in con.execute("select distinct batch_id from _undo_back order by 1").fetchall()
        ]
        for b in restored:
            failed = violations(con, b)
            if failed:
                raise WarehouseError(
                    "restricciones del almacén incumplidas: "
                    + "; ".join(f"{name}: {rows}" for name, rows in failed.items())
                )
        con.execute("update etl_batch set status = 'undone' where batch_id = ?", [batch_id])
        con.execute(
            f"update etl_batch set status = case when rows_rejected > 0 then 'partial' else 'loaded' end "
            f"where status = 'superseded' and batch_id in (select distinct batch_id from {t})"
        )
        gone, back = (scalar(con, f"select count(*) from {x}") for x in ("_undo_gone", "_undo_back"))
        con.execute("commit")
    except _Refused as e:
        con.execute("rollback")
        report.status, report.message = "refused", f"el lote {batch_id} no se puede deshacer: {e}"
        return
    except Exception:
        con.execute("rollback")
        raise
    report.status, report.batch_id, report.rows_loaded = "loaded", batch_id, back
    report.scope = (
        f"quitadas {gone:,} filas del lote {batch_id}; repuestas {back:,} filas que había reemplazado"
    )
    report.message = f"lote {batch_id} deshecho: {report.scope}" + (
        f" (lotes {', '.join(map(str, restored))})" if restored else ""
    )
