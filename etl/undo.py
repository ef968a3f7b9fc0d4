"""Undoing a batch: its rows removed and the rows it replaced put back, in one transaction that refreshes the
marts and checks the constraints (``semaforo load --deshacer LOTE``)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import duckdb

from warehouse.constraints import violations
from warehouse.db import WarehouseError, open_writer, scalar
from warehouse.marts import ensure_status

from .loaders import LOADERS
from .lock import writer_lock
from .report import LoadReport


class _Refused(Exception):
    pass


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
