"""Which MEF layout a file is, from its headers, and the SQL that stages each layout into one shape."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from warehouse.db import WarehouseError

from ..checks import lit
from ..columns import normalize
from ..problems import LoadError, Problem
from .headers import (
    CODE_COLUMNS,
    DEVENGADO_TOTAL,
    DIMENSIONS,
    KNOWN,
    MEASURES,
    NO_PRODUCT,
    PROGRAM_CODE,
    Amount,
    amount_of,
)


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
        return f"(not regexp_full_match(coalesce({code}, ''), '{PROGRAM_CODE}') or lpad({code}, 4, '0') in ({wanted}))"

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
        dimension = next((d for d, names in DIMENSIONS.items() if n in names), None)
        amount = None if dimension else amount_of(n)
        column = dimension or (amount.column if amount else None)
        if column is None:
            if n not in KNOWN:
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
