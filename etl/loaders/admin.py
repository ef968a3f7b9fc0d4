"""Monthly product indicators from administrative records (HIS, Padrón Nominal, SIGA), CSV or XLSX.

Columns: ``periodo`` (YYYY-MM), ``ubigeo`` (district) and/or ``cod_ipress`` (facility), ``indicador`` (catalogue
code), ``numerador``, ``denominador``; English names accepted. A file replaces, for each month it holds, the
rows of the departments it covers, so a region's corrected file replaces that region's month and nothing else.
"""

from __future__ import annotations

from warehouse.marts import refresh_admin

from .. import checks as ck
from ..columns import Column, Layout
from ..csvfile import Staged
from .base import LoadContext, Loader, pad_codes

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
    ),
    one_of=(("ubigeo", "cod_ipress"),),
)


class AdminLoader(Loader):
    source = "admin"
    description = "indicadores de producto mensuales (registros administrativos)"
    layout = LAYOUT
    raw_table = "raw_admin"

    def prepare(self, ctx: LoadContext, staged: Staged) -> None:
        pad_codes(ctx, staged, "ubigeo", 6, "ubigeos")
        pad_codes(ctx, staged, "cod_ipress", 8, "códigos IPRESS")
        ctx.con.execute(f"update {staged.table} set indicador = upper(trim(indicador))")
        self.dc_num = ck.decimal_comma(ctx.con, staged.table, "numerador")
        self.dc_den = ck.decimal_comma(ctx.con, staged.table, "denominador")

    def checks(self, ctx: LoadContext, staged: Staged) -> list[ck.Check]:
        num, den = f"parse_num(numerador, {self.dc_num})", f"parse_num(denominador, {self.dc_den})"
        return [
            ck.required("periodo"),
            *ck.period("periodo"),
            ck.required("indicador"),
            ck.Check(
                "indicador",
                "nullif(indicador, '') is not null and indicador not in "
                "(select indicator_code from core_indicator where feed = 'admin')",
                ck.lit(
                    "indicador desconocido: no está en el catálogo como indicador de registro administrativo"
                ),
            ),
            ck.Check(
                "ubigeo",
                "nullif(trim(ubigeo), '') is null and nullif(trim(cod_ipress), '') is null",
                ck.lit("falta el ubigeo o el código IPRESS"),
            ),
            ck.known("ubigeo", "core_district", "ubigeo", "ubigeo"),
            ck.known(
                "cod_ipress",
                "core_facility",
                "cod_ipress",
                "código IPRESS (no está en el registro RENIPRESS cargado)",
            ),
            ck.Check(
                "cod_ipress",
                "ubigeo is not null and cod_ipress in (select cod_ipress from core_facility) and ubigeo <> "
                "(select f.ubigeo from core_facility as f where f.cod_ipress = stage.cod_ipress)",
                "'el establecimiento está en el ubigeo ' || (select f.ubigeo from core_facility as f "
                "where f.cod_ipress = stage.cod_ipress) || ' según RENIPRESS, no en ' || ubigeo",
            ),
            ck.required("numerador"),
            ck.number("numerador", self.dc_num),
            ck.non_negative("numerador", self.dc_num),
            ck.number("denominador", self.dc_den),
            ck.non_negative("denominador", self.dc_den),
            ck.Check(
                "denominador",
                "nullif(trim(denominador), '') is null and indicador in "
                "(select indicator_code from core_indicator where unit <> 'count')",
                ck.lit("falta el denominador de un indicador de cobertura"),
            ),
            ck.Check(
                "numerador",
                f"{num} > {den} and indicador in (select indicator_code from core_indicator where unit = 'pct')",
                ck.lit("el numerador es mayor que el denominador"),
                value="numerador || ' > ' || denominador",
            ),
            ck.duplicates(["periodo", "indicador", "coalesce(cod_ipress, ubigeo)"], "indicador"),
        ]

    def write(self, ctx: LoadContext, staged: Staged, batch_id: int) -> str:
        con = ctx.con
        con.execute(
            "create or replace temp table admin_rows as "
            "select parse_period(v.periodo) as period, coalesce(v.ubigeo, f.ubigeo) as ubigeo, v.cod_ipress, "
            f"v.indicador as indicator_code, parse_num(v.numerador, {self.dc_num}) as numerator, "
            f"parse_num(v.denominador, {self.dc_den}) as denominator, v._row "
            "from valid as v left join core_facility as f using (cod_ipress)"
        )
        scope = con.execute(
            "select distinct period, left(ubigeo, 2) as department from admin_rows order by all"
        ).fetchall()
        con.execute(
            "delete from raw_admin as a using (select distinct period, left(ubigeo, 2) as department from admin_rows) s "
            "where a.period = s.period and left(a.ubigeo, 2) = s.department"
        )
        con.execute(
            "insert into raw_admin select ?, _row, period, ubigeo, cod_ipress, indicator_code, numerator, denominator "
            "from admin_rows order by period, ubigeo",
            [batch_id],
        )
        periods = sorted({p for p, _ in scope})
        refresh_admin(con, periods)
        months = ", ".join(p.strftime("%Y-%m") for p in periods)
        return f"periodos {months}; departamentos {len({d for _, d in scope})}"
