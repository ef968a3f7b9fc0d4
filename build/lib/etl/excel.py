"""Reading Excel workbooks with python-calamine (a Rust reader, far faster than openpyxl) into stage tables.

Cells become text the way a person reads them: whole numbers without ``.0``, so that codes typed as numbers
keep their digits; the row number kept with each record is the Excel row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
from python_calamine import CalamineWorkbook

from .columns import Layout, normalize
from .csvfile import Staged
from .problems import LoadError, Problem

HEADER_SEARCH_ROWS = 30


def cell_text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip() or None


def open_sheet(path: Path, sheet: str | None = None) -> tuple[str, list[list[object]]]:
    """(sheet name, rows) of the named sheet or the first one; LoadError if the file is not a readable workbook."""
    label = path.name
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as e:  # calamine raises its own error types for zip/xml damage
        raise LoadError(
            [Problem(label, f"no es un libro Excel legible (¿archivo truncado o dañado?): {e}")]
        ) from e
    names = book.sheet_names
    if not names:
        raise LoadError([Problem(label, "el libro no tiene hojas")])
    if sheet is not None and sheet not in names:
        raise LoadError([Problem(label, f"no existe la hoja {sheet!r}; hojas: {', '.join(names)}")])
    name = sheet or names[0]
    try:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as e:
        raise LoadError([Problem(label, f"no se puede leer la hoja: {e}", sheet=name)]) from e
    return name, rows


def find_header(rows: list[list[object]], layout: Layout) -> int | None:
    """Index of the first row (within the first rows) that names every required column of the layout."""
    required = [c for c in layout.columns if c.required]
    for k, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        texts = [cell_text(v) or "" for v in row]
        if required and all(any(c.matches(t) for t in texts) for c in required):
            return k
    return None


def _records(rows: list[list[object]], start: int) -> Iterator[tuple[int, list[object]]]:
    for k in range(start, len(rows)):
        if any(v not in (None, "") for v in rows[k]):
            yield k + 1, rows[k]  # Excel numbers rows from 1


def stage_excel(
    con: duckdb.DuckDBPyConnection, path: Path, layout: Layout, table: str = "stage", sheet: str | None = None
) -> Staged:
    label = path.name
    name, rows = open_sheet(path, sheet)
    if not any(any(v not in (None, "") for v in r) for r in rows):
        raise LoadError([Problem(label, "la hoja está vacía", sheet=name)])
    k = find_header(rows, layout)
    if k is None:
        raise LoadError(layout.missing({}, label, sheet=name))
    headers = [cell_text(v) or "" for v in rows[k]]
    mapping, warnings = layout.match(headers, label, name)
    missing = layout.missing(mapping, label, sheet=name)
    if missing:
        raise LoadError(missing)
    positions = {c: headers.index(h) for c, h in mapping.items()}
    data: dict[str, list] = {c.name: [] for c in layout.columns}
    data["_row"] = []
    for number, row in _records(rows, k + 1):
        data["_row"].append(number)
        for c in layout.columns:
            pos = positions.get(c.name)
            data[c.name].append(cell_text(row[pos]) if pos is not None and pos < len(row) else None)
    arrow = pa.table(  # noqa: F841 — read by the SQL below
        {c: pa.array(v, type=pa.int64() if c == "_row" else pa.string()) for c, v in data.items()}
    )
    # DuckDB reads the local Arrow table by name (replacement scan); execute() also ends any pending result.
    con.execute(f"create or replace temp table {table} as select * from arrow")
    if not data["_row"]:
        raise LoadError([Problem(label, "la hoja no tiene filas de datos, solo encabezado", sheet=name)])
    fmt = {"format": "xlsx", "sheet": name, "header_row": k + 1, "columns": mapping}
    return Staged(table, len(data["_row"]), mapping, fmt, [], warnings, sheet=name)


def is_excel(path: Path) -> bool:
    return path.suffix.lower() in {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


__all__ = ["cell_text", "find_header", "is_excel", "normalize", "open_sheet", "stage_excel"]
