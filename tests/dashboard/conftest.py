"""Dashboard tests run the real app's callbacks against the demo warehouse (built once per session)."""

from __future__ import annotations

import duckdb
import pytest

from dashboard import context
from dashboard.app import create_app


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
