"""The demo's nominal records written as HIS-MINSA exports (etl/demo/his_export.py): the files a regional office
downloads, in the real layouts; read back through `semaforo compute`'s HIS path they give exactly the figures the
same attentions give in the project's records layout; the same seed writes the same bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from pathlib import Path

import duckdb
import pytest

from etl.demo import his_headers
from etl.demo.his_export import write_his_export
from etl.demo.records import draw_attentions, records_table, write_records
from etl.demo.scale import DEMO
from etl.demo.world import World
from etl.records.compute import compute

from ..conftest import shared

START, END = dt.date(2025, 11, 1), dt.date(2026, 2, 28)
INDICATORS = ["PAN_ANEMIA_HIS_CDC", "PAN_ANEMIA_HIS_OMS", "PAN_P_HIERRO"]
KEY = "clave-de-prueba-0123456789abcdef"


@pytest.fixture(scope="module")
def world(catalogue):
    return World.build(2026, DEMO, catalogue)


@pytest.fixture(scope="module")
def sample(world):
    altitude = world.districts.set_index("ubigeo").altitude
    facilities = world.facilities.assign(altitude=altitude.loc[world.facilities.ubigeo].to_numpy())
    attentions = draw_attentions(facilities, 1_500, START, END, 7, consultations=False)
    return facilities, attentions


@pytest.fixture(scope="module")
def export(world, sample, tmp_path_factory) -> Path:
    facilities, attentions = sample
    return write_his_export(
        attentions, facilities, world.districts, 7, tmp_path_factory.mktemp("his") / "his"
    )


def header(path: Path) -> list[str]:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as z:
            (member,) = z.namelist()
            return z.read(member).decode("utf-8").splitlines()[0].split(",")
    return path.read_text(encoding="utf-8").splitlines()[0].split(",")


def test_the_files_of_a_his_download_in_their_real_layouts(export):
    names = sorted(p.name for p in export.iterdir())
    tramas = [n for n in names if n.startswith("NominalTrama")]
    assert len(tramas) == 4  # one ZIP per month, one CSV inside named as MINSA names it
    for name in tramas:
        with zipfile.ZipFile(export / name) as z:
            assert len(z.namelist()) == 1 and z.namelist()[0].startswith("NominalTramaNuevo_")
    for kind in ("MaestroPaciente", "MaestroPersonal", "MaestroRegistrador", "PadronNominal"):
        assert len([n for n in names if n.startswith(kind) and n.endswith(".zip")]) == 1, kind
    real = {
        "NominalTrama": "NominalTramaNuevo_2025_5.csv",
        "MaestroPaciente": "MaestroPaciente.csv",
        "MaestroPersonal": "MaestroPersonal.csv",
        "MaestroRegistrador": "MaestroRegistrador.csv",
        "PadronNominal": "PadronNominal_extracto.csv",
        "MAESTRO_HIS_ESTABLECIMIENTO": "MAESTRO_HIS_ESTABLECIMIENTO.csv",
        "MAESTRO_HIS_CENTRO_POBLADO": "MAESTRO_HIS_CENTRO_POBLADO.csv",
        "MAESTRO_HIS_CIE_CPMS": "MAESTRO_HIS_CIE_CPMS.csv",
        "MAESTRO_HIS_UPS": "MAESTRO_HIS_UPS.csv",
    }
    for prefix, sample_file in real.items():
        ours = next(export / n for n in names if n.startswith(prefix))
        assert header(ours) == header(shared("his", sample_file)), prefix
    assert header(export / tramas[0]) == his_headers.TRAMA
    # Group activities (AP…, no age) are in every month; nominal rows carry an age unit, never an empty one.
    con = duckdb.connect()
    with zipfile.ZipFile(export / tramas[0]) as z:
        (export.parent / "t.csv").write_bytes(z.read(z.namelist()[0]))
    grupal, sin_edad, hb_rows = con.execute(
        f"select count(*) filter (where Id_Paciente like 'AP%'), "
        f"count(*) filter (where Tipo_Edad is null and Id_Paciente not like 'AP%'), "
        f"count(*) filter (where Hemoglobina is not null) from read_csv('{export.parent / 't.csv'}', all_varchar = true)"
    ).fetchone()
    assert grupal > 0 and sin_edad == 0 and hb_rows > 0


def test_the_his_path_gives_the_figures_of_the_records_layout(export, sample, tmp_path, catalogue):
    """The same attentions, once as HIS exports (documents pseudonymised under a key; children registered under
    their CNV away from home joined by the Padrón) and once in the project's layout: identical output rows."""
    facilities, attentions = sample
    records = write_records(records_table(attentions, facilities), tmp_path / "registros")
    plain = compute(records, tmp_path / "plain", indicators=INDICATORS, catalogue=catalogue)
    key = tmp_path / "clave.txt"
    key.write_text(KEY)
    his = compute(export, tmp_path / "his", indicators=INDICATORS, catalogue=catalogue, key_file=key)
    assert plain.status == his.status == "computed", his.lines()
    assert any("Padrón Nominal" in f for f in his.found)
    query = "select * exclude (anio) from read_parquet('{}/**/*.parquet') order by all"
    a = duckdb.sql(query.format(tmp_path / "plain")).fetchall()
    b = duckdb.sql(query.format(tmp_path / "his")).fetchall()
    assert len(a) > 100 and a == b


def test_the_same_seed_writes_the_same_bytes(world, sample, export, tmp_path):
    facilities, attentions = sample
    again = write_his_export(attentions, facilities, world.districts, 7, tmp_path / "again")

    def digest(folder: Path) -> dict[str, str]:
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}

    assert digest(again) == digest(export)
