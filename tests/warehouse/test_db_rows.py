"""``one`` and ``scalar``: a query that must return a row says so when it returns none, instead of a ``None``
that fails later as a TypeError far from the query."""

from __future__ import annotations

import duckdb
import pytest

from warehouse.db import WarehouseError, one, scalar


@pytest.fixture
def con(tmp_path):
    c = duckdb.connect(str(tmp_path / "rows.duckdb"))
    c.execute("create table t as select * from (values (1, 'a'), (2, 'b')) as v(k, name)")
    yield c
    c.close()


def test_one_returns_the_row_and_scalar_its_first_value(con):
    assert one(con, "select count(*), max(name) from t") == (2, "b")
    assert scalar(con, "select name from t where k = ?", [1]) == "a"
    assert (
        scalar(con, "select max(k) from t where k > 5") is None
    )  # a NULL value is a value, not a missing row


def test_a_query_without_rows_is_an_error_naming_it(con):
    with pytest.raises(WarehouseError, match="no devolvió filas: select name from t where k = 9"):
        one(con, "select name from t where k = 9")
    with pytest.raises(WarehouseError, match="no devolvió filas"):
        scalar(con, "select k from t where k = ?", [9])
