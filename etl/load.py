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

import datetime as dt
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from warehouse.catalogue_model import Catalogue, CatalogueError
from warehouse.catalogue_read import load_catalogue
from warehouse.constraints import violations
from warehouse.db import WarehouseError, open_writer, scalar
from warehouse.marts import ensure_status
from warehouse.phases import phase, profiled
from warehouse.sync import sync_reference
from warehouse.version import program_version

from .batch import file_sha256, record, record_attempt
from .checks import collected, run_checks
from .csvfile import Staged
from .excel import check_expansion
from .loaders import LOADERS
from .loaders.base import LoadContext
from .lock import lock_wait_seconds, writer_lock
from .parquet import is_parquet
from .problems import LoadError, Problem
from .report import EXIT_ERROR, EXIT_OK, EXIT_PARTIAL, EXIT_REFUSED, LoadReport, report_lines
from .undo import undo_batch

# Re-exported: the CLI, the upload job, the bench and the tests import these from here.
__all__ = [
    "EXIT_ERROR",
    "EXIT_OK",
    "EXIT_PARTIAL",
    "EXIT_REFUSED",
    "LoadReport",
    "file_sha256",
    "load_file",
    "lock_wait_seconds",
    "preview_load",
    "program_version",
    "report_lines",
    "undo_batch",
    "writer_lock",
]


class _Refused(Exception):
    pass


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
            superseded(con, loader.raw_table, loader.source, batch_id, recorded=loader.grain is not None)
        report.status = "partial" if report.problems else "loaded"
        report.batch_id, report.rows_loaded = batch_id, valid
        if report.dry_run:
            report.batch_id = None
            con.execute("rollback")
            return
        with phase("record"):
            record(con, batch_id, loader.source, path, sha, started_at, report, staged.format, cat, received)
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
            record_attempt(con, loader.source, path, sha, started_at, report, cat)
    except Exception:
        con.execute("rollback")
        raise


def superseded(
    con: duckdb.DuckDBPyConnection, table: str, source: str, batch_id: int, recorded: bool = True
) -> None:
    """Mark 'superseded' the batches of ``source`` left without rows in ``table``. Only a batch whose rows this
    one replaced (``etl_replaced_<table>``; ``recorded=False``: a table whose replacements are not recorded) can
    have lost its last row; asking for those few by literal ids lets the zone maps of batch_id skip the rest of
    the table (the distinct batch ids of sixty months of rows cost a scan of all of them)."""
    if not recorded:
        con.execute(
            f"update etl_batch set status = 'superseded' where source = ? and status in ('loaded', 'partial') "
            f"and batch_id not in (select distinct batch_id from {table})",
            [source],
        )
        return
    losers = [
        b
        for (b,) in con.execute(
            f"select distinct batch_id from etl_replaced_{table} where replaced_by = ?", [batch_id]
        ).fetchall()
    ]
    if not losers:
        return
    ids = ", ".join(str(int(b)) for b in losers)
    con.execute(
        f"update etl_batch set status = 'superseded' where source = ? and status in ('loaded', 'partial') "
        f"and batch_id in ({ids}) and batch_id not in (select batch_id from {table} where batch_id in ({ids}))",
        [source],
    )


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
