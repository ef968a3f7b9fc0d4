"""Reading Excel workbooks with python-calamine (a Rust reader, far faster than openpyxl) into stage tables.

Cells become text the way a person reads them: whole numbers without ``.0``, so that codes typed as numbers
keep their digits; the row number kept with each record is the Excel row.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
from python_calamine import CalamineWorkbook

from .columns import Layout, normalize
from .csvfile import Staged
from .problems import LoadError, Problem

HEADER_SEARCH_ROWS = 30
SHOWN_CELLS = 5  # formula cells named in a refusal; the count says how many more

_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+\d+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>")

# A workbook is a zip: calamine inflates a sheet whole into memory, so a small file that expands to gigabytes (a
# "zip bomb", or a damaged one) would exhaust the machine before a row is read. Real workbooks expand 3–20×
# (the demo's and the MEF's Consulta Amigable samples: at most 8×). Both bounds may be raised
# with SEMAFORO_XLSX_MAX_MB / SEMAFORO_XLSX_MAX_RATIO for an unusual but genuine workbook.
MAX_UNCOMPRESSED_MB = int(os.environ.get("SEMAFORO_XLSX_MAX_MB", "1024"))
MAX_RATIO = int(os.environ.get("SEMAFORO_XLSX_MAX_RATIO", "100"))
RATIO_FROM_BYTES = 1 << 20  # parts smaller than this may compress as they like (styles, empty sheets)


def check_expansion(path: Path) -> None:
    """Refuse (LoadError) a zip-based workbook whose parts would inflate to an implausible size or ratio, from its
    directory alone — before anything is decompressed. Legacy .xls (OLE2, not zip) has no such directory."""
    try:
        with zipfile.ZipFile(path) as z:
            parts = z.infolist()
    except (zipfile.BadZipFile, OSError):
        return  # not a zip (.xls) or damaged: the reader reports it
    for p in parts:
        ratio = p.file_size / max(p.compress_size, 1)
        if p.file_size >= RATIO_FROM_BYTES and ratio > MAX_RATIO:
            raise LoadError(
                [
                    Problem(
                        path.name,
                        f"la parte {p.filename!r} se expande {ratio:,.0f} veces ({p.compress_size:,} → "
                        f"{p.file_size:,} bytes; un libro real se expande menos de {MAX_RATIO}): archivo dañado "
                        "o malicioso, no se lee",
                    )
                ]
            )
    total = sum(p.file_size for p in parts)
    if total > MAX_UNCOMPRESSED_MB << 20:
        raise LoadError(
            [
                Problem(
                    path.name,
                    f"el libro se expande a {total / (1 << 20):,.0f} MB al descomprimirse (máximo "
                    f"{MAX_UNCOMPRESSED_MB:,} MB): no se lee; guarde los datos como CSV",
                )
            ]
        )


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


def open_book(path: Path, sheet: str | None = None) -> tuple[CalamineWorkbook, list[str]]:
    """The workbook and its sheet names; LoadError if the file is not a readable workbook, has no sheet, or has
    no sheet named ``sheet``."""
    wrong = not_a_workbook(path)
    if wrong:
        raise LoadError([wrong])
    check_expansion(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as e:  # calamine raises its own error types for zip/xml damage
        raise unreadable(path, e) from e
    names = book.sheet_names
    if not names:
        raise LoadError([Problem(path.name, "el libro no tiene hojas")])
    if sheet is not None and sheet not in names:
        raise LoadError([Problem(path.name, f"no existe la hoja {sheet!r}; hojas: {', '.join(names)}")])
    return book, names


def unreadable(path: Path, e: Exception) -> LoadError:
    return LoadError([Problem(path.name, f"no es un libro Excel legible (¿archivo truncado o dañado?): {e}")])


def open_sheet(path: Path, sheet: str | None = None) -> tuple[str, list[list[object]]]:
    """(sheet name, rows) of the named sheet or the first one; LoadError if the file is not a readable workbook."""
    book, names = open_book(path, sheet)
    name = sheet or names[0]
    try:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as e:
        raise LoadError([Problem(path.name, f"no se puede leer la hoja: {e}", sheet=name)]) from e
    formulas = uncomputed_formulas(path, name)
    if formulas:
        raise LoadError(formulas)
    return name, rows


def not_a_workbook(path: Path) -> Problem | None:
    """A file named as a workbook whose first bytes say it is not one (a CSV renamed .xlsx), or None."""
    magic = {".xlsx": b"PK\x03\x04", ".xlsm": b"PK\x03\x04", ".xls": b"\xd0\xcf\x11\xe0"}.get(
        path.suffix.lower()
    )
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError:
        return None  # calamine reports it
    if magic is None or head.startswith(magic) or (path.suffix.lower() == ".xls" and head.startswith(b"PK")):
        return None
    if head and b"\x00" not in head:
        what = "texto (¿un CSV con otra extensión?): cárguelo con la extensión .csv"
    else:
        what = "otro tipo de archivo"
    return Problem(path.name, f"no es un libro Excel {path.suffix.lower()} sino {what}")


def uncomputed_formulas(path: Path, sheet: str) -> list[Problem]:
    """Formula cells of ``sheet`` whose value was never computed. A workbook written by a program (not saved by
    Excel or LibreOffice) may hold formulas with no stored result, or with a placeholder 0 and the flag that asks
    Excel to recalculate on opening; calamine reads those as empty or 0, so the file is refused instead."""
    try:
        with zipfile.ZipFile(path) as z:
            xml = z.read(_sheet_part(z, sheet))
            recalc = b'fullCalcOnLoad="1"' in z.read("xl/workbook.xml")
    except (KeyError, zipfile.BadZipFile, OSError):
        return []  # not an OOXML workbook (XLS, ODS): calamine's own reading stands
    if not _FORMULA.search(xml):
        return []
    cells = []
    for m in _CELL.finditer(xml):
        body = m.group(2) or b""
        if _FORMULA.search(body) and (recalc or not _VALUE.search(body)):
            ref = _REF.search(m.group(1))
            cells.append(ref.group(1).decode() if ref else "?")
    if not cells:
        return []
    shown = ", ".join(cells[:SHOWN_CELLS]) + (
        f" y {len(cells) - SHOWN_CELLS} más" if len(cells) > SHOWN_CELLS else ""
    )
    first = int(re.sub(r"\D", "", cells[0]) or 0) or None
    why = "el libro pide recalcular al abrirse" if recalc else "sin valor guardado"
    return [
        Problem(
            path.name,
            f"{len(cells)} celda(s) con fórmula cuyo resultado no está calculado ({why}): {shown}; "
            "ábralo en Excel o LibreOffice, guárdelo y vuelva a cargarlo",
            row=first,
            sheet=sheet,
        )
    ]


def _sheet_part(z: zipfile.ZipFile, sheet: str) -> str:
    """The zip member holding the named sheet, through workbook.xml and its relationships."""
    book = z.read("xl/workbook.xml").decode("utf-8", "replace")
    rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    for m in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", book):
        tag = m.group(0)
        name = re.search(r'\bname="([^"]*)"', tag)
        rid = re.search(r'\br:id="([^"]*)"', tag)
        if name and rid and _unescape(name.group(1)) == sheet:
            for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
                if re.search(rf'\bId="{re.escape(rid.group(1))}"', rel.group(0)):
                    target = re.search(r'\bTarget="([^"]*)"', rel.group(0)).group(1)
                    return (
                        target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                    )
    raise KeyError(sheet)


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


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


__all__ = [
    "cell_text",
    "check_expansion",
    "find_header",
    "is_excel",
    "normalize",
    "open_sheet",
    "stage_excel",
]
