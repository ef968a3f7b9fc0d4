"""The health-facility registry: RENIPRESS as SUSALUD publishes it (``;``-delimited, UTF-8 with BOM or Latin-1,
``COD_IPRESS, NOMBRE, UBIGEO…``) or MINSA's RENAES open data ``IPRESS.csv`` (comma-separated, accented headers:
``Institución, Código Único, Nombre del establecimiento, Clasificación, Tipo, … UBIGEO … Categoria … Estado``).

Required columns: the code, the name and the ubigeo; the others (institution, category, status…) are kept when
present. Facilities are upserted by their code.
"""

from __future__ import annotations

from warehouse.db import scalar
from warehouse.marts import refresh_all

from .. import checks as ck
from ..columns import Column, Layout
from ..csvfile import Staged
from ..replace import Grain
from .base import LoadContext, Loader, pad_codes, upsert

# Upserted by key; undoing a batch rebuilds every mart (a facility's district places its rows).
GRAIN = Grain("core_facility", ("cod_ipress",), (), (), lambda con, _t: refresh_all(con))

LAYOUT = Layout(
    (
        Column("cod_ipress", ("codigo_ipress", "renipress", "cod_renipress", "codigo_unico", "cod_eess")),
        Column(
            "nombre",
            (
                "nombre_establecimiento",
                "nombre_del_establecimiento",
                "name",
                "establecimiento",
                "nombre_eess",
            ),
        ),
        Column("ubigeo", ("cod_ubigeo", "ubigeo_inei")),
        Column("institucion", ("institution",), required=False),
        Column("clasificacion", ("classification",), required=False),
        Column("tipo_establecimiento", ("tipo", "type"), required=False),
        Column("categoria", ("category",), required=False),
        Column("estado", ("status", "condicion"), required=False),
        Column("departamento", (), required=False),
        Column("provincia", (), required=False),
        Column("distrito", (), required=False),
        Column("direccion", (), required=False),
        Column("norte", (), required=False),
        Column("este", (), required=False),
    )
)


class FacilitiesLoader(Loader):
    source = "facilities"
    description = "registro de establecimientos de salud (RENIPRESS)"
    layout = LAYOUT
    grain = GRAIN

    def prepare(self, ctx: LoadContext, staged: Staged) -> None:
        pad_codes(ctx, staged, "cod_ipress", 8, "códigos IPRESS")
        pad_codes(ctx, staged, "ubigeo", 6, "ubigeos")

    def checks(self, ctx: LoadContext, staged: Staged) -> list[ck.Check]:
        return [
            ck.required("cod_ipress"),
            ck.Check(
                "cod_ipress",
                "nullif(cod_ipress, '') is not null and not regexp_full_match(cod_ipress, '\\d{8}')",
                ck.lit("el código IPRESS debe tener 8 dígitos"),
            ),
            ck.required("nombre"),
            ck.required("ubigeo"),
            ck.known("ubigeo", "core_district", "ubigeo", "ubigeo (cargue antes la tabla de ubigeos)"),
            ck.duplicates(["cod_ipress"], "cod_ipress"),
        ]

    def write(self, ctx: LoadContext, staged: Staged, batch_id: int) -> str:
        con = ctx.con
        before = scalar(con, "select count(*) from core_facility")
        upsert(
            ctx,
            staged,
            "core_facility",
            ("cod_ipress",),
            {
                "cod_ipress": ("cod_ipress", None),
                "name": ("trim(nombre)", None),
                "ubigeo": ("ubigeo", None),
                "institucion": ("trim(institucion)", "institucion"),
                "clasificacion": ("trim(clasificacion)", "clasificacion"),
                "tipo": ("trim(tipo_establecimiento)", "tipo_establecimiento"),
                "categoria": ("trim(categoria)", "categoria"),
                "estado": ("trim(estado)", "estado"),
                "batch_id": (str(int(batch_id)), None),
            },
            batch_id,
        )
        after = scalar(con, "select count(*) from core_facility")
        return f"{after} establecimientos ({after - before} nuevos)"
