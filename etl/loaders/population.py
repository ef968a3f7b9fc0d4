"""Target populations from the nominal register of children (Padrón Nominal): children by age group, district
and year. They are the denominators of budget per child and of user targets. A file replaces its years ×
departments."""

from __future__ import annotations

from warehouse.marts import refresh_population
from warehouse.sources import table

from .. import checks as ck
from ..columns import Column, Layout
from ..csvfile import Staged
from ..replace import Grain
from .base import LoadContext, Loader, pad_codes

AGE_GROUPS = ("<1", "1", "2", "3", "4", "<3", "<5", "6-35m")

LAYOUT = Layout(
    (
        Column("anio", ("ano", "year", "periodo")),
        Column("ubigeo", ("cod_ubigeo", "ubigeo_inei", "district")),
        Column("grupo_edad", ("edad", "age_group", "grupo_etario")),
        Column("ninos", ("ninas_ninos", "ninos_as", "children", "poblacion", "total")),
    )
)


GRAIN = Grain(
    table("population"),
    keys=("year", "ubigeo", "age_group"),
    scope=(("year", "year"), ("left(ubigeo, 2)", "department")),
    describe=(("distritos", "ubigeo"), ("grupos de edad", "age_group"), ("años", "year")),
    refresh=lambda con, t: refresh_population(
        con, [y for (y,) in con.execute(f"select distinct year from {t}").fetchall()]
    ),
)


class PopulationLoader(Loader):
    source = "population"
    description = "población objetivo del Padrón Nominal"
    layout = LAYOUT
    raw_table = GRAIN.table
    grain = GRAIN

    def prepare(self, ctx: LoadContext, staged: Staged) -> None:
        pad_codes(ctx, staged, "ubigeo", 6, "ubigeos")
        ctx.con.execute(f"update {staged.table} set grupo_edad = replace(lower(trim(grupo_edad)), ' ', '')")

    def checks(self, ctx: LoadContext, staged: Staged) -> list[ck.Check]:
        groups = ", ".join(ck.lit(g) for g in AGE_GROUPS)
        return [
            ck.required("anio"),
            *ck.year("anio"),
            ck.required("ubigeo"),
            ck.known("ubigeo", "core_district", "ubigeo", "ubigeo"),
            ck.required("grupo_edad"),
            ck.Check(
                "grupo_edad",
                f"nullif(grupo_edad, '') is not null and grupo_edad not in ({groups})",
                ck.lit(f"grupo de edad desconocido (use {', '.join(AGE_GROUPS)})"),
            ),
            ck.required("ninos"),
            ck.Check(
                "ninos",
                "nullif(trim(ninos), '') is not null and not regexp_full_match(trim(ninos), '\\d+')",
                ck.lit("el número de niños debe ser un entero no negativo"),
            ),
            *ck.at_most(
                "ninos",
                "try_cast(trim(ninos) as double)",
                ctx.catalogue.plausible_max.get("population.ninos"),
                "population.ninos",
            ),
            ck.duplicates(["anio", "ubigeo", "grupo_edad"], "grupo_edad"),
        ]

    def rejected_keys(self, ctx: LoadContext) -> str | None:
        return "select try_cast(trim(anio) as integer) as year, ubigeo, grupo_edad as age_group from rejected"

    def write(self, ctx: LoadContext, staged: Staged, batch_id: int) -> str:
        con = ctx.con
        con.execute(
            "create or replace temp table population_rows as select cast(trim(anio) as integer) as year, ubigeo, "
            "grupo_edad as age_group, cast(trim(ninos) as bigint) as children, _row from valid"
        )
        self.replace_rows(ctx, "population_rows", batch_id)
        con.execute(
            "insert into raw_population select ?, _row, year, ubigeo, age_group, children from population_rows",
            [batch_id],
        )
        years = [r[0] for r in con.execute("select distinct year from population_rows order by 1").fetchall()]
        refresh_population(con, years)
        return f"años {', '.join(map(str, years))}"
