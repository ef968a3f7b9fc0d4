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
    column: str  # canonical column, reported under the header the file uses
    bad: str  # SQL predicate: true for a wrong row
    reason: str  # SQL expression giving the reason (use lit() for a fixed text)
    value: str = ""  # SQL expression for the value shown; default the column itself


def required(col: str) -> Check:
    return Check(col, f"nullif(trim({col}), '') is null", lit("valor vacío"))


def period(col: str) -> list[Check]:
    filled = f"nullif(trim({col}), '') is not null"
    return [
        Check(
            col,
            f"{filled} and parse_period({col}) is null",
            lit("periodo mal formado (use AAAA-MM, mes 01–12)"),
        ),
        Check(col, f"parse_period({col}) > date_trunc('month', current_date)", lit("periodo futuro")),
    ]


def year(col: str) -> list[Check]:
    filled = f"nullif(trim({col}), '') is not null"
    return [
        Check(
            col,
            f"{filled} and not regexp_full_match(trim({col}), '(19|20)\\d\\d')",
            lit("año mal formado (use AAAA)"),
        ),
        Check(col, f"try_cast(trim({col}) as integer) > year(current_date)", lit("año futuro")),
    ]


def number(col: str, dc: bool) -> Check:
    # DuckDB's cast reads 'inf', 'NaN' and '1e400' (∞) as doubles: they are not amounts.
    return Check(
        col,
        f"nullif(trim({col}), '') is not null and not coalesce(isfinite(parse_num({col}, {dc})), false)",
        lit("no es un número" + (" (la columna usa coma decimal)" if dc else "")),
    )


def non_negative(col: str, dc: bool) -> Check:
    return Check(col, f"parse_num({col}, {dc}) < 0", lit("valor negativo"))


def percentage(col: str, dc: bool) -> Check:
    return Check(
        col, f"parse_num({col}, {dc}) not between 0 and 100", lit("porcentaje fuera del rango 0–100")
    )


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
    return bool(
        con.execute(
            f"select coalesce(bool_or(looks_decimal_comma({col})), false) from {table} where contains({col}, ',')"
        ).fetchone()[0]
    )


def run_checks(con: duckdb.DuckDBPyConnection, staged: Staged, checks: list[Check]) -> None:
    """Collect every failing (row, column, value, reason) into the temp table ``problems``.

    Most stages hold one row per file row, ``_row`` being its number. A stage that unpivots a wide table (one
    row per cell, from several sheets) keeps ``_row`` as a unique key and locates each row itself with
    ``_sheet``, ``_line`` (the row as the publisher numbers it) and ``_header_<column>`` (the header a column
    was read under, row by row).
    """
    con.execute(
        "create or replace temp table problems "
        "(_row bigint, column_name varchar, value varchar, reason varchar, sheet varchar, line bigint)"
    )
    if not checks:
        return
    located = {d[0] for d in con.execute(f"select * from {staged.table} limit 0").description}
    sheet, line = (c if c in located else "null" for c in ("_sheet", "_line"))

    def header(c: Check) -> str:
        written = lit(staged.mapping.get(c.column, c.column))
        return f"coalesce(_header_{c.column}, {written})" if f"_header_{c.column}" in located else written

    windowed = [c for c in checks if " over (" in c.bad]
    plain = [c for c in checks if c not in windowed]
    parts = []
    for c in plain:
        parts.append(
            f"select _row, {header(c)}, {c.value or c.column}, {c.reason}, {sheet}, {line} "
            f"from {staged.table} where {c.bad}"
        )
    for c in windowed:
        parts.append(
            f"select _row, h, v, r, s, l from (select _row, {header(c)} as h, {c.value or c.column} as v, "
            f"{c.reason} as r, {sheet} as s, {line} as l, {c.bad} as bad from {staged.table}) where bad"
        )
    con.execute("insert into problems " + " union all ".join(parts))


def add_problems(con: duckdb.DuckDBPyConnection, problems: list[Problem]) -> None:
    """Problems found outside SQL (e.g. lines the CSV reader could not split) join the same table."""
    if problems:
        con.executemany(
            "insert into problems values (?, ?, ?, ?, ?, null)",
            [(p.row, p.column, p.value, p.reason, p.sheet) for p in problems],
        )


def collected(con: duckdb.DuckDBPyConnection, file: str, sheet: str | None) -> list[Problem]:
    # distinct: the cells of one unpivoted row share a wrong label and report it once.
    rows = con.execute(
        "select distinct coalesce(line, _row) as line_no, column_name, value, reason, sheet from problems "
        "order by sheet nulls first, line_no nulls first, column_name, reason"
    ).fetchall()
    return [Problem(file, reason, row=r, column=c, value=v, sheet=s or sheet) for r, c, v, reason, s in rows]
