"""The demo generator: same seed → same bytes, fixed periods, and the shape of what it writes."""

from __future__ import annotations

import csv
import hashlib
import zipfile
from pathlib import Path

import pytest

from etl.demo.generate import LOAD_ORDER, generate
from etl.demo.his_headers import CODE_MASTERS
from etl.demo.records import HIS_FOLDER, KEY_FILE
from etl.demo.scale import DEMO, NATIONAL, Scale

# A few months and a few hundred facilities: every format, in seconds.
SMALL = Scale(
    name="test",
    districts=220,
    facilities=300,
    first_month="2026-04",
    budget_lines=150,
    other_rows=200,
    regional_files=1,
)


def digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and p.name != "_resumen.json"  # a compute summary says when it ran and how long it took
    }


# The tests of the generated data set are marked slow (`make test` runs them, `make test-fast` does not): the
# set costs about 20 CPU-seconds, most of it the nominal records. The demo's writers also run in every
# `make test-fast`, through the small fixture warehouse (tests/fixture_warehouse.py).
@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small")
    return generate(folder / "a", seed=7, scale=SMALL)


@pytest.mark.slow
def test_same_seed_gives_the_same_bytes(small, tmp_path):
    again = generate(tmp_path / "b", seed=7, scale=SMALL)
    a, b = digests(small.folder), digests(again.folder)
    assert a == b
    assert {Path(name).suffix for name in a} >= {".csv", ".xlsx"}


@pytest.mark.slow
def test_another_seed_gives_other_data(small, tmp_path):
    other = generate(tmp_path / "c", seed=8, scale=SMALL, only=("facilities", "admin", "survey"))
    a, b = digests(small.folder), digests(other.folder)
    # The HIS code masters and the demo's key are the same whatever the seed, as they are in real life.
    fixed = {KEY_FILE} | {f"{HIS_FOLDER}/{name}.csv" for name in CODE_MASTERS}
    assert [name for name in b if a.get(name) == b[name] and name not in fixed] == []


@pytest.mark.slow
def test_workbooks_have_fixed_timestamps(small):
    books = [f.path for f in small.files if f.path.suffix == ".xlsx"]
    assert books
    for book in books:
        with zipfile.ZipFile(book) as z:
            assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
            core = z.read("docProps/core.xml").decode()
        assert "2026-05-29T10:00:00Z" in core


@pytest.mark.slow
def test_files_come_in_load_order_for_every_loader(small):
    sources = [f.source for f in small.files]
    assert sources == sorted(sources, key=LOAD_ORDER.index)
    assert set(sources) == set(LOAD_ORDER)


def test_periods_are_fixed_dates():
    assert DEMO.months[0] == (2023, 1) and DEMO.months[-1] == (2026, 9)
    assert len(DEMO.months) == 45
    assert len(NATIONAL.months) >= 60 and NATIONAL.months[-1] == (2026, 9)
    assert DEMO.last_budget_month == {2023: 12, 2024: 12, 2025: 12, 2026: 9}


def read(path: Path, delimiter: str = ",", encoding: str = "utf-8") -> list[dict[str, str]]:
    with open(path, encoding=encoding, newline="") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


@pytest.mark.slow
def test_ubigeo_table_uses_the_real_provinces(small):
    rows = read(small.of("territory")[0])
    assert list(rows[0]) == [
        "inei",
        "reniec",
        "departamento",
        "provincia",
        "distrito",
        "altitude",
        "latitude",
        "longitude",
    ]
    provinces = {r["province_code"]: r["name"] for r in read(Path("warehouse/territory/provinces.csv"))}
    assert {r["inei"][:4] for r in rows} == set(provinces)
    capitals = [r for r in rows if r["inei"].endswith("01")]
    assert all(r["distrito"] == provinces[r["inei"][:4]] for r in capitals)
    assert len({r["inei"] for r in rows}) == len(rows)
    callao = next(r for r in rows if r["inei"].startswith("07"))
    assert callao["reniec"].startswith("24")  # RENIEC numbers Callao 24


@pytest.mark.slow
def test_renipress_layout_and_codes(small):
    path = small.of("facilities")[0]
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = read(path, ";", "utf-8-sig")
    assert list(rows[0])[:3] == ["INSTITUCION", "COD_IPRESS", "NOMBRE"]
    codes = [r["COD_IPRESS"] for r in rows]
    assert all(len(c) == 8 and c.isdigit() for c in codes) and len(set(codes)) == len(codes)


@pytest.mark.slow
def test_regional_admin_file_is_latin1_with_semicolons_and_decimal_commas(small):
    regional = [p for p in small.of("admin") if "_diresa_" in p.name]
    assert len(regional) == SMALL.regional_files
    text = regional[0].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        text.decode("utf-8")
    rows = read(regional[0], ";", "latin-1")
    assert any("," in r["DENOMINADOR"] for r in rows)


@pytest.mark.slow
def test_last_month_misses_the_late_regions(small):
    from etl.demo.calibration import LATE_REGIONS

    first, last = (read(small.folder / f"his_2026_{m:02d}.csv") for m in (4, 9))
    late = {r["ubigeo"][:2] for r in first} & set(LATE_REGIONS)
    assert late and not late & {r["ubigeo"][:2] for r in last}


@pytest.mark.slow
def test_national_scale_generator_at_a_small_size(tmp_path):
    """The benchmark's generator: extra series declared in a catalogue written next to the data, a MEF file
    filled with other programs up to a row count, and files the real loaders take with that catalogue."""
    from etl.demo.generate import generate_national
    from etl.load import load_file
    from warehouse.catalogue_read import load_catalogue

    scale = NATIONAL.replace(
        districts=250,
        facilities=320,
        first_month="2026-08",
        budget_lines=200,
        other_rows=100,
        big_budget_year=2026,
        big_budget_rows=30_000,
        extra_series=6,
    )
    g = generate_national(tmp_path / "nat", seed=3, scale=scale)
    cat = load_catalogue(g.catalogue_dir)
    extra = [c for c in cat.indicators if c.startswith("SINT_")]
    assert len(extra) == 6 and {cat.indicators[c].feed for c in extra} == {"admin", "stock"}
    assert g.of("budget")[0].read_bytes().count(b"\n") == 30_001
    his = read(next(f for f in g.of("admin") if f.suffix == ".csv"))
    assert {r["indicador"] for r in his} >= {c for c in extra if cat.indicators[c].feed == "admin"}
    db = tmp_path / "nat.duckdb"
    for source in ("territory", "facilities", "admin", "stock"):
        r = load_file(db, source, g.of(source)[0], catalogue=cat)
        assert r.status == "loaded", (source, r.message, r.problems[:3])
