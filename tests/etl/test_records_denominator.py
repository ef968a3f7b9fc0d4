"""`semaforo compute`'s output loaded by the admin loader keeps which denominator each row used
(`denominador_fuente` → raw_admin.denominator_source, migration 0008): the Padrón Nominal's children or those
attended. An unknown value is refused with its file, row and column; a file without the column stores nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import copy_warehouse, load, rows, write
from .test_records_his import dosaje, padron_export

UBIGEO = (
    "inei,reniec,departamento,provincia,distrito,altitude,latitude,longitude\n"
    "090118,090118,HUANCAVELICA,HUANCAVELICA,ASCENSION,3720,-12.8,-74.9\n"
    "090103,090103,HUANCAVELICA,HUANCAVELICA,ACORIA,3150,-12.6,-74.8\n"
)
RENIPRESS = (
    "INSTITUCION;COD_IPRESS;NOMBRE;CLASIFICACION;TIPO_ESTABLECIMIENTO;DEPARTAMENTO;PROVINCIA;DISTRITO;UBIGEO;"
    "DIRECCION;CATEGORIA;ESTADO;NORTE;ESTE\n"
    "GOBIERNO REGIONAL;00012345;C.S. PRUEBA;CENTROS DE SALUD;ESTABLECIMIENTO DE SALUD SIN INTERNAMIENTO;"
    "HUANCAVELICA;HUANCAVELICA;ASCENSION;090118;JR. LIMA 1;I-3;ACTIVO;-9.1;-75.0\n"
    "GOBIERNO REGIONAL;00023456;P.S. PRUEBA;PUESTOS DE SALUD;ESTABLECIMIENTO DE SALUD SIN INTERNAMIENTO;"
    "HUANCAVELICA;HUANCAVELICA;ACORIA;090103;JR. LIMA 2;I-2;ACTIVO;-9.1;-75.0\n"
)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """Two districts of Huancavelica and their facilities, loaded once for the module (tests get a copy)."""
    folder = tmp_path_factory.mktemp("denominador")
    db = folder / "w.duckdb"
    assert load(db, "territory", write(folder / "ubigeo.csv", UBIGEO)).status == "loaded"
    assert load(db, "facilities", write(folder / "renipress.csv", RENIPRESS, "utf-8-sig")).status == "loaded"
    return db


@pytest.fixture(scope="module")
def computed(tmp_path_factory) -> Path:
    """``semaforo compute``'s PAN_P_DOSAJE of one HIS export with its Padrón (``padron/``) and without it
    (``registros/``), computed once for the module: what these tests check is how the loader keeps it."""
    folder = tmp_path_factory.mktemp("computado")
    h = padron_export()
    dosaje(h.write(folder / "con_padron"), folder / "padron")
    h.padron.clear()
    dosaje(h.write(folder / "sin_padron"), folder / "registros")
    return folder


@pytest.fixture
def db(template, tmp_path) -> Path:
    return copy_warehouse(template, tmp_path / "w.duckdb")


def test_the_denominator_used_is_stored(db, computed):
    for out in ("padron", "registros"):
        r = load(db, "admin", computed / out, force=True)
        assert r.status == "loaded", r.problems
        assert not [w for w in r.warnings if "desconocidas" in w], r.warnings
    stored = rows(
        db,
        "select coalesce(cod_ipress, ubigeo), denominator_source from raw_admin "
        "where indicator_code = 'PAN_P_DOSAJE' and period = date '2025-01-01' order by 1",
    )
    # The second load replaced the rows it holds; the Padrón's child never attended (a district row, no
    # facility) is not among them, so that row keeps its own source — each row says which one it is.
    assert stored == [("00012345", "registros"), ("00023456", "registros"), ("090103", "padron")]
    assert load(db, "admin", computed / "padron", force=True).status == "loaded"
    assert rows(db, "select distinct denominator_source from raw_admin where period = date '2025-01-01'") == [
        ("padron",)
    ]


def test_an_unknown_denominator_source_is_refused_and_a_file_without_it_stores_none(db, tmp_path):
    bad = write(
        tmp_path / "his_2025_01.csv",
        "periodo,cod_ipress,indicador,numerador,denominador,denominador_fuente\n"
        "2025-01,00012345,PAN_P_DOSAJE,1,2,padron\n"
        "2025-01,00023456,PAN_P_DOSAJE,1,2,censo\n",
    )
    r = load(db, "admin", bad)
    assert r.status != "loaded"
    assert any(
        p.row == 3 and p.column == "denominador_fuente" and "fuente del denominador desconocida" in p.reason
        for p in r.problems
    ), r.problems
    plain = write(
        tmp_path / "his_2025_02.csv",
        "periodo,cod_ipress,indicador,numerador,denominador\n2025-02,00012345,PAN_P_DOSAJE,1,2\n",
    )
    assert load(db, "admin", plain).status == "loaded"
    assert rows(db, "select denominator_source from raw_admin where period = date '2025-02-01'") == [(None,)]


def test_the_indicator_views_say_which_denominator_a_figure_used(db, computed):
    """A MEF analyst reads it in the indicator views' column `fuente_denominador` (grid and every download): the
    Padrón Nominal, the children attended, or both where the region's facilities differ; empty for indicators
    whose files do not say."""
    from dashboard.data import Warehouse
    from dashboard.state import parse
    from dashboard.views import frame
    from dashboard.views.indicators import INDICATOR, RESUMEN

    assert load(db, "admin", computed / "padron").status == "loaded"
    f = parse("?periodo=2025-01")

    def said(view, arg=None, lang="es") -> dict[str, str | None]:
        df = frame(view, Warehouse(db), parse(f"?periodo=2025-01&lang={lang}"), arg)
        df = df[df.indicator_code == "PAN_P_DOSAJE"]
        return dict(zip(df.territory_code, df.denominator_source, strict=True))

    assert said(INDICATOR, "PAN_P_DOSAJE") == {"PE": "Padrón Nominal", "09": "Padrón Nominal"}
    assert said(INDICATOR, "PAN_P_DOSAJE", "en")["09"] == "Nominal register (Padrón Nominal)"
    # The records-based load replaces the facilities' rows; the never-attended child's district row keeps its own.
    assert load(db, "admin", computed / "registros", force=True).status == "loaded"
    both = "Padrón Nominal y niñas y niños atendidos (según el establecimiento)"
    assert said(RESUMEN) == {"PE": both, "09": both}
    plain = frame(RESUMEN, Warehouse(db), f, None)
    assert plain[plain.indicator_code != "PAN_P_DOSAJE"].denominator_source.isna().all()
