"""Shared fixtures: real DuckDB warehouse files built with the real loaders from small real-format files."""

from __future__ import annotations

import contextlib
import csv
import fcntl
import gc
import itertools
import os
import re
import shutil
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pytest
from _pytest.mark.expression import Expression  # how `-m` is read: pytest's own parser

from warehouse.integrity import stamp_verified

# The loader, the catalogue and the fixture warehouse's generator are imported where used: pytest-xdist's
# controller reads this file too and runs no test (about a CPU-second of imports it would not use).
if TYPE_CHECKING:
    from etl.load import LoadReport
    from warehouse.catalogue_model import Catalogue

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
PROVINCES = ROOT / "warehouse" / "territory" / "provinces.csv"


def shared(*parts: str) -> Path:
    """A file of ../shared/data; the test is skipped, saying so, when the folder is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} no está presente (../shared/data es opcional fuera de este entorno)")
    return path


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    from warehouse.catalogue_read import load_catalogue

    return load_catalogue()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "w.duckdb"


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashes() -> Iterator[None]:
    """Passwords hashed, in the tests, with argon2-cffi's profile for tests (``argon2.profiles.CHEAPEST``) instead
    of the server's (RFC 9106's low-memory one): hashing or checking one costs 0.2 CPU-second, and the dashboard
    tests write users and sign in a hundred times a run. A hash carries its own parameters, so the same code
    verifies either; what the tests check is who may sign in, never how slow a guess is. Only where the
    dashboard is loaded (the ETL's tests never import it)."""
    auth = sys.modules.get("dashboard.auth")
    if auth is None:
        yield
        return
    import argon2
    from argon2.profiles import CHEAPEST

    hasher = argon2.PasswordHasher.from_parameters(CHEAPEST)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(auth, "_hasher", hasher)
        mp.setattr(auth, "_DUMMY", hasher.hash("una clave que nadie tiene"))
        yield


def fast_diagonal(firsts: Sequence[str], seconds: Sequence[str]) -> list:
    """Every pair of two parameter lists, as ``pytest.param(first, second)`` with the id ``first-second``, for a
    test parametrized over both. ``make test-fast`` keeps one diagonal — every first and every second at least once
    — and the other pairs are marked ``slow``: they run in ``make test``, where a fault of one pair alone shows."""
    n = max(len(firsts), len(seconds))
    fast = {(firsts[k % len(firsts)], seconds[k % len(seconds)]) for k in range(n)}
    return [
        pytest.param(a, b, id=f"{a}-{b}", marks=() if (a, b) in fast else pytest.mark.slow)
        for a in firsts
        for b in seconds
    ]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def load(db: Path, source: str, path: Path, **kw) -> LoadReport:
    from etl.load import load_file

    return load_file(db, source, path, **kw)


_reader: duckdb.DuckDBPyConnection | None = None
_reading = threading.Lock()


@contextlib.contextmanager
def _attached(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """``db`` attached read-only, as the dashboard reads a warehouse (``warehouse.db.connect_readonly``), to one
    in-memory DuckDB of this process, and detached afterwards (a load renames a new version over the path).
    Attaching costs a seventh of the CPU of opening the file as a database of its own, and the helpers below
    run hundreds of times a run."""
    global _reader
    with _reading:
        if _reader is None:
            _reader = duckdb.connect(config={"threads": 1})  # small queries: a second thread only costs CPU
        _reader.execute("attach ? as checked (read_only)", [str(db)])
        try:
            _reader.execute("use checked")
            yield _reader
        finally:
            _reader.execute("use memory")
            _reader.execute("detach checked")


def rows(db: Path, sql: str, params: tuple | list = ()) -> list[tuple]:
    """Read a warehouse file directly (read-only), as a person checking the loaders would."""
    with _attached(db) as con:
        return con.execute(sql, params).fetchall()


def tables(db: Path, skip: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    """Every row of every table of the warehouse but ``skip``, sorted: to compare before and after a load."""
    with _attached(db) as con:
        names = [
            t
            for (t,) in con.execute(
                "select table_name from information_schema.tables where table_type = 'BASE TABLE' "
                "and table_catalog = current_database() order by table_name"
            ).fetchall()
            if t not in skip
        ]
        return {t: con.execute(f'select * from "{t}" order by all').fetchall() for t in names}


def small_ubigeo(path: Path) -> Path:
    """Two districts (NN01, NN02) in every shipped province, in the official table's layout."""
    with open(PROVINCES, encoding="utf-8") as f:
        provinces = list(csv.DictReader(f))
    with open(PROVINCES.with_name("departments.csv"), encoding="utf-8") as f:
        departments = {r["department_code"]: r["name"] for r in csv.DictReader(f)}
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            ["inei", "reniec", "departamento", "provincia", "distrito", "altitude", "latitude", "longitude"]
        )
        for p in provinces:
            for k in (1, 2):
                w.writerow(
                    [
                        f"{p['province_code']}0{k}",
                        f"{p['province_code']}0{k}",
                        departments[p["department_code"]],
                        p["name"],
                        p["name"] if k == 1 else f"DISTRITO {k}",
                        1000 + k,
                        -10.5,
                        -75.2,
                    ]
                )
    return path


def small_facilities(path: Path) -> Path:
    """One facility per district of :func:`small_ubigeo` (code = '00' + ubigeo), RENIPRESS layout."""
    with open(PROVINCES, encoding="utf-8") as f:
        provinces = list(csv.DictReader(f))
    lines = [
        "INSTITUCION;COD_IPRESS;NOMBRE;CLASIFICACION;TIPO_ESTABLECIMIENTO;DEPARTAMENTO;PROVINCIA;DISTRITO;"
        "UBIGEO;DIRECCION;CATEGORIA;ESTADO;NORTE;ESTE"
    ]
    for p in provinces:
        for k in (1, 2):
            ub = f"{p['province_code']}0{k}"
            lines.append(
                f"GOBIERNO REGIONAL;00{ub};P.S. {p['name']} {k};PUESTOS DE SALUD;ESTABLECIMIENTO DE SALUD "
                f"SIN INTERNAMIENTO;DEP;{p['name']};D{k};{ub};JR. LIMA 1;I-2;ACTIVO;-9.1;-75.0"
            )
    return write(path, "\n".join(lines) + "\n", "utf-8-sig")


@pytest.fixture(scope="session")
def territory_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once per session with the real loaders; tests get a copy."""
    d = tmp_path_factory.mktemp("territory")
    db = d / "template.duckdb"
    r = load(db, "territory", small_ubigeo(d / "ubigeo.csv"))
    assert r.status == "loaded", r.problems
    r = load(db, "facilities", small_facilities(d / "renipress.csv"))
    assert r.status == "loaded", r.problems
    return db


def copy_warehouse(template: Path, dest: Path) -> Path:
    """A copy of a warehouse the real loaders wrote, in milliseconds, stamped as its writer leaves a version
    (``warehouse.integrity``): the copy is those very bytes, so the next load does not read it whole again (about
    0.1 CPU-second a load), as it would not on a served warehouse. A test of what a load does with a file no writer
    stamped copies with ``shutil.copy`` instead."""
    shutil.copy(template, dest)
    stamp_verified(dest)
    return dest


@pytest.fixture
def territory_db(territory_template: Path, db: Path) -> Path:
    """A warehouse with the small district table (2 per province) and one facility per district loaded."""
    return copy_warehouse(territory_template, db)


def built_once(factory: pytest.TempPathFactory, name: str, build: Callable[[Path, Path], None]) -> Path:
    """``folder/name.duckdb`` (its source files in ``folder/sources``), built once for the whole run.

    Under pytest-xdist every worker is its own session: the first to need the warehouse builds it in the run's
    shared temporary folder while the others wait on a lock, so a 55-s build is not paid once per worker. The
    builders rename a finished file into place, so a file that exists is complete."""
    root = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # pytest-N/popen-gwK → pytest-N, shared by the run's workers
    folder = root / name
    db = folder / f"{name}.duckdb"
    folder.mkdir(exist_ok=True)
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not db.exists():
            build(db, folder / "sources")
    return db


@pytest.fixture(scope="session")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small fixture warehouse (:mod:`tests.fixture_warehouse`: every source, one month, about 200 places),
    built once per run in seconds; its source files are in ``small_db.parent / "sources"``. Read-only: a test
    that writes copies it (``shutil.copy2(small_db, tmp_path / "w.duckdb")``)."""
    from tests import fixture_warehouse

    return built_once(tmp_path_factory, "small", fixture_warehouse.build)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse (`semaforo demo`, seed 2026), built once per run by the generator and the real
    loaders; its source files are in ``demo_db.parent / "sources"``. Costs about a minute on an idle machine:
    only tests that need the demo's calibrated numbers or its 45 months use it (they are marked ``demo``).
    Open it read-only (``duckdb.connect(str(demo_db), read_only=True)``) and never write to it."""
    return built_once(tmp_path_factory, "demo", _build_demo)


def _build_demo(db: Path, sources: Path) -> None:
    from etl.demo.build import build_demo

    failures = build_demo(db, sources, seed=2026, echo=lambda _msg: None)
    assert not failures, failures


# Markers given by what a test uses or where it lives, so that none can be forgotten: `make test-fast`
# leaves these out (see pyproject.toml for every marker).
MARK_BY_FIXTURE = {"demo_db": "demo", "spark": "spark"}
MARK_BY_FOLDER = {"browser": "browser", "serving": "serving", "bench": "bench", "install": "install"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        names = {MARK_BY_FIXTURE[f] for f in getattr(item, "fixturenames", ()) if f in MARK_BY_FIXTURE}
        folder = item.path.relative_to(ROOT / "tests").parts[0]
        if folder in MARK_BY_FOLDER:
            names.add(MARK_BY_FOLDER[folder])
        for name in sorted(names - {m.name for m in item.iter_markers()}):
            item.add_marker(name)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """A folder of :data:`MARK_BY_FOLDER` that the ``-m`` expression leaves out, whatever other marks its tests
    carry, is not even imported (``make test-fast``: browser, serving, bench, install; a CPU-second a worker)."""
    marker = MARK_BY_FOLDER.get(collection_path.name) if collection_path.parent == ROOT / "tests" else None
    if marker is None or not config.option.markexpr:
        return None
    expression = Expression.compile(config.option.markexpr)
    others = sorted(set(re.findall(r"[A-Za-z_]\w*", config.option.markexpr)) - {"and", "or", "not", marker})
    for k in range(len(others) + 1):
        for chosen in itertools.combinations(others, k):
            marks = {marker, *chosen}
            if expression.evaluate(lambda name, marks=marks, **_kw: name in marks):
                return None  # a test of the folder with these marks would be run
    return True


def pytest_collection_finish(session: pytest.Session) -> None:
    """What the imports and the collection made (Dash, pandas, the test items: about a million objects) lives until
    the process ends: frozen out of the garbage collector's sight, its full collections stop walking all of it
    again and again (2 to 4 % of a run's CPU)."""
    gc.collect()
    gc.freeze()


def pytest_configure(config: pytest.Config) -> None:
    # `make test`'s two workers share the tests by module (tests/xdist_units.py); without pytest-xdist
    # (`-p no:xdist`) its hook would be unknown.
    if config.pluginmanager.hasplugin("xdist"):
        from tests import xdist_units

        config.pluginmanager.register(xdist_units, "semaforo-xdist-units")
