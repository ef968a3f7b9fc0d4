"""INEI's wide tables staged for the survey loader: each parsed cuadro's indicator found (title, or
``--indicador``), its cells in the stage in the survey's tidy shape, and the sheets left out said why."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.catalogue_model import Catalogue

from .csvfile import Staged
from .cuadros import NotRecognised, cuadro_number, survey_indicator
from .inei import FORMAT, STAGE_COLUMNS, Cuadro, NotACuadro, parse_cuadro
from .problems import LoadError, Problem
from .regions import RegionLabels


def stage_cuadros(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    sheets: list[tuple[str, list[list[object]]]],
    catalogue: Catalogue,
    indicator: str | None = None,
    table: str = "stage",
) -> Staged:
    """Stage every sheet holding a recognised cuadro (or the one sheet given) as one row per cell."""
    label = path.name
    regions = RegionLabels.from_warehouse(con)
    warnings: list[str] = []
    cuadros, not_cuadros = [], []
    for name, rows in sheets:
        try:
            cuadros.append(parse_cuadro(name, rows, regions))
        except NotACuadro as e:
            if len(sheets) == 1:
                raise LoadError([Problem(label, str(e), sheet=name)]) from e
            not_cuadros.append(name)
    if not cuadros:
        reason = (
            "ninguna hoja tiene un cuadro INEI (título «Cuadro N° …» y años como columnas) ni la tabla "
            "ordenada (anio, region, indicador, valor)"
        )
        raise LoadError([Problem(label, reason)])
    if not_cuadros:
        warnings.append(f"{label}: hojas sin cuadro INEI, no se cargan: {', '.join(not_cuadros)}")
    cuadros = _assign_indicators(label, cuadros, catalogue, indicator, warnings)
    _warn_skipped(label, cuadros, warnings)
    arrow = _cells(cuadros)
    # DuckDB reads the local Arrow table by name (replacement scan); execute() also ends any pending result.
    con.execute(f"create or replace temp table {table} as select * from arrow")
    fmt: dict[str, object] = {
        "format": FORMAT,
        "sheets": [
            {
                "sheet": c.sheet,
                "cuadro": cuadro_number(c.title),
                "indicator": c.indicator,
                "title_row": c.title_row,
                "header_row": c.header_row,
                "years": [y.year for y in c.years],
            }
            for c in cuadros
        ],
    }
    sheet = cuadros[0].sheet if len(cuadros) == 1 else None
    return Staged(table, arrow.num_rows, {}, fmt, [], warnings, sheet=sheet)


def _assign_indicators(
    label: str, cuadros: list[Cuadro], catalogue: Catalogue, indicator: str | None, warnings: list[str]
) -> list[Cuadro]:
    """Each cuadro's indicator, from --indicador or its title; every title error is reported at once."""
    if indicator:
        if len(cuadros) > 1:
            sheets = ", ".join(c.sheet for c in cuadros)
            reason = (
                f"el libro tiene {len(cuadros)} cuadros (hojas {sheets}): con --indicador indique también la "
                "hoja con --hoja"
            )
            raise LoadError([Problem(label, reason)])
        c = cuadros[0]
        try:
            recognised = survey_indicator(c.title, catalogue)
        except NotRecognised:
            recognised = None
        if recognised and recognised != indicator:
            warnings.append(
                f"{label}: el título del cuadro corresponde a {recognised}; se carga como {indicator} "
                "por --indicador"
            )
        c.indicator = indicator
        return cuadros
    problems: list[Problem] = []
    unknown: list[Problem] = []
    for c in cuadros:
        try:
            c.indicator = survey_indicator(c.title, catalogue)
        except NotRecognised as e:
            problem = Problem(label, str(e), row=c.title_row, sheet=c.sheet)
            (problems if e.candidates or len(cuadros) == 1 else unknown).append(problem)
    loaded = [c for c in cuadros if c.indicator]
    if problems or not loaded:
        raise LoadError(problems or unknown)  # sheets of unknown cuadros are skipped, not errors
    if unknown:
        warnings.append(
            f"{label}: cuadros sin indicador en el catálogo, no se cargan: "
            + "; ".join(f"hoja {p.sheet!r}" for p in unknown)
        )
    return loaded


def _warn_skipped(label: str, cuadros: list[Cuadro], warnings: list[str]) -> None:
    parts = [
        f"hoja {c.sheet!r}: " + ", ".join(f"{line} ({text or 'sin etiqueta'})" for line, text in c.skipped)
        for c in cuadros
        if c.skipped
    ]
    if parts:
        n = sum(len(c.skipped) for c in cuadros)
        warnings.append(
            f"{label}: {n} filas de agrupación o fuera de la sección de departamentos no se cargan "
            f"como regiones — {'; '.join(parts)}"
        )
    ignored = [f"hoja {c.sheet!r}: {', '.join(c.ignored_columns)}" for c in cuadros if c.ignored_columns]
    if ignored:
        warnings.append(f"{label}: columnas que no son años, ignoradas — {'; '.join(ignored)}")


def _cells(cuadros: list[Cuadro]) -> pa.Table:
    """One row per (region row, year column), row by row: the tidy layout's columns and where each cell is."""
    cols: dict[str, list] = {
        c: []
        for c in ("_sheet", "_line", "_header_region", "_header_anio", "anio", "region", "indicador", "valor")
    }
    for c in cuadros:
        n_rows, n_years = len(c.rows), len(c.years)
        cols["_sheet"] += [c.sheet] * (n_rows * n_years)
        cols["_line"] += [line for line, _, _ in c.rows for _ in range(n_years)]
        cols["_header_region"] += [c.label_header] * (n_rows * n_years)
        cols["_header_anio"] += [y.header for y in c.years] * n_rows
        cols["anio"] += [y.year for y in c.years] * n_rows
        cols["region"] += [label for _, label, _ in c.rows for _ in range(n_years)]
        cols["indicador"] += [c.indicator] * (n_rows * n_years)
        cols["valor"] += [cell for _, _, cells in c.rows for cell in cells]
    n = len(cols["_line"])
    arrays = {"_row": pa.array(range(1, n + 1), pa.int64()), "_line": pa.array(cols.pop("_line"), pa.int64())}
    arrays |= {name: pa.array(values, pa.string()) for name, values in cols.items()}
    arrays["_header_valor"] = arrays["_header_anio"]
    for name in STAGE_COLUMNS:
        arrays.setdefault(name, pa.nulls(n, pa.string()))
    return pa.table(arrays)
