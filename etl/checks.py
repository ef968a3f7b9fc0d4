"""Row checks, written as SQL predicates over the stage table and run all together.

Each check finds the rows it rejects and says why; every problem of every row is collected in the temp table
``problems`` (row, column, value, reason) before anything is written, so a file's problems are reported at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from warehouse.db import one, scalar

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


def blank(col: str) -> str:
    """``nullif(trim(col), '') is null``, written so that DuckDB trims each value once."""
    return f"({col} is null or trim({col}) = '')"


def filled(col: str) -> str:
    """``nullif(trim(col), '') is not null``, likewise."""
    return f"({col} is not null and trim({col}) <> '')"


def required(col: str) -> Check:
    return Check(col, blank(col), lit("valor vacío"))


def period(col: str, parsed: str = "") -> list[Check]:
    """``parsed``: a stage column already holding ``parse_period(col)`` (parsed once, not once per check)."""
    if parsed:  # the parsed column is cheap to test, and null only for the few wrong rows: test it first
        wrong = f"{parsed} is null and {filled(col)}"
    else:
        wrong = f"{filled(col)} and parse_period({col}) is null"
    parsed = parsed or f"parse_period({col})"
    return [
        Check(
            col,
            wrong,
            lit("periodo mal formado (use AAAA-MM, mes 01–12)"),
        ),
        Check(col, f"{parsed} > date_trunc('month', current_date)", lit("periodo futuro")),
    ]


def year(col: str) -> list[Check]:
    return [
        Check(
            col,
            f"{filled(col)} and not regexp_full_match(trim({col}), '(19|20)\\d\\d')",
            lit("año mal formado (use AAAA)"),
        ),
        Check(col, f"try_cast(trim({col}) as integer) > year(current_date)", lit("año futuro")),
    ]


def number(col: str, dc: bool, parsed: str = "") -> Check:
    """``parsed``: a stage column already holding ``parse_num(col, dc)``."""
    # DuckDB's cast reads 'inf', 'NaN' and '1e400' (∞) as doubles: they are not amounts.
    finite = f"coalesce(isfinite({parsed or f'parse_num({col}, {dc})'}), false)"
    return Check(
        col,
        f"not {finite} and {filled(col)}" if parsed else f"{filled(col)} and not {finite}",
        lit("no es un número" + (" (la columna usa coma decimal)" if dc else "")),
    )


def non_negative(col: str, dc: bool, parsed: str = "") -> Check:
    return Check(col, f"{parsed or f'parse_num({col}, {dc})'} < 0", lit("valor negativo"))


def at_most(col: str, parsed: str, limit: float | None, setting: str) -> list[Check]:
    """A value above the largest plausible one (settings.yaml, ``plausible_max.<setting>``); none when unset."""
    if limit is None:
        return []
    return [
        Check(
            col,
            f"{parsed} > {limit!r}",
            lit(f"valor inverosímil: mayor que {limit:,.0f} (settings.yaml, plausible_max.{setting})"),
        )
    ]


def percentage(col: str, dc: bool) -> Check:
    return Check(
        col, f"parse_num({col}, {dc}) not between 0 and 100", lit("porcentaje fuera del rango 0–100")
    )


def known(col: str, table: str, key: str, what: str, found: str = "") -> Check:
    """``found``: a stage column already saying whether ``trim(col)`` is a key of ``table`` (a left join made
    once for all checks is far cheaper than a subquery per check)."""
    bad = (
        f"not {found} and {filled(col)}"
        if found
        else f"{filled(col)} and trim({col}) not in (select {key} from {table})"
    )
    return Check(col, bad, lit(f"{what} desconocido"))


def duplicates(cols: list[str], shown: str, first: str = "") -> Check:
    """Rows sharing the key within the file: each is reported with the first row that has the key.
    ``first``: a stage column from :func:`duplicate_first_rows` (no window over the whole stage)."""
    key = ", ".join(f"trim({c})" for c in cols)
    return Check(
        shown,
        f"{first} is not null" if first else f"count(*) over (partition by {key}) > 1",
        f"'clave duplicada en el archivo (' || {lit(', '.join(cols))} || '; primera aparición en la fila ' "
        f"|| {first or f'min(_row) over (partition by {key})'} || ')'",
    )


def duplicate_first_rows(table: str, keys: list[str]) -> str:
    """SQL of (_row, _first) for the rows whose key occurs more than once, with the first row of that key.
    ``keys`` are the values :func:`duplicates` partitions by (``trim(col)``; the column itself where the stage
    already holds it trimmed). A group-by of the keys, joined back only for the repeated ones, costs far less
    than a window over every row; ``is not distinct from`` groups empty keys together as the window does."""
    aliased = ", ".join(f"{k} as _k{i}" for i, k in enumerate(keys))
    names = ", ".join(f"_k{i}" for i in range(len(keys)))
    on = " and ".join(f"r._k{i} is not distinct from d._k{i}" for i in range(len(keys)))
    return (
        f"select r._row, d._first from (select _row, {aliased} from {table}) as r "
        f"join (select {names}, min(_row) as _first from (select _row, {aliased} from {table}) "
        f"group by {names} having count(*) > 1) as d on {on}"
    )


def keys_all_distinct(keys: list[str]) -> str:
    """SQL aggregate, true when no two rows share the key: distinct hashes of the key as many as rows. Equal keys
    hash equally, so true is certain; false (a duplicate, or a hash collision) calls for
    :func:`duplicate_first_rows`. One count of 64-bit hashes is far cheaper than grouping by the text keys."""
    return f"count(distinct hash({', '.join(keys)})) = count(*)"


def parsed_once(table: str, col: str, expr: str, name: str) -> str:
    """SQL of ({col}, {name}): ``expr`` (a parse of ``col``) over the column's distinct values. A file repeats
    few periods and amounts, so parsing each distinct text once and joining back is cheaper than a regex
    per row; a null text matches nothing and stays null, as its parse would."""
    return f"select {col}, {expr} as {name} from (select distinct {col} from {table})"


def decimal_comma(con: duckdb.DuckDBPyConnection, table: str, col: str) -> bool:
    """Whether a numeric column of the stage is written with decimal commas, decided by the majority of the
    values that show a convention: one stray ``12,5`` in a column of ``12.5`` is that row's problem, not a reason
    to misread every other row (and the other way round)."""
    comma, point = one(
        con,
        f"select count(*) filter (where looks_decimal_comma({col})), "
        f"count(*) filter (where regexp_full_match(trim({col}), {lit(DECIMAL_POINT)})) "
        f"from {table} where contains({col}, ',') or contains({col}, '.')",
    )
    return comma > point


# A decimal point that a decimal-comma reading could not take for a thousands separator (the mirror of the
# looks_decimal_comma macro): 12.5, 0.25, 1.2345, 1,234.5.
DECIMAL_POINT = r"[-+]?\d+\.(\d{1,2}|\d{4,})|[-+]?\d{1,3}(,\d{3})+\.\d+"


def short_code(col: str, width: int) -> str:
    """A code typed as a number that lost its leading zeros (10101 for 010101)."""
    return f"regexp_full_match(trim({col}), '\\d{{1,{width - 1}}}')"


def pad_warning(label: str, n: int, width: int, what: str) -> str:
    return (
        f"{label}: {n} {what} con menos de {width} dígitos se completaron con ceros a la izquierda "
        f"(p. ej. 10101 → 010101)"
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
    if plain:
        # One scan finds the rows with any problem; each check then reads only those (usually none), instead of
        # every check scanning the whole stage. Aliased as the stage: checks may name its columns qualified.
        con.execute(
            f"create or replace temp table _flagged as select * from {staged.table} where "
            + " or ".join(f"({c.bad})" for c in plain)
        )
        if scalar(con, "select count(*) from _flagged"):
            for c in plain:
                parts.append(
                    f"select _row, {header(c)}, {c.value or c.column}, {c.reason}, {sheet}, {line} "
                    f"from _flagged as {staged.table} where {c.bad}"
                )
    for c in windowed:
        parts.append(
            f"select _row, h, v, r, s, l from (select _row, {header(c)} as h, {c.value or c.column} as v, "
            f"{c.reason} as r, {sheet} as s, {line} as l, {c.bad} as bad from {staged.table}) where bad"
        )
    if parts:
        con.execute("insert into problems " + " union all ".join(parts))


def collected(con: duckdb.DuckDBPyConnection, file: str, sheet: str | None) -> list[Problem]:
    # distinct: the cells of one unpivoted row share a wrong label and report it once.
    rows = con.execute(
        "select distinct coalesce(line, _row) as line_no, column_name, value, reason, sheet from problems "
        "order by sheet nulls first, line_no nulls first, column_name, reason"
    ).fetchall()
    return [Problem(file, reason, row=r, column=c, value=v, sheet=s or sheet) for r, c, v, reason, s in rows]
