"""Placing rows in the territory by names when a file gives no code: one way to compare names, and the executing
units of a department split into two regions (Lima) placed by their name."""

from __future__ import annotations

from warehouse.db import scalar

from .. import checks as ck
from ..csvfile import Staged
from .base import LoadContext


def name_key(sql: str) -> str:
    """A name as compared: no accents, case, spaces or punctuation ('Ñuñoa ' = 'NUNOA')."""
    return f"regexp_replace(upper(strip_accents(coalesce({sql}, ''))), '[^A-Z0-9]', '', 'g')"


def place_split_departments(ctx: LoadContext, staged: Staged) -> None:
    """A department split into two regions by province (Lima: 1501 Lima Metropolitana, the rest Lima Región) needs
    the executing unit's province. Where the file gives none, place the unit by its name when the name allows it
    (settings.yaml ``mef.ejecutora_province_by_name`` and ``municipality_prefixes``), and say loudly how many rows
    stay in the department's other region."""
    con, t, mef = ctx.con, staged.table, ctx.catalogue.mef
    split = dict(
        con.execute(
            "select department_code, province_code from core_region where province_code is not null"
        ).fetchall()
    )
    unplaced = f"provincia is null and departamento in ({', '.join(ck.lit(d) for d in split) or 'null'})"
    if not split or not scalar(con, f"select count(*) from {t} where {unplaced}"):
        return
    unit = name_key("ejecutora_nombre")
    for name, province in (mef.get("ejecutora_province_by_name") or {}).items():
        con.execute(
            f"update {t} set provincia = ? where {unplaced} and {unit} = {name_key('?')} and left(?, 2) = departamento",
            [str(province), str(name), str(province)],
        )
    prefixes = mef.get("municipality_prefixes") or {}
    places = {
        "district": "select department_code, province_code, name from core_district",
        "province": "select department_code, province_code, name from core_province",
    }
    for kind, sql in places.items():
        for prefix in prefixes.get(kind) or []:
            con.execute(
                f"""
                update {t} as s set provincia = u.province_code
                from (
                    select department_code, {name_key("name")} as place, min(province_code) as province_code
                    from ({sql})
                    group by all
                    having count(distinct province_code) = 1
                ) as u
                where {unplaced} and u.department_code = s.departamento
                  and starts_with({unit}, {name_key("?")})
                  and u.place = substr({unit}, length({name_key("?")}) + 1)
                """,
                [str(prefix), str(prefix)],
            )
    left = con.execute(
        f"select departamento, count(*), list(distinct ejecutora_nombre order by ejecutora_nombre)[:3] "
        f"from {t} where {unplaced} group by all order by all"
    ).fetchall()
    region = {  # (department, province or None) → the region's name
        (d, p): name
        for d, p, name in con.execute(
            "select department_code, province_code, name from core_region"
        ).fetchall()
    }
    for department, n, names in left:
        named = [x for x in names if x]
        ctx.warnings.append(
            f"ATENCIÓN: {ctx.label}: {n} filas del departamento {department} sin provincia de la unidad ejecutora"
            + (f" (p. ej. {'; '.join(named)})" if named else "")
            + f": se cuentan en {region[(department, None)]}, ninguna en {region[(department, split[department])]}"
            "; el archivo no permite separarlas (no trae la provincia ni una unidad ejecutora reconocible)"
        )
