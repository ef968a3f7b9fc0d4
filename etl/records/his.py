"""Reading HIS-MINSA exports as a regional health office downloads them — a folder of ZIPs (one CSV each) or of
their CSVs: several months of tramas, MaestroPaciente, MAESTRO_HIS_ESTABLECIMIENTO, MAESTRO_HIS_CENTRO_POBLADO —
into the records layout, streamed by DuckDB into one Parquet file that the engines then read like any records.

Rules (HIS.md §2–§9): group activities (Id_Paciente starting with A/AP) and rows without age (empty Tipo_Edad) are
left out and counted; the child is the keyed pseudonym of (document type, number) from MaestroPaciente, hashed in
the statement that reads it; the birth date is the Padrón's, else MaestroPaciente's, never Edad_Reg; the facility is its
RENIPRESS code (the trama's ``renipress``, else ``Codigo_Unico`` through ``Id_Establecimiento``, as integers);
haemoglobin is the attention's ``Hemoglobina``; altitude is the centro poblado's, else the facility district's.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.db import one

from ..problems import LoadError, Problem
from . import his_tables as tables
from .his_files import HisFile, HisRead, describe, discover, looks_like_his
from .his_layout import KINDS

CONVERSION = Path(__file__).with_name("sql") / "his_registros.sql"

__all__ = ["HisRead", "looks_like_his", "read_his"]


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
        read.found.append(describe(f))
    con = duckdb.connect(str(scratch / "his.duckdb"))
    try:
        con.execute("set temp_directory = ?", [str(scratch / "his_tmp")])
        con.execute("set enable_progress_bar = false")
        if duckdb_options.get("threads"):
            con.execute(f"set threads = {int(duckdb_options['threads'])}")
        if duckdb_options.get("memory_limit"):
            con.execute("set memory_limit = ?", [duckdb_options["memory_limit"]])
        settings = tables.settings()
        tables.tramas(con, by_kind["trama"], settings, read)
        tables.padron(con, by_kind.get("padron", []), key, settings, read)
        tables.pacientes(con, by_kind["paciente"], key, read)
        tables.establecimientos(con, by_kind["establecimiento"], read)
        tables.centros(con, by_kind.get("centro_poblado", []), settings, read)
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


def _sql_path(p: Path) -> str:
    return str(p).replace("'", "''")
