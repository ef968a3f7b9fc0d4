"""Monthly product indicators from administrative records (HIS, Padrón Nominal, SIGA), CSV or XLSX.

Columns: ``periodo`` (YYYY-MM), ``ubigeo`` (district) and/or ``cod_ipress`` (facility), ``indicador`` (catalogue
code), ``numerador``, ``denominador``; English names accepted. A file replaces, for each month and indicator it
holds, the rows of the departments it covers, so a region's corrected file replaces that region's month and
nothing else. CSV, Excel, or the year-partitioned Parquet folder that ``semaforo compute`` writes (with
``ajuste``, checked against the indicator's definition, and ``denominador_fuente``, stored: padron or registros).
"""

from __future__ import annotations

from warehouse.db import one
from warehouse.marts import refresh_admin, refresh_months
from warehouse.sources import table

from .. import checks as ck
from ..columns import Column, Layout
from ..csvfile import Staged
from ..records.definitions import DENOMINATORS, load_definitions
from ..replace import Grain
from .base import LoadContext, Loader

LAYOUT = Layout(
    (
        Column("periodo", ("period", "mes", "periodo_mes", "anio_mes")),
        Column("ubigeo", ("cod_ubigeo", "ubigeo_inei", "ubigeo_distrito", "district"), required=False),
        Column(
            "cod_ipress",
            (
                "codigo_ipress",
                "renipress",
                "cod_renipress",
                "cod_eess",
                "codigo_unico",
                "facility",
                "facility_code",
                "ipress",
            ),
            required=False,
        ),
        Column("indicador", ("indicator", "cod_indicador", "indicator_code", "codigo_indicador")),
        Column("numerador", ("numerator", "num")),
        Column("denominador", ("denominator", "den"), required=False),
        # Written by `semaforo compute` for indicators that adjust a measurement: checked, never guessed.
        Column("ajuste", ("adjustment",), required=False),
        # … and which children the denominator counts (the Padrón Nominal's, or those attended): stored per row.
        Column("denominador_fuente", ("denominator_source",), required=False),
    ),
    one_of=(("ubigeo", "cod_ipress"),),
)


DUPLICATE_KEY = ["periodo", "indicador", "coalesce(cod_ipress, ubigeo)"]

GRAIN = Grain(
    table("admin"),
    keys=("period", "indicator_code", "coalesce(cod_ipress, ubigeo)"),
    # Per indicator too: the monthly HIS file and the figures computed from nominal records (semaforo compute)
    # cover different indicators of the same months, and neither may erase the other.
    scope=(("period", "period"), ("left(ubigeo, 2)", "department"), ("indicator_code", "indicator_code")),
    describe=(
        ("establecimientos", "cod_ipress"),
        ("distritos", "ubigeo"),
        ("indicadores", "indicator_code"),
        ("meses", "period"),
        ("años", "year(period)"),
    ),
    refresh=lambda con, t: refresh_months(
        con, "admin", [p for (p,) in con.execute(f"select distinct period from {t}").fetchall()]
    ),
)


class AdminLoader(Loader):
    source = "admin"
    description = "indicadores de producto mensuales (registros administrativos)"
    layout = LAYOUT
    raw_table = GRAIN.table
    grain = GRAIN

    def prepare(self, ctx: LoadContext, staged: Staged) -> None:
        # What pad_codes, upper(trim()) and the checks' subqueries did statement by statement, in one rewrite of
        # the stage: codes normalised, period and numbers parsed, codes looked up once (for the checks and write()
        # alike); then one aggregate for the pad warnings and whether any key repeats.
        con, t = ctx.con, staged.table
        con.execute(
            "create or replace temp table _records_adjustment (indicator_code varchar, ajuste varchar)"
        )
        if "ajuste" in staged.mapping:
            adjusted = [
                (d.indicator, d.adjustment.code)
                for d in load_definitions(ctx.catalogue).items
                if d.adjustment
            ]
            con.executemany("insert into _records_adjustment values (?, ?)", adjusted)
        # Two filtered scans: cheaper than one aggregate over both columns.
        self.dc_num = ck.decimal_comma(con, t, "numerador")
        self.dc_den = ck.decimal_comma(con, t, "denominador")
        con.execute(
            f"create or replace temp table {t} as "
            f"with p as ({ck.parsed_once(t, 'periodo', 'parse_period(periodo)', '_period')}), "
            f"a as ({ck.parsed_once(t, 'numerador', f'parse_num(numerador, {self.dc_num})', '_num')}), "
            f"b as ({ck.parsed_once(t, 'denominador', f'parse_num(denominador, {self.dc_den})', '_den')}) "
            "select s.*, p._period, a._num, b._den, f.cod_ipress is not null as _facility_known, "
            "f.ubigeo as _facility_ubigeo, d.ubigeo is not null as _district_known, "
            "i.feed as _indicator_feed, i.unit as _indicator_unit, adj.ajuste as _expected_ajuste, "
            "null::bigint as _dup_first "
            "from (select * replace ("
            "case when _short_ubigeo then lpad(trim(ubigeo), 6, '0') else trim(ubigeo) end as ubigeo, "
            "case when _short_ipress then lpad(trim(cod_ipress), 8, '0') else trim(cod_ipress) end as cod_ipress, "
            f"upper(trim(indicador)) as indicador) from (select *, {ck.short_code('ubigeo', 6)} as _short_ubigeo, "
            f"{ck.short_code('cod_ipress', 8)} as _short_ipress from {t})) as s "
            "left join p on p.periodo = s.periodo "
            "left join a on a.numerador = s.numerador "
            "left join b on b.denominador = s.denominador "
            "left join core_facility as f on f.cod_ipress = s.cod_ipress "
            "left join core_district as d on d.ubigeo = s.ubigeo "
            "left join core_indicator as i on i.indicator_code = s.indicador "
            "left join _records_adjustment as adj on adj.indicator_code = s.indicador"
        )
        # Codes are trimmed now: the duplicate key needs trim() on the period only.
        key = ["trim(periodo)", "indicador", "coalesce(cod_ipress, ubigeo)"]
        n_ubigeo, n_ipress, unique = one(
            con,
            "select count(*) filter (where _short_ubigeo), count(*) filter (where _short_ipress), "
            f"{ck.keys_all_distinct(key)} from {t}",
        )
        for col, n, width, what in (
            ("ubigeo", n_ubigeo, 6, "ubigeos"),
            ("cod_ipress", n_ipress, 8, "códigos IPRESS"),
        ):
            if col in staged.mapping and n:
                ctx.warnings.append(ck.pad_warning(ctx.label, n, width, what))
        if not unique:
            con.execute(
                f"update {t} set _dup_first = d._first from ({ck.duplicate_first_rows(t, key)}) as d "
                f"where d._row = {t}._row"
            )

    def checks(self, ctx: LoadContext, staged: Staged) -> list[ck.Check]:
        # The lookups were made once in prepare(): _facility_*, _district_known, _indicator_* (codes are trimmed).
        bounds = ctx.catalogue.plausible_max
        return [
            ck.required("periodo"),
            *ck.period("periodo", parsed="_period"),
            ck.required("indicador"),
            ck.Check(
                "indicador",
                "_indicator_feed is distinct from 'admin' and nullif(indicador, '') is not null",
                ck.lit(
                    "indicador desconocido: no está en el catálogo como indicador de registro administrativo"
                ),
            ),
            ck.Check(
                "ubigeo",
                f"{ck.blank('ubigeo')} and {ck.blank('cod_ipress')}",
                ck.lit("falta el ubigeo o el código IPRESS"),
            ),
            ck.known("ubigeo", "core_district", "ubigeo", "ubigeo", found="_district_known"),
            ck.known(
                "cod_ipress",
                "core_facility",
                "cod_ipress",
                "código IPRESS (no está en el registro RENIPRESS cargado)",
                found="_facility_known",
            ),
            ck.Check(
                "cod_ipress",
                "ubigeo is not null and _facility_known and ubigeo <> _facility_ubigeo",
                "'el establecimiento está en el ubigeo ' || _facility_ubigeo || ' según RENIPRESS, no en ' || ubigeo",
            ),
            ck.required("numerador"),
            ck.number("numerador", self.dc_num, parsed="_num"),
            ck.non_negative("numerador", self.dc_num, parsed="_num"),
            ck.number("denominador", self.dc_den, parsed="_den"),
            ck.non_negative("denominador", self.dc_den, parsed="_den"),
            *ck.at_most("numerador", "_num", bounds.get("admin.numerador"), "admin.numerador"),
            *ck.at_most("denominador", "_den", bounds.get("admin.denominador"), "admin.denominador"),
            ck.Check(
                "denominador",
                f"_indicator_unit <> 'count' and {ck.blank('denominador')}",
                ck.lit("falta el denominador de un indicador de cobertura"),
            ),
            ck.Check(
                "numerador",
                "_num > _den and _indicator_unit = 'pct'",
                ck.lit("el numerador es mayor que el denominador"),
                value="numerador || ' > ' || denominador",
            ),
            ck.duplicates(DUPLICATE_KEY, "indicador", first="_dup_first"),
            ck.Check(
                "denominador_fuente",
                f"nullif(trim(denominador_fuente), '') is not null and lower(trim(denominador_fuente)) not in "
                f"({', '.join(repr(d) for d in DENOMINATORS)})",
                ck.lit(f"fuente del denominador desconocida (se espera {' o '.join(DENOMINATORS)})"),
            ),
            ck.Check(
                "ajuste",
                "coalesce(nullif(trim(ajuste), ''), '-') <> coalesce(_expected_ajuste, '-')",
                "'el ajuste no es el de la definición del indicador (' || coalesce(_expected_ajuste, 'ninguno') "
                "|| '): no se mezclan series con ajustes distintos'",
            ),
        ]

    def rejected_keys(self, ctx: LoadContext) -> str | None:
        return (
            "select _period as period, coalesce(ubigeo, _facility_ubigeo) as ubigeo, cod_ipress, "
            "indicador as indicator_code from rejected where _period is not null"
        )

    def write(self, ctx: LoadContext, staged: Staged, batch_id: int) -> str:
        con = ctx.con
        # The stage already holds every value parsed (prepare): the valid rows go straight into raw_admin.
        con.execute(
            "create or replace temp view admin_rows as "
            "select _period as period, coalesce(ubigeo, _facility_ubigeo) as ubigeo, cod_ipress, "
            "indicador as indicator_code, _num as numerator, _den as denominator, "
            "lower(nullif(trim(denominador_fuente), '')) as denominator_source, _row from valid"
        )
        scope = con.execute(
            "select distinct period, left(ubigeo, 2) as department from admin_rows order by all"
        ).fetchall()
        self.replace_rows(ctx, "admin_rows", batch_id)
        con.execute(
            "insert into raw_admin select ?, _row, period, ubigeo, cod_ipress, indicator_code, numerator, denominator, "
            "denominator_source from admin_rows order by period, ubigeo",
            [batch_id],
        )
        periods = sorted({p for p, _ in scope})
        # The marts of the indicators the load wrote or removed (a scope replaced whole may hold others).
        indicators = [
            i
            for (i,) in con.execute(
                "select indicator_code from admin_rows union "
                "select indicator_code from etl_replaced_raw_admin where replaced_by = ?",
                [batch_id],
            ).fetchall()
        ]
        # … and of the regions it wrote or removed rows in: the other regions' rows are as they were.
        touched = (
            "select ubigeo, cod_ipress from admin_rows union all "
            f"select ubigeo, cod_ipress from etl_replaced_raw_admin where replaced_by = {int(batch_id)}"
        )
        refresh_admin(con, periods, indicators, touched)
        months = ", ".join(p.strftime("%Y-%m") for p in periods)
        return f"periodos {months}; departamentos {len({d for _, d in scope})}"
