"""The demo's health network: a MAESTRO_HIS_ESTABLECIMIENTO file in the real layout, a plausible tree per region
(2–6 Reds, MicroRedes of 3–12 facilities, Reds that span provinces), loaded by the same loader."""

from __future__ import annotations

import csv

import pytest

from etl.demo.generate import generate
from etl.demo.network import FILE_NAME
from etl.demo.scale import DEMO
from tests.conftest import load, rows, shared


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    folder = tmp_path_factory.mktemp("net")
    gen = generate(folder, seed=2026, scale=DEMO, only=("territory", "facilities", "red"))
    return gen


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_the_file_has_the_masters_real_header(network):
    (path,) = network.of("red")
    assert path.name == FILE_NAME
    with open(shared("his", "MAESTRO_HIS_ESTABLECIMIENTO.csv"), encoding="utf-8") as f:
        real = f.readline().strip().split(",")
    with open(path, encoding="utf-8") as f:
        assert f.readline().strip().split(",") == real


def test_each_region_gets_a_plausible_network(network):
    (path,) = network.of("red")
    facilities = read(path)
    assert all(len(r["Codigo_Unico"]) == 9 for r in facilities)
    microredes, reds, provinces = {}, {}, {}
    for r in facilities:
        if r["Codigo_Red"] == "00":
            continue
        red = (r["Codigo_Disa"], r["Codigo_Red"])
        microredes.setdefault((*red, r["Codigo_MicroRed"]), []).append(r)
        region = "LM" if r["Ubigueo_Establecimiento"].startswith("1501") else r["Ubigueo_Establecimiento"][:2]
        reds.setdefault(region, set()).add(red)
        provinces.setdefault(red, set()).add(r["Provincia"])
    sizes = [len(v) for v in microredes.values()]
    assert min(sizes) >= 3 and max(sizes) <= 12
    # Every region 2–6 Reds (Lima Metropolitana: its four DIRIS, a Red each) but Callao, whose 4 demo facilities
    # make a single MicroRed.
    assert len(reds) == 26
    assert {region: len(v) for region, v in reds.items() if not 2 <= len(v) <= 6} == {"07": 1}
    assert sum(len(p) > 1 for p in provinces.values()) >= 1
    # MicroRed codes repeat across Reds, as in HIS: only the composite key names one.
    assert len({k[2] for k in microredes}) < len(microredes)


def test_the_demo_network_loads_with_the_real_loader(network, tmp_path):
    db = tmp_path / "w.duckdb"
    for source in ("territory", "facilities", "red"):
        for path in network.of(source):
            r = load(db, source, path)
            assert r.status == "loaded", (r.problems, r.message)
    (path,) = network.of("red")
    assert rows(db, "select count(*) from core_network") == [(len(read(path)),)]
    # Names come trimmed, though the file pads some.
    assert rows(db, "select count(*) from core_network where microred <> trim(microred)") == [(0,)]
