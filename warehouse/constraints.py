"""Constraints next to the models, checked as queries that must return zero rows (run inside every load and by
the tests). Each ``warehouse/constraints/*.sql`` query is restricted to what batch ``$batch_id`` touched; those in
``constraints/whole/`` run only over the whole warehouse (:func:`violations_anywhere`)."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import duckdb

from .sqlfiles import named_parameters

CONSTRAINTS = Path(__file__).parent / "constraints"
# Checked over the whole warehouse only (`semaforo check`): what a load guarantees by how it computes its rows,
# and a cheaper constraint of its own checks for each batch.
WHOLE = CONSTRAINTS / "whole"


RESTRICTED = "batch_id = $batch_id"  # how every constraint limits itself to what one batch touched


def violations_anywhere(con: duckdb.DuckDBPyConnection, prefix: str = "") -> dict[str, list[tuple[Any, ...]]]:
    """Like :func:`violations`, over the whole warehouse: each constraint (those named ``prefix…``) without its
    batch restriction."""
    failed = {}
    for path in sorted([*CONSTRAINTS.glob(f"{prefix}*.sql"), *WHOLE.glob(f"{prefix}*.sql")]):
        sql = path.read_text(encoding="utf-8").replace(RESTRICTED, "true")
        if "$batch_id" in sql:
            raise ValueError(f"{path.name}: restrinja el lote solo con «{RESTRICTED}»")
        rows = con.execute(sql).fetchmany(5)
        if rows:
            failed[path.stem] = rows
    return failed


# A constraint about one table's batch rows says so ("-- batch table: raw_stock"): a batch that wrote no row there
# cannot break it, and its query would still read the whole table (an empty semi join does not spare the scan).
BATCH_TABLE = re.compile(r"^-- batch table: (\w+)$", re.MULTILINE)


@functools.cache
def _batch_constraints() -> tuple[tuple[str, str, str | None, bool], ...]:
    """(name, SQL, its batch table or None, whether it takes $batch_id) of each batch constraint, read once a
    process (every load runs them)."""
    out = []
    for path in sorted(CONSTRAINTS.glob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        table = m[1] if (m := BATCH_TABLE.search(sql)) else None
        out.append((path.stem, sql, table, "batch_id" in named_parameters(sql)))
    return tuple(out)


def violations(con: duckdb.DuckDBPyConnection, batch_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Constraint name → offending rows (first 5), for every constraint that fails."""
    constraints = _batch_constraints()
    written = _written(con, sorted({table for _, _, table, _ in constraints if table}), batch_id)
    failed = {}
    for name, sql, table, takes_batch in constraints:
        if table and table not in written:
            continue
        rows = con.execute(sql, {"batch_id": batch_id} if takes_batch else {}).fetchmany(5)
        if rows:
            failed[name] = rows
    return failed


def _written(con: duckdb.DuckDBPyConnection, tables: list[str], batch_id: int) -> set[str]:
    """Which of ``tables`` hold rows of the batch, asked in one statement; a literal batch id lets the zone maps
    of batch_id skip every older row group."""
    if not tables:
        return set()
    probes = ", ".join(f"exists (select 1 from {t} where batch_id = {int(batch_id)})" for t in tables)
    row = con.execute(f"select {probes}").fetchone()
    assert row is not None
    return {t for t, held in zip(tables, row, strict=True) if held}
