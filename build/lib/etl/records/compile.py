"""Definitions → SQL. Written once in DuckDB's dialect and translated by SQLGlot for Spark: one text, two
engines. Everything below keeps to what both run the same way: integer month indexes instead of date
truncation, ``row_number()`` in a subquery instead of QUALIFY, explicit orderings that leave no tie to chance.

The engine provides ``registros_texto``: the layout's columns as text plus ``_archivo`` and ``_fila`` (where the
row is, as far as the engine can say). The compiled views are then:

- ``registros_tipados`` (materialised): parsed values, ages and month indexes, and one flag column per check;
- ``problemas``: one row per failed check (file, row, column, value, reason);
- ``registros_validos``: the rows with no problem — the only ones any indicator reads;
- the indicator query: monthly numerator and denominator per facility, for the months the records cover whole.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlglot

from .definitions import Definition, Definitions

DIALECTS = {"duckdb": "duckdb", "spark": "spark"}
MAX_AGE_DAYS = 6 * 366  # the program's children are under 5; a little room for late records


def translate(sql: str, engine: str) -> str:
    """The DuckDB text as the engine's SQL (the identity for DuckDB)."""
    if engine == "duckdb":
        return sql
    return sqlglot.transpile(sql, read="duckdb", write=DIALECTS[engine], pretty=True)[0]


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _in(codes: tuple[str, ...]) -> str:
    return "(" + ", ".join(_q(c) for c in codes) + ")"


def _blank(col: str) -> str:
    return f"(nullif(trim({col}), '') is null)"


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
        Check(c, _blank(c), f"falta {c}")
        for c in ("fecha_atencion", "cod_ipress", "ubigeo", "id_nino", "fecha_nacimiento", "codigo")
    ]
    for c in ("fecha_atencion", "fecha_nacimiento"):
        out.append(
            Check(c, f"not {_blank(c)} and not ({date_ok.format(c=c)})", "fecha no válida (use AAAA-MM-DD)")
        )
    out += [
        Check("fecha_nacimiento", "edad_dias < 0", "la fecha de nacimiento es posterior a la atención"),
        Check("fecha_nacimiento", f"edad_dias > {MAX_AGE_DAYS}", "edad fuera del programa (más de 6 años)"),
        Check(
            "fecha_nacimiento",
            "nacimientos_distintos",
            "el mismo id_nino tiene otra fecha de nacimiento en otra fila",
        ),
        Check(
            "cod_ipress",
            f"not {_blank('cod_ipress')} and not regexp_matches(trim(cod_ipress), '^[0-9]{{1,8}}$')",
            "código IPRESS no válido (hasta 8 dígitos)",
        ),
        Check(
            "ubigeo",
            f"not {_blank('ubigeo')} and not regexp_matches(trim(ubigeo), '^[0-9]{{1,6}}$')",
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
            f"not {_blank('sexo')} and upper(trim(sexo)) not in ('M', 'F')",
            "sexo no válido (M o F); ningún indicador lo usa: la atención cuenta",
            "aviso",
        ),
        Check(
            "valor",
            f"not {_blank('valor')} and n_valor is null",
            "valor no numérico: la atención cuenta, la medición no",
            "medicion",
        ),
    ]
    for code, (lo, hi) in defs.measured_codes.items():
        out += [
            Check(
                "valor",
                f"cod = {_q(code)} and {_blank('valor')}",
                f"falta el valor de {code}: la atención cuenta, la medición no",
                "medicion",
            ),
            Check(
                "valor",
                f"cod = {_q(code)} and (n_valor < {lo!r} or n_valor > {hi!r})",
                f"valor de {code} fuera del rango plausible ({lo:g}–{hi:g}): la atención cuenta, la medición no",
                "medicion",
            ),
            Check(
                "altitud",
                f"cod = {_q(code)} and ({_blank('altitud')} or n_altitud is null or n_altitud < 0 "
                "or n_altitud > 6000)",
                f"falta la altitud o no es válida (metros, 0–6000): el ajuste de {code} la necesita; la atención "
                "cuenta, la medición no",
                "medicion",
            ),
        ]
    return out


def typed(defs: Definitions) -> str:
    """The query of ``registros_tipados``: values parsed once; a row's checks become one ``_malo`` flag. The
    engine materialises it once (its window functions are the costly part), then every step reads it."""
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
        "min(d_fecha_nacimiento) over (partition by trim(id_nino)) "
        "<> max(d_fecha_nacimiento) over (partition by trim(id_nino)) as nacimientos_distintos "
        f"from ({parsed}) as p"
    )

    def flag(scope: str) -> str:
        return " or ".join(f"coalesce({c.bad}, false)" for c in checks(defs) if c.scope == scope) or "false"

    return (
        f"select *, ({flag('fila')}) as _malo, ({flag('medicion')}) as _sin_medida, ({flag('aviso')}) as _aviso "
        f"from ({aged}) as a"
    )


# Rows identical in every column. They change no figure (each definition counts distinct children, dates and
# months), so they are counted and shown, not quarantined; a group-by finds them at a fraction of a window's cost.
_SAME = "trim(id_nino), d_fecha_atencion, trim(cod_ipress), trim(ubigeo), d_fecha_nacimiento, upper(trim(sexo)), cod, n_valor, n_altitud"
REPEATED = (
    f"select count(*), coalesce(sum(n - 1), 0), min(ejemplo) from (select {_SAME}, count(*) as n, "
    "min(concat(_archivo, ', fila ', coalesce(cast(_fila as varchar), '?'), ', id_nino ', trim(id_nino), ', ', "
    f"trim(fecha_atencion), ', ', cod)) as ejemplo from registros_tipados where not _malo group by {_SAME} "
    "having count(*) > 1) as g"
)


def problems_view(defs: Definitions) -> str:
    flag = {"fila": "_malo", "medicion": "_sin_medida", "aviso": "_aviso"}
    parts = [
        f"select _archivo, _fila, {_q(c.column)} as columna, cast({c.shown or c.column} as varchar) as valor, "
        f"{_q(c.reason)} as motivo, {_ID_SHOWN} as id_nino, trim(fecha_atencion) as fecha_atencion, "
        f"{_q(c.scope)} as alcance from registros_tipados where {flag[c.scope]} and coalesce({c.bad}, false)"
        for c in checks(defs)
    ]
    return "create or replace temp view problemas as " + " union all ".join(parts)


VALID_VIEW = (
    "create or replace temp view registros_validos as "
    "select trim(id_nino) as id_nino, d_fecha_atencion as fecha_atencion, d_fecha_nacimiento as fecha_nacimiento, "
    "lpad(trim(cod_ipress), 8, '0') as cod_ipress, lpad(trim(ubigeo), 6, '0') as ubigeo, cod as codigo, "
    "n_valor as valor, n_altitud as altitud, not _sin_medida as medida_ok, edad_dias, edad_meses, mes_idx, "
    "nac_mes_idx "
    "from registros_tipados where not _malo"
)

_LAST = "order by fecha_atencion desc, cod_ipress desc, ubigeo desc, codigo desc"


def _requirement(r) -> str:
    """Children who meet one requirement: ``minimo`` attentions chosen greedily — the first, then each next one
    at least ``separacion_min_dias`` after the last one chosen (an extra visit in between never spoils a
    series). Unrolled into ``minimo`` steps: no recursive SQL, which the engines do not share."""
    att = (
        f"select distinct id_nino, fecha_atencion from registros_validos where codigo in {_in(r.codes)} "
        f"and edad_dias between {r.age_days[0]} and {r.age_days[1]}"
    )
    step = f"select id_nino, min(fecha_atencion) as elegida from ({att}) as a0 group by id_nino"
    gap = max(r.spacing_days, 1)  # attentions on different days, at least
    for k in range(1, r.minimum):
        step = (
            f"select a{k}.id_nino, min(a{k}.fecha_atencion) as elegida from ({att}) as a{k} join ({step}) as p{k} "
            f"on p{k}.id_nino = a{k}.id_nino where date_diff('day', p{k}.elegida, a{k}.fecha_atencion) >= {gap} "
            f"group by a{k}.id_nino"
        )
    return f"select id_nino from ({step}) as done"


def _cohort(d: Definition) -> str:
    last_day = max(r.age_days[1] for r in d.requirements)
    joins = " ".join(
        f"left join ({_requirement(r)}) as r{j} on r{j}.id_nino = c.id_nino"
        for j, r in enumerate(d.requirements)
    )
    met = " and ".join(f"r{j}.id_nino is not null" for j in range(len(d.requirements)))
    cohort = (
        f"select id_nino, cod_ipress, ubigeo, nac_mes_idx + {d.cohort_months} as mes_idx from (select id_nino, "
        f"cod_ipress, ubigeo, nac_mes_idx, row_number() over (partition by id_nino {_LAST}) as k "
        f"from registros_validos where edad_dias between 0 and {last_day}) as u where k = 1"
    )
    return (
        f"select c.mes_idx, c.cod_ipress, c.ubigeo, {_q(d.indicator)} as indicador, "
        f"sum(case when {met} then 1 else 0 end) as numerador, count(*) as denominador, "
        f"cast(null as varchar) as ajuste from ({cohort}) as c {joins} "
        "group by c.mes_idx, c.cod_ipress, c.ubigeo"
    )


def _month(d: Definition) -> str:
    lo, hi = d.age_months
    return (
        f"select mes_idx, cod_ipress, ubigeo, {_q(d.indicator)} as indicador, sum(recibio) as numerador, "
        "count(*) as denominador, cast(null as varchar) as ajuste from (select mes_idx, cod_ipress, ubigeo, "
        f"max(case when codigo in {_in(d.codes)} then 1 else 0 end) over (partition by id_nino, mes_idx) "
        f"as recibio, row_number() over (partition by id_nino, mes_idx {_LAST}) as k from registros_validos "
        f"where edad_meses between {lo} and {hi}) as m where k = 1 group by mes_idx, cod_ipress, ubigeo"
    )


def _measurement(d: Definition) -> str:
    lo, hi = d.age_months
    assert d.adjustment is not None
    return (
        f"select mes_idx, cod_ipress, ubigeo, {_q(d.indicator)} as indicador, "
        f"sum(case when valor - {d.adjustment.sql()} < {d.below!r} then 1 else 0 end) as numerador, "
        f"count(*) as denominador, {_q(d.adjustment.code)} as ajuste from (select mes_idx, cod_ipress, ubigeo, "
        f"valor, altitud, row_number() over (partition by id_nino, mes_idx {_LAST}, valor, altitud) as k "
        f"from registros_validos where codigo in {_in(d.codes)} and medida_ok and edad_meses between {lo} and {hi}) as m "
        "where k = 1 group by mes_idx, cod_ipress, ubigeo"
    )


_BODY = {"cohorte": _cohort, "mes": _month, "medicion": _measurement}


def indicator_query(d: Definition, first_month: int, last_month: int) -> str:
    """Monthly rows of one definition for the months whose every record lies within [first, last] (month
    indexes: year × 12 + month − 1). A cohort needs its history: months without it are left out, not guessed."""
    lo = first_month + d.history_months
    return (
        "select cast(floor(mes_idx / 12) as integer) as anio, concat(cast(cast(floor(mes_idx / 12) as integer) as varchar), '-', "
        "lpad(cast(mes_idx - cast(floor(mes_idx / 12) as integer) * 12 + 1 as varchar), 2, '0')) as periodo, "
        "cod_ipress, ubigeo, indicador, cast(numerador as bigint) as numerador, "
        f"cast(denominador as bigint) as denominador, ajuste from ({_BODY[d.kind](d)}) as q "
        f"where mes_idx between {lo} and {last_month}"
    )


def output_query(definitions, first_month: int, last_month: int) -> str:
    """Every chosen definition's rows, in a fixed order: the same records give the same bytes."""
    union = " union all ".join(indicator_query(d, first_month, last_month) for d in definitions)
    return f"select * from ({union}) as o order by anio, periodo, indicador, cod_ipress, ubigeo"


def month_label(index: int) -> str:
    return f"{index // 12}-{index % 12 + 1:02d}"
