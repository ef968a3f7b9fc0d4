"""SQL files are split into statements by DuckDB's parser, and a query's ``$name`` parameters are found by it too,
not by searching the text."""

from __future__ import annotations

import duckdb
import pytest

from warehouse import access, named_queries
from warehouse.constraints import CONSTRAINTS, violations
from warehouse.db import named_parameters, sql_file


def test_a_semicolon_at_a_line_end_inside_a_literal_does_not_end_the_statement(tmp_path):
    f = tmp_path / "m.sql"
    f.write_text(
        "-- a comment; with a semicolon;\n"
        "create table t (note varchar);\n"
        "insert into t values ('primero;\nsegundo');\n"
        "/* a block comment;\n*/\n"
        "insert into t values ('tercero');\n"
        "-- only a comment at the end;\n",
        encoding="utf-8",
    )
    statements = sql_file(f)
    assert len(statements) == 3
    con = duckdb.connect()
    for s in statements:
        con.execute(s)
    assert con.execute("select note from t order by note").fetchall() == [
        ("primero;\nsegundo",),
        ("tercero",),
    ]


def test_every_shipped_sql_file_splits_into_statements():
    from warehouse.db import MARTS, MIGRATIONS, VIEWS

    for folder in (MIGRATIONS, VIEWS, MARTS):
        for path in folder.glob("*.sql"):
            assert sql_file(path), path


def test_parameters_are_found_by_the_parser_not_by_substring():
    sql = "select $levels as l, '$level' as text -- $period\n/* $region */ where $year > 0"
    assert named_parameters(sql) == {"levels", "year"}


def test_a_named_query_gets_only_the_parameters_it_uses(tmp_path, monkeypatch):
    (tmp_path / "solo_niveles.sql").write_text("select len($levels) as n -- not $level\n", encoding="utf-8")
    monkeypatch.setattr(named_queries, "QUERIES", tmp_path)
    monkeypatch.setattr(access, "DECLARED", dict(access.DECLARED))

    @access.declare(access.Scope.REGION, regions=False)
    def solo_niveles(con: duckdb.DuckDBPyConnection) -> None: ...

    named_queries.sql_text.cache_clear()
    try:
        con = duckdb.connect()
        # `$level` is a substring of `$levels`: passing it too would make DuckDB refuse an unused parameter.
        df = named_queries.run(con, "solo_niveles", level="region", levels=["pais", "region"])
        assert df["n"].tolist() == [2]
    finally:
        named_queries.sql_text.cache_clear()


@pytest.mark.parametrize("path", sorted(CONSTRAINTS.glob("*.sql")), ids=lambda p: p.stem)
def test_constraints_take_batch_id_when_they_name_it(path):
    assert ("batch_id" in named_parameters(path.read_text(encoding="utf-8"))) == (
        "$batch_id" in path.read_text()
    )


def test_constraints_run_on_an_empty_warehouse(tmp_path):
    from warehouse.db import open_writer

    with open_writer(tmp_path / "w.duckdb") as con:
        assert violations(con, 1) == {}
