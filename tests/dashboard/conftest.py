"""Dashboard tests run the real app's callbacks against the demo warehouse (built once per session)."""

from __future__ import annotations

import duckdb
import pytest

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
