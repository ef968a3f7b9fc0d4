"""Row checks, written as SQL predicates over the stage table and run all together.

Each check finds the rows it rejects and says why; every problem of every row is collected in the temp table
``problems`` (row, column, value, reason) before anything is written, so a file's problems are reported at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from .csvfile import Staged
from .problems import Problem


def lit(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True, slots=True)
class Check:
    column: str      # canonical column, reported under the header the file uses
    bad: str         # SQL predicate: true for a wrong row
    reason: str      # SQL expression giving the reason (use lit() for a fixed text)
    value: str = ""  # SQL expression for the value shown; default the column itself


def required(col: str) -> Check:
    return Check(col, f"nullif(trim({col}), '') is null", lit("valor vacío"))


def period(col: str) -> list[Check]:
    filled = f"nullif(trim({col}), '') is not null"
    return [
        Check(col, f"{filled} and parse_period({col}) is null", lit("periodo mal formado (use AAAA-MM, mes 01–12)")),
        Check(col, f"parse_period({col}) > date_trunc('month', current_date)", lit("periodo futuro")),
    ]


def year(col: str) -> list[Check]:
    filled = f"nullif(trim({col}), '') is not null"
    return [
        Check(col, f"{filled} and not regexp_full_match(trim({col}), '(19|20)\\d\\d')", lit("año mal formado (use AAAA)")),
        Check(col, f"try_cast(trim({col}) as integer) > year(current_date)", lit("año futuro")),
    ]


def number(col: str, dc: bool) -> Check:
    return Check(col, f"nullif(trim({col}), '') is not null and parse_num({col}, {dc}) is null",
                 lit("no es un número" + (" (la columna usa coma decimal)" if dc else "")))


def non_negative(col: str, dc: bool) -> Check:
    return Check(col, f"parse_num({col}, {dc}) < 0", lit("valor negativo"))


def percentage(col: str, dc: bool) -> Check:
    return Check(col, f"parse_num({col}, {dc}) not between 0 and 100", lit("porcentaje fuera del rango 0–100"))


def known(col: str, table: str, key: str, what: str) -> Check:
    return Check(
        col,
        f"nullif(trim({col}), '') is not null and trim({col}) not in (select {key} from {table})",
        lit(f"{what} desconocido"),
    )


def duplicates(cols: list[str], shown: str) -> Check:
    """Rows sharing the key within the file: each is reported with the first row that has the key."""
    key = ", ".join(f"trim({c})" for c in cols)
    return Check(
        shown,
        f"count(*) over (partition by {key}) > 1",
        f"'clave duplicada en el archivo (' || {lit(', '.join(cols))} || '; primera aparición en la fila ' "
        f"|| min(_row) over (partition by {key}) || ')'",
    )


def decimal_comma(con: duckdb.DuckDBPyConnection, table: str, col: str) -> bool:
    """Whether a numeric column of the stage is written with decimal commas (decided on the whole column)."""
    return bool(con.execute(
        f"select coalesce(bool_or(looks_decimal_comma({col})), false) from {table} where contains({col}, ',')"
    ).fetchone()[0])


def run_checks(con: duckdb.DuckDBPyConnection, staged: Staged, checks: list[Check]) -> None:
    """Collect every failing (row, column, value, reason) into the temp table ``problems``."""
    con.execute(
        "create or replace temp table problems (_row bigint, column_name varchar, value varchar, reason varchar)"
    )
    if not checks:
        return
    windowed = [c for c in checks if " over (" in c.bad]
    plain = [c for c in checks if c not in windowed]
    parts = []
    for c in plain:
        header = staged.mapping.get(c.column, c.column)
        parts.append(
            f"select _row, {lit(header)}, {c.value or c.column}, {c.reason} from {staged.table} where {c.bad}"
        )
    for c in windowed:
        header = staged.mapping.get(c.column, c.column)
        parts.append(
            f"select _row, {lit(header)}, v, r from (select _row, {c.value or c.column} as v, {c.reason} as r, "
            f"{c.bad} as bad from {staged.table}) where bad"
        )
    con.execute("insert into problems " + " union all ".join(parts))


def add_problems(con: duckdb.DuckDBPyConnection, problems: list[Problem]) -> None:
    """Problems found outside SQL (e.g. lines the CSV reader could not split) join the same table."""
    if problems:
        con.executemany(
            "insert into problems values (?, ?, ?, ?)", [(p.row, p.column, p.value, p.reason) for p in problems]
        )


def collected(con: duckdb.DuckDBPyConnection, file: str, sheet: str | None) -> list[Problem]:
    rows = con.execute(
        "select _row, column_name, value, reason from problems order by _row nulls first, column_name, reason"
    ).fetchall()
    return [Problem(file, reason, row=r, column=c, value=v, sheet=sheet) for r, c, v, reason in rows]
