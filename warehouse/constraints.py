"""Constraints next to the models, checked as queries that must return zero rows (run inside every load and by
the tests). Each ``warehouse/constraints/*.sql`` query is restricted to what batch ``$batch_id`` touched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from .db import named_parameters

CONSTRAINTS = Path(__file__).parent / "constraints"


def violations(con: duckdb.DuckDBPyConnection, batch_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Constraint name → offending rows (first 5), for every constraint that fails."""
    failed = {}
    for path in sorted(CONSTRAINTS.glob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        params = {"batch_id": batch_id} if "batch_id" in named_parameters(sql) else {}
        rows = con.execute(sql, params).fetchmany(5)
        if rows:
            failed[path.stem] = rows
    return failed
