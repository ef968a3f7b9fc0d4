"""INEI's wide result tables (the department "A" tables of ENDES), unpivoted into a stage table.

One cuadro per sheet::

    Cuadro N° 04A                                               ← title, possibly over two rows
    PERÚ: DESNUTRICIÓN CRÓNICA … SEGÚN ÁMBITO GEOGRÁFICO, 2020-2024
    Ámbito geográfico       2020    2021    2022   2023   2024 P/  ← label column, then one column per year
    Total                   12.1    11.5    11.7   11.5   12.1
    Área de residencia                                           ← grouping rows and their members: skipped
    Urbana …
    Departamento                                                 ← the department section: loaded
    Amazonas               (21.3)   …       -                    ← (referential estimate), - no estimate
    Lima Metropolitana 1/   …
    1/ Comprende …                                               ← footnotes end the table
    Fuente: INEI - ENDES

Each (region row, year column) cell becomes one stage row with the columns of the survey loader's tidy layout,
so both layouts are checked by the same SQL. ``_row`` is then only a key; ``_sheet``, ``_line`` (Excel row),
``_header_region``, ``_header_anio`` and ``_header_valor`` (column letter and header) locate each cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .cuadros import fold, plain
from .excel import cell_text, open_book, uncomputed_formulas, unreadable
from .problems import LoadError
from .regions import COUNTRY, WHOLE_LIMA, RegionLabels, normalize_label

FORMAT = "inei_cuadro"
TITLE_SEARCH_ROWS = 15  # the "Cuadro N° …" title sits in the first rows
HEADER_SEARCH_ROWS = 8  # the year header follows the title (after a unit line such as "(Porcentaje)")
STAGE_COLUMNS = ("anio", "region", "indicador", "valor", "ic_inf", "ic_sup", "cv", "n")

_TITLE = re.compile(r"cuadro\b")
# 2024, "2024 P/" (preliminary), "2024 1/", "2024*": a year with INEI's marks after it.
_YEAR = re.compile(r"((?:19|20)\d\d)(?:\s*(?:[a-z]|\d{1,2})\s*/|\s*\*|\s*\(?p\)?)*", re.IGNORECASE)
_FOOTNOTE = re.compile(r"(\d{1,2}|[a-z])\s*/|\(?\*|(nota|notas|fuente|elaboracion)\b")
_DEPARTMENT_SECTION = re.compile(r"(segun )?departamentos?")
# Numbers are cells without a locale; only text cells, such as a referential "(21,3)", carry a decimal comma.
_DECIMAL_COMMA = re.compile(r"(\(?\s*[-+]?\d+),(\d{1,2}|\d{4,})(\s*\)?)")


class NotACuadro(ValueError):
    """A sheet that holds no INEI wide table."""


@dataclass(frozen=True, slots=True)
class YearColumn:
    index: int
    year: str  # '2024'
    header: str  # 'F (2024 P/)': where a problem is shown


@dataclass
class Cuadro:
    sheet: str
    title: str
    title_row: int  # Excel rows from here on
    header_row: int
    label_header: str  # 'B (Ámbito geográfico)'
    years: list[YearColumn]
    rows: list[tuple[int, str, list[str | None]]] = field(default_factory=list)  # (row, label, cells by year)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, label) not loaded
    ignored_columns: list[str] = field(default_factory=list)
    indicator: str | None = None


def column_letter(index: int) -> str:
    """0 → 'A', 25 → 'Z', 26 → 'AA'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_sheets(path: Path, sheet: str | None = None) -> list[tuple[str, list[list[object]]]]:
    """(name, rows) of the named sheet, or of every sheet; row k of the list is Excel row k + 1."""
    book, names = open_book(path, sheet)
    try:
        read = [
            (n, book.get_sheet_by_name(n).to_python(skip_empty_area=False))
            for n in ([sheet] if sheet else names)
        ]
    except Exception as e:  # calamine raises its own error types for zip/xml damage
        raise unreadable(path, e) from e
    formulas = [p for n, _ in read for p in uncomputed_formulas(path, n)]
    if formulas:
        raise LoadError(formulas)
    return read


def parse_cuadro(sheet: str, rows: list[list[object]], regions: RegionLabels) -> Cuadro:
    """Title, year columns and the rows to load of one sheet; NotACuadro if the sheet holds no wide table."""
    texts = [[cell_text(v) for v in row] for row in rows]
    if not any(any(row) for row in texts):
        raise NotACuadro("la hoja está vacía")
    top = _first_row(texts, 0, TITLE_SEARCH_ROWS, lambda t: bool(_TITLE.match(plain(t))))
    if top is None:
        raise NotACuadro(
            "no se reconoce la tabla: no tiene las columnas anio, region, indicador y valor (tabla ordenada) "
            f"ni un título «Cuadro N° …» en sus primeras {TITLE_SEARCH_ROWS} filas (cuadro INEI)"
        )
    head = _first_row(texts, top + 1, HEADER_SEARCH_ROWS, lambda t: bool(_YEAR.fullmatch(t)))
    if head is None:
        raise NotACuadro(
            f"el cuadro no tiene, en las {HEADER_SEARCH_ROWS} filas que siguen al título, una fila de "
            "encabezado con los años como columnas (2020, 2021 … o «2024 P/»)"
        )
    header = texts[head]
    years = {j: m.group(1) for j, t in enumerate(header) if t and (m := _YEAR.fullmatch(t))}
    year_cols = list(years)
    label_col = _label_column(header, texts[head + 1 :], year_cols[0])
    if label_col is None:
        raise NotACuadro(
            "el cuadro no tiene una columna con los nombres de los ámbitos a la izquierda de los años"
        )
    cuadro = Cuadro(
        sheet=sheet,
        title=" ".join(t for row in texts[top:head] for t in row if t),  # the unit line "(Porcentaje)" too
        title_row=top + 1,
        header_row=head + 1,
        label_header=_where(label_col, header[label_col]),
        years=[YearColumn(j, year, _where(j, header[j])) for j, year in years.items()],
        ignored_columns=[
            _where(j, t) for j, t in enumerate(header) if t and j > label_col and j not in year_cols
        ],
    )
    _sort_rows(cuadro, _body(texts, head + 1, label_col, year_cols), regions)
    if not cuadro.rows:
        raise NotACuadro("el cuadro no tiene filas de datos bajo el encabezado de años")
    return cuadro


def _first_row(
    texts: list[list[str | None]], start: int, count: int, test: Callable[[str], bool]
) -> int | None:
    """Index of the first of ``count`` rows from ``start`` with a cell that passes ``test``."""
    return next(
        (k for k in range(start, min(start + count, len(texts))) if any(t and test(t) for t in texts[k])),
        None,
    )


def _where(index: int, header: str | None) -> str:
    """How a problem names a column: 'F (2024 P/)', or 'B' when the header cell is empty."""
    return f"{column_letter(index)} ({header})" if header else column_letter(index)


def _label_column(header: list[str | None], body: list[list[str | None]], first_year: int) -> int | None:
    """The header's label cell ('Ámbito geográfico', 'Departamento'), else the leftmost column with text."""
    named = [j for j in range(first_year) if header[j]]
    if named:
        return named[0]
    return next((j for j in range(first_year) if any(len(row) > j and row[j] for row in body)), None)


def _body(
    texts: list[list[str | None]], start: int, label_col: int, year_cols: list[int]
) -> list[tuple[int, str, list[str | None]]]:
    """(Excel row, label, cells by year) of the rows under the header, up to the footnotes."""
    body = []
    for k in range(start, len(texts)):
        row = texts[k]
        label = (row[label_col] if label_col < len(row) else None) or ""
        if label and _FOOTNOTE.match(fold(label)):
            break
        cells = [_decimal_point(row[j]) if j < len(row) else None for j in year_cols]
        if label or any(cells):
            body.append((k + 1, label, cells))
    return body


def _decimal_point(text: str | None) -> str | None:
    """'(21,3)' → '(21.3)', so that text cells read like the number cells beside them."""
    if text and "," in text and _DECIMAL_COMMA.fullmatch(text):
        return _DECIMAL_COMMA.sub(r"\1.\2\3", text)
    return text


def _sort_rows(cuadro: Cuadro, body: list[tuple[int, str, list[str | None]]], regions: RegionLabels) -> None:
    """Load the country row and the department section; skip grouping rows and the other sections.

    Real tables group rows ("Área de residencia", "Región natural" …) before a "Departamento" section, and the
    same label (Lima Metropolitana) can appear in two sections: only the department one is the region. Without
    such a section every row is a department row.
    """
    section = next(
        (
            i
            for i, (_, label, cells) in enumerate(body)
            if not any(cells) and _DEPARTMENT_SECTION.fullmatch(normalize_label(label))
        ),
        -1,
    )
    for i, (line, label, cells) in enumerate(body):
        code = regions.code(label)
        # In the section, a label without values is a grouping row; one with values that maps to no region is
        # loaded so that the checks report it. "Lima" alone is the whole department, two ENDES regions.
        department_row = (
            i > section and label and normalize_label(label) != WHOLE_LIMA and (code or any(cells))
        )
        if code == COUNTRY or department_row:
            cuadro.rows.append((line, label, cells))
        else:
            cuadro.skipped.append((line, label))
