"""The Consulta Amigable tables analysts download as XLSX: the header row found, ``code: NAME`` cells split."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.db import scalar

from ..columns import normalize
from ..csvfile import Staged
from ..excel import cell_text, open_sheet
from ..problems import LoadError, Problem
from .headers import DIMENSIONS, HEADER_SEARCH_ROWS, amount_of
from .layout import MefLayout, detect_layout, program_option


def find_header(rows: list[list[object]]) -> int | None:
    """Index of the first row that names a year and the PIM or the devengado."""
    for k, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = {normalize(cell_text(v)) for v in row}
        amounts = {a.measure for a in map(amount_of, names) if a}
        if {"pim", "devengado"} <= amounts or (
            names & set(DIMENSIONS["ano"]) and amounts & {"pim", "devengado"}
        ):
            return k
    return None


def stage_consulta_amigable(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    program: str | None,
    programs: Sequence[str],
    sheet: str | None = None,
    table: str = "stage",
) -> tuple[Staged, MefLayout]:
    label = path.name
    name, rows = open_sheet(path, sheet)
    if not any(any(v not in (None, "") for v in r) for r in rows):
        raise LoadError([Problem(label, "la hoja está vacía", sheet=name)])
    k = find_header(rows)
    if k is None:
        raise LoadError(
            [
                Problem(
                    label,
                    f"no se encontró la fila de encabezados (Año, PIM, Devengado…) en las "
                    f"primeras {HEADER_SEARCH_ROWS} filas",
                    sheet=name,
                )
            ]
        )
    headers = [cell_text(v) or "" for v in rows[k]]
    layout, warnings = detect_layout(headers, label, sheet=name, header_row=k + 1, coded=True)
    program, more = program_option(layout, program, label, sheet=name, header_row=k + 1)
    warnings += more
    used = sorted(set(layout.sources.values()))
    data: dict[str, list] = {f"c{p}": [] for p in used} | {"_row": []}
    for number in range(k + 1, len(rows)):
        row = rows[number]
        if all(v in (None, "") for v in row):
            continue
        data["_row"].append(number + 1)  # Excel numbers rows from 1
        for p in used:
            data[f"c{p}"].append(cell_text(row[p]) if p < len(row) else None)
    if not data["_row"]:
        raise LoadError([Problem(label, "la hoja no tiene filas de datos, solo encabezado", sheet=name)])
    mef_sheet = pa.table(  # noqa: F841 — read by the SQL below (a replacement scan, as in etl.excel)
        {c: pa.array(v, type=pa.int64() if c == "_row" else pa.string()) for c, v in data.items()}
    )
    con.execute(
        f"create or replace temp table {table} as select {layout.select(program)}, _row from mef_sheet "
        f"where {layout.keep(program, programs)}"
    )
    staged_rows = scalar(con, f"select count(*) from {table}")
    fmt = {
        "format": "xlsx",
        "layout": layout.kind,
        "sheet": name,
        "header_row": k + 1,
        "columns": layout.mapping,
        "filas_otros_programas": len(data["_row"]) - staged_rows,
    }
    return Staged(table, staged_rows, layout.mapping, fmt, [], warnings, sheet=name), layout
