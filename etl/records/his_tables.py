"""The rows of each HIS file read into DuckDB views by header name, as text: the trama's items with their file
and line, and the masters — MaestroPaciente and the Padrón pseudonymised in the statement that reads them (a
document number never lands in a table), the facilities' RENIPRESS codes and districts, the centros poblados'
altitudes. The settings (his_minsa.yaml) say what the sources leave unverified."""

from __future__ import annotations

from warehouse.db import scalar
from warehouse.yaml_schema import validate

from ..columns import Layout
from ..csvfile import REJECT_REASONS, _header, read_head, read_rejects
from ..encoding import as_utf8
from ..problems import LoadError, Problem
from .definitions import HIS_SETTINGS, RECORDS_DIR
from .his_files import HisFile, HisRead
from .his_layout import CENTRO_POBLADO, ESTABLECIMIENTO, PACIENTE, PADRON, TRAMA
from .pseudonym import document_sql, hmac_sql
from .schema import HisSettingsFile

SETTINGS = RECORDS_DIR / HIS_SETTINGS


def settings() -> dict:
    doc, wrong = validate(HisSettingsFile, SETTINGS.read_text(encoding="utf-8"), SETTINGS.name)
    if wrong:
        raise LoadError([Problem(SETTINGS.name, w) for w in wrong])
    return doc.get("his") or {}


def tramas(con, files: list[HisFile], settings: dict, read: HisRead) -> None:
    prefixes = [str(p).upper() for p in settings.get("prefijos_actividad_grupal", ["A"])]
    group = " or ".join(f"starts_with(upper(trim(id_paciente)), '{p}')" for p in prefixes) or "false"
    parts = []
    for k, f in enumerate(files):
        _read(con, f, TRAMA, f"trama_{k}")
        label = f.label.replace("'", "''")
        parts.append(
            f"select *, '{label}' as _archivo, _row as _fila, case when {group} then 'grupal' "
            f"when nullif(trim(tipo_edad), '') is null then 'sin_edad' end as _excluida from trama_{k}"
        )
    con.execute("create or replace temp view his_trama as " + " union all ".join(parts))


def pacientes(con, files: list[HisFile], key: bytes, read: HisRead) -> None:
    """MaestroPaciente read with the document hashed in the reading statement: only the pseudonym, the birth
    date and the sex are kept. Several masters (several downloads) are read together; a patient whose document
    or birth date differs between them is kept out, not guessed."""
    pseudonym = hmac_sql(key, document_sql("id_tipo_documento", "numero_documento"))
    select = (
        "trim(id_paciente) as id_paciente, "
        f"case when nullif(trim(numero_documento), '') is not null then {pseudonym} end as id_nino, "
        "nullif(left(trim(fecha_nacimiento), 10), '') as fecha_nacimiento, nullif(upper(trim(genero)), '') as sexo"
    )
    parts = []
    for k, f in enumerate(files):
        table = f"pacientes_{k}"
        _read(con, f, PACIENTE, table, select)
        parts.append(f"select id_paciente, id_nino, fecha_nacimiento, sexo from {table}")
    # A child registered under its CNV and, later, its DNI is one child: the Padrón, which holds both, says so.
    # The birth date is the Padrón's when the child is in it (as in the official scripts), else MaestroPaciente's.
    con.execute(
        "create or replace temp table his_pacientes_padron as select r.id_paciente, "
        "coalesce(a.id_nino, r.id_nino) as id_nino, "
        "coalesce(cast(pd.fecha_nacimiento as varchar), r.fecha_nacimiento) as fecha_nacimiento, r.sexo, "
        "pd.fecha_nacimiento is not null and r.fecha_nacimiento is not null "
        "and cast(pd.fecha_nacimiento as varchar) <> r.fecha_nacimiento as otra_fecha "
        f"from ({' union all '.join(parts)}) as r left join his_alias as a on a.alias = r.id_nino "
        "left join his_padron as pd on pd.id_nino = coalesce(a.id_nino, r.id_nino)"
    )
    differ = scalar(con, "select count(*) from his_pacientes_padron where otra_fecha")
    if differ:
        read.warnings.append(
            f"{differ:,} pacientes tienen en MaestroPaciente otra fecha de nacimiento que en el Padrón Nominal: "
            "se usa la del Padrón, como los scripts oficiales"
        )
    con.execute(
        "create or replace temp view his_pacientes as select id_paciente, min(id_nino) as id_nino, "
        "min(fecha_nacimiento) as fecha_nacimiento, min(sexo) as sexo, "
        "count(distinct concat(coalesce(id_nino, '?'), '|', coalesce(fecha_nacimiento, '?'))) as versiones "
        "from his_pacientes_padron group by id_paciente"
    )


def padron(con, files: list[HisFile], key: bytes, settings: dict, read: HisRead) -> None:
    """The Padrón's children, pseudonymised as MaestroPaciente's documents are (DNI, else CNV). A row without
    document, with a birth date that is not DD/MM/AAAA (or AAAA-MM-DD) or a district that is not a ubigeo is left
    out and its line named; so is a child listed twice with different data."""
    types = settings.get("tipo_documento_padron") or {"dni": "1", "cnv": "6"}
    dni = hmac_sql(key, document_sql(f"'{types['dni']}'", "nu_dni_menor"))
    cnv = hmac_sql(key, document_sql(f"'{types['cnv']}'", "nu_cnv"))
    select = (
        f"case when nullif(trim(nu_dni_menor), '') is not null then {dni} end as id_dni, "
        f"case when nullif(trim(nu_cnv), '') is not null then {cnv} end as id_cnv, "
        "coalesce(try_strptime(trim(fe_nac_menor), '%d/%m/%Y'), try_strptime(trim(fe_nac_menor), '%Y-%m-%d'))::date "
        "as fecha_nacimiento, case when regexp_matches(trim(co_ubigeo_inei), '^[0-9]{5,6}$') "
        "then lpad(trim(co_ubigeo_inei), 6, '0') end as ubigeo"
    )
    parts = []
    for k, f in enumerate(files):
        table = f"padron_{k}"
        _read(con, f, PADRON, table, select)
        bad = con.execute(
            f"select count(*), list(_row order by _row)[1:5] from {table} "
            "where coalesce(id_dni, id_cnv) is null or fecha_nacimiento is null or ubigeo is null"
        ).fetchone()
        if bad[0]:
            read.warnings.append(
                f"{f.label}: {bad[0]:,} filas del Padrón sin DNI ni CNV, con fecha de nacimiento que no es "
                f"DD/MM/AAAA o con ubigeo no válido quedan fuera (filas {', '.join(map(str, bad[1]))}…)"
            )
        parts.append(f"select id_dni, id_cnv, fecha_nacimiento, ubigeo from {table}")
    if not parts:
        parts = ["select null::varchar, null::varchar, null::date, null::varchar where false"]
    union = f"({' union all '.join(parts)}) as u(id_dni, id_cnv, fecha_nacimiento, ubigeo)"
    con.execute(
        "create or replace temp table his_padron_todos as select coalesce(id_dni, id_cnv) as id_nino, * "
        f"from {union} where coalesce(id_dni, id_cnv) is not null and fecha_nacimiento is not null "
        "and ubigeo is not null"
    )
    twice = scalar(
        con,
        "select count(*) from (select id_nino from his_padron_todos group by id_nino "
        "having count(distinct concat(fecha_nacimiento, ubigeo)) > 1)",
    )
    if twice:
        read.warnings.append(
            f"Padrón Nominal: {twice:,} niñas o niños figuran dos veces con otra fecha de nacimiento u otro "
            "distrito: quedan fuera del denominador del Padrón"
        )
    con.execute(
        "create or replace temp view his_padron as select id_nino, min(fecha_nacimiento) as fecha_nacimiento, "
        "min(ubigeo) as ubigeo from his_padron_todos group by id_nino "
        "having count(distinct concat(fecha_nacimiento, ubigeo)) = 1"
    )
    con.execute(
        "create or replace temp view his_alias as select distinct id_cnv as alias, id_dni as id_nino "
        "from his_padron_todos where id_dni is not null and id_cnv is not null"
    )


def _read(con, f: HisFile, layout: Layout, table: str, select: str = "*") -> None:
    """The layout's columns of a HIS file, found by header name, as text, in the view ``table`` with ``_row`` (the
    file's line; header = 1). ``select`` runs in the reading statement — where documents are pseudonymised, so a
    document number is never stored. A line that cannot be split refuses the file (its text is not shown: in a
    master it holds names and documents)."""
    _encoding, delimiter, headers = read_head(f.path)
    mapping, _warnings = layout.match(headers, f.label)
    missing = layout.missing(mapping, f.label)
    if missing:
        raise LoadError(missing)
    positions = {name: headers.index(h) for name, h in mapping.items()}
    columns = "{" + ", ".join(f"'c{k}': 'VARCHAR'" for k in range(len(headers))) + "}"
    inner = ", ".join(
        f"c{positions[c.name]} as {c.name}" if c.name in positions else f"null::varchar as {c.name}"
        for c in layout.columns
    )
    # DuckDB reads UTF-8; a Windows-1252 export through a UTF-8 copy (etl.encoding), the table built while it lives.
    with as_utf8(f.path) as readable:
        con.execute(f"drop table if exists {table}_datos")
        con.execute(
            f"create temp table {table}_datos as select {select} "
            f"from (select {inner} from read_csv(?, delim = ?, header = true, encoding = 'utf-8', quote = '\"', "
            "escape = '\"', store_rejects = true, ignore_errors = true, null_padding = false, "
            f"auto_detect = false, columns = {columns})) as raw",
            [str(readable.path), delimiter],
        )
        rejects = read_rejects(con)
    if rejects:
        raise LoadError(
            [
                Problem(
                    f.label,
                    REJECT_REASONS.get(kind, kind.lower()),
                    row=int(line),
                    column=_header(col, headers),
                )
                for line, col, kind, _text in rejects
            ]
        )
    # Rows keep the file's order (insertion order is preserved): the line is the position after the header.
    first = scalar(con, f"select coalesce(min(rowid), 0) from {table}_datos")
    con.execute(
        f"create or replace temp view {table} as select *, rowid - {first} + 2 as _row from {table}_datos"
    )


def establecimientos(con, files: list[HisFile], read: HisRead) -> None:
    parts = []
    for k, f in enumerate(files):
        _read(con, f, ESTABLECIMIENTO, f"establecimientos_{k}")
        parts.append(f"select * from establecimientos_{k}")
    con.execute(
        "create or replace temp view his_establecimientos as select trim(id_establecimiento) as "
        "id_establecimiento, try_cast(nullif(trim(min(codigo_unico)), '') as bigint) as codigo_unico, "
        "lpad(trim(min(ubigueo_establecimiento)), 6, '0') as ubigeo "
        f"from ({' union all '.join(parts)}) as e group by trim(id_establecimiento) "
        "having count(distinct trim(codigo_unico)) <= 1 and count(distinct trim(ubigueo_establecimiento)) <= 1"
    )


def centros(con, files: list[HisFile], settings: dict, read: HisRead) -> None:
    parts = []
    for k, f in enumerate(files):
        _read(con, f, CENTRO_POBLADO, f"centros_{k}")
        parts.append(
            f"select trim(id_centro_poblado) as id_centro_poblado, trim(id_codigo_centro_poblado) as codigo, "
            "lpad(trim(id_ubigueo_centro_poblado), 6, '0') as ubigeo, "
            f"try_cast(replace(trim(altitud_centro_poblado), ',', '.') as double) as altitud from centros_{k}"
        )
    if not parts:
        parts = ["select null::varchar, null::varchar, null::varchar, null::double where false"]
    con.execute(
        "create or replace temp view his_centros as select id_centro_poblado, min(codigo) as codigo, "
        "min(ubigeo) as ubigeo, min(altitud) as altitud "
        f"from ({' union all '.join(parts)}) as c(id_centro_poblado, codigo, ubigeo, altitud) "
        "group by id_centro_poblado having count(distinct altitud) <= 1"
    )
    rule = settings.get("altitud_distrito", "ninguna")
    if rule == "centro_poblado_codigo_menor":
        district = (
            "select ubigeo, arg_min(altitud, coalesce(codigo, right(id_centro_poblado, 4))) as altitud "
            "from his_centros where altitud is not null group by ubigeo"
        )
    elif rule == "ninguna":
        district = "select null::varchar as ubigeo, null::double as altitud where false"
    else:
        raise LoadError([Problem(SETTINGS.name, f"altitud_distrito desconocida {rule!r}")])
    con.execute(f"create or replace temp view his_distritos as {district}")
