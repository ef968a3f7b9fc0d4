"""Running a named query: the text of ``warehouse/queries/NAME.sql``, given the parameters it uses of those the
caller passes, refused when no declaration names it (:mod:`warehouse.access`)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from .access import declaration
from .sqlfiles import named_parameters

QUERIES = Path(__file__).parent / "queries"

Allowed = frozenset[str] | None  # the region codes the asker may see; None = all


@cache
def sql_text(name: str) -> str:
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


# The parameters a query text uses (callers pass a common set), parsed once per text.
_parameters = cache(named_parameters)


def run(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pd.DataFrame:
    declaration(name)  # an undeclared query does not run
    sql = sql_text(name)
    names = _parameters(sql)
    return con.execute(sql, {k: v for k, v in params.items() if k in names}).df()


def region_list(allowed: Allowed) -> list[str] | None:
    """``allowed`` as the SQL's ``$allowed``: a sorted list, or NULL for every region."""
    return None if allowed is None else sorted(allowed)
