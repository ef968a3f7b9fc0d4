"""The health-network tree (DISA/DIRESA → Red → MicroRed → facility) from ``MAESTRO_HIS_ESTABLECIMIENTO`` or from a
RENIPRESS registry with ``DISA``/``Red``/``MicroRed`` columns; CSV (UTF-8 or Windows-1252), Excel, or either in a
ZIP as downloaded.

Keys are composite (a MicroRed code repeats across Reds, a Red code across DISAs; ``00`` = no Red/MicroRed), names
are trimmed (the master pads some), Lima's DIRIS are DISAs of their own, and facilities are keyed on their
RENIPRESS code as an integer (the master writes 9 characters, RENIPRESS and the HIS facts 8). A facility that moves
to another MicroRed moves from the month of the load (``--desde AAAA-MM``; by default the current month) on: the
months before keep the MicroRed they were reported under. A facility the file does not name keeps its place.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import zipfile
from pathlib import Path

from warehouse.db import one, scalar
from warehouse.marts import refresh_network
from warehouse.sources import table

from .. import checks as ck
from ..columns import Column, Layout
from ..csvfile import Staged
from ..excel import is_excel
from ..problems import LoadError, Problem
from .base import LoadContext, Loader
from .network_checks import CHECKS

LAYOUT = Layout(
    (
        Column(
            "codigo_unico",
            ("cod_ipress", "codigo_ipress", "renipress", "cod_renipress", "renaes", "cod_eess"),
        ),
        Column("codigo_disa", ("cod_disa",)),
        Column("disa", ("diresa", "nombre_disa")),
        Column("codigo_red", ("cod_red",)),
        Column("red", ("nombre_red",)),
        Column("codigo_microred", ("codigo_microrred", "cod_microred", "cod_microrred")),
        Column("microred", ("microrred", "nombre_microred")),
        Column("ubigeo", ("ubigueo_establecimiento", "ubigeo_establecimiento", "cod_ubigeo"), required=False),
        Column(
            "nombre",
            ("nombre_establecimiento", "nombre_del_establecimiento", "establecimiento"),
            required=False,
        ),
        # Known columns of the two layouts that the tree does not need (listed so they are not called unknown).
        *(
            Column(name, (), required=False)
            for name in (
                "id_establecimiento",
                "codigo_sector",
                "descripcion_sector",
                "departamento",
                "provincia",
                "distrito",
                "categoria_establecimiento",
                "institucion",
                "clasificacion",
                "tipo",
                "direccion",
                "subregion",
                "codigo_ue",
                "unidad_ejecutora",
                "categoria",
                "estado",
                "situacion",
                "condicion",
                "norte",
                "este",
                "cota",
                "camas",
                "ruc",
            )
        ),
    )
)

SINCE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
BEFORE_ANY_LOAD = dt.date(1900, 1, 1)
MOVED_LISTED = 50


def load_month(ctx: LoadContext) -> dt.date:
    """The month the file's tree holds from: ``--desde AAAA-MM``, else the current month."""
    since = ctx.options.get("since")
    if since is None:
        return dt.date.today().replace(day=1)
    m = SINCE.match(str(since))
    if not m:
        raise LoadError([Problem(ctx.label, f"--desde debe ser un mes AAAA-MM (valor {since!r})")])
    return dt.date(int(m[1]), int(m[2]), 1)


class NetworkLoader(Loader):
    source = "red"
    description = "red de salud: DISA/DIRESA → Red → MicroRed → establecimiento (MAESTRO_HIS_ESTABLECIMIENTO)"
    layout = LAYOUT
    raw_table = table("red")

    def stage(self, ctx: LoadContext) -> Staged:
        if is_excel(ctx.path) or not zipfile.is_zipfile(ctx.path):  # a workbook is a ZIP too
            return super().stage(ctx)
        # A ZIP as downloaded: its one data file, read from a private copy (the loader reads files by path).
        with zipfile.ZipFile(ctx.path) as z:
            inner = [i for i in z.infolist() if not i.is_dir() and not i.filename.startswith("__MACOSX/")]
            if len(inner) != 1:
                names = ", ".join(i.filename for i in inner) or "ninguno"
                raise LoadError(
                    [Problem(ctx.label, f"el ZIP debe contener un solo archivo de datos (contiene: {names})")]
                )
            with tempfile.TemporaryDirectory() as tmp:
                target = Path(tmp) / Path(inner[0].filename).name
                target.write_bytes(z.read(inner[0]))
                inner_ctx = LoadContext(ctx.con, target, ctx.catalogue, ctx.options, ctx.warnings)
                staged = super().stage(inner_ctx)
        ctx.warnings.append(f"{ctx.label}: se leyó {inner[0].filename} del ZIP")
        staged.format = {**staged.format, "zip_member": inner[0].filename}
        return staged

    def prepare(self, ctx: LoadContext, staged: Staged) -> None:
        con, t = ctx.con, staged.table
        for col in (
            "codigo_unico",
            "codigo_disa",
            "disa",
            "codigo_red",
            "red",
            "codigo_microred",
            "microred",
        ):
            con.execute(f"update {t} set {col} = trim({col}) where {col} <> trim({col})")
        # Red and MicroRed codes are two characters; a spreadsheet that typed them as numbers wrote 1 for 01.
        for col in ("codigo_red", "codigo_microred"):
            con.execute(f"update {t} set {col} = lpad({col}, 2, '0') where regexp_full_match({col}, '\\d')")
        if "ubigeo" in staged.mapping:
            con.execute(
                f"update {t} set ubigeo = lpad(trim(ubigeo), 6, '0') "
                f"where regexp_full_match(trim(ubigeo), '\\d{{5,6}}')"
            )
        else:  # RENIPRESS extracts without the district: the registry loaded before gives it
            con.execute(
                f"update {t} set ubigeo = f.ubigeo from core_facility as f "
                f"where try_cast(f.cod_ipress as bigint) = try_cast({t}.codigo_unico as bigint)"
            )
        con.execute(f"alter table {t} add column _ipress bigint")
        con.execute(
            f"update {t} set _ipress = try_cast(codigo_unico as bigint) "
            f"where regexp_full_match(codigo_unico, '\\d{{1,9}}')"
        )
        # The composite keys (HIS.md §5): a Red code is unique only within its DISA, a MicroRed code only within
        # its (DISA, Red). The DISA is written without leading zeros (13, not 013).
        con.execute(f"alter table {t} add column _red_key varchar")
        con.execute(f"alter table {t} add column _microred_key varchar")
        con.execute(
            f"update {t} set _red_key = ltrim(codigo_disa, '0') || '_' || codigo_red, "
            f"_microred_key = ltrim(codigo_disa, '0') || '_' || codigo_red || '_' || codigo_microred"
        )
        # The first row of each facility code, Red and MicroRed: a repeated code is reported against it, and a
        # Red or MicroRed named two ways is reported against the name it had there.
        con.execute(
            f"create or replace temp table _firsts as select _row, "
            f"min(_row) over (partition by _ipress) as ipress_row, "
            f"arg_min(red, _row) over (partition by _red_key) as red_first, "
            f"min(_row) over (partition by _red_key) as red_row, "
            f"arg_min(microred, _row) over (partition by _microred_key) as microred_first, "
            f"min(_row) over (partition by _microred_key) as microred_row from {t}"
        )
        for col, kind in (
            ("_ipress_row", "bigint"),
            ("_red_first", "varchar"),
            ("_red_row", "bigint"),
            ("_microred_first", "varchar"),
            ("_microred_row", "bigint"),
        ):
            con.execute(f"alter table {t} add column {col} {kind}")
        con.execute(
            f"update {t} set _ipress_row = f.ipress_row, _red_first = f.red_first, _red_row = f.red_row, "
            f"_microred_first = f.microred_first, _microred_row = f.microred_row "
            f"from _firsts as f where f._row = {t}._row"
        )

    def checks(self, ctx: LoadContext, staged: Staged) -> list[ck.Check]:
        return list(CHECKS)

    def write(self, ctx: LoadContext, staged: Staged, batch_id: int) -> str:
        con = ctx.con
        month = load_month(ctx)
        con.execute(
            "create or replace temp table incoming as select _ipress as ipress, ltrim(codigo_disa, '0') as disa_code, "
            "trim(disa) as disa, codigo_red as red_code, "
            "coalesce(nullif(trim(red), ''), 'NO PERTENECE A NINGUNA RED') as red, "
            "codigo_microred as microred_code, "
            "coalesce(nullif(trim(microred), ''), 'NO PERTENECE A NINGUNA MICRORED') as microred, "
            "trim(ubigeo) as ubigeo, nullif(trim(nombre), '') as facility_name, "
            "_microred_key as microred_key from valid"
        )
        later = one(
            con,
            "select count(*), min(n.valid_from) from incoming as i join core_network as n using (ipress) "
            "where n.valid_to is null and n.valid_from > ?",
            [month],
        )
        if later[0]:
            raise LoadError(
                [
                    Problem(
                        ctx.label,
                        f"{later[0]} establecimientos ya tienen en el almacén una red asignada desde "
                        f"{later[1]:%Y-%m}, posterior al mes de esta carga ({month:%Y-%m}); indique --desde AAAA-MM",
                    )
                ]
            )
        con.execute(
            "create or replace temp table network_change as "
            "select i.*, n.valid_from as old_from, "
            "n.disa_code || '_' || n.red_code || '_' || n.microred_code as old_key, n.microred as old_microred, "
            "case when n.ipress is null then 'nuevo' "
            "when n.disa_code || '_' || n.red_code || '_' || n.microred_code = i.microred_key then 'igual' "
            "else 'movido' end as change "
            "from incoming as i left join core_network as n on n.ipress = i.ipress and n.valid_to is null"
        )
        counts = dict(con.execute("select change, count(*) from network_change group by all").fetchall())
        # Unchanged: names and district as now written. Moved within the load's month (a corrected file): the
        # month's assignment is replaced. Moved before: the old one ends where the new one starts.
        con.execute(
            "update core_network as n set disa = c.disa, red = c.red, microred = c.microred, ubigeo = c.ubigeo, "
            "facility_name = coalesce(c.facility_name, n.facility_name) from network_change as c "
            "where c.change = 'igual' and n.ipress = c.ipress and n.valid_to is null"
        )
        con.execute(
            "delete from core_network as n using network_change as c "
            "where c.change = 'movido' and n.ipress = c.ipress and n.valid_to is null and n.valid_from = ?",
            [month],
        )
        con.execute(
            "update core_network as n set valid_to = ? from network_change as c "
            "where c.change = 'movido' and n.ipress = c.ipress and n.valid_to is null",
            [month],
        )
        con.execute(
            "insert into core_network select ipress, disa_code, disa, red_code, red, microred_code, microred, "
            "ubigeo, facility_name, case change when 'nuevo' then ? else ? end, null, ? "
            "from network_change where change in ('nuevo', 'movido')",
            [BEFORE_ANY_LOAD, month, batch_id],
        )
        moved = con.execute(
            "select lpad(ipress::varchar, 8, '0'), coalesce(facility_name, ''), old_key, old_microred, "
            "microred_key, microred from network_change where change = 'movido' order by ipress"
        ).fetchall()
        for ipress, name, old_key, old_name, new_key, new_name in moved[:MOVED_LISTED]:
            ctx.warnings.append(
                f"cambia de microred desde {month:%Y-%m}: {ipress} {name}".rstrip()
                + f" — {old_name} ({old_key}) → {new_name} ({new_key}); los meses anteriores quedan en {old_name}"
            )
        if len(moved) > MOVED_LISTED:
            ctx.warnings.append(f"… y {len(moved) - MOVED_LISTED} establecimientos más cambian de microred")
        kept = scalar(
            con,
            "select count(*) from core_network where valid_to is null "
            "and ipress not in (select ipress from incoming)",
        )
        if kept:
            ctx.warnings.append(
                f"{kept} establecimientos del almacén no están en {ctx.label}: conservan su red y microred"
            )
        if counts.get("nuevo"):
            refresh_network(con, BEFORE_ANY_LOAD)
        elif moved:
            refresh_network(con, month)
        return (
            f"red de {sum(counts.values())} establecimientos: {counts.get('nuevo', 0)} nuevos (en todos los meses), "
            f"{len(moved)} cambian de microred desde {month:%Y-%m}, {counts.get('igual', 0)} sin cambio"
        )
