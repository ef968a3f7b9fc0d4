"""The open-data CSV "Presupuesto y ejecución de gasto": streamed by DuckDB, only the catalogue's programs
kept, rows numbered by their file line only when a problem must be located (see :mod:`etl.mef`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import duckdb

from warehouse.db import scalar

from ..checks import lit
from ..csvfile import Staged, read_head, read_rejects, reject_problems
from ..encoding import as_utf8
from ..problems import LoadError, Problem
from .layout import detect_layout, program_option


class MefCsv:
    """One open-data CSV: how it is read, and the rows of the catalogue's programs staged from it."""

    def __init__(self, path: Path, program: str | None, programs: Sequence[str]):
        self.path = path
        _, self.delimiter, headers = read_head(path)
        self.text = as_utf8(path)  # DuckDB reads UTF-8; a Windows-1252 file through a copy
        self.encoding = self.text.encoding
        self.layout, self.warnings = detect_layout(headers, path.name)
        self.program, warnings = program_option(self.layout, program, path.name)
        self.warnings += warnings + ([self.text.warning] if self.text.warning else [])
        self.keep = self.layout.keep(self.program, programs)
        self.reject_lines: list[int] = []

    def source(self, rejects: bool) -> str:
        columns = "{" + ", ".join(f"'c{k}': 'VARCHAR'" for k in range(len(self.layout.headers))) + "}"
        return (
            f"read_csv({lit(str(self.text.path))}, delim = {lit(self.delimiter)}, header = true, "
            f"encoding = 'utf-8', quote = '\"', escape = '\"', ignore_errors = true, "
            f"store_rejects = {str(rejects).lower()}, null_padding = false, auto_detect = false, "
            f"columns = {columns})"
        )

    def line_hash(self) -> str:
        """SQL: a hash of every field of the line, staged or not — two lines equal in all 62 columns are the
        same movement published twice, while lines equal only in the staged columns are distinct movements."""
        return f"hash({', '.join(f'c{k}' for k in range(len(self.layout.headers)))})"

    def stage(self, con: duckdb.DuckDBPyConnection, table: str = "stage") -> Staged:
        label = self.path.name
        lines = data_lines(self.path)
        if lines == 0:
            raise LoadError([Problem(label, "el archivo no tiene filas de datos, solo encabezado")])
        con.execute(
            f"create or replace temp table {table} as "
            f"select {self.layout.select(self.program)}, {self.line_hash()} as _line_hash "
            f"from {self.source(rejects=True)} "
            f"where {self.keep}"
        )
        rejects = read_rejects(con)
        self.reject_lines = sorted({int(r[0]) for r in rejects})
        problems = reject_problems(label, rejects, self._header)
        # Provisional keys −1, −2… in file order; number_lines() replaces them when a problem must be located.
        con.execute(f"alter table {table} add column _row bigint")
        first = scalar(con, f"select coalesce(min(rowid), 0) from {table}")
        con.execute(f"update {table} set _row = {first} - rowid - 1")
        rows = scalar(con, f"select count(*) from {table}")
        fmt = {
            "format": "csv",
            "layout": self.layout.kind,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "columns": self.layout.mapping,
            "filas_otros_programas": max(lines - rows - len(self.reject_lines), 0),
        }
        return Staged(table, rows, self.layout.mapping, fmt, problems, list(self.warnings))

    def number_lines(self, con: duckdb.DuckDBPyConnection, table: str = "stage") -> None:
        """Replace the provisional keys of the staged rows by their line in the file (header = line 1)."""
        con.execute(
            f"create or replace temp table mef_lines as select {self.keep} as kept "
            f"from {self.source(rejects=False)}"
        )
        first = scalar(con, "select coalesce(min(rowid), 0) from mef_lines")
        # The k-th rejected line L_k (k from 1) comes after L_k - 1 - k parsed records.
        con.execute("create or replace temp table mef_reject_thresholds (threshold bigint)")
        if self.reject_lines:
            con.executemany(
                "insert into mef_reject_thresholds values (?)",
                [(line - 1 - k,) for k, line in enumerate(self.reject_lines, start=1)],
            )
        con.execute(
            f"""
            update {table} as s set _row = k.line
            from (
                select row_number() over (order by rowid) as ordinal,
                       rowid - {first} + 2
                       + (select count(*) from mef_reject_thresholds where threshold <= rowid - {first}) as line
                from mef_lines
                where kept
            ) as k
            where -s._row = k.ordinal
            """
        )
        con.execute("drop table mef_lines")

    def _header(self, column: str | None) -> str | None:
        if column and re.fullmatch(r"c\d+", column) and int(column[1:]) < len(self.layout.headers):
            return self.layout.headers[int(column[1:])]
        return column


def data_lines(path: Path) -> int:
    """Lines after the header (MEF fields hold no line breaks, so lines are rows): a byte count, no parsing."""
    lines, last = 0, b"\n"
    with open(path, "rb") as f:
        while chunk := f.read(1 << 24):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return max(lines + (last != b"\n") - 1, 0)
