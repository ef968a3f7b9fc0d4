"""Dashboard tests run the real app's callbacks against a real warehouse: the small fixture warehouse (built in
seconds, once per run), or the demo warehouse for a test or module marked ``demo`` (tests that need the demo's
numbers or its months of history): ``app``, ``sql``, ``huancavelica_only`` and ``secured`` follow the marker."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from dashboard import context
from dashboard.app import create_app
from dashboard.auth import upsert_user
from dashboard.config import load_config
from tests.conftest import copy_warehouse
from tests.dashboard.clients import PASSWORD


def warehouse_for(request: pytest.FixtureRequest) -> Path:
    """The demo warehouse for a test (or module) marked ``demo``, else the small fixture warehouse."""
    return request.getfixturevalue("demo_db" if request.node.get_closest_marker("demo") else "small_db")


def reader(db: Path):
    """Read a warehouse directly, to check what the callbacks show against the data."""
    con = duckdb.connect(str(db), read_only=True)

    def run(query: str, *params):
        return con.execute(query, list(params)).fetchall()

    return run, con


@pytest.fixture(scope="session")
def _served() -> dict[tuple[Path, frozenset[str] | None], tuple]:
    """Apps made so far this session (making one costs about half a CPU-second), by warehouse and the regions
    they are restricted to: (app, the warehouse it serves)."""
    return {}


def _serve(served: dict, db: Path, allowed: frozenset[str] | None = None):
    if (db, allowed) not in served:
        made = create_app(db, allowed=allowed)
        served[db, allowed] = (made, context.warehouse())
    made, warehouse = served[db, allowed]
    context.set_warehouse(warehouse)
    return made


@pytest.fixture(scope="session")
def small_app(_served, small_db):
    """The app on the small fixture warehouse, made once (module fixtures that make their own app need one
    first, to give its warehouse back)."""
    return _serve(_served, small_db)


@pytest.fixture
def app(request, _served, small_app):
    """The app on the small fixture warehouse, or on the demo's for a test marked ``demo``; the callbacks
    read the warehouse it serves."""
    return _serve(_served, warehouse_for(request))


@pytest.fixture(scope="session")
def _readers():
    made: dict[Path, tuple] = {}
    yield made
    for _run, con in made.values():
        con.close()


@pytest.fixture
def sql(request, _readers):
    """Read the test's warehouse (as ``app``) directly, to check what the callbacks show against the data."""
    db = warehouse_for(request)
    if db not in _readers:
        _readers[db] = reader(db)
    return _readers[db][0]


@pytest.fixture
def huancavelica_only(request, _served, small_app):
    """An app restricted to one region (made once a session); the session's app gets its warehouse back
    afterwards."""
    previous = context.warehouse()
    yield _serve(_served, warehouse_for(request), frozenset({"09"}))
    context.set_warehouse(previous)


@pytest.fixture(scope="session")
def secured_users(tmp_path_factory) -> Path:
    """The users file of :func:`secured`, written once a session; the modules that sign in each get a copy."""
    users = tmp_path_factory.mktemp("users") / "usuarios.yaml"
    upsert_user(users, "huanca", "regional", ["09"], "Gerencia Huancavelica", PASSWORD)
    upsert_user(users, "mef", "nacional", [], "Analista MEF", PASSWORD)
    upsert_user(users, "adm", "admin", [], "Administración", PASSWORD)
    upsert_user(users, "sso-cusco", "regional", ["08"], "Cusco (SSO)", None)
    return users


@pytest.fixture(scope="module")
def secured(request, small_app, secured_users, tmp_path_factory):
    """An app with logins (a users file: regional Huancavelica, nacional, admin, a Cusco user by single sign-on
    only) that lets anonymous visitors in as *publico*, on its own copy of the warehouse (uploads write)."""
    folder = tmp_path_factory.mktemp("secured")
    db = folder / "warehouse.duckdb"
    copy_warehouse(warehouse_for(request), db)
    users = Path(shutil.copy(secured_users, folder / "usuarios.yaml"))  # a test may change its users
    cfg = load_config(
        env={},
        db=db,
        users_file=users,
        anonymous="publico",
        sso_header="X-Remote-User",
        login_limit="4 per minute",
        login_limit_address="4 per minute",
        upload_max_mb=1,
    )
    previous = context.warehouse()
    app = create_app(config=cfg)
    yield app
    context.set_warehouse(previous)
