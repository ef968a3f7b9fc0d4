"""Reading HIS-MINSA exports as a regional health office downloads them — a folder of ZIPs (one CSV each) or of
their CSVs: several months of tramas, MaestroPaciente, MAESTRO_HIS_ESTABLECIMIENTO, MAESTRO_HIS_CENTRO_POBLADO —
into the records layout, streamed by DuckDB into one Parquet file that the engines then read like any records.

Rules (HIS.md §2–§9): group activities (Id_Paciente starting with A/AP) and rows without age (empty Tipo_Edad) are
left out and counted; the child is the keyed pseudonym of (document type, number) from MaestroPaciente, hashed in
the statement that reads it; the birth date comes from MaestroPaciente, never from Edad_Reg; the facility is its
RENIPRESS code (the trama's ``renipress``, else ``Codigo_Unico`` through ``Id_Establecimiento``, as integers);
haemoglobin is the attention's ``Hemoglobina``; altitude is the centro poblado's, else the facility district's.
"""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from warehouse.db import one, scalar
from warehouse.yaml_schema import validate

from ..columns import Layout
from ..csvfile import (
    REJECT_REASONS,
    SNIFF_BYTES,
    _decode,
    _header,
    read_head,
    read_rejects,
    sniff_delimiter,
    sniff_encoding,
)
from ..encoding import as_utf8
from ..problems import LoadError, Problem
from .definitions import HIS_SETTINGS, RECORDS_DIR
from .his_layout import (
    CENTRO_POBLADO,
    ESTABLECIMIENTO,
    KINDS,
    PACIENTE,
    PADRON,
    TRAMA,
    kind_of,
    paciente_variant,
    trama_variant,
)
from .pseudonym import document_sql, hmac_sql
from .schema import HisSettingsFile

SETTINGS = RECORDS_DIR / HIS_SETTINGS
CONVERSION = Path(__file__).with_name("sql") / "his_registros.sql"
TEXT_SUFFIXES = (".csv", ".txt")
READ = ("trama", "paciente", "establecimiento", "centro_poblado", "padron")  # the kinds whose rows are read


@dataclass
class HisFile:
    kind: str  # trama | paciente | establecimiento | centro_poblado | personal | registrador
    path: Path  # the CSV (extracted from its ZIP into the scratch folder when it came zipped)
    label: str  # as the operator knows it: "NominalTrama…zip/NominalTramaNuevo.csv" or the CSV's own path
    headers: list[str]
    encoding: str


@dataclass
class HisRead:
    """What was found and what was left out, for the report."""

    files: list[HisFile]
    found: list[str] = field(default_factory=list)  # one line per file: its kind and layout
    warnings: list[str] = field(default_factory=list)
    rows: int = 0
    group_rows: int = 0
    ageless_rows: int = 0
    padron: Path | None = None  # the Padrón's children (pseudonym, birth date, district), when one was given


def _settings() -> dict:
    doc, wrong = validate(HisSettingsFile, SETTINGS.read_text(encoding="utf-8"), SETTINGS.name)
    if wrong:
        raise LoadError([Problem(SETTINGS.name, w) for w in wrong])
    return doc.get("his") or {}


def looks_like_his(path: Path) -> bool:
    """True when ``path`` holds HIS exports (a ZIP, or a CSV whose header is a HIS file's) rather than records in
    the project's layout."""
    files = (
        [path]
        if path.is_file()
        else sorted(p for p in path.rglob("*") if p.is_file())
        if path.is_dir()
        else []
    )
    for f in files:
        if f.suffix.lower() == ".zip":
            return True
        if f.suffix.lower() in TEXT_SUFFIXES:
            try:
                if kind_of(read_head(f)[2]) is not None:
                    return True
            except LoadError:
                continue
    return False


def discover(path: Path, scratch: Path) -> list[HisFile]:
    """Every HIS file under ``path``, ZIPs extracted (member names flattened: nothing is written outside the
    scratch folder). A file of no known kind (a code master) is named and skipped."""
    root = path if path.is_dir() else path.parent
    sources = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    out: list[HisFile] = []
    for k, src in enumerate(sources):
        rel = str(src.relative_to(root))
        if src.suffix.lower() == ".zip":
            try:
                with zipfile.ZipFile(src) as z:
                    members = [m for m in z.infolist() if not m.is_dir()]
                    for j, m in enumerate(members):
                        if Path(m.filename).suffix.lower() not in TEXT_SUFFIXES:
                            continue
                        label = f"{rel}/{Path(m.filename).name}"
                        with z.open(m) as r:
                            found = _classify_head(r.read(SNIFF_BYTES), src, label)
                        if found.kind in READ:  # only what is read is extracted: not the staff masters
                            found.path = scratch / f"{k}_{j}_{Path(m.filename).name}"
                            with z.open(m) as r, open(found.path, "wb") as w:
                                shutil.copyfileobj(r, w, 1 << 20)
                        out.append(found)
            except zipfile.BadZipFile as e:
                raise LoadError([Problem(rel, f"no es un ZIP legible: {e}")]) from e
        elif src.suffix.lower() in TEXT_SUFFIXES:
            out.append(_classify(src, rel))
    return out


def _classify(path: Path, label: str) -> HisFile:
    encoding, _delim, headers = read_head(path)
    return HisFile(kind_of(headers) or "otro", path, label, headers, encoding)


def _classify_head(head: bytes, path: Path, label: str) -> HisFile:
    """The same, from the first bytes of a ZIP member (read without extracting it)."""
    encoding = sniff_encoding(head)
    lines = _decode(head, encoding).splitlines()
    first = lines[0] if lines else ""
    headers = next(csv.reader(io.StringIO(first), delimiter=sniff_delimiter(first)), [])
    return HisFile(kind_of(headers) or "otro", path, label, headers, encoding)


def read_his(path: Path, scratch: Path, key: bytes, target: Path, **duckdb_options) -> HisRead:
    """Convert the exports under ``path`` into ``target`` (a Parquet file of the records layout plus ``lab``,
    ``tipo_diagnostico``, ``problema``, ``_archivo`` and ``_fila``). Raises LoadError, naming the files, when a
    needed master is missing or a file cannot be read."""
    files = discover(path, scratch)
    read = HisRead(files)
    by_kind: dict[str, list[HisFile]] = {}
    for f in files:
        by_kind.setdefault(f.kind, []).append(f)
    missing = [KINDS[kind][0] for kind in ("trama", "paciente", "establecimiento") if kind not in by_kind]
    if missing:
        raise LoadError(
            [
                Problem(
                    path.name,
                    f"faltan exportaciones del HIS: {', '.join(missing)} (se encontraron: "
                    f"{', '.join(sorted({f.label for f in files})) or 'ninguna'})",
                )
            ]
        )
    for f in files:
        read.found.append(_describe(f))
    con = duckdb.connect(str(scratch / "his.duckdb"))
    try:
        con.execute("set temp_directory = ?", [str(scratch / "his_tmp")])
        con.execute("set enable_progress_bar = false")
        if duckdb_options.get("threads"):
            con.execute(f"set threads = {int(duckdb_options['threads'])}")
        if duckdb_options.get("memory_limit"):
            con.execute("set memory_limit = ?", [duckdb_options["memory_limit"]])
        settings = _settings()
        _tramas(con, by_kind["trama"], settings, read)
        _padron(con, by_kind.get("padron", []), key, settings, read)
        _pacientes(con, by_kind["paciente"], key, read)
        _establecimientos(con, by_kind["establecimiento"], read)
        _centros(con, by_kind.get("centro_poblado", []), settings, read)
        read.rows, read.group_rows, read.ageless_rows = one(
            con,
            "select count(*), count(*) filter (where _excluida = 'grupal'), "
            "count(*) filter (where _excluida = 'sin_edad') from his_trama",
        )
        con.execute(
            f"copy ({CONVERSION.read_text(encoding='utf-8')}) to '{_sql_path(target)}' (format parquet)"
        )
        if "padron" in by_kind:
            read.padron = target.with_name("padron.parquet")
            con.execute(
                "copy (select id_nino, fecha_nacimiento, ubigeo from his_padron) "
                f"to '{_sql_path(read.padron)}' (format parquet)"
            )
    finally:
        con.close()
    if read.group_rows or read.ageless_rows:
        read.warnings.append(
            f"quedan fuera {read.group_rows:,} filas de actividades grupales (Id_Paciente que empieza con "
            f"{'/'.join(settings.get('prefijos_actividad_grupal', ['A']))}) y {read.ageless_rows:,} filas sin edad "
            "(Tipo_Edad vacío): no son atenciones nominales"
        )
    if "centro_poblado" not in by_kind:
        read.warnings.append(
            "no se encontró MAESTRO_HIS_CENTRO_POBLADO: sin altitud, los dosajes de hemoglobina se listan y no "
            "entran en las cifras de anemia"
        )
    return read


def _describe(f: HisFile) -> str:
    name = KINDS[f.kind][0] if f.kind in KINDS else None
    enc = {"utf-8": "UTF-8", "windows-1252": "Windows-1252"}.get(f.encoding, f.encoding)
    if f.kind == "trama":
        return f"{f.label}: NominalTrama, {trama_variant(f.headers)} ({enc})"
    if f.kind == "paciente":
        return f"{f.label}: MaestroPaciente, {paciente_variant(f.headers)} ({enc}); solo tipo y número de documento (seudonimizados), nacimiento y sexo"
    if f.kind == "padron":
        return f"{f.label}: Padrón Nominal ({enc}); solo DNI y CNV (seudonimizados), nacimiento y distrito"
    if f.kind in ("personal", "registrador"):
        return f"{f.label}: {name}: no se lee (datos del personal, ningún indicador los usa)"
    if name:
        return f"{f.label}: {name} ({enc})"
    return f"{f.label}: no es un archivo del HIS que se use aquí; no se lee"


def _sql_path(p: Path) -> str:
    return str(p).replace("'", "''")


def _tramas(con, files: list[HisFile], settings: dict, read: HisRead) -> None:
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


def _pacientes(con, files: list[HisFile], key: bytes, read: HisRead) -> None:
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


def _padron(con, files: list[HisFile], key: bytes, settings: dict, read: HisRead) -> None:
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


def _establecimientos(con, files: list[HisFile], read: HisRead) -> None:
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


def _centros(con, files: list[HisFile], settings: dict, read: HisRead) -> None:
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
