"""The official ubigeo table of districts (INEI codes; a RENIEC code column is kept as a crosswalk).

Accepts the INEI/ubigeo-table headers (``inei``/``ubigeo``/``IDDIST``, ``distrito``/``NOMBDIST``, optional
``reniec``, ``altitude``, ``latitude``, ``longitude``). Department and province rows (codes ending in 00) are
skipped with a warning. Districts are upserted: a newer table adds new districts and renames old ones.
"""

from __future__ import annotations

from warehouse.marts import refresh_all

from .. import checks as ck
from ..columns import Column, Layout
from ..csvfile import Staged
from ..replace import Grain
from .base import LoadContext, Loader, pad_codes, upsert

# Upserted by key; undoing a batch rebuilds every mart (a district's place in the hierarchy may change them).
GRAIN = Grain("core_district", ("ubigeo",), (), (), lambda con, _t: refresh_all(con))

LAYOUT = Layout(
    (
        Column("ubigeo", ("inei", "ubigeo_inei", "iddist", "cod_ubigeo", "codigo_ubigeo", "ubigeo_distrito")),
        Column("distrito", ("nombdist", "nombre_distrito", "district", "nombre")),
        Column("reniec", ("ubigeo_reniec", "cod_reniec"), required=False),
        Column("provincia", ("nombprov", "province"), required=False),
        Column("departamento", ("nombdep", "department"), required=False),
        Column("altitud", ("altitude", "altitud_m", "altura"), required=False),
        Column("latitud", ("latitude", "lat"), required=False),
        Column("longitud", ("longitude", "lon", "lng"), required=False),
    )
)


class TerritoryLoader(Loader):
    source = "territory"
    description = "tabla oficial de ubigeos (distritos)"
    layout = LAYOUT
    grain = GRAIN

    def prepare(self, ctx: LoadContext, staged: Staged) -> None:
        con, t = ctx.con, staged.table
        # The official tables write missing values as NA (R's convention) or a dash.
        for col in ("ubigeo", "reniec", "altitud", "latitud", "longitud"):
            con.execute(
                f"update {t} set {col} = null where upper(trim({col})) in ('NA', 'N/A', 'NULL', '-', '')"
            )
        pad_codes(ctx, staged, "ubigeo", 6, "ubigeos")
        n = con.execute(f"select count(*) from {t} where regexp_full_match(ubigeo, '\\d{{4}}00')").fetchone()[
            0
        ]
        if n:
            con.execute(f"delete from {t} where regexp_full_match(ubigeo, '\\d{{4}}00')")
            ctx.warnings.append(
                f"{ctx.label}: {n} filas de departamento o provincia (código terminado en 00) omitidas"
            )

    def checks(self, ctx: LoadContext, staged: Staged) -> list[ck.Check]:
        return [
            ck.Check(
                "ubigeo", "ubigeo is null", ck.lit("ubigeo INEI vacío (NA): el distrito no tiene código INEI")
            ),
            ck.Check(
                "ubigeo",
                "ubigeo is not null and not regexp_full_match(ubigeo, '\\d{6}')",
                ck.lit("el ubigeo debe tener 6 dígitos"),
            ),
            ck.Check(
                "ubigeo",
                "regexp_full_match(ubigeo, '\\d{6}') and left(ubigeo, 4) not in (select province_code from core_province)",
                ck.lit("provincia desconocida (los 4 primeros dígitos no son una provincia INEI)"),
            ),
            ck.required("distrito"),
            ck.number("altitud", False),
            ck.number("latitud", False),
            ck.number("longitud", False),
            ck.duplicates(["ubigeo"], "ubigeo"),
        ]

    def write(self, ctx: LoadContext, staged: Staged, batch_id: int) -> str:
        con = ctx.con
        before = con.execute("select count(*) from core_district").fetchone()[0]
        upsert(
            ctx,
            staged,
            "core_district",
            ("ubigeo",),
            {
                "ubigeo": ("ubigeo", None),
                "province_code": ("left(ubigeo, 4)", None),
                "department_code": ("left(ubigeo, 2)", None),
                "name": ("trim(distrito)", None),
                "reniec_code": ("nullif(trim(reniec), '')", "reniec"),
                "altitude_m": ("parse_num(altitud, false)", "altitud"),
                "latitude": ("parse_num(latitud, false)", "latitud"),
                "longitude": ("parse_num(longitud, false)", "longitud"),
                "batch_id": (str(int(batch_id)), None),
            },
            batch_id,
        )
        after = con.execute("select count(*) from core_district").fetchone()[0]
        return f"{after} distritos ({after - before} nuevos)"
