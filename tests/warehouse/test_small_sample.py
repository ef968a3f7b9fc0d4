"""Honest small numbers: the status macro (warehouse/views/04_indicator_status.sql), where every light rule lives,
holds a figure's light back as "muestra pequeña" when its denominator is below the indicator's minimum n —
catalogue data (the indicator's ``min_n``, else settings.yaml's ``small_sample.min_n`` for figures from records).
On a real DuckDB warehouse."""

from __future__ import annotations

import dataclasses
import datetime as dt

import duckdb
import pytest

from warehouse.catalogue_model import CatalogueError, CatalogueFile
from warehouse.catalogue_read import load_catalogue, parse_catalogue
from warehouse.db import open_writer
from warehouse.rules import STATUSES
from warehouse.sync import sync_reference

CAT = load_catalogue()
MONTH = dt.date(2025, 6, 1)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = tmp_path_factory.mktemp("small") / "w.duckdb"
    with open_writer(path) as c:
        c.execute("begin")
        sync_reference(c, CAT)
        c.execute("commit")
    c = duckdb.connect(str(path))
    yield c
    c.close()


def lit(
    con, indicator: str, value: float, numerator: float | None, denominator: float | None, level="distrito"
):
    """(status, light) of one figure, as the warehouse's one status view gives it."""
    con.execute("delete from mart_indicator_agg")
    con.execute(
        "insert into mart_indicator_agg values (?, ?, '090101', '09', '0901', ?, 'M', ?, ?, ?, null, null, null, "
        "null, false, 1, 1, 1)",
        [indicator, level, MONTH, value, numerator, denominator],
    )
    return con.execute(
        "select status, light from mart_indicator_status where indicator_code = ?", [indicator]
    ).fetchone()


def test_the_default_minimum_comes_from_the_settings_for_figures_from_records():
    small = CAT.indicators["PAN_P_CRED"].min_n
    assert small == 30  # settings.yaml small_sample.min_n
    assert CAT.indicators["PAN_ANEMIA_HIS_CDC"].min_n == small
    assert CAT.indicators["PAN_I_CADENA_FRIO"].min_n == 0  # its own min_n: every facility counted
    assert CAT.indicators["PAN_DCI"].min_n == 0  # surveys: their CV makes them referential instead
    assert CAT.indicators["PAN_I_HIERRO_GOTAS"].min_n == 0  # stock: facilities, not a sample


def test_one_child_is_a_small_sample_not_a_red_light(con):
    # 1 of 1 child with anaemia: the WHO bands would say Crítico (100 %); the macro holds the light back.
    assert lit(con, "PAN_ANEMIA_HIS_CDC", 100.0, 1, 1) == ("muestra_pequena", "critico")
    assert lit(con, "PAN_ANEMIA_HIS_CDC", 100.0, 29, 29)[0] == "muestra_pequena"
    assert lit(con, "PAN_ANEMIA_HIS_CDC", 100.0, 30, 30)[0] == "critico"  # at the minimum, lit
    assert lit(con, "PAN_P_CRED", 0.0, 0, 12, level="eess")[0] == "muestra_pequena"  # facilities too
    assert lit(con, "PAN_P_CRED", 0.0, 0, 12, level="region")[0] == "muestra_pequena"  # and regions
    assert lit(con, "PAN_I_CADENA_FRIO", 100.0, 1, 1)[0] == "adecuado"  # min_n 0: never held back
    assert lit(con, "PAN_P_CRED", 50.0, None, None)[0] != "muestra_pequena"  # no n, no rule to apply


def test_small_sample_is_a_state_with_a_word_and_an_icon_not_a_colour_of_the_scale():
    s = STATUSES["muestra_pequena"]
    assert s.label.es == "Muestra pequeña" and s.label.en == "Small sample"
    lights = {STATUSES[c].colour for c in ("critico", "en_riesgo", "adecuado")}
    assert s.colour not in lights and s.icon not in {x.icon for x in STATUSES.values() if x is not s}
    assert len({x.rank for x in STATUSES.values()}) == len(STATUSES)


def _files(settings_edit=None, pan_edit=None) -> list[CatalogueFile]:
    out = []
    for f in CAT.files:
        text = f.text
        if f.name == "settings.yaml" and settings_edit:
            text = settings_edit(text)
        if f.name == "program_0001_pan.yaml" and pan_edit:
            text = pan_edit(text)
        out.append(dataclasses.replace(f, text=text))
    return out


def test_the_minimum_is_catalogue_data_per_indicator_with_a_default_in_the_settings(con, tmp_path):
    edited = parse_catalogue(
        _files(
            settings_edit=lambda t: t.replace("  min_n: 30\n", "  min_n: 5\n"),
            pan_edit=lambda t: t.replace(
                "  - code: PAN_P_DOSAJE\n", "  - code: PAN_P_DOSAJE\n    min_n: 100\n"
            ),
        )
    )
    assert edited.indicators["PAN_P_CRED"].min_n == 5
    assert edited.indicators["PAN_P_DOSAJE"].min_n == 100
    path = tmp_path / "w.duckdb"
    with open_writer(path) as c:
        c.execute("begin")
        sync_reference(c, edited)
        c.execute("commit")
    other = duckdb.connect(str(path))
    try:
        assert lit(other, "PAN_P_CRED", 0.0, 0, 12)[0] == "critico"  # 12 ≥ 5 now
        assert lit(other, "PAN_P_DOSAJE", 0.0, 0, 99)[0] == "muestra_pequena"
    finally:
        other.close()
    with pytest.raises(CatalogueError, match="min_n"):
        parse_catalogue(_files(settings_edit=lambda t: t.replace("  min_n: 30\n", "  min_n: -1\n")))
