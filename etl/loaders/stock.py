"""Critical-input stock per facility and month (SISMED informe de consumo integrado), CSV or XLSX.

Columns: ``periodo``, ``cod_ipress``, ``ubigeo``, ``insumo`` (catalogue code), ``stock`` (available quantity),
``cpm`` (average monthly consumption). Months of supply and the stock class are derived in the warehouse by the
one stock rule (``stock_class``). Like the administrative loader, a file replaces its months × departments.
"""

from __future__ import annotations

from warehouse.db import one
from warehouse.marts import refresh_months, refresh_stock
from warehouse.sources import table

from .. import checks as ck
from ..columns import Column, Layout
from ..csvfile import Staged
from ..replace import Grain
from .base import LoadContext, Loader

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


DUPLICATE_KEY = ["periodo", "insumo", "cod_ipress"]


GRAIN = Grain(
    table("stock"),
    keys=("period", "indicator_code", "cod_ipress"),
    scope=(("period", "period"), ("left(ubigeo, 2)", "department")),
    describe=(
        ("establecimientos", "cod_ipress"),
        ("insumos", "indicator_code"),
        ("meses", "period"),
        ("años", "year(period)"),
    ),
    refresh=lambda con, t: refresh_months(
        con, "stock", [p for (p,) in con.execute(f"select distinct period from {t}").fetchall()]
    ),
)


class StockLoader(Loader):
    source = "stock"
    description = "stock de insumos críticos por establecimiento y mes"
    layout = LAYOUT
    raw_table = GRAIN.table
    grain = GRAIN

    def prepare(self, ctx: LoadContext, staged: Staged) -> None:
        # As AdminLoader.prepare: one rewrite of the stage (codes normalised, period and numbers parsed, codes
        # looked up once), then one aggregate for the pad warnings and whether any key repeats.
        con, t = ctx.con, staged.table
        # Two filtered scans: cheaper than one aggregate over both columns.
        self.dc_stock = ck.decimal_comma(con, t, "stock")
        self.dc_cpm = ck.decimal_comma(con, t, "cpm")
        con.execute(
            f"create or replace temp table {t} as "
            f"with p as ({ck.parsed_once(t, 'periodo', 'parse_period(periodo)', '_period')}), "
            f"a as ({ck.parsed_once(t, 'stock', f'parse_num(stock, {self.dc_stock})', '_stock')}), "
            f"b as ({ck.parsed_once(t, 'cpm', f'parse_num(cpm, {self.dc_cpm})', '_cpm')}) "
            "select s.*, p._period, a._stock, b._cpm, f.cod_ipress is not null as _facility_known, "
            "f.ubigeo as _facility_ubigeo, d.ubigeo is not null as _district_known, "
            "i.feed as _input_feed, "
            "null::bigint as _dup_first "
            "from (select * replace ("
            "case when _short_ubigeo then lpad(trim(ubigeo), 6, '0') else trim(ubigeo) end as ubigeo, "
            "case when _short_ipress then lpad(trim(cod_ipress), 8, '0') else trim(cod_ipress) end as cod_ipress, "
            f"upper(trim(insumo)) as insumo) from (select *, {ck.short_code('ubigeo', 6)} as _short_ubigeo, "
            f"{ck.short_code('cod_ipress', 8)} as _short_ipress from {t})) as s "
            "left join p on p.periodo = s.periodo "
            "left join a on a.stock = s.stock "
            "left join b on b.cpm = s.cpm "
            "left join core_facility as f on f.cod_ipress = s.cod_ipress "
            "left join core_district as d on d.ubigeo = s.ubigeo "
            "left join core_indicator as i on i.indicator_code = s.insumo"
        )
        # Codes are trimmed now: the duplicate key needs trim() on the period only.
        key = ["trim(periodo)", "insumo", "cod_ipress"]
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
        # The lookups were made once in prepare(): _facility_*, _district_known, _input_feed (codes are trimmed).
        return [
            ck.required("periodo"),
            *ck.period("periodo", parsed="_period"),
            ck.required("cod_ipress"),
            ck.known(
                "cod_ipress",
                "core_facility",
                "cod_ipress",
                "código IPRESS (no está en el registro RENIPRESS cargado)",
                found="_facility_known",
            ),
            ck.known("ubigeo", "core_district", "ubigeo", "ubigeo", found="_district_known"),
            ck.Check(
                "cod_ipress",
                "ubigeo is not null and _facility_known and ubigeo <> _facility_ubigeo",
                "'el establecimiento está en el ubigeo ' || _facility_ubigeo || ' según RENIPRESS, no en ' || ubigeo",
            ),
            ck.required("insumo"),
            ck.Check(
                "insumo",
                "_input_feed is distinct from 'stock' and nullif(insumo, '') is not null",
                ck.lit("insumo desconocido: no está en el catálogo como insumo crítico con stock"),
            ),
            ck.required("stock"),
            ck.number("stock", self.dc_stock, parsed="_stock"),
            ck.non_negative("stock", self.dc_stock, parsed="_stock"),
            ck.required("cpm"),
            ck.number("cpm", self.dc_cpm, parsed="_cpm"),
            ck.non_negative("cpm", self.dc_cpm, parsed="_cpm"),
            *ck.at_most("stock", "_stock", ctx.catalogue.plausible_max.get("stock.stock"), "stock.stock"),
            *ck.at_most("cpm", "_cpm", ctx.catalogue.plausible_max.get("stock.cpm"), "stock.cpm"),
            ck.duplicates(DUPLICATE_KEY, "insumo", first="_dup_first"),
        ]

    def rejected_keys(self, ctx: LoadContext) -> str | None:
        return (
            "select _period as period, insumo as indicator_code, cod_ipress from rejected "
            "where _period is not null"
        )

    def write(self, ctx: LoadContext, staged: Staged, batch_id: int) -> str:
        con = ctx.con
        # The stage already holds every value parsed (prepare): the valid rows go straight into raw_stock.
        con.execute(
            "create or replace temp view stock_rows as "
            "select _period as period, cod_ipress, _facility_ubigeo as ubigeo, insumo as indicator_code, "
            "_stock as stock, _cpm as cpm, _row from valid where _facility_known"
        )
        con.execute(
            "create or replace temp table stock_scope as "
            "select distinct period, left(ubigeo, 2) as department from stock_rows"
        )
        scope = con.execute("select * from stock_scope order by all").fetchall()
        self.replace_rows(ctx, "stock_rows", batch_id)
        con.execute(
            "insert into raw_stock select ?, _row, period, cod_ipress, ubigeo, indicator_code, stock, cpm "
            "from stock_rows order by period, ubigeo",
            [batch_id],
        )
        periods = sorted({p for p, _ in scope})
        refresh_stock(con, periods)
        return f"periodos {', '.join(p.strftime('%Y-%m') for p in periods)}; departamentos {len({d for _, d in scope})}"
