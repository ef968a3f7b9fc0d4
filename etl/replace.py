"""What a load replaces, decided before anything changes, recorded so that it can be undone.

A file's rows replace the stored rows with their keys (the same month, unit and indicator…). A file replaces the
whole of a scope it touches (a month × department × indicator, a year × program…) — so that rows it no longer
carries disappear, as when a corrected file drops a facility — only when it carries at least
``load.replace_scope_min_pct`` of the rows stored in that scope, or when the user says so (``--completo``). A
thinly covered scope (a stray row of another year, the late report of one facility) keeps its other rows.

Every stored row a load deletes is copied, with the batch that replaced it, into ``etl_replaced_<raw table>``:
``semaforo load --deshacer LOTE`` (:func:`etl.load.undo_batch`) puts them back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb

from warehouse.db import one, scalar
from warehouse.sqlfiles import literal

MAX_THIN_SHOWN = 10


@dataclass(frozen=True)
class Grain:
    """How rows of one raw table are identified and grouped into the scopes a file may replace whole."""

    table: str
    keys: tuple[str, ...]  # SQL over the table's columns: equal keys = the same fact
    scope: tuple[tuple[str, str], ...]  # (SQL, name): the unit a complete file replaces whole
    describe: tuple[tuple[str, str], ...]  # (what, SQL): counted in what would disappear (es-PE words)
    refresh: Callable[[duckdb.DuckDBPyConnection, str], None]  # rebuild the marts for the rows of a table


@dataclass
class Replacement:
    """What a load replaces: the plan shown by ``--dry-run`` and recorded by every load."""

    replaced: int = 0  # stored rows the file's rows replace, key for key
    gone: dict[str, int] = field(default_factory=dict)  # what disappears: rows, facilities, months…
    kept: dict[str, int] = field(default_factory=dict)  # stored rows of thin scopes the file does not carry
    thin: list[str] = field(default_factory=list)  # those scopes, with their coverage
    whole: int = 0  # scopes replaced whole
    rejected_kept: int = (
        0  # stored rows kept, in scopes replaced whole, because their new version was rejected
    )
    min_pct: float = 0.0

    def lines(self) -> list[str]:
        out = [f"reemplaza {self.replaced:,} filas guardadas con la misma clave que filas del archivo"]
        if self.gone.get("filas"):
            parts = ", ".join(f"{n:,} {what}" for what, n in self.gone.items() if n)
            out.append(
                f"DESAPARECEN {parts} que el archivo no trae, en {self.whole:,} alcance(s) que reemplaza enteros"
            )
        if self.rejected_kept:
            out.append(
                f"se conservan {self.rejected_kept:,} filas guardadas cuya nueva versión en el archivo fue rechazada"
            )
        if self.kept.get("filas"):
            parts = ", ".join(f"{n:,} {what}" for what, n in self.kept.items() if n)
            shown = "; ".join(self.thin[:MAX_THIN_SHOWN]) + ("; …" if len(self.thin) > MAX_THIN_SHOWN else "")
            out.append(
                f"se conservan {parts} de {len(self.thin):,} alcance(s) que el archivo cubre solo en parte "
                f"(menos del {self.min_pct:g} % de sus filas: {shown}); para reemplazarlos enteros: --completo"
            )
        return out


def replace(
    con: duckdb.DuckDBPyConnection,
    grain: Grain,
    incoming: str,
    batch_id: int,
    whole: bool,
    min_pct: float,
    protected: str | None = None,
) -> Replacement:
    """Delete the stored rows that the rows of ``incoming`` (same column names as ``grain.table``) replace,
    copying them into ``etl_replaced_<table>`` under ``batch_id``; the caller then inserts ``incoming``.
    ``whole``: replace every scope the file touches entirely (``--completo``). ``protected``: SQL of the keys of
    the file's rejected rows, whose stored rows stay even in a scope replaced whole."""
    t = grain.table
    keys = ", ".join(f"{k} as _k{i}" for i, k in enumerate(grain.keys))
    scope = ", ".join(f"{expr} as {name}" for expr, name in grain.scope)
    names = ", ".join(name for _, name in grain.scope)
    stored_keys = ", ".join(f"{k} as _s{i}" for i, k in enumerate(grain.keys))
    described = ", ".join(f"{expr} as _d{i}" for i, (_, expr) in enumerate(grain.describe))
    on_keys = " and ".join(f"s._s{i} is not distinct from i._k{i}" for i in range(len(grain.keys)))
    on_scope = " and ".join(f"s.{name} = u.{name}" for _, name in grain.scope)
    con.execute(
        f"create or replace temp table _incoming_keys as select distinct {keys}, true as _in from {incoming}"
    )
    # The keys of rejected rows, when there are any (most loads have none: no statement for them then).
    protected_keys = "(select * from _incoming_keys limit 0)"
    if protected:
        con.execute(
            f"create or replace temp table _protected_keys as select distinct {keys}, true as _in from ({protected})"
        )
        protected_keys = "_protected_keys"
    on_protected = on_keys.replace("i._k", "p._k")
    con.execute(f"create or replace temp table _units_in as select distinct {scope} from {incoming}")
    within = _within(con, grain)
    # One statement: the stored rows of the scopes the file touches (only those: the table may hold years of
    # them), whether the file carries each one's key, and whether its scope is covered enough to go whole.
    con.execute(
        f"create or replace temp table _fate as "
        f"with s as (select * from (select rowid as _rid, {scope}, {stored_keys}, {described} from {t} "
        f"where {within}) as s semi join _units_in as u on {on_scope}), "
        f"f as (select s.* exclude ({', '.join(f'_s{i}' for i in range(len(grain.keys)))}), "
        "coalesce(i._in, false) as _carried, coalesce(p._in, false) as _protected "
        f"from s left join _incoming_keys as i on {on_keys} left join {protected_keys} as p on {on_protected}), "
        f"u as (select {names}, count(*) as stored, count(*) filter (where _carried) as carried "
        "from f group by all) "
        f"select f.*, u.stored, u.carried, ({str(whole).lower()} or u.carried * 100 >= ? * u.stored) as whole "
        f"from f join u on {' and '.join(f'f.{name} = u.{name}' for _, name in grain.scope)}",
        [min_pct],
    )
    gone, kept = "not _carried and whole and not _protected", "not _carried and not whole"
    plan = Replacement(min_pct=min_pct)
    plan.replaced, plan.rejected_kept, gone_rows, kept_rows = one(
        con,
        "select count(*) filter (where _carried), count(*) filter (where not _carried and whole and _protected), "
        f"count(*) filter (where {gone}), count(*) filter (where {kept}) from _fate",
    )
    # What disappears or stays is described only when there is any: most loads replace their own keys alone.
    plan.gone = _describe(con, grain, gone, gone_rows)
    plan.kept = _describe(con, grain, kept, kept_rows)
    if gone_rows or plan.rejected_kept:  # else every scope replaced whole was carried entirely
        plan.whole = scalar(
            con, f"select count(distinct row({names})) from _fate where whole and carried < stored"
        )
    if plan.kept["filas"]:  # a scope not replaced whole has rows the file does not carry: it is thin
        plan.thin = [
            f"{' '.join(str(v) for v in r[:-2])}: {r[-2]:,} de {r[-1]:,} filas"
            for r in con.execute(
                f"select distinct {names}, carried, stored from _fate where not whole order by all"
            ).fetchall()
        ]
    deleted = "select _rid from _fate where _carried or (whole and not _protected)"
    con.execute(
        f"insert into etl_replaced_{t} select ?, * from {t} where {within} and rowid in ({deleted})",
        [batch_id],
    )
    con.execute(f"delete from {t} where {within} and rowid in ({deleted})")
    return plan


def _within(con: duckdb.DuckDBPyConnection, grain: Grain) -> str:
    """The range of the file's first scope column (its months, its years) as a condition with literals: the
    reads and deletes of the stored table then skip every row group outside it by its zone map, so that
    replacing a month costs the same in a warehouse of sixty months as in one of seven."""
    if not grain.scope:
        return "true"
    expr, name = grain.scope[0]
    low, high = one(con, f"select min({name}), max({name}) from _units_in")
    if low is None:
        return "false"  # no incoming rows: nothing stored is in their scope
    return f"{expr} between {literal(low)} and {literal(high)}"


def _describe(con: duckdb.DuckDBPyConnection, grain: Grain, which: str, rows: int) -> dict[str, int]:
    """How many rows of ``_fate`` are ``which`` (given: ``rows``), and of how many facilities, months…"""
    what = [w for w, _ in grain.describe]
    if not rows:
        return dict.fromkeys(["filas", *what], 0)
    counts = one(
        con,
        f"select {', '.join(f'count(distinct _d{i})' for i in range(len(what)))} from _fate where {which}",
    )
    return dict(zip(["filas", *what], [rows, *counts], strict=True))
