"""What every loader is: read a file into a stage table, say which rows are wrong, write the valid ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import duckdb

from warehouse.catalogue_model import Catalogue
from warehouse.db import scalar

from ..checks import Check
from ..columns import Layout
from ..csvfile import Staged, stage_csv
from ..excel import is_excel, stage_excel
from ..parquet import is_parquet, stage_parquet
from ..replace import Grain, Replacement, replace


@dataclass
class LoadContext:
    con: duckdb.DuckDBPyConnection
    path: Path
    catalogue: Catalogue
    options: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    replacement: Replacement | None = None  # what write() replaced (see etl.replace)

    @property
    def label(self) -> str:
        return self.path.name


class Loader:
    """A source format. Subclasses set ``source``/``layout`` and implement :meth:`checks` and :meth:`write`.

    ``write`` runs after the checks, inside the load's transaction, and sees the valid rows in the temp view
    ``valid`` (the stage without the rows that have problems). It replaces the rows of its scope in its raw
    table, refreshes the marts, and returns a short description of the scope it replaced.
    """

    source: ClassVar[str]
    description: ClassVar[str]
    layout: ClassVar[Layout | None] = None
    raw_table: ClassVar[str | None] = None  # table whose rows carry batch_id (for superseded batches)
    grain: ClassVar[Grain | None] = None  # how write() replaces rows of raw_table (etl.replace)

    def stage(self, ctx: LoadContext) -> Staged:
        assert self.layout is not None
        if is_excel(ctx.path):
            return stage_excel(ctx.con, ctx.path, self.layout, sheet=ctx.options.get("sheet"))
        if is_parquet(ctx.path):
            return stage_parquet(ctx.con, ctx.path, self.layout)
        return stage_csv(ctx.con, ctx.path, self.layout)

    def prepare(self, ctx: LoadContext, staged: Staged) -> None:
        """Normalise staged text before the checks (e.g. pad codes that lost their leading zeros)."""

    def checks(self, ctx: LoadContext, staged: Staged) -> list[Check]:
        raise NotImplementedError

    def locate(self, ctx: LoadContext, staged: Staged) -> None:
        """After the checks: give the rows named in ``problems`` their line in the file, when the stage keyed
        them provisionally (a reader that numbers rows as it stages needs nothing here)."""

    def write(self, ctx: LoadContext, staged: Staged, batch_id: int) -> str:
        raise NotImplementedError

    def rejected_keys(self, ctx: LoadContext) -> str | None:
        """SQL of the keys (as ``grain.table``'s columns) of the rows the checks rejected (temp view ``rejected``):
        a stored row whose new version was rejected is kept, even in a scope the file replaces whole."""
        return None

    def replace_rows(self, ctx: LoadContext, incoming: str, batch_id: int) -> None:
        """Delete (and record) the stored rows that the rows of ``incoming`` replace: their own keys, and whole
        scopes only where the file covers them or ``--completo`` says so (:mod:`etl.replace`)."""
        assert self.grain is not None
        ctx.replacement = replace(
            ctx.con,
            self.grain,
            incoming,
            batch_id,
            protected=self.rejected_keys(ctx),
            whole=bool(ctx.options.get("completo")),
            min_pct=ctx.catalogue.load["replace_scope_min_pct"],
        )


def upsert(
    ctx: LoadContext,
    staged: Staged,
    table: str,
    key: tuple[str, ...],
    columns: dict[str, tuple[str, str | None]],
    batch_id: int,
) -> None:
    """Insert the valid rows into a registry, updating the stored row with the same ``key`` (the stored version
    is first copied into ``etl_replaced_<table>``, for ``--deshacer``). ``columns``: table column → (SQL over
    ``valid``, the optional file column it comes from, or None when always present). A column the file does not
    have is left out, and a blank optional value is not written: new rows get NULL, stored rows keep their value —
    a file without the optional altitude column must not erase every altitude."""
    present = {c: sql for c, (sql, source) in columns.items() if source is None or source in staged.mapping}
    names = ", ".join(present)
    # An optional value the row leaves blank (NA) keeps the stored one too.
    updates = ", ".join(
        f"{c} = excluded.{c}" if columns[c][1] is None else f"{c} = coalesce(excluded.{c}, {table}.{c})"
        for c in present
        if c not in key
    )
    ctx.con.execute(
        f"insert into etl_replaced_{table} select ?, * from {table} where ({', '.join(key)}) in "
        f"(select ({', '.join(present[k] for k in key)}) from valid)",
        [batch_id],
    )
    ctx.con.execute(
        f"insert into {table} ({names}) select {', '.join(present.values())} from valid "
        f"on conflict ({', '.join(key)}) do update set {updates}"
    )


def pad_codes(ctx: LoadContext, staged: Staged, column: str, width: int, what: str) -> None:
    """Codes typed as numbers lose their leading zeros (010101 → 10101): restore them, and say so."""
    if column not in staged.mapping:
        return
    n = scalar(
        ctx.con,
        f"select count(*) from {staged.table} where regexp_full_match(trim({column}), '\\d{{1,{width - 1}}}')",
    )
    if n:
        ctx.con.execute(
            f"update {staged.table} set {column} = lpad(trim({column}), {width}, '0') "
            f"where regexp_full_match(trim({column}), '\\d{{1,{width - 1}}}')"
        )
        ctx.warnings.append(
            f"{ctx.label}: {n} {what} con menos de {width} dígitos se completaron con ceros a la izquierda "
            f"(p. ej. 10101 → 010101)"
        )
    ctx.con.execute(f"update {staged.table} set {column} = trim({column}) where {column} <> trim({column})")
