"""The checks every nominal record must pass, as SQL on the engine's ``registros_texto`` (the layout's columns as
text plus ``_archivo`` and ``_fila``): ``registros_tipados`` (materialised: parsed values, ages, month indexes and
one flag per scope), ``problemas`` (one row per failed check: file, row, column, value, reason) and
``registros_validos`` (the rows with no problem — the only ones any indicator reads)."""

from __future__ import annotations

from dataclasses import dataclass

from .definitions import Definitions
from .sql_text import blank, q

MAX_AGE_DAYS = 6 * 366  # the program's children are under 5; a little room for late records


@dataclass(frozen=True, slots=True)
class Check:
    column: str
    bad: str  # SQL on registros_tipados' columns, true when the row fails
    reason: str
    # fila: the row is quarantined; medicion: the row's value is not used (it still counts as an attention);
    # aviso: listed only (a column no definition reads)
    scope: str = "fila"
    shown: str = ""  # SQL of the value shown, when not the column itself


_DNI_LIKE = "regexp_matches(trim(id_nino), '^[0-9]{8}$')"
_ID_SHOWN = (
    f"case when {_DNI_LIKE} then '********' else trim(id_nino) end"  # a document number is never copied
)


def checks(defs: Definitions) -> list[Check]:
    """Every rule a record must meet, as SQL conditions. Rows that fail any are quarantined, never guessed at."""
    date_ok = "length(trim({c})) = 10 and d_{c} is not null"
    out = [
        Check(c, blank(c), f"falta {c}")
        for c in ("fecha_atencion", "cod_ipress", "ubigeo", "id_nino", "fecha_nacimiento", "codigo")
    ]
    for c in ("fecha_atencion", "fecha_nacimiento"):
        out.append(
            Check(c, f"not {blank(c)} and not ({date_ok.format(c=c)})", "fecha no válida (use AAAA-MM-DD)")
        )
    out += [
        Check("problema", "not " + blank("problema"), "la fila no se puede ubicar en los maestros del HIS"),
        Check("fecha_nacimiento", "edad_dias < 0", "la fecha de nacimiento es posterior a la atención"),
        Check("fecha_nacimiento", f"edad_dias > {MAX_AGE_DAYS}", "edad fuera del programa (más de 6 años)"),
        Check(
            "fecha_nacimiento",
            "nacimientos_distintos",
            "el mismo id_nino tiene otra fecha de nacimiento en otra fila",
        ),
        Check(
            "cod_ipress",
            f"not {blank('cod_ipress')} and not regexp_matches(trim(cod_ipress), '^[0-9]{{1,8}}$')",
            "código IPRESS no válido (hasta 8 dígitos)",
        ),
        Check(
            "ubigeo",
            f"not {blank('ubigeo')} and not regexp_matches(trim(ubigeo), '^[0-9]{{1,6}}$')",
            "ubigeo no válido (6 dígitos)",
        ),
        Check(
            "id_nino",
            _DNI_LIKE,
            "parece un número de DNI (no se copia aquí): los registros deben traer un identificador seudonimizado",
            shown="'********'",
        ),
        Check(
            "sexo",
            f"not {blank('sexo')} and upper(trim(sexo)) not in ('M', 'F')",
            "sexo no válido (M o F); ningún indicador lo usa: la atención cuenta",
            "aviso",
        ),
        Check(
            "valor",
            f"not {blank('valor')} and n_valor is null",
            "valor no numérico: la atención cuenta, la medición no",
            "medicion",
        ),
    ]
    for code, (lo, hi) in defs.measured_codes.items():
        out += [
            Check(
                "valor",
                f"cod = {q(code)} and {blank('valor')}",
                f"falta el valor de {code}: la atención cuenta, la medición no",
                "medicion",
            ),
            Check(
                "valor",
                f"cod = {q(code)} and (n_valor < {lo!r} or n_valor > {hi!r})",
                f"valor de {code} fuera del rango plausible ({lo:g}–{hi:g}): la atención cuenta, la medición no",
                "medicion",
            ),
            Check(
                "altitud",
                f"cod = {q(code)} and ({blank('altitud')} or n_altitud is null or n_altitud < 0 "
                "or n_altitud > 6000)",
                f"falta la altitud o no es válida (metros, 0–6000): el ajuste de {code} la necesita; la atención "
                "cuenta, la medición no",
                "medicion",
            ),
        ]
    return out


# The children with two birth dates: a group-by of two columns joined back costs a fraction of a window over every
# row partitioned by the child (the sort of millions of 64-character pseudonyms).
_TWO_BIRTHS = (
    "select trim(id_nino) as id_x from registros_texto group by trim(id_nino) "
    "having min(try_cast(trim(fecha_nacimiento) as date)) <> max(try_cast(trim(fecha_nacimiento) as date))"
)


def typed(defs: Definitions) -> str:
    """The query of ``registros_tipados``: values parsed once; a row's checks become one ``_malo`` flag. The
    engine materialises it once, then every step reads it."""
    parsed = (
        "select *, "
        "try_cast(trim(fecha_atencion) as date) as d_fecha_atencion, "
        "try_cast(trim(fecha_nacimiento) as date) as d_fecha_nacimiento, "
        "try_cast(replace(trim(valor), ',', '.') as double) as n_valor, "
        "try_cast(replace(trim(altitud), ',', '.') as double) as n_altitud, "
        "upper(trim(codigo)) as cod "
        "from registros_texto"
    )
    aged = (
        "select *, date_diff('day', d_fecha_nacimiento, d_fecha_atencion) as edad_dias, "
        "(year(d_fecha_atencion) - year(d_fecha_nacimiento)) * 12 + month(d_fecha_atencion) "
        "- month(d_fecha_nacimiento) - case when day(d_fecha_atencion) < day(d_fecha_nacimiento) then 1 else 0 end "
        "as edad_meses, "
        "year(d_fecha_atencion) * 12 + month(d_fecha_atencion) - 1 as mes_idx, "
        "year(d_fecha_nacimiento) * 12 + month(d_fecha_nacimiento) - 1 as nac_mes_idx, "
        "x.id_x is not null as nacimientos_distintos "
        f"from ({parsed}) as p left join ({_TWO_BIRTHS}) as x on x.id_x = trim(p.id_nino)"
    )

    def flag(scope: str) -> str:
        return " or ".join(f"coalesce({c.bad}, false)" for c in checks(defs) if c.scope == scope) or "false"

    return (
        f"select *, ({flag('fila')}) as _malo, ({flag('medicion')}) as _sin_medida, ({flag('aviso')}) as _aviso "
        f"from ({aged}) as a"
    )


# Rows identical in every column. They change no figure (each definition counts distinct children, dates and
# months), so they are counted and shown, not quarantined; a group-by finds them at a fraction of a window's cost.
_SAME = (
    "trim(id_nino), d_fecha_atencion, trim(cod_ipress), trim(ubigeo), d_fecha_nacimiento, upper(trim(sexo)), cod, "
    "n_valor, n_altitud, upper(trim(lab)), upper(trim(tipo_diagnostico))"
)
REPEATED = (
    f"select count(*), coalesce(sum(n - 1), 0), min(ejemplo) from (select {_SAME}, count(*) as n, "
    "min(concat(_archivo, ', fila ', coalesce(cast(_fila as varchar), '?'), ', id_nino ', trim(id_nino), ', ', "
    f"trim(fecha_atencion), ', ', cod)) as ejemplo from registros_tipados where not _malo group by {_SAME} "
    "having count(*) > 1) as g"
)


def problems_view(defs: Definitions) -> str:
    flag = {"fila": "_malo", "medicion": "_sin_medida", "aviso": "_aviso"}
    parts = [
        f"select _archivo, _fila, {q(c.column)} as columna, cast({c.shown or c.column} as varchar) as valor, "
        f"{q(c.reason)} as motivo, {_ID_SHOWN} as id_nino, trim(fecha_atencion) as fecha_atencion, "
        f"{q(c.scope)} as alcance from registros_tipados where {flag[c.scope]} and coalesce({c.bad}, false)"
        for c in checks(defs)
    ]
    return "create or replace temp view problemas as " + " union all ".join(parts)


VALID_VIEW = (
    "create or replace temp view registros_validos as "
    "select trim(id_nino) as id_nino, d_fecha_atencion as fecha_atencion, d_fecha_nacimiento as fecha_nacimiento, "
    "lpad(trim(cod_ipress), 8, '0') as cod_ipress, lpad(trim(ubigeo), 6, '0') as ubigeo, cod as codigo, "
    "n_valor as valor, n_altitud as altitud, not _sin_medida as medida_ok, edad_dias, edad_meses, mes_idx, "
    "nac_mes_idx, coalesce(upper(trim(lab)), '') as lab, coalesce(upper(trim(tipo_diagnostico)), '') as tipo_dx, coalesce(trim(cita), '') as cita "
    "from registros_tipados where not _malo"
)
