"""Definitions → SQL. Written once in DuckDB's dialect and translated by SQLGlot for Spark: one text, two
engines. Everything below keeps to what both run the same way: integer month indexes instead of date
truncation, ``row_number()`` in a subquery instead of QUALIFY, explicit orderings that leave no tie to chance.

The indicator queries read ``registros_validos`` (:mod:`etl.records.checks`) and give the monthly numerator and
denominator per facility, for the months the records cover whole.
"""

from __future__ import annotations

import sqlglot

from .definitions import Definition, Requirement
from .sql_text import in_list, q

DIALECTS = {"duckdb": "duckdb", "spark": "spark"}


def translate(sql: str, engine: str) -> str:
    """The DuckDB text as the engine's SQL (the identity for DuckDB)."""
    if engine == "duckdb":
        return sql
    return sqlglot.transpile(sql, read="duckdb", write=DIALECTS[engine], pretty=True)[0]


_LAST = "order by fecha_atencion desc, cod_ipress desc, ubigeo desc, codigo desc"


def _attentions(r: Requirement) -> str:
    """The rows that may count for a requirement: its codes, ages, type of diagnosis and LAB, and no code of
    ``atencion_sin`` in the same attention (same child, day, facility and Id_Cita)."""
    where = f"v.codigo in {in_list(r.codes)} and v.edad_dias between {r.age_days[0]} and {r.age_days[1]}"
    if r.diagnosis:
        where += f" and v.tipo_dx in {in_list(r.diagnosis)}"
    if r.labs:
        where += f" and v.lab in {in_list(r.labs)}"
    if not r.not_with:
        return f"select v.* from registros_validos as v where {where}"
    return (
        "select v.* from registros_validos as v left join (select distinct id_nino, fecha_atencion, cod_ipress, "
        f"cita from registros_validos where codigo in {in_list(r.not_with)}) as w on w.id_nino = v.id_nino and "
        "w.fecha_atencion = v.fecha_atencion and w.cod_ipress = v.cod_ipress and w.cita = v.cita "
        f"where {where} and w.id_nino is null"
    )


def _windows(r: Requirement) -> str:
    """Children whose best delivery of each window adds up to ``peso_minimo``, the first window's weighing."""
    best = ", ".join(
        f"max(case when edad_dias between {lo} and {hi} then {r.weight_sql()} else 0 end) as w{k}"
        for k, (lo, hi) in enumerate(r.windows)
    )
    total = " + ".join(f"w{k}" for k in range(len(r.windows)))
    return (
        f"select id_nino from (select id_nino, {best} from ({_attentions(r)}) as v group by id_nino) as b "
        f"where w0 >= 1 and {total} >= {r.min_weight}"
    )


def _requirement(r: Requirement) -> str:
    """Children who meet one requirement: ``minimo`` attentions with its codes (and LAB, type of diagnosis), the
    first in ``primera_edad_dias``. Unrolled into ``minimo`` steps: no recursive SQL, which the engines do not
    share.

    With only a minimum spacing the attentions are chosen greedily — the first, then each next one at least
    ``separacion_min_dias`` after the last one chosen (an extra visit in between never spoils a series). With a
    maximum too, greedy could miss a series (30, 45, 75 days with 28–31 days apart: 45 → 75 is one), so each step
    keeps every attention reachable from one of the step before, as the official scripts do."""
    att = f"select distinct id_nino, fecha_atencion, edad_dias from ({_attentions(r)}) as v"
    if r.windows:
        return _windows(r)
    first = r.first_age_days or r.age_days
    if r.spacing_max_days:
        step = (
            f"select distinct id_nino, fecha_atencion as elegida from ({att}) as a0 "
            f"where edad_dias between {first[0]} and {first[1]}"
        )
        for k in range(1, r.minimum):
            step = (
                f"select distinct a{k}.id_nino, a{k}.fecha_atencion as elegida from ({att}) as a{k} join ({step}) "
                f"as p{k} on p{k}.id_nino = a{k}.id_nino where date_diff('day', p{k}.elegida, a{k}.fecha_atencion) "
                f"between {r.gap(k)} and {r.spacing_max_days}"
            )
        return f"select distinct id_nino from ({step}) as done"
    step = (
        f"select id_nino, min(fecha_atencion) as elegida from ({att}) as a0 "
        f"where edad_dias between {first[0]} and {first[1]} group by id_nino"
    )
    for k in range(1, r.minimum):
        step = (
            f"select a{k}.id_nino, min(a{k}.fecha_atencion) as elegida from ({att}) as a{k} join ({step}) as p{k} "
            f"on p{k}.id_nino = a{k}.id_nino where date_diff('day', p{k}.elegida, a{k}.fecha_atencion) >= {r.gap(k)} "
            f"group by a{k}.id_nino"
        )
    return f"select id_nino from ({step}) as done"


def _cohort(d: Definition, padron: bool = False) -> str:
    """Children turning ``edad_meses`` in the month, at the facility of their last attention before that age. From
    the records: the children attended. From the Padrón Nominal (when the definition asks for it and one is given):
    its children born that many months before, at the facility of their last attention, or — never attended — in
    their district of residence without a facility."""
    joins = " ".join(
        f"left join ({_requirement(r)}) as r{j} on r{j}.id_nino = c.id_nino"
        for j, r in enumerate(d.requirements)
    )
    met = " and ".join(f"r{j}.id_nino is not null" for j in range(len(d.requirements)))
    for j, x in enumerate(d.exclusions):
        joins += (
            f" left join (select distinct id_nino from registros_validos where codigo in {in_list(x.codes)} and "
            f"edad_dias between {x.age_days[0]} and {x.age_days[1]}) as x{j} on x{j}.id_nino = c.id_nino"
        )
    kept = " and ".join(f"x{j}.id_nino is null" for j in range(len(d.exclusions))) or "true"
    last = (
        f"select id_nino, cod_ipress, ubigeo, nac_mes_idx from (select id_nino, cod_ipress, ubigeo, nac_mes_idx, "
        f"row_number() over (partition by id_nino {_LAST}) as k from registros_validos "
        f"where edad_dias >= 0 and edad_meses < {d.cohort_months}) as u where k = 1"
    )
    if padron and d.denominator == "padron":
        source = "padron"
        cohort = (
            f"select p.id_nino, l.cod_ipress, coalesce(l.ubigeo, p.ubigeo) as ubigeo, "
            f"year(p.fecha_nacimiento) * 12 + month(p.fecha_nacimiento) - 1 + {d.cohort_months} as mes_idx "
            f"from padron as p left join ({last}) as l on l.id_nino = p.id_nino"
        )
    else:
        source = "registros"
        cohort = f"select id_nino, cod_ipress, ubigeo, nac_mes_idx + {d.cohort_months} as mes_idx from ({last}) as l"
    return (
        f"select c.mes_idx, c.cod_ipress, c.ubigeo, {q(d.indicator)} as indicador, "
        f"sum(case when {met} then 1 else 0 end) as numerador, count(*) as denominador, "
        f"cast(null as varchar) as ajuste, {q(source)} as denominador_fuente from ({cohort}) as c {joins} "
        f"where {kept} group by c.mes_idx, c.cod_ipress, c.ubigeo"
    )


def _month(d: Definition) -> str:
    lo, hi = d.age_months
    return (
        f"select mes_idx, cod_ipress, ubigeo, {q(d.indicator)} as indicador, sum(recibio) as numerador, "
        "count(*) as denominador, cast(null as varchar) as ajuste, 'registros' as denominador_fuente from (select mes_idx, cod_ipress, ubigeo, "
        f"max(case when codigo in {in_list(d.codes)} then 1 else 0 end) over (partition by id_nino, mes_idx) "
        f"as recibio, row_number() over (partition by id_nino, mes_idx {_LAST}) as k from registros_validos "
        f"where edad_meses between {lo} and {hi}) as m where k = 1 group by mes_idx, cod_ipress, ubigeo"
    )


def _measurement(d: Definition) -> str:
    lo, hi = d.age_months
    assert d.adjustment is not None
    if d.thresholds:  # by age at the measurement; an age outside every band is never anemic
        cases = " ".join(
            f"when edad_meses between {t.age_months[0]} and {t.age_months[1]} then {t.below!r}"
            for t in d.thresholds
        )
        below = f"(case {cases} end)"
    else:
        below = repr(d.below)
    return (
        f"select mes_idx, cod_ipress, ubigeo, {q(d.indicator)} as indicador, "
        f"sum(case when valor - {d.adjustment.sql()} < {below} then 1 else 0 end) as numerador, "
        f"count(*) as denominador, {q(d.adjustment.code)} as ajuste, 'registros' as denominador_fuente from (select mes_idx, cod_ipress, ubigeo, "
        f"valor, altitud, edad_meses, row_number() over (partition by id_nino, mes_idx {_LAST}, valor, altitud) as k "
        f"from registros_validos where codigo in {in_list(d.codes)} and medida_ok and edad_meses between {lo} and {hi}) as m "
        "where k = 1 group by mes_idx, cod_ipress, ubigeo"
    )


_BODY = {"cohorte": _cohort, "mes": _month, "medicion": _measurement}


def indicator_query(d: Definition, first_month: int, last_month: int, padron: bool = False) -> str:
    """Monthly rows of one definition for the months whose every record lies within [first, last] (month
    indexes: year × 12 + month − 1). A cohort needs its history: months without it are left out, not guessed."""
    lo = first_month + d.history_months
    return (
        "select cast(floor(mes_idx / 12) as integer) as anio, concat(cast(cast(floor(mes_idx / 12) as integer) as varchar), '-', "
        "lpad(cast(mes_idx - cast(floor(mes_idx / 12) as integer) * 12 + 1 as varchar), 2, '0')) as periodo, "
        "cod_ipress, ubigeo, indicador, cast(numerador as bigint) as numerador, "
        f"cast(denominador as bigint) as denominador, ajuste, denominador_fuente from ({_cohort(d, padron) if d.kind == 'cohorte' else _BODY[d.kind](d)}) as q "
        f"where mes_idx between {lo} and {last_month}"
    )


def output_query(definitions, first_month: int, last_month: int, padron: bool = False) -> str:
    """Every chosen definition's rows, in a fixed order: the same records give the same bytes (a row without
    facility sorts first on both engines)."""
    union = " union all ".join(indicator_query(d, first_month, last_month, padron) for d in definitions)
    return f"select * from ({union}) as o order by anio, periodo, indicador, coalesce(cod_ipress, ''), ubigeo"


def month_label(index: int) -> str:
    return f"{index // 12}-{index % 12 + 1:02d}"
