"""Reading delimited text files the way their publishers write them, into a DuckDB stage table of text columns.

Encoding (UTF-8 with or without BOM, else Windows-1252: :mod:`etl.encoding`), delimiter (``,`` ``;`` ``|`` tab) and header are sniffed from
the head of the file; DuckDB then streams the whole file with every column as text, so that codes keep their
leading zeros and every value can be checked before it is cast. Lines DuckDB cannot split become problems with
their line number, and each staged row keeps ``_row``, its line in the file (header = line 1).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from warehouse.db import scalar

from .columns import Layout
from .encoding import CP1252, UTF8, as_utf8
from .problems import LoadError, Problem

SNIFF_BYTES = 1 << 20
DELIMITERS = (",", ";", "|", "\t")

# DuckDB's reject kinds (reject_errors.error_type) as a person reads them: the one place for these messages.
REJECT_REASONS = {
    "TOO MANY COLUMNS": "la fila tiene más columnas que el encabezado",
    "MISSING COLUMNS": "la fila tiene menos columnas que el encabezado",
    "UNQUOTED VALUE": "comillas sin cerrar o mal puestas",
    "INVALID ENCODING": "caracteres que no corresponden a la codificación del archivo",
    "LINE SIZE OVER MAXIMUM": "línea demasiado larga",
    "INVALID STATE": "la fila no se puede leer",
    "CAST": "valor ilegible",
}


@dataclass
class Staged:
    """What a reader put in the stage table, and what it learnt about the file."""

    table: str
    rows: int
    mapping: dict[str, str]  # canonical column → header as written
    format: dict[str, object]
    problems: list[Problem] = field(default_factory=list)  # rows the reader could not split
    warnings: list[str] = field(default_factory=list)
    sheet: str | None = None

    @property
    def header_row(self) -> int:
        """The line of the file's header as the publisher numbers it (a spreadsheet's may sit below line 1)."""
        row = self.format.get("header_row", 1)
        if not isinstance(row, int):
            raise TypeError(f"header_row debe ser un entero, no {row!r}")
        return row


def read_rejects(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str | None, str, str | None]]:
    """The lines the last ``store_rejects`` scan could not read: (line, column, error type, text), one per line
    (a short line is rejected once per missing column; the first says it)."""
    return con.execute(
        "select line, column_name, error_type::varchar, csv_line from reject_errors "
        "qualify row_number() over (partition by line order by column_idx) = 1 order by line"
    ).fetchall()


def sniff_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)  # a multi-byte character cut at the end of the sample is fine
    except UnicodeDecodeError:
        return CP1252
    return UTF8


def _decode(head: bytes, encoding: str) -> str:
    if encoding == UTF8:
        return head.removeprefix(codecs.BOM_UTF8).decode(UTF8, errors="ignore")
    return head.decode("cp1252", errors="replace")


def sniff_delimiter(header_line: str) -> str:
    counts = {d: next(csv.reader([header_line], delimiter=d), []).__len__() for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 1 else ","


def not_text(label: str, head: bytes) -> Problem | None:
    """Why a file named as delimited text is something else (a workbook, UTF-16, binary), or None. Read as text,
    such a file would give garbage columns or one swallowed line instead of a clear refusal."""
    if head.startswith(b"PK\x03\x04"):
        return Problem(
            label, "no es texto delimitado sino un libro Excel (XLSX) o un ZIP: cárguelo como .xlsx"
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return Problem(label, "no es texto delimitado sino un libro Excel antiguo (XLS): cárguelo como .xls")
    if _utf16(head[:4000]):
        return Problem(
            label, "el archivo está en UTF-16: guárdelo como CSV UTF-8 (o Latin-1) y vuelva a cargarlo"
        )
    nul = head.find(b"\x00")
    if nul >= 0:
        return Problem(
            label,
            f"no es texto delimitado: tiene bytes nulos (binario) desde el byte {nul + 1}",
            row=head[:nul].count(b"\n") + 1,
        )
    return None


def _utf16(sample: bytes) -> bool:
    """A BOM, or ASCII text in UTF-16 without one: a NUL in every other byte, none in the others."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    half = len(sample) // 2
    nuls = sorted((sample[::2].count(0), sample[1::2].count(0)))
    return half >= 4 and nuls[1] >= 0.8 * half and nuls[0] <= 0.1 * half


def cut_last_line(path: Path) -> Problem | None:
    """A file whose last line has no line break was probably cut (an interrupted download or copy) in the middle
    of a value — 11.3 read as 11 — which no row check can tell: the file is refused, naming that line."""
    with open(path, "rb") as f:
        f.seek(0, 2)
        if f.tell() == 0:
            return None
        f.seek(-1, 2)
        if f.read(1) in b"\r\n":
            return None
        f.seek(0)
        lines = 1 + sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
    return Problem(
        path.name,
        "la última línea no termina en salto de línea: el archivo parece cortado (descarga o copia "
        "interrumpida); si está completo, añada el salto de línea final y vuelva a cargarlo",
        row=lines,
    )


def read_head(path: Path) -> tuple[str, str, list[str]]:
    """(encoding, delimiter, headers) of a delimited file; LoadError if it is empty, has no header, is not text
    (a workbook, UTF-16, binary) or was cut short."""
    label = path.name
    try:
        with open(path, "rb") as f:
            head = f.read(SNIFF_BYTES)
        wrong = not_text(label, head) or (cut_last_line(path) if head.strip() else None)
    except OSError as e:
        raise LoadError([Problem(label, f"no se puede leer el archivo: {e.strerror}")]) from e
    if wrong:
        raise LoadError([wrong])
    if not head.strip():
        raise LoadError([Problem(label, "el archivo está vacío")])
    encoding = sniff_encoding(head)
    text = _decode(head, encoding)
    first = text.splitlines()[0] if text.splitlines() else ""
    delimiter = sniff_delimiter(first)
    headers = next(csv.reader(io.StringIO(first), delimiter=delimiter), [])
    return encoding, delimiter, headers


def stage_csv(con: duckdb.DuckDBPyConnection, path: Path, layout: Layout, table: str = "stage") -> Staged:
    """Stage the layout's columns of a delimited file as text, one row per record, with ``_row``."""
    label = path.name
    encoding, delimiter, headers = read_head(path)
    mapping, warnings = layout.match(headers, label)
    missing = layout.missing(mapping, label)
    if missing:
        raise LoadError(missing)
    rows, problems, encoding = _read(
        con, path, layout, mapping, headers, encoding, delimiter, table, warnings
    )
    if rows == 0 and not problems:
        raise LoadError([Problem(label, "el archivo no tiene filas de datos, solo encabezado")])
    fmt = {"format": "csv", "encoding": encoding, "delimiter": delimiter, "columns": mapping}
    return Staged(table, rows, mapping, fmt, problems, warnings)


def _read(con, path, layout, mapping, headers, encoding, delimiter, table, warnings):
    # Columns are named by position (c0, c1…) so that odd or repeated headers cannot confuse the reader.
    positions = {name: headers.index(h) for name, h in mapping.items()}
    columns = "{" + ", ".join(f"'c{k}': 'VARCHAR'" for k in range(len(headers))) + "}"
    select = ", ".join(
        f"c{positions[c.name]} as {c.name}" if c.name in positions else f"null::varchar as {c.name}"
        for c in layout.columns
    )
    with as_utf8(path) as readable:
        if readable.warning:
            warnings.append(readable.warning)
        con.execute(f"drop table if exists {table}")
        con.execute("drop table if exists reject_errors")
        con.execute("drop table if exists reject_scans")
        con.execute(
            f"create temp table {table} as select {select} from read_csv(?, delim = ?, header = true, "
            "encoding = 'utf-8', quote = '\"', escape = '\"', store_rejects = true, ignore_errors = true, "
            f"null_padding = false, auto_detect = false, columns = {columns})",
            [str(readable.path), delimiter],
        )
        encoding = readable.encoding
    rejects = read_rejects(con)
    _add_row_numbers(con, table, [r[0] for r in rejects])
    problems = reject_problems(path.name, rejects, lambda column: _header(column, headers))
    rows = scalar(con, f"select count(*) from {table}")
    return rows, problems, encoding


def reject_problems(
    label: str, rejects: list[tuple[Any, ...]], header: Callable[[str | None], str | None]
) -> list[Problem]:
    """The lines DuckDB's CSV reader rejected (:func:`read_rejects`) as problems: file, line, column as the file
    names it (``header`` of DuckDB's column name), the line as written, and the reason."""
    return [
        Problem(
            label,
            REJECT_REASONS.get(kind, kind.lower()),
            row=int(line),
            column=header(column),
            value=(text or "").strip("\r\n"),
        )
        for line, column, kind, text in rejects
    ]


def _header(column: str | None, headers: list[str]) -> str | None:
    if column and column.startswith("c") and column[1:].isdigit() and int(column[1:]) < len(headers):
        return headers[int(column[1:])]
    return column


def _add_row_numbers(con: duckdb.DuckDBPyConnection, table: str, reject_lines: list[int]) -> None:
    """``_row`` = file line of each staged record: its position + header + rejected lines before it."""
    con.execute(f"alter table {table} add column _row bigint")
    # rowids of a temp table start at an internal offset: count from the first one.
    first = scalar(con, f"select coalesce(min(rowid), 0) from {table}")
    if not reject_lines:
        con.execute(f"update {table} set _row = rowid - {first} + 2")
        return
    # The k-th rejected line L_k (k from 1) comes after L_k - 1 - k staged rows.
    lines = sorted(set(reject_lines))
    thresholds = [line - 1 - k for k, line in enumerate(lines, start=1)]
    con.execute("create or replace temp table _reject_thresholds (threshold bigint)")
    con.executemany("insert into _reject_thresholds values (?)", [(t,) for t in thresholds])
    con.execute(
        f"update {table} set _row = rowid - {first} + 2 + "
        f"(select count(*) from _reject_thresholds where threshold <= {table}.rowid - {first})"
    )
