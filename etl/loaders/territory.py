"""The official ubigeo table of districts (INEI codes; a RENIEC code column is kept as a crosswalk).

Accepts the INEI/ubigeo-table headers (``inei``/``ubigeo``/``IDDIST``, ``distrito``/``NOMBDIST``, optional
``reniec``, ``altitude``, ``latitude``, ``longitude``) and the INEI/RENIEC/SUNAT equivalence table's
(``cod_ubigeo_inei``, ``desc_ubigeo_inei``, ``cod_ubigeo_reniec``, ``desc_prov_inei``, ``desc_dep_inei``).
Department and province rows (codes ending in 00) are skipped with a warning.

Which codes a table holds is never taken from its header alone: RENIEC numbers most districts differently from
INEI (RENIEC's 010201 is INEI's 010206 LA PECA, INEI's 010201 is BAGUA), and many tables call either ``ubigeo``.
So the names the table gives (district, province, department) are compared with the warehouse's reference under
both readings of the codes — as INEI codes, and as RENIEC codes through the crosswalk of the loaded INEI table —
and the table is loaded as INEI, mapped from RENIEC to INEI through the crosswalk (INEI names kept: a RENIEC table
never renames a district), or refused whole when neither reading fits. Districts are upserted: a newer INEI
table adds new districts and renames old ones, and says which.
"""

from __future__ import annotations

from dataclasses import dataclass

from warehouse.db import one, scalar
from warehouse.marts import refresh_all

from .. import checks as ck
from ..columns import Column, Layout, normalize
from ..csvfile import Staged
from ..problems import LoadError, Problem
from ..replace import Grain
from .base import LoadContext, Loader, pad_codes, upsert
from .places import name_key

# Upserted by key; undoing a batch rebuilds every mart (a district's place in the hierarchy may change them).
GRAIN = Grain("core_district", ("ubigeo",), (), (), lambda con, _t: refresh_all(con))

# Headers that say the codes are INEI's; the others (``ubigeo``, ``cod_ubigeo``…) may hold either numbering.
INEI_HEADERS = ("inei", "ubigeo_inei", "cod_ubigeo_inei", "iddist")
LAYOUT = Layout(
    (
        Column("ubigeo", (*INEI_HEADERS, "cod_ubigeo", "codigo_ubigeo", "ubigeo_distrito")),
        Column("distrito", ("nombdist", "nombre_distrito", "district", "nombre", "desc_ubigeo_inei")),
        Column("reniec", ("ubigeo_reniec", "cod_reniec", "cod_ubigeo_reniec"), required=False),
        Column("provincia", ("nombprov", "province", "desc_prov_inei"), required=False),
        Column("departamento", ("nombdep", "department", "desc_dep_inei"), required=False),
        Column("altitud", ("altitude", "altitud_m", "altura"), required=False),
        Column("latitud", ("latitude", "lat"), required=False),
        Column("longitud", ("longitude", "lon", "lng"), required=False),
    )
)
# A reading of the codes fits when the names agree on at least this share of the rows that can be compared;
# INEI and RENIEC tables spell a few names differently, and a wrong reading agrees on far fewer (≈ 10–40 %).
FITS = 0.8
# Under a header that names INEI codes, fewer comparable rows than this are a correction, not evidence enough to
# refuse: loaded as INEI, and their renames listed.
FEW = 20


@dataclass(frozen=True)
class Readings:
    """How well the table's names fit its codes read as INEI codes and as RENIEC codes."""

    comparable: int  # rows with a name that can be checked under either reading
    inei: int  # rows whose names agree when the codes are INEI's
    reniec: int  # … when they are RENIEC's, mapped through the crosswalk
    crosswalk: int  # RENIEC codes the warehouse can map (0: no INEI table with its reniec column loaded)
    example: tuple | None  # a row that disagrees as INEI: (row, code, name in the file, INEI name)

    def share(self, agree: int) -> float:
        return agree / self.comparable if self.comparable else 0.0


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
        pad_codes(ctx, staged, "reniec", 6, "códigos RENIEC")
        n = scalar(con, f"select count(*) from {t} where regexp_full_match(ubigeo, '\\d{{4}}00')")
        if n:
            con.execute(f"delete from {t} where regexp_full_match(ubigeo, '\\d{{4}}00')")
            ctx.warnings.append(
                f"{ctx.label}: {n} filas de departamento o provincia (código terminado en 00) omitidas"
            )
        self.reniec = self._recognise(ctx, staged, readings(ctx, staged))

    def _recognise(self, ctx: LoadContext, staged: Staged, r: Readings) -> bool:
        """True when the codes are RENIEC's (then mapped to INEI's in the stage); LoadError when neither fits."""
        header = staged.mapping["ubigeo"]
        inei_header = normalize(header) in INEI_HEADERS
        if r.comparable == 0:
            if not inei_header:  # nothing tells INEI from RENIEC: guessing could rename every district later
                raise LoadError(
                    [
                        Problem(
                            ctx.label,
                            f"no se puede saber si los códigos de la columna {header!r} son INEI o RENIEC: ningún "
                            "nombre se puede comparar (el almacén no tiene esos distritos y el archivo no trae "
                            "nombres de provincia ni de departamento). Si son códigos INEI, llame a la columna "
                            "«inei», o agregue las columnas provincia y departamento",
                            row=1,
                            column=header,
                        )
                    ]
                )
            ctx.warnings.append(
                f"{ctx.label}: no se pudo comprobar con nombres que los códigos de {header!r} sean INEI (el almacén "
                "no tiene esos distritos y el archivo no trae nombres de provincia ni de departamento); se cargan "
                "como dice su encabezado"
            )
            return False
        if r.share(r.inei) >= FITS:
            return False
        if r.crosswalk and r.share(r.reniec) >= FITS and not inei_header:
            self._map_from_reniec(ctx, staged, r)
            return True
        if inei_header and r.share(r.reniec) < FITS and r.comparable < FEW:
            return False  # a few rows under a header that says INEI: a correction, its renames listed
        as_inei = (
            f"leídos como INEI solo coinciden los nombres de {r.share(r.inei):.0%} de {r.comparable} filas"
        )
        if r.example:
            row, code, name, inei_name = r.example
            as_inei += f" (p. ej. fila {row}: {code} es {inei_name!r} en la tabla INEI, no {name!r})"
        as_reniec = (
            f"leídos como RENIEC, {r.share(r.reniec):.0%}"
            if r.crosswalk
            else "si son códigos RENIEC, cargue antes la tabla INEI con su columna reniec (la equivalencia) "
            "para que se puedan convertir"
        )
        if inei_header and r.share(r.reniec) >= FITS:
            as_reniec = (
                f"leídos como RENIEC coinciden {r.share(r.reniec):.0%}: la columna dice INEI pero son RENIEC"
            )
        elif not inei_header:
            as_reniec += "; si son códigos INEI, llame a la columna «inei»"
        raise LoadError(
            [
                Problem(
                    ctx.label,
                    f"los códigos de la columna {header!r} no corresponden a los nombres del archivo: {as_inei}; "
                    f"{as_reniec}. No se carga nada: un ubigeo que no es INEI renombraría distritos",
                    row=1,
                    column=header,
                )
            ]
        )

    def _map_from_reniec(self, ctx: LoadContext, staged: Staged, r: Readings) -> None:
        """Codes → INEI codes through the crosswalk; the INEI names stay (a RENIEC table renames nothing)."""
        con, t = ctx.con, staged.table
        con.execute(f"alter table {t} add column _reniec varchar")
        con.execute(f"update {t} set _reniec = ubigeo")
        con.execute(
            f"update {t} as s set ubigeo = d.ubigeo, distrito = d.name, reniec = s._reniec "
            f"from ({crosswalk_sql()}) as d where d.reniec_code = s._reniec"
        )
        con.execute(
            f"update {t} set ubigeo = null where _reniec not in (select reniec_code from ({crosswalk_sql()}))"
        )
        ctx.warnings.append(
            f"{ctx.label}: la columna {staged.mapping['ubigeo']!r} trae códigos RENIEC (los nombres coinciden en "
            f"{r.share(r.reniec):.0%} de las filas leídos como RENIEC, {r.share(r.inei):.0%} como INEI): se "
            "convierten a códigos INEI con la equivalencia de la tabla INEI cargada; los nombres INEI no cambian"
        )

    def checks(self, ctx: LoadContext, staged: Staged) -> list[ck.Check]:
        if self.reniec:
            missing = ck.Check(
                "ubigeo",
                "ubigeo is null",
                "case when _reniec is null then 'ubigeo RENIEC vacío (NA)' else 'código RENIEC sin equivalente "
                "INEI en la tabla de distritos cargada (columna reniec)' end",
                value="_reniec",
            )
        else:
            missing = ck.Check(
                "ubigeo", "ubigeo is null", ck.lit("ubigeo INEI vacío (NA): el distrito no tiene código INEI")
            )
        return [
            missing,
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
        before = scalar(con, "select count(*) from core_district")
        renamed = con.execute(
            f"select v.ubigeo, d.name, trim(v.distrito) from valid as v join core_district as d using (ubigeo) "
            f"where {name_key('d.name')} <> {name_key('v.distrito')} order by 1"
        ).fetchall()
        if renamed:
            shown = "; ".join(f"{u} {old} → {new}" for u, old, new in renamed[:5])
            ctx.warnings.append(
                f"{ctx.label}: {len(renamed)} distritos cambian de nombre (p. ej. {shown})"
                + (" …" if len(renamed) > 5 else "")
            )
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
        after = scalar(con, "select count(*) from core_district")
        coded = " (códigos RENIEC convertidos a INEI)" if self.reniec else ""
        return f"{after} distritos ({after - before} nuevos){coded}"


def crosswalk_sql() -> str:
    """RENIEC code → INEI district of the loaded table (codes that name one district only)."""
    return (
        "select reniec_code, min(ubigeo) as ubigeo, min(name) as name from core_district "
        "where reniec_code is not null group by reniec_code having count(*) = 1"
    )


def readings(ctx: LoadContext, staged: Staged) -> Readings:
    """Compare the table's names with the reference under each reading of its codes: the loaded districts' names,
    the shipped provinces' and departments' (a row agrees when every name it gives agrees)."""
    t, m = staged.table, staged.mapping
    text = {c: (c if c in m else "null::varchar") for c in ("distrito", "provincia", "departamento")}
    agree = " and ".join(f"coalesce({c}, true)" for c in ("d_ok", "p_ok", "dep_ok"))
    row = one(
        ctx.con,
        f"""
        with codes as (
            select _row, 'inei' as reading, ubigeo as code, {text["distrito"]} as distrito,
                   {text["provincia"]} as provincia, {text["departamento"]} as departamento
            from {t} where ubigeo is not null
            union all
            select s._row, 'reniec', x.ubigeo, {text["distrito"]}, {text["provincia"]}, {text["departamento"]}
            from {t} as s join ({crosswalk_sql()}) as x on x.reniec_code = s.ubigeo
        ),
        compared as (
            select c.*, d.name as inei_name,
                   case when d.name is not null and nullif(trim(c.distrito), '') is not null
                        then {name_key("d.name")} = {name_key("c.distrito")} end as d_ok,
                   case when p.name is not null and nullif(trim(c.provincia), '') is not null
                        then {name_key("p.name")} = {name_key("c.provincia")} end as p_ok,
                   case when dep.name is not null and nullif(trim(c.departamento), '') is not null
                        then {name_key("dep.name")} = {name_key("c.departamento")} end as dep_ok
            from codes as c
            left join core_district as d on d.ubigeo = c.code
            left join core_province as p on p.province_code = left(c.code, 4)
            left join core_department as dep on dep.department_code = left(c.code, 2)
        ),
        per_row as (
            select _row,
                   bool_or(coalesce(d_ok, p_ok, dep_ok) is not null) as comparable,
                   bool_or(reading = 'inei' and coalesce(d_ok, p_ok, dep_ok) is not null and {agree}) as inei,
                   bool_or(reading = 'reniec' and coalesce(d_ok, p_ok, dep_ok) is not null and {agree}) as reniec
            from compared
            group by _row
        )
        select count(*) filter (where comparable), count(*) filter (where inei), count(*) filter (where reniec),
               (select count(*) from ({crosswalk_sql()})),
               (select min((_row, code, trim(distrito), inei_name)) from compared
                where reading = 'inei' and d_ok = false)
        from per_row
        """,
    )
    comparable, inei, reniec, crosswalk, raw = row
    example = tuple(raw.values()) if isinstance(raw, dict) else raw
    return Readings(comparable, inei, reniec, crosswalk, example)
