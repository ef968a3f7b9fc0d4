"""Rebuilding the marts for what a load touched: the periods, years or (indicator, year) pairs of its scope.

Each refresh deletes the mart rows of the scope and re-inserts them with the SQL in ``warehouse/marts/``; it runs
inside the load's transaction, so the marts never disagree with the raw tables.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

import duckdb

from .phases import timed
from .sql import MARTS, scalar, sql_file, views_fingerprint


def _run(con: duckdb.DuckDBPyConnection, name: str) -> None:
    for statement in sql_file(MARTS / f"{name}.sql"):
        con.execute(statement)


def _scope(con: duckdb.DuckDBPyConnection, table: str, columns: str, rows: Iterable[tuple[Any, ...]]) -> int:
    con.execute(f"create or replace temp table {table} ({columns})")
    rows = list(rows)
    if rows:
        con.executemany(f"insert into {table} values ({', '.join('?' * len(rows[0]))})", rows)
    return len(rows)


def _lookback(con: duckdb.DuckDBPyConnection) -> int:
    return int(scalar(con, "select num_value from core_setting where key = 'expected_lookback_months'"))


def _periods_with_followers(
    con: duckdb.DuckDBPyConnection, table: str, periods: Iterable[dt.date], lookback: int
) -> list[tuple[dt.date]]:
    """The periods loaded and the later ones whose 'expected to report' set depends on them."""
    periods = sorted(set(periods))
    if not periods:
        return []
    later = con.execute(
        f"select distinct period from {table} where period > ? and period <= ? + to_months(?)",
        [periods[0], periods[-1], lookback],
    ).fetchall()
    return [(p,) for p in sorted(set(periods) | {r[0] for r in later})]


@timed("statuses")
def _refresh_top(con: duckdb.DuckDBPyConnection, scope: str) -> None:
    """Copy the country and region rows of mart_indicator_agg that match ``scope`` (a condition on its columns,
    the one the refresh just rebuilt) into mart_indicator_top, ordered so that its zone maps narrow the reads;
    then store their statuses (mart_status_top)."""
    order = "order by territory_code, indicator_code, period"
    con.execute(f"delete from mart_indicator_top where {scope}")
    con.execute(
        "insert into mart_indicator_top select * from mart_indicator_agg "
        f"where territory_level in ('pais', 'region') and ({scope}) {order}"
    )
    con.execute(f"delete from mart_status_top where {scope}")
    con.execute(
        f"insert into mart_status_top by name select * from indicator_status('mart_indicator_top') "
        f"where {scope} {order}"
    )


# Everything the status rules read besides the values: a change to any of these may change every stored status.
RULE_INPUTS = (
    "core_indicator",
    "core_target",
    "core_setting",
    "core_rule_band",
    "core_budget_pace",
    "core_stock_class",
)
STATUS_STAMP = "status_top_rules"  # the core_meta key of the stamp mart_status_top was computed with


def rule_stamp(con: duckdb.DuckDBPyConnection) -> str:
    """A fingerprint of the rules' SQL and of the tables they read (order-independent)."""
    h = hashlib.sha256(views_fingerprint().encode())
    for table in RULE_INPUTS:
        h.update(repr(con.execute(f"select count(*), sum(hash(t)) from {table} as t").fetchone()).encode())
    return h.hexdigest()[:16]


def _stored_stamp(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute("select value from core_meta where key = ?", [STATUS_STAMP]).fetchone()
    return None if row is None else row[0]


def _record_stamp(con: duckdb.DuckDBPyConnection, stamp: str) -> None:
    con.execute("insert or replace into core_meta values (?, ?)", [STATUS_STAMP, stamp])


def status_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether mart_status_top was computed with the rules and inputs the warehouse holds now."""
    return _stored_stamp(con) == rule_stamp(con)


@timed("statuses")
def ensure_status(con: duckdb.DuckDBPyConnection) -> bool:
    """Rebuild mart_status_top whole if a rule input changed since it was computed (a targets load, a catalogue
    edit, new rules' SQL); True when it did. Every writer calls this before it commits."""
    stamp = rule_stamp(con)
    if _stored_stamp(con) == stamp:
        return False
    _run(con, "status_top")
    _record_stamp(con, stamp)
    return True


def _units(
    con: duckdb.DuckDBPyConnection, feed: str, facts: str, history: str, periods: Iterable[dt.date]
) -> None:
    lookback = _lookback(con)
    scope = _periods_with_followers(con, "raw_" + feed, periods, lookback)
    if not _scope(con, "scope_period", "period date", scope):
        return
    first, last = scope[0][0], scope[-1][0]
    con.execute(
        "delete from mart_indicator_agg where period in (select period from scope_period) "
        "and indicator_code in (select indicator_code from core_indicator where feed = ?)",
        [feed],
    )
    con.execute(f"create or replace temp view unit_facts as {facts}")
    # Only the look-back window before the scope can matter; the literals let DuckDB skip the other row groups.
    con.execute(
        f"create or replace temp view unit_history as {history} "
        f"where period >= date '{first}' - interval {lookback} month and period < date '{last}'"
    )
    _run(con, "units")


# The rows an admin or stock refresh rebuilt: its feed's indicators in the periods of scope_period.
_FEED_PERIODS = (
    "period in (select period from scope_period) "
    "and indicator_code in (select indicator_code from core_indicator where feed = '{feed}')"
)


@timed("marts")
def refresh_admin(con: duckdb.DuckDBPyConnection, periods: Iterable[dt.date]) -> None:
    # One raw row per period, indicator and unit (constraint raw_admin_unique, checked in the same transaction),
    # so the rows are the facts as they are: grouping them would change nothing and cost a hash aggregate.
    _units(
        con,
        "admin",
        "select period, indicator_code, coalesce(cod_ipress, ubigeo) as unit, ubigeo, cod_ipress, numerator, "
        "denominator, batch_id from raw_admin where period in (select period from scope_period)",
        "select period, indicator_code, coalesce(cod_ipress, ubigeo) as unit, ubigeo, cod_ipress from raw_admin",
        periods,
    )
    _refresh_top(con, _FEED_PERIODS.format(feed="admin"))


@timed("marts")
def refresh_stock(con: duckdb.DuckDBPyConnection, periods: Iterable[dt.date]) -> None:
    _units(
        con,
        "stock",
        "select period, indicator_code, cod_ipress as unit, ubigeo, cod_ipress, "
        "(stock_class(stock, cpm) = 'normostock')::integer as numerator, 1 as denominator, batch_id "
        "from raw_stock where period in (select period from scope_period)",
        "select period, indicator_code, cod_ipress as unit, ubigeo, cod_ipress from raw_stock",
        periods,
    )
    con.execute("delete from mart_stock_summary where period in (select period from scope_period)")
    _run(con, "stock_summary")
    _refresh_top(con, _FEED_PERIODS.format(feed="stock"))


@timed("marts")
def refresh_budget(con: duckdb.DuckDBPyConnection, years: Iterable[int]) -> None:
    if not _scope(con, "scope_year", "year integer", [(y,) for y in sorted(set(years))]):
        return
    con.execute(
        "delete from mart_indicator_agg where year(period) in (select year from scope_year) "
        "and indicator_code in (select indicator_code from core_indicator where feed = 'budget')"
    )
    _run(con, "budget")
    _refresh_top(
        con,
        "year(period) in (select year from scope_year) "
        "and indicator_code in (select indicator_code from core_indicator where feed = 'budget')",
    )


@timed("marts")
def refresh_survey(con: duckdb.DuckDBPyConnection, pairs: Iterable[tuple[str, int]]) -> None:
    if not _scope(con, "scope_survey", "indicator_code varchar, year integer", sorted(set(pairs))):
        return
    con.execute(
        "delete from mart_indicator_agg as m using scope_survey as s "
        "where m.indicator_code = s.indicator_code and m.period = make_date(s.year, 1, 1)"
    )
    _run(con, "survey")
    _refresh_top(
        con,
        "(indicator_code, period) in (select (indicator_code, make_date(year, 1, 1)) from scope_survey)",
    )


@timed("marts")
def refresh_population(con: duckdb.DuckDBPyConnection, years: Iterable[int]) -> None:
    if not _scope(con, "scope_year", "year integer", [(y,) for y in sorted(set(years))]):
        return
    con.execute("delete from mart_population where year in (select year from scope_year)")
    _run(con, "population")


def refresh_network(con: duckdb.DuckDBPyConnection, since: dt.date) -> None:
    """Rebuild the monthly marts from ``since`` on, after the network changed from that month (a network load):
    the Red and MicroRed rows move, and the territory rows of those months are rebuilt alike."""
    refresh_admin(
        con,
        [
            r[0]
            for r in con.execute(
                "select distinct period from raw_admin where period >= ?", [since]
            ).fetchall()
        ],
    )
    refresh_stock(
        con,
        [
            r[0]
            for r in con.execute(
                "select distinct period from raw_stock where period >= ?", [since]
            ).fetchall()
        ],
    )


def refresh_months(con: duckdb.DuckDBPyConnection, feed: str, periods: Iterable[dt.date]) -> None:
    """Rebuild a monthly feed's marts for ``periods`` after rows were removed (a batch undone): the months that
    still have rows are refreshed, those left without any lose their mart rows — refreshing them would list
    every unit expected there as not reporting, for a month that was never loaded."""
    periods = sorted(set(periods))
    left = {p for (p,) in con.execute(f"select distinct period from raw_{feed}").fetchall()}
    (refresh_admin if feed == "admin" else refresh_stock)(con, [p for p in periods if p in left])
    empty = [(p,) for p in periods if p not in left]
    if not _scope(con, "scope_period", "period date", empty):
        return
    for table in ("mart_indicator_agg", "mart_indicator_top", "mart_status_top"):
        con.execute(f"delete from {table} where {_FEED_PERIODS.format(feed=feed)}")
    if feed == "stock":
        con.execute("delete from mart_stock_summary where period in (select period from scope_period)")


@timed("marts")
def refresh_all(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild every mart from the raw tables (after a territory or catalogue change)."""
    con.execute("delete from mart_indicator_agg")
    con.execute("delete from mart_indicator_top")
    con.execute("delete from mart_status_top")
    con.execute("delete from mart_stock_summary")
    con.execute("delete from mart_population")
    refresh_admin(con, [r[0] for r in con.execute("select distinct period from raw_admin").fetchall()])
    refresh_stock(con, [r[0] for r in con.execute("select distinct period from raw_stock").fetchall()])
    refresh_budget(con, [r[0] for r in con.execute("select distinct year from raw_budget").fetchall()])
    refresh_survey(con, con.execute("select distinct indicator_code, year from raw_survey").fetchall())
    refresh_population(
        con, [r[0] for r in con.execute("select distinct year from raw_population").fetchall()]
    )
    # Every top row was just stored with the rules as they are now (_refresh_top): only the stamp is left.
    _record_stamp(con, rule_stamp(con))
