"""Access closed by default (warehouse.access): every named query declares its scope and whether it filters by
the asker's regions; what is not declared does not run; a below-region query is refused to the public, and to a
regional user when it does not filter by region."""

from __future__ import annotations

import datetime as dt
import inspect
import shutil
import subprocess
import sys

import duckdb
import pandas as pd
import pytest

from dashboard.data import Access, Forbidden, Warehouse
from tests.conftest import ROOT
from warehouse import access, budget_queries, named_queries, quality_queries, query
from warehouse.access import EVERYONE, PUBLIC, Asker, Refused, Scope, Undeclared, regional
from warehouse.sqlfiles import named_parameters

NATIONAL = Asker(admin=False)


@pytest.fixture
def registry(monkeypatch):
    """Declarations made by a test are forgotten after it."""
    monkeypatch.setattr(access, "DECLARED", dict(access.DECLARED))


@pytest.mark.parametrize("path", sorted(query.QUERIES.glob("*.sql")), ids=lambda p: p.stem)
def test_every_sql_file_is_declared_and_uses_allowed_as_declared(path):
    d = access.declaration(path.stem)
    assert d.fn is getattr(query, path.stem)
    assert ("allowed" in named_parameters(path.read_text(encoding="utf-8"))) == d.regions


def test_every_query_function_is_declared():
    functions = [
        fn
        for module in (query, budget_queries, quality_queries)
        for name, fn in inspect.getmembers(module, inspect.isfunction)
        if fn.__module__ == module.__name__
        and not name.startswith("_")
        and next(iter(inspect.signature(fn).parameters), None) == "con"
    ]
    assert len(functions) >= 24
    for fn in functions:
        assert access.declaration(fn.__name__).fn is fn


def test_a_new_below_region_query_without_a_declaration_is_refused(
    registry, monkeypatch, tmp_path, territory_db
):
    """A new query returning facility rows, forgotten in the declarations: nobody gets its rows — not the public,
    not a regional user, not even everyone — whether run directly or through the dashboard."""
    for path in query.QUERIES.glob("*.sql"):
        shutil.copy(path, tmp_path)
    (tmp_path / "facility_rows.sql").write_text(
        "select cod_ipress, name from core_facility\n", encoding="utf-8"
    )
    monkeypatch.setattr(named_queries, "QUERIES", tmp_path)
    named_queries.sql_text.cache_clear()

    def facility_rows(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
        return named_queries.run(con, "facility_rows")

    try:
        with pytest.raises(Undeclared, match="facility_rows"):
            access.check_sql_files(tmp_path)  # what importing warehouse.query does with its folder
        for asker in (PUBLIC, regional(frozenset({"09"})), EVERYONE):
            with pytest.raises(Refused, match="no declarada: facility_rows"):
                access.permit(facility_rows, asker)
        with duckdb.connect(str(territory_db), read_only=True) as con, pytest.raises(Undeclared):
            facility_rows(con)
        wh = Warehouse(territory_db)
        with pytest.raises(Forbidden, match="facility_rows"):
            wh.query(facility_rows)
    finally:
        named_queries.sql_text.cache_clear()


def test_an_undeclared_sql_file_stops_the_import(tmp_path):
    """A copy of the warehouse package with one more .sql file beside the declared ones cannot be imported."""
    shutil.copytree(ROOT / "warehouse", tmp_path / "warehouse", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "warehouse" / "queries" / "olvidada.sql").write_text("select 1 as x\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-c", "import warehouse.query"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode != 0
    assert "Undeclared" in proc.stderr and "olvidada.sql" in proc.stderr


def test_a_below_region_query_without_a_region_filter_is_refused_to_a_regional_user(registry, territory_db):
    @access.declare(Scope.BELOW_REGION, regions=False)
    def facility_names(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
        return con.execute("select cod_ipress, name from core_facility").df()

    with pytest.raises(Refused, match="no filtra por región"):
        access.permit(facility_names, regional(frozenset({"09"})))
    with pytest.raises(Refused, match="por debajo del nivel regional"):
        access.permit(facility_names, PUBLIC)
    assert access.permit(facility_names, NATIONAL) == {}
    wh = Warehouse(territory_db)
    wh.access = lambda: Access(regions=frozenset({"09"}), admin=False)
    with pytest.raises(Forbidden, match="no filtra por región"):
        wh.query(facility_names)
    wh.access = lambda: Access(admin=False)
    assert len(wh.query(facility_names)) > 0


def test_a_function_under_a_declared_name_is_not_the_declared_one():
    def snapshot(con, program, territories, period):  # not warehouse.query.snapshot
        return pd.DataFrame()

    with pytest.raises(Refused, match="no declarada"):
        access.permit(snapshot, EVERYONE, "0001", ["PE"], dt.date(2025, 1, 1))


def test_a_declaration_must_say_how_the_function_filters(registry):
    with pytest.raises(Undeclared, match="allowed"):

        @access.declare(Scope.REGION, regions=True)
        def without_allowed(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
            return pd.DataFrame()

    with pytest.raises(ValueError, match="when"):
        access.declare(Scope.REGION, regions=False, when=lambda a: True)


def test_the_shipped_declarations_decide_by_scope_and_arguments():
    period = dt.date(2025, 6, 1)
    # region-level rows: anyone; the regional user's regions are passed to the SQL
    assert access.permit(query.snapshot, PUBLIC, "0001", ["PE", "09"], period) == {"allowed": None}
    assert access.permit(query.snapshot, regional(frozenset({"09"})), "0001", ["090101"], period) == {
        "allowed": frozenset({"09"})
    }
    # provinces, districts, facilities: not for the public
    for fn, args in [
        (query.snapshot, ("0001", ["0901"], period)),
        (query.children, ("PAN_P_CRED", "09", "region", period)),
        (query.budget_units, ("0001", 2025, 6, "PE")),
        (query.quality_missing, ("0001", period)),
    ]:
        with pytest.raises(Refused, match="por debajo del nivel regional"):
            access.permit(fn, PUBLIC, *args)
    assert access.permit(query.children, PUBLIC, "PAN_P_CRED", "PE", "pais", period) == {"allowed": None}
    # the administrator's details: not for a national user
    with pytest.raises(Refused, match="administradores"):
        access.permit(query.quality_batches, NATIONAL)
    assert access.permit(query.quality_batches, EVERYONE) == {}
