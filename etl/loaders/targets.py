"""Targets per indicator × region × year (the ``target`` rule compares values with them).

Columns: ``indicador``, ``region`` (a region code of warehouse/territory/regions.csv, its name, or ``PE`` for the
national target), ``anio``, ``meta``. Targets are upserted by (indicator, region, year).
"""

from __future__ import annotations

from warehouse.db import scalar

from .. import checks as ck
from ..columns import Column, Layout
from ..csvfile import Staged
from ..replace import Grain
from .base import LoadContext, Loader, upsert

# Upserted by key; undoing a batch needs nothing rebuilt but the stored statuses (ensure_status).
GRAIN = Grain("core_target", ("indicator_code", "territory_code", "year"), (), (), lambda _con, _t: None)

LAYOUT = Layout(
    (
        Column("indicador", ("indicator", "cod_indicador", "indicator_code")),
        Column("region", ("territorio", "ambito", "region_code", "territory")),
        Column("anio", ("ano", "year")),
        Column("meta", ("target", "valor_meta")),
    )
)

# A region may be written as its code or its name (any accents/case); PE / Perú / Nacional is the country.
REGION_CODE = """
    coalesce(
        (select r.region_code from core_region as r
         where upper(r.region_code) = upper(trim(stage.region))
            or strip_accents(lower(r.name)) = strip_accents(lower(trim(stage.region)))),
        case when strip_accents(lower(trim(stage.region))) in ('pe', 'peru', 'nacional', 'total') then 'PE' end
    )
"""


class TargetsLoader(Loader):
    source = "targets"
    description = "metas por indicador, región y año"
    layout = LAYOUT
    grain = GRAIN

    def prepare(self, ctx: LoadContext, staged: Staged) -> None:
        ctx.con.execute(f"update {staged.table} set indicador = upper(trim(indicador))")
        ctx.con.execute(f"alter table {staged.table} add column region_code varchar")
        ctx.con.execute(f"update {staged.table} set region_code = {REGION_CODE}")
        self.dc = ck.decimal_comma(ctx.con, staged.table, "meta")

    def checks(self, ctx: LoadContext, staged: Staged) -> list[ck.Check]:
        return [
            ck.required("indicador"),
            ck.known("indicador", "core_indicator", "indicator_code", "indicador"),
            ck.Check(
                "indicador",
                "indicador in (select indicator_code from core_indicator where rule_kind <> 'target')",
                ck.lit("el indicador no se mide contra metas (su regla no es 'target')"),
            ),
            ck.required("region"),
            ck.Check(
                "region",
                "nullif(trim(region), '') is not null and region_code is null",
                ck.lit("región desconocida (use el código o el nombre de una de las 26 regiones, o PE)"),
            ),
            ck.required("anio"),
            ck.Check(
                "anio",
                "nullif(trim(anio), '') is not null and not regexp_full_match(trim(anio), '(19|20)\\d\\d')",
                ck.lit("año mal formado (use AAAA)"),
            ),
            ck.required("meta"),
            ck.number("meta", self.dc),
            ck.Check(
                "meta",
                f"parse_num(meta, {self.dc}) not between 0 and 100 and indicador in "
                "(select indicator_code from core_indicator where unit = 'pct')",
                ck.lit("meta porcentual fuera del rango 0–100"),
            ),
            ck.duplicates(["indicador", "region_code", "anio"], "region"),
        ]

    def write(self, ctx: LoadContext, staged: Staged, batch_id: int) -> str:
        upsert(
            ctx,
            staged,
            "core_target",
            ("indicator_code", "territory_code", "year"),
            {
                "indicator_code": ("indicador", None),
                "territory_code": ("region_code", None),
                "year": ("cast(trim(anio) as integer)", None),
                "target": (f"parse_num(meta, {self.dc})", None),
                "batch_id": (str(int(batch_id)), None),
            },
            batch_id,
        )
        n = scalar(ctx.con, "select count(*) from valid")
        return f"{n} metas"
