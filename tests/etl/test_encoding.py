"""Encodings: a file that is not UTF-8 is read as Windows-1252 (what Excel saves as CSV in Peru) and the load says
so; a file that is neither is refused (exit 3) naming the line of its first bad byte, and changes nothing."""

from __future__ import annotations

import subprocess
import sys

import pytest

from etl.encoding import as_utf8
from tests.conftest import ROOT, load, rows, tables, write

Y = 2024
# “curly quotes”, the en dash and the euro sign: bytes 0x93 0x94 0x96 0x80 in Windows-1252, not Latin-1 text.
NAME = "P.S. “Señor de los Milagros” – Año 2026 €"


def facilities_cp1252(path):
    text = f"COD_IPRESS;NOMBRE;UBIGEO\r\n00099999;{NAME};010101\r\n00099998;P.S. ÑAÑOS;010102\r\n"
    return write(path, text, "cp1252")


def test_a_windows_1252_file_loads_with_its_characters_and_says_so(territory_db, tmp_path):
    f = facilities_cp1252(tmp_path / "renipress_excel.csv")
    r = load(territory_db, "facilities", f)
    assert r.status == "loaded", r.problems
    assert f"{f.name}: no es UTF-8; se leyó como Windows-1252 (Latin-1 de Excel)" in r.warnings
    got = dict(
        rows(territory_db, "select cod_ipress, name from core_facility where cod_ipress like '0009999%'")
    )
    assert got == {"00099999": NAME, "00099998": "P.S. ÑAÑOS"}
    (options,) = rows(territory_db, "select options from etl_batch where file_name = ?", [f.name])[0]
    assert '"windows-1252"' in options


def test_the_command_loads_a_windows_1252_file_with_exit_0_and_no_traceback(territory_db, tmp_path):
    f = facilities_cp1252(tmp_path / "renipress_excel.csv")
    proc = subprocess.run(
        [sys.executable, "-m", "etl.cli", "load", "--db", str(territory_db), "facilities", str(f)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "Windows-1252" in proc.stderr


def test_a_windows_1252_budget_file_is_read_by_the_mef_reader(territory_db, tmp_path):
    f = write(
        tmp_path / "gasto_excel.csv",
        "ANO_EJE,MES_EJE,PROGRAMA_PPTO,PROGRAMA_PPTO_NOMBRE,PRODUCTO_PROYECTO,DEPARTAMENTO_META,MONTO_PIA,"
        "MONTO_PIM,MONTO_DEVENGADO\r\n"
        f"{Y},1,0001,PROGRAMA ARTICULADO NUTRICIONAL – “PAN”,3033255,09,0,100,50\r\n",
        "cp1252",
    )
    r = load(territory_db, "budget", f)
    assert r.status == "loaded", r.problems
    assert any("Windows-1252" in w for w in r.warnings)
    assert rows(territory_db, "select sum(devengado) from raw_budget")[0][0] == 50


@pytest.mark.parametrize(
    ("payload", "byte", "why"),
    [
        (b"\x81", "0x81", "no es texto UTF-8 ni Windows-1252"),  # undefined in Windows-1252
        (
            b"\x00",
            None,
            "bytes nulos",
        ),  # a NUL: UTF-16 or binary, found by the kind check before the encoding
    ],
)
def test_a_file_neither_utf8_nor_windows_1252_is_refused_naming_the_line(
    territory_db, tmp_path, payload, byte, why
):
    text = "COD_IPRESS;NOMBRE;UBIGEO\r\n00099999;P.S. ÑAÑOS;010101\r\n".encode("cp1252")
    f = tmp_path / "renipress_roto.csv"
    f.write_bytes(text + b"00099998;P.S. " + payload + b"X;010102\r\n")
    before = tables(territory_db, skip=("etl_batch", "etl_quarantine"))
    r = load(territory_db, "facilities", f)
    assert r.status == "refused" and r.exit_code == 3
    (p,) = r.problems
    assert p.row == 3 and p.value == byte
    assert why in p.reason
    assert tables(territory_db, skip=("etl_batch", "etl_quarantine")) == before


def test_a_utf8_file_is_read_as_it_is(tmp_path):
    f = write(tmp_path / "a.csv", "NOMBRE\r\n“Señor” – €\r\n")
    with as_utf8(f) as text:
        assert text.path == f and text.encoding == "utf-8" and text.warning is None


def test_the_copy_of_a_windows_1252_file_is_removed_after_reading(tmp_path):
    f = write(tmp_path / "a.csv", "NOMBRE\r\n“Señor”\r\n", "cp1252")
    with as_utf8(f) as text:
        copy = text.path
        assert copy.read_bytes() == "NOMBRE\r\n“Señor”\r\n".encode()
    assert not copy.exists()
