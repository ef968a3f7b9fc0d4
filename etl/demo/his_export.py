"""The demo's nominal records as a regional health office downloads them from MINSA's HIS reports
(../shared/domain/HIS.md §1–§6): per month a ``NominalTrama…zip`` holding ``NominalTramaNuevo_AAAA_M.csv`` (48
columns, one row per item of an attention), ``MaestroPaciente…zip``, ``MaestroPersonal…zip``,
``MaestroRegistrador…zip``, the code masters (``MAESTRO_HIS_ESTABLECIMIENTO``, ``MAESTRO_HIS_CENTRO_POBLADO``,
``MAESTRO_HIS_CIE_CPMS``…) and a Padrón Nominal extract — all synthetic.

Documents are invented (DNI ``0`` + seven digits, CNV ``10`` + eight); names are placeholders. A child attended
away from home is registered there under another ``Id_Paciente`` (HIS numbers patients per facility), sometimes
under its CNV while the Padrón lists both its DNI and CNV — the reader must recognise one child. A few group
activities (``Id_Paciente`` ``AP…``, no age) are in every month, as in real tramas.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import zipfile
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from .attentions import Attentions
from .files import rng_for, write_rows
from .his_headers import CENTRO_POBLADO, CODE_MASTERS, PERSONAL, REGISTRADOR
from .network import his_ids, write_network

DNI, CNV = "1", "6"  # MAESTRO_HIS_TIPO_DOC codes
CNV_ONLY = (
    3  # children whose number ends in this digit have no DNI yet: HIS and the Padrón know their CNV only
)
CNV_AWAY = 5  # … in this one, registered under their CNV at a facility away from home (the Padrón holds both)
TRAMA_SQL = Path(__file__).with_name("his_trama.sql")
ZIP_TIME = 1_767_225_600  # 2026-01-01: every ZIP member's time, so that the same seed gives the same bytes


def dni(g: np.ndarray) -> np.ndarray:
    return np.char.zfill(g.astype(str), 8)


def cnv(g: np.ndarray) -> np.ndarray:
    return np.char.add("10", np.char.zfill(g.astype(str), 8))


def write_his_export(
    att: Attentions, facilities: pd.DataFrame, districts: pd.DataFrame, seed: int, folder: Path
) -> Path:
    """Write the whole download into ``folder`` (created anew). ``facilities`` as the demo's world has them (the
    network master is written from them); ``districts`` with ubigeo, name and altitude (one centro poblado each,
    its capital, code 0001)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    scratch = folder / "_csv"
    scratch.mkdir()
    his_id = his_ids(facilities.cod_ipress)
    g = att.child + att.first_child + 1  # the child's number, 1…
    pid = np.char.add(np.char.zfill(g.astype(str), 7), his_id[att.facility].astype(str))
    doc_type = np.where(
        (g % 10 == CNV_ONLY) | ((g % 10 == CNV_AWAY) & (att.facility != att.home[att.child])), CNV, DNI
    )
    con = duckdb.connect()
    try:
        con.execute("set preserve_insertion_order = true")
        con.execute("set enable_progress_bar = false")
        _trama(con, att, facilities, his_id, pid, scratch, folder)
        patients = pd.DataFrame(
            {"pid": pid, "g": g, "tipo": doc_type, "fac": his_id[att.facility], "child": att.child}
        ).drop_duplicates("pid")
        _write_zip(
            con,
            _pacientes(patients, att),
            "MaestroPaciente.csv",
            folder / "MaestroPaciente1120646.zip",
            scratch,
        )
        _write_zip(
            con,
            _padron(att, facilities),
            "PadronNominal_extracto.csv",
            folder / "PadronNominal_extracto.zip",
            scratch,
        )
    finally:
        con.close()
    _staff(folder, his_id, seed)
    write_network(facilities, seed, folder)
    write_rows(
        folder / "MAESTRO_HIS_CENTRO_POBLADO.csv",
        CENTRO_POBLADO,
        [
            (f"{d.ubigeo}0001", d.name, "0001", d.ubigeo, f"{round(d.altitude):.2f}")
            for d in districts.itertuples(index=False)
        ],
    )
    for name, (header, rows) in CODE_MASTERS.items():
        write_rows(folder / f"{name}.csv", header, rows)
    shutil.rmtree(scratch)
    return folder


def _trama(con, att: Attentions, facilities, his_id, pid, scratch: Path, folder: Path) -> None:
    """One ZIP per month. Items of one child the same day at the same facility are one attention (cita); the
    cita's haemoglobin is repeated on each of its rows; most carry the centro poblado of the facility's district.
    The rows are built once in date order, so that each month's copy reads only its own part."""
    order = np.lexsort((att.item, att.facility, att.child, att.day))  # by date: Id_Cita grows with time
    child, day, fac = att.child[order], att.day[order], att.facility[order]
    new = np.r_[True, (child[1:] != child[:-1]) | (day[1:] != day[:-1]) | (fac[1:] != fac[:-1])]
    cita = np.cumsum(new) - 1
    start = np.flatnonzero(new)
    corr = np.arange(len(cita)) - start[cita] + 1
    hb_cita = np.full(len(start), np.nan)
    has_hb = ~np.isnan(att.hb[order])
    hb_cita[cita[has_hb]] = att.hb[order][has_hb]
    table = pa.table(
        {
            "cita": 700_000_000 + 40 * att.first_child + cita,  # chunks of children: no two share an id
            "fecha": pa.array(day, pa.date32()),
            "id_est": his_id[fac],
            "paciente": pid[order],
            "corr": corr,
            "edad": (day - att.born[child]).astype(np.int64),
            "codigo": att.codes[order],
            "lab": att.labs[order],
            "hb": pa.array(hb_cita[cita], pa.float64(), from_pandas=True),
            "cp": np.where(cita % 10 < 7, np.char.add(facilities.ubigeo.to_numpy()[fac], "0001"), ""),
            "renipress": facilities.cod_ipress.to_numpy()[fac],
        }
    )
    con.register("items", table)
    # A group activity (educational session) at a few facilities each month: no patient age, Id_Paciente AP….
    con.execute(
        "create temp table grupales as select distinct on (date_trunc('month', fecha), id_est) fecha, id_est, "
        "renipress from items where hash(id_est) % 50 = 0 order by all"
    )
    con.execute(f"create temp table trama as {TRAMA_SQL.read_text(encoding='utf-8')}")
    months = con.execute("select distinct Anio, Mes from trama order by all").fetchall()
    for y, m in months:
        csv = scratch / f"NominalTramaNuevo_{y}_{m}.csv"
        con.execute(
            f"copy (select * from trama where Anio = {y} and Mes = {m}) to '{_sql_path(csv)}' "
            "(header true, delimiter ',')"
        )
        downloaded = dt.date(y + m // 12, m % 12 + 1, 10)
        _zip_file(csv, folder / f"NominalTrama{downloaded:%d%m%Y}_080000.zip")


def _staff(folder: Path, his_id: np.ndarray, seed: int) -> None:
    """One health worker and one data-entry clerk per facility (placeholders; birth dates drawn from the seed)."""
    born = np.datetime64("1960-01-01") + rng_for(seed, "his-staff").integers(0, 40 * 365, (2, len(his_id)))
    dates = np.datetime_as_string(born, unit="D")
    _zip_rows(folder / "MaestroPersonal1120952.zip", "MaestroPersonal.csv", PERSONAL, [
        [f"510{i}", DNI, f"0070{k:04d}", "DEMO", "PERSONAL", "ENFERMERA", dates[0, k], "1", "29", "06", "", str(i),
         "2023-01-02 00:00:00", ""] for k, i in enumerate(his_id)
    ])  # fmt: skip
    _zip_rows(folder / "MaestroRegistrador1121258.zip", "MaestroRegistrador.csv", REGISTRADOR, [
        [f"880{i}", DNI, f"0080{k:04d}", "DEMO", "REGISTRADOR", "DIGITADOR", dates[1, k]] for k, i in enumerate(his_id)
    ])  # fmt: skip


def _pacientes(patients: pd.DataFrame, att: Attentions) -> pa.Table:
    g = patients.g.to_numpy()
    child = patients.child.to_numpy()
    number = np.where(patients.tipo.to_numpy() == CNV, cnv(g), dni(g))
    born = pd.to_datetime(att.born[child]).strftime("%Y-%m-%d").to_numpy()
    sex = att.sex[child]
    empty = np.full(len(g), "")
    cols = {
        "Id_Paciente": patients.pid.to_numpy(), "Id_Tipo_Documento": patients.tipo.to_numpy(),
        "Numero_Documento": number, "Apellido_Paterno_Paciente": np.full(len(g), "DEMO"),
        "Apellido_Materno_Paciente": np.full(len(g), "SINTETICO"),
        "Nombres_Paciente": np.where(sex == "F", "NIÑA", "NIÑO"), "Fecha_Nacimiento": born, "Genero": sex,
        "Id_Etnia": np.full(len(g), "58"), "Historia_Clinica": g.astype(str), "Ficha_Familiar": empty,
        "Ubigeo_Nacimiento": empty, "Ubigeo_Reniec": empty, "Domicilio_Reniec": empty, "Ubigeo_Declarado": empty,
        "Domicilio_Declarado": empty, "Referencia_Domicilio": empty, "Id_Pais": np.full(len(g), "PER"),
        "Id_Establecimiento": patients.fac.astype(str).to_numpy(), "Fecha_Alta": born, "Fecha_Modificacion": empty,
    }  # fmt: skip
    return pa.table(cols)


def _padron(att: Attentions, facilities: pd.DataFrame) -> pa.Table:
    """Every child of the sample, resident in its home facility's district: DNI and CNV (CNV only for the
    youngest documents), birth date DD/MM/AAAA, the district of residence (INEI)."""
    n = len(att.born)
    g = np.arange(n) + att.first_child + 1
    only_cnv = g % 10 == CNV_ONLY
    ubigeo = facilities.ubigeo.to_numpy()[att.home]
    code = facilities.cod_ipress.to_numpy()[att.home]
    empty = np.full(n, "")
    cols = {
        "CO_PADRON_NOMINAL": (90_000_000 + g).astype(str), "NU_DNI_MENOR": np.where(only_cnv, "", dni(g)),
        "NU_CNV": cnv(g), "NU_CUI": empty, "TI_DOC_IDENTIDAD": np.where(only_cnv, "3", "1,3"),
        "AP_PRIMER_MENOR": np.full(n, "DEMO"), "AP_SEGUNDO_MENOR": np.full(n, "SINTETICO"),
        "PRENOMBRE_MENOR": np.where(att.sex == "F", "NIÑA", "NIÑO"),
        "CO_GENERO_MENOR": np.where(att.sex == "F", "2", "1"),
        "DE_GENERO_MENOR": np.where(att.sex == "F", "FEMENINO", "MASCULINO"),
        "FE_NAC_MENOR": pd.to_datetime(att.born).strftime("%d/%m/%Y").to_numpy(), "CO_UBIGEO_INEI": ubigeo,
        "CO_CENTRO_POBLADO": np.char.add(ubigeo.astype(str), "0001"), "CO_EST_SALUD_NAC": code,
        "CO_EST_SALUD": code, "CO_EST_SALUD_ADS": code, "TI_SEGURO_MENOR": np.full(n, "1"),
        "ES_PADRON": np.full(n, "1"),
    }  # fmt: skip
    return pa.table(cols)


def _write_zip(con, table: pa.Table, member: str, target: Path, scratch: Path) -> None:
    csv = scratch / member
    con.register("t", table)
    con.execute(f"copy t to '{_sql_path(csv)}' (header true, delimiter ',')")
    con.unregister("t")
    _zip_file(csv, target)


def _zip_file(csv: Path, target: Path) -> None:
    """One CSV inside a ZIP, as MINSA hands it out. The member's time is fixed so that the bytes depend on the
    seed only; level 1 takes a quarter of the default level's time for files a third larger."""
    os.utime(csv, (ZIP_TIME, ZIP_TIME))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.write(csv, csv.name)
    csv.unlink()


def _zip_rows(target: Path, member: str, header, rows) -> None:
    csv = target.with_name(member)
    write_rows(csv, header, rows)
    _zip_file(csv, target)


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
