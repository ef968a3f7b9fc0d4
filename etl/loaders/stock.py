"""Critical-input stock per facility and month (SISMED informe de consumo integrado), CSV or XLSX.

Columns: ``periodo``, ``cod_ipress``, ``ubigeo``, ``insumo`` (catalogue code), ``stock`` (available quantity),
``cpm`` (average monthly consumption). Months of supply and the stock class are derived in the warehouse by the
one stock rule (``stock_class``). Like the administrative loader, a file replaces its months × departments.
"""

from __future__ import annotations

from warehouse.marts import refresh_stock

from .. import checks as ck
from ..columns import Column, Layout
from ..csvfile import Staged
from .base import LoadContext, Loader, pad_codes

LAYOUT = Layout(
    (
        Column("periodo", ("period", "mes", "periodo_mes")),
        Column(
            "cod_ipress",
            ("codigo_ipress", "renipress", "cod_renipress", "cod_eess", "facility", "facility_code"),
        ),
        Column("ubigeo", ("cod_ubigeo", "ubigeo_inei", "district"), required=False),
        Column("insumo", ("input", "cod_insumo", "medicamento", "input_code", "critical_input")),
        Column("stock", ("stock_disponible", "saldo", "available", "quantity")),
        Column("cpm", ("consumo_promedio_mensual", "amc", "average_monthly_consumption", "consumo_promedio")),
    )
)


class StockLoader(Loader):
    source = "stock"
    description = "stock de insumos críticos por establecimiento y mes"
    layout = LAYOUT
    raw_table = "raw_stock"

    def prepare(self, ctx: LoadContext, staged: Staged) -> None:
        pad_codes(ctx, staged, "ubigeo", 6, "ubigeos")
        pad_codes(ctx, staged, "cod_ipress", 8, "códigos IPRESS")
        ctx.con.execute(f"update {staged.table} set insumo = upper(trim(insumo))")
        self.dc_stock = ck.decimal_comma(ctx.con, staged.table, "stock")
        self.dc_cpm = ck.decimal_comma(ctx.con, staged.table, "cpm")

    def checks(self, ctx: LoadContext, staged: Staged) -> list[ck.Check]:
        return [
            ck.required("periodo"),
            *ck.period("periodo"),
            ck.required("cod_ipress"),
            ck.known(
                "cod_ipress",
                "core_facility",
                "cod_ipress",
                "código IPRESS (no está en el registro RENIPRESS cargado)",
            ),
            ck.known("ubigeo", "core_district", "ubigeo", "ubigeo"),
            ck.Check(
                "cod_ipress",
                "ubigeo is not null and cod_ipress in (select cod_ipress from core_facility) and ubigeo <> "
                "(select f.ubigeo from core_facility as f where f.cod_ipress = stage.cod_ipress)",
                "'el establecimiento está en el ubigeo ' || (select f.ubigeo from core_facility as f "
                "where f.cod_ipress = stage.cod_ipress) || ' según RENIPRESS, no en ' || ubigeo",
            ),
            ck.required("insumo"),
            ck.Check(
                "insumo",
                "nullif(insumo, '') is not null and insumo not in "
                "(select indicator_code from core_indicator where feed = 'stock')",
                ck.lit("insumo desconocido: no está en el catálogo como insumo crítico con stock"),
            ),
            ck.required("stock"),
            ck.number("stock", self.dc_stock),
            ck.non_negative("stock", self.dc_stock),
            ck.required("cpm"),
            ck.number("cpm", self.dc_cpm),
            ck.non_negative("cpm", self.dc_cpm),
            ck.duplicates(["periodo", "insumo", "cod_ipress"], "insumo"),
        ]

    def write(self, ctx: LoadContext, staged: Staged, batch_id: int) -> str:
        con = ctx.con
        con.execute(
            "create or replace temp table stock_rows as "
            "select parse_period(v.periodo) as period, v.cod_ipress, f.ubigeo, v.insumo as indicator_code, "
            f"parse_num(v.stock, {self.dc_stock}) as stock, parse_num(v.cpm, {self.dc_cpm}) as cpm, v._row "
            "from valid as v join core_facility as f using (cod_ipress)"
        )
        scope = con.execute("select distinct period, left(ubigeo, 2) from stock_rows order by all").fetchall()
        con.execute(
            "delete from raw_stock as s using (select distinct period, left(ubigeo, 2) as department from stock_rows) x "
            "where s.period = x.period and left(s.ubigeo, 2) = x.department"
        )
        con.execute(
            "insert into raw_stock select ?, _row, period, cod_ipress, ubigeo, indicator_code, stock, cpm "
            "from stock_rows order by period, ubigeo",
            [batch_id],
        )
        periods = sorted({p for p, _ in scope})
        refresh_stock(con, periods)
        return f"periodos {', '.join(p.strftime('%Y-%m') for p in periods)}; departamentos {len({d for _, d in scope})}"
