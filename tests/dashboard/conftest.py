"""Dashboard tests run the real app's callbacks against the demo warehouse (built once per session)."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from dashboard import context
from dashboard.app import create_app
from dashboard.auth import upsert_user
from dashboard.config import load_config
from tests.dashboard.clients import PASSWORD


@pytest.fixture(scope="session")
def app(demo_db):
    return create_app(demo_db)


@pytest.fixture(scope="session")
def sql(demo_db):
    """Read the warehouse directly, to check what the callbacks show against the data."""
    con = duckdb.connect(str(demo_db), read_only=True)

    def run(query: str, *params):
        return con.execute(query, list(params)).fetchall()

    yield run
    con.close()


@pytest.fixture
def huancavelica_only(app, demo_db):
    """An app restricted to one region; the session's app gets its warehouse back afterwards."""
    previous = context.warehouse()
    restricted = create_app(demo_db, allowed=frozenset({"09"}))
    yield restricted
    context.set_warehouse(previous)


@pytest.fixture(scope="module")
def secured(app, demo_db, tmp_path_factory):
    """An app with logins (a users file: regional Huancavelica, nacional, admin, a Cusco user by single sign-on
    only) that lets anonymous visitors in as *publico*, on its own copy of the demo warehouse (uploads write)."""
    folder = tmp_path_factory.mktemp("secured")
    db = folder / "warehouse.duckdb"
    shutil.copy2(demo_db, db)
    users = folder / "usuarios.yaml"
    upsert_user(users, "huanca", "regional", ["09"], "Gerencia Huancavelica", PASSWORD)
    upsert_user(users, "mef", "nacional", [], "Analista MEF", PASSWORD)
    upsert_user(users, "adm", "admin", [], "Administración", PASSWORD)
    upsert_user(users, "sso-cusco", "regional", ["08"], "Cusco (SSO)", None)
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
