"""MEF budget files as they are published: the open-data CSV "Presupuesto y ejecución de gasto" in its layouts,
and the Consulta Amigable tables analysts download as XLSX, staged into one shape for the budget loader.

Layouts are told apart by their headers (case and accents aside), never by position:

- ``mensual``: ``ANO_EJE, MES_EJE … MONTO_PIA … MONTO_GIRADO``, each row one month's movement ("Gasto Diario", 63 columns);
- ``devengado_mensual``: "Devengado Mensual" (73 columns): year-to-date ``MONTO_PIA``, ``MONTO_PIM``,
  ``MONTO_CERTIFICADO_ANUAL``, ``MONTO_COMPROMETIDO_ANUAL``, ``MONTO_GIRADO_ANUAL``, each month's
  ``MONTO_DEVENGADO_ENERO`` … ``_DICIEMBRE`` and their sum ``MONTO_DEVENGADO_ANUAL``;
- ``multianual``: amounts suffixed with their year (``PIA_2024``, ``PIM_2024``, ``DEVENGADO_2025``…);
- ``anual``: a year and amounts with no month (Consulta Amigable: ``Año, Departamento, … PIM, Devengado``).

Every layout is staged as text, one row per file row, with the columns ``ano``, ``mes``, ``programa``,
``producto``, ``producto_nombre``, ``departamento`` (of the meta), ``provincia`` (of the executing unit, 4 digits),
``ejecutora`` (SEC_EJEC) and ``ejecutora_nombre``, and one column per amount (``pim``, ``devengado_m03``, ``pia_2024``…). Consulta Amigable's ``code: NAME`` cells
(``01: AMAZONAS``, ``0001: PROGRAMA ARTICULADO NUTRICIONAL``) are split into code and name on the way in.

Reading a national CSV. The open-data file holds every budget program of a year (several GB); the warehouse wants
the few the catalogue names. DuckDB streams the file in parallel with every column declared VARCHAR (codes keep
their zeros, nothing is auto-detected), parses only the columns the layout uses, and keeps only the rows of the
catalogue's programs — plus rows whose program code is missing or malformed, so that the checks report them. The
stage therefore holds a small share of the file whatever its size, and the rest never leaves DuckDB's scan.

The CSV reader cannot say which line a row came from, and numbering rows in the scan (``row_number() over ()``)
forces a single-threaded ordered pass that costs more than the whole load. So staged rows get a provisional key
in file order (``_row`` = −1, −2, …) and :meth:`MefCsv.number_lines` puts the real line numbers in only when the
file has a problem to report: one more scan that stores one boolean per line (kept or not) and locates the kept
rows among them. A clean file — the usual case — is read once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from warehouse.db import WarehouseError, scalar

from .checks import lit
from .columns import normalize
from .csvfile import Staged, read_head, read_rejects, reject_problems
from .encoding import as_utf8
from .excel import cell_text, open_sheet
from .problems import LoadError, Problem

MEASURES = ("pia", "pim", "certificado", "comprometido_anual", "comprometido", "devengado", "girado")
MONTHS = {
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
}  # fmt: skip
NO_PRODUCT = ("0000000", "(sin desglose por producto)")
DEVENGADO_TOTAL = "devengado_anual"  # stage column: the year's devengado beside the monthly columns
HEADER_SEARCH_ROWS = 30

# Normalised header → measure; MEF writes "MONTO_" before the open-data names, Consulta Amigable its own words.
_MEASURE_NAMES = {
    "pia": "pia", "pim": "pim", "certificado": "certificado", "certificacion": "certificado",
    "comprometido_anual": "comprometido_anual", "compromiso_anual": "comprometido_anual",
    "comprometido": "comprometido", "compromiso_mensual": "comprometido",
    "atencion_de_compromiso_mensual": "comprometido", "devengado": "devengado", "girado": "girado",
}  # fmt: skip
_AMOUNT = re.compile(
    r"(?:monto_)?(?P<measure>" + "|".join(sorted(_MEASURE_NAMES, key=len, reverse=True)) + r")"
    r"(?:_(?P<suffix>\d{4}|[a-z]+))?"
)
# Stage column → the normalised headers it is read from, in order of preference.
_DIMENSIONS = {
    "ano": ("ano_eje", "ano", "anio", "year", "ejercicio"),
    "mes": ("mes_eje", "mes", "month"),
    # Consulta Amigable's "Categoría Presupuestal" cells are '0001: PROGRAMA ARTICULADO NUTRICIONAL'.
    "programa": (
        "programa_ppto",
        "programa_presupuestal",
        "programa",
        "cod_programa",
        "categoria_presupuestal",
    ),
    "producto": ("producto_proyecto", "producto", "cod_producto", "producto_actividad_proyecto"),
    "producto_nombre": ("producto_proyecto_nombre", "producto_nombre"),
    "departamento": ("departamento_meta", "ubi_dpto"),
    # Consulta Amigable: '01: AMAZONAS', or a bare name next to UBI_DPTO
    "departamento_texto": ("departamento",),
    "departamento_ejecutora": ("departamento_ejecutora",),
    "provincia_ejecutora": ("provincia_ejecutora",),
    "provincia": ("provincia",),
    # Processed Consulta Amigable exports split the codes into their own columns: these win over the names.
    "provincia_codigo": ("ubi_prov",),
    "distrito_codigo": ("ubi_dist",),
    "ejecutora_codigo": ("cod_siaf",),
    # The executing unit: SEC_EJEC in the open data; Consulta Amigable's '010101-300001: MUNICIPALIDAD …' cells
    # (ubigeo-SEC_EJEC: NAME). The open data's EJECUTORA is a number within the pliego, not a unit code.
    "ejecutora": ("sec_ejec", "unidad_ejecutora", "municipalidad"),
    "ejecutora_nombre": ("ejecutora_nombre",),
}
# Processed exports' code columns: stage column → the form a code must have, and what it is.
CODE_COLUMNS = {
    "provincia_codigo": (r"\d{1,4}", "código de provincia (UBI_PROV: 4 dígitos, o 2 dentro de UBI_DPTO)"),
    "distrito_codigo": (r"\d{5,6}", "ubigeo del distrito (UBI_DIST: 6 dígitos)"),
    "ejecutora_codigo": (r"\d{1,6}", "código de la unidad ejecutora (COD_SIAF: SEC_EJEC, hasta 6 dígitos)"),
}
# Columns of the open-data file and of Consulta Amigable that the warehouse does not use: ignored without a word.
# fmt: off
_UNUSED = (
    "NIVEL_GOBIERNO", "NIVEL_GOBIERNO_NOMBRE", "SECTOR", "SECTOR_NOMBRE", "PLIEGO", "PLIEGO_NOMBRE",
    "EJECUTORA", "DEPARTAMENTO_EJECUTORA_NOMBRE", "PROVINCIA_EJECUTORA_NOMBRE",
    "DISTRITO_EJECUTORA", "DISTRITO_EJECUTORA_NOMBRE", "SEC_FUNC", "PROGRAMA_PPTO_NOMBRE", "TIPO_ACT_PROY",
    "TIPO_ACT_PROY_NOMBRE", "ACTIVIDAD_ACCION_OBRA", "ACTIVIDAD_ACCION_OBRA_NOMBRE", "FUNCION", "FUNCION_NOMBRE",
    "DIVISION_FUNCIONAL", "DIVISION_FUNCIONAL_NOMBRE", "GRUPO_FUNCIONAL", "GRUPO_FUNCIONAL_NOMBRE", "META",
    "FINALIDAD", "META_NOMBRE", "DEPARTAMENTO_META_NOMBRE", "FUENTE_FINANCIAMIENTO", "FUENTE_FINANCIAMIENTO_NOMBRE",
    "RUBRO", "RUBRO_NOMBRE", "TIPO_RECURSO", "TIPO_RECURSO_NOMBRE", "CATEGORIA_GASTO", "CATEGORIA_GASTO_NOMBRE",
    "TIPO_TRANSACCION", "TIPO_TRANSACCION_NOMBRE", "GENERICA", "GENERICA_NOMBRE", "SUBGENERICA", "SUBGENERICA_NOMBRE", "SUBGENERICA_DET",
    "SUBGENERICA_DET_NOMBRE", "ESPECIFICA", "ESPECIFICA_NOMBRE", "ESPECIFICA_DET", "ESPECIFICA_DET_NOMBRE",
    "Distrito", "Avance %", "Nivel de Gobierno", "Sector", "Pliego", "Ejecutora", "Función", "Genérica", "Fuente de Financiamiento",
)
# fmt: on
_KNOWN = {normalize(h) for h in _UNUSED}
_PROGRAM_CODE = r"\d{1,4}"


@dataclass(frozen=True, slots=True)
class Amount:
    """A column of amounts: which measure, and for which year or month when the header says so."""

    measure: str
    column: str  # stage column
    year: int | None = None  # multianual layout
    month: int | None = None  # devengado_mensual layout


@dataclass(frozen=True)
class MefLayout:
    kind: str  # mensual | devengado_mensual | multianual | anual
    headers: tuple[str, ...]
    sources: dict[str, int]  # stage column → position of its header
    amounts: tuple[Amount, ...]
    coded: bool  # cells written 'code: NAME' (Consulta Amigable)

    @property
    def mapping(self) -> dict[str, str]:
        """Stage column → header as written, for problem reports."""
        shown = dict(self.sources)
        if "departamento" not in shown and "departamento_texto" in shown:
            shown["departamento"] = shown["departamento_texto"]
        elif "departamento" not in shown and "departamento_ejecutora" in shown:
            shown["departamento"] = shown["departamento_ejecutora"]
        return {c: self.headers[k] for c, k in shown.items()}

    def has(self, column: str) -> bool:
        return column in self.sources

    @property
    def years(self) -> list[int]:
        return sorted({a.year for a in self.amounts if a.year is not None})

    def measures(self) -> set[str]:
        return {a.measure for a in self.amounts}

    def select(self, program: str | None) -> str:
        """The stage columns, as SQL over the file's columns ``c0``, ``c1``… (``program``: the --programa code)."""
        return ",\n".join(f"{sql} as {name}" for name, sql in self._expressions(program).items())

    def keep(self, program: str | None, programs: Sequence[str]) -> str:
        """SQL predicate over ``c0``… for the rows to stage: the catalogue's programs and unreadable program codes
        (which the checks report); rows of other programs are skipped."""
        if program is not None:
            return "true"
        code = self._expressions(None)["programa"]
        wanted = ", ".join(lit(p) for p in programs)
        return f"(not regexp_full_match(coalesce({code}, ''), '{_PROGRAM_CODE}') or lpad({code}, 4, '0') in ({wanted}))"

    def _col(self, name: str) -> str:
        return f"c{self.sources[name]}"

    def _code(self, name: str) -> str:
        return f"trim(split_part({self._col(name)}, ':', 1))" if self.coded else f"trim({self._col(name)})"

    def _name(self, name: str) -> str:
        """The NAME of a 'code: NAME' cell (the whole text when there is no code)."""
        c = self._col(name)
        return f"nullif(trim(substr({c}, strpos({c}, ':') + 1)), '')"

    def _province(self, department: str) -> str:
        """The executing unit's province (4 digits), from the first column that gives it: UBI_PROV (4 digits, or 2
        within UBI_DPTO), Consulta Amigable's '0101: CHACHAPOYAS', the district code UBI_DIST, the open data's
        DEPARTAMENTO_EJECUTORA + PROVINCIA_EJECUTORA, or the ubigeo before a municipality's SEC_EJEC
        ('150101-300001: …')."""
        options = []
        if self.has("provincia_codigo"):
            p = f"trim({self._col('provincia_codigo')})"
            options += [
                f"case when regexp_full_match({p}, '\\d{{3,4}}') then lpad({p}, 4, '0') end",
                f"case when regexp_full_match({p}, '\\d{{1,2}}') and regexp_full_match({department}, '\\d{{1,2}}') "
                f"then lpad({department}, 2, '0') || lpad({p}, 2, '0') end",
            ]
        if self.has("provincia"):
            code = self._code("provincia")
            options.append(f"case when regexp_full_match({code}, '\\d{{3,4}}') then lpad({code}, 4, '0') end")
        if self.has("distrito_codigo"):
            d = f"trim({self._col('distrito_codigo')})"
            options.append(
                f"case when regexp_full_match({d}, '\\d{{5,6}}') then left(lpad({d}, 6, '0'), 4) end"
            )
        if self.has("departamento_ejecutora") and self.has("provincia_ejecutora"):
            d, p = (f"trim({self._col(c)})" for c in ("departamento_ejecutora", "provincia_ejecutora"))
            options.append(
                f"case when regexp_full_match({d}, '\\d{{1,2}}') and regexp_full_match({p}, '\\d{{1,2}}') "
                f"then lpad({d}, 2, '0') || lpad({p}, 2, '0') end"
            )
        if self.has("ejecutora") and self.coded:
            options.append(
                f"nullif(regexp_extract({self._code('ejecutora')}, '^(\\d{{4}})\\d{{2}}-', 1), '')"
            )
        return f"coalesce({', '.join(options)})" if options else "null::varchar"

    def _expressions(self, program: str | None) -> dict[str, str]:
        e = {
            name: "null::varchar"
            for name in (
                "ano", "mes", "programa", "producto", "producto_nombre", "departamento", "provincia", "ejecutora",
                "ejecutora_nombre",
            )
        }  # fmt: skip
        for name in ("ano", "mes"):
            if self.has(name):
                e[name] = f"trim({self._col(name)})"
        e["programa"] = lit(program) if program is not None else self._code("programa")
        if self.has("producto"):
            e["producto"] = self._code("producto")
            e["producto_nombre"] = (
                f"trim({self._col('producto_nombre')})"
                if self.has("producto_nombre")
                else self._name("producto")
                if self.coded
                else "null::varchar"
            )
        else:
            e["producto"], e["producto_nombre"] = (lit(x) for x in NO_PRODUCT)
        department = next(
            (d for d in ("departamento", "departamento_texto", "departamento_ejecutora") if self.has(d)), None
        )
        if department:
            e["departamento"] = self._code(department)
        e["provincia"] = self._province(e["departamento"])
        for code in CODE_COLUMNS:  # kept as written, for the checks
            if self.has(code):
                e[code] = f"trim({self._col(code)})"
        if self.has("ejecutora_codigo"):  # COD_SIAF beside the unit's name: the code keys the unit
            e["ejecutora"] = f"nullif(ltrim(trim({self._col('ejecutora_codigo')}), '0'), '')"
        elif self.has("ejecutora"):
            code = f"trim(split_part({self._code('ejecutora')}, '-', -1))"
            e["ejecutora"] = f"nullif(ltrim({code}, '0'), '')"
        if self.has("ejecutora_nombre"):
            e["ejecutora_nombre"] = f"trim({self._col('ejecutora_nombre')})"
        elif self.has("ejecutora") and (self.coded or self.has("ejecutora_codigo")):
            e["ejecutora_nombre"] = self._name("ejecutora")
        for a in self.amounts:
            e[a.column] = self._col(a.column)
        return e


def detect_layout(
    headers: Sequence[str], file: str, *, sheet: str | None = None, header_row: int = 1, coded: bool = False
) -> tuple[MefLayout, list[str]]:
    """Recognise the layout from the headers; LoadError listing every missing column."""
    sources: dict[str, int] = {}
    amounts: dict[str, Amount] = {}
    unknown, warnings = [], []
    for k, header in enumerate(headers):
        n = normalize(header)
        if not n:
            continue
        dimension = next((d for d, names in _DIMENSIONS.items() if n in names), None)
        amount = None if dimension else _amount(n)
        column = dimension or (amount.column if amount else None)
        if column is None:
            if n not in _KNOWN:
                unknown.append(str(header))
        elif column in sources:
            warnings.append(f"{file}: columna {header!r} repetida; se usa {headers[sources[column]]!r}")
        else:
            sources[column] = k
            if amount:
                amounts[column] = amount
    if "departamento" in sources:
        sources.pop("departamento_texto", None)  # a name next to UBI_DPTO: the code is enough
    if unknown:
        warnings.insert(0, f"{file}: columnas desconocidas ignoradas: {', '.join(unknown)}")

    def problem(reason: str) -> Problem:
        return Problem(file, reason, row=header_row, sheet=sheet)

    if any(a.month is not None for a in amounts.values()) and "devengado" in amounts:
        # Each month's devengado is stored; the year's (MONTO_DEVENGADO_ANUAL) is checked against their sum.
        sources[DEVENGADO_TOTAL] = sources.pop("devengado")
        amounts[DEVENGADO_TOTAL] = Amount("devengado", DEVENGADO_TOTAL)
        del amounts["devengado"]
    years = {a.year for a in amounts.values()}
    if None in years and len(years) > 1:
        plain = ", ".join(headers[sources[a.column]] for a in amounts.values() if a.year is None)
        raise LoadError(
            [
                problem(
                    f"mezcla columnas de montos por año (PIM_2024) con columnas sin año ({plain}): "
                    "no se sabe a qué año corresponden"
                )
            ]
        )
    if years - {None}:
        kind = "multianual"
    elif any(a.month is not None for a in amounts.values()):
        kind = "devengado_mensual"
    else:
        kind = "mensual" if "mes" in sources else "anual"

    missing = []
    if kind != "multianual" and "ano" not in sources:
        missing.append("falta la columna del año (ANO_EJE o Año)")
    for measure in ("pim", "devengado"):
        if measure not in {a.measure for a in amounts.values()}:
            m = measure.upper()
            missing.append(
                f"falta la columna de montos {m} (p. ej. MONTO_{m}, {m}_2024 o {measure.capitalize()})"
            )
    if missing:
        raise LoadError([problem(reason) for reason in missing])

    if "producto" not in sources:
        warnings.append(
            f"{file}: sin columna de producto: los montos se cargan como producto {NO_PRODUCT[0]} "
            f"{NO_PRODUCT[1]}"
        )
    if not {"departamento", "departamento_texto"} & set(sources):
        warnings.append(
            f"{file}: sin columna de departamento de la meta; se usa el de la unidad ejecutora"
            if "departamento_ejecutora" in sources
            else f"{file}: sin columna de departamento: los montos cuentan solo en el total nacional"
        )
    layout = MefLayout(kind, tuple(str(h) for h in headers), sources, tuple(amounts.values()), coded)
    return layout, warnings


def non_negative_measures(settings: Mapping[str, Any]) -> tuple[str, ...]:
    """The measures whose year-to-date total must not be negative (``mef.non_negative`` of settings.yaml): all
    seven when the key is absent, none when it is empty. Monthly movements may always be negative (reversals)."""
    if "non_negative" not in settings:
        return MEASURES
    chosen = settings["non_negative"] or []
    unknown = [m for m in chosen if m not in MEASURES] if isinstance(chosen, list) else [chosen]
    if unknown:
        raise WarehouseError(
            f"settings.yaml: mef.non_negative debe ser una lista de montos ({', '.join(MEASURES)}); "
            f"no se reconoce: {', '.join(map(str, unknown))}"
        )
    return tuple(m for m in MEASURES if m in chosen)


def program_option(
    layout: MefLayout, program: str | None, file: str, *, sheet: str | None = None, header_row: int = 1
) -> tuple[str | None, list[str]]:
    """The program every row belongs to when the file has no program column (the --programa code), or None
    when the file names its programs; LoadError when neither says."""
    if layout.has("programa"):
        ignored = f"{file}: --programa {program} no se usa: el archivo trae la columna {layout.mapping['programa']!r}"
        return None, [ignored] if program else []
    if program is None:
        raise LoadError(
            [
                Problem(
                    file,
                    "el archivo no tiene columna de programa presupuestal: indique el programa "
                    "con --programa (p. ej. --programa 0001)",
                    row=header_row,
                    sheet=sheet,
                )
            ]
        )
    return program, [
        f"{file}: sin columna de programa: todas las filas se cargan como programa {program} (--programa)"
    ]


def _amount(normalized: str) -> Amount | None:
    m = _AMOUNT.fullmatch(normalized)
    if not m:
        return None
    measure, suffix = _MEASURE_NAMES[m["measure"]], m["suffix"]
    if suffix is None:
        return Amount(measure, measure)
    if suffix.isdigit():
        return Amount(measure, f"{measure}_{suffix}", year=int(suffix))
    if suffix == "anual":  # the "Devengado Mensual" file: MONTO_CERTIFICADO_ANUAL… are the year to date
        return Amount(measure, measure)
    if suffix in MONTHS and measure == "devengado":
        return Amount(measure, f"devengado_m{MONTHS[suffix]:02d}", month=MONTHS[suffix])
    return None


# --- the open-data CSV --------------------------------------------------------------------------------------


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


# --- Consulta Amigable XLSX -----------------------------------------------------------------------------------


def find_header(rows: list[list[object]]) -> int | None:
    """Index of the first row that names a year and the PIM or the devengado."""
    for k, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = {normalize(cell_text(v)) for v in row}
        amounts = {a.measure for a in map(_amount, names) if a}
        if {"pim", "devengado"} <= amounts or (
            names & set(_DIMENSIONS["ano"]) and amounts & {"pim", "devengado"}
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
