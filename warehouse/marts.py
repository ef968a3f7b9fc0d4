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
from .sqlfiles import MARTS, literal, scalar, sql_file, views_fingerprint


def _run(con: duckdb.DuckDBPyConnection, name: str) -> None:
    for statement in sql_file(MARTS / f"{name}.sql"):
        con.execute(statement)


def _query(name: str) -> str:
    """The one query of ``marts/<name>.sql``, for the caller to insert or keep where it needs."""
    (query,) = sql_file(MARTS / f"{name}.sql")
    return query


def _scope(con: duckdb.DuckDBPyConnection, table: str, columns: str, rows: Iterable[tuple[Any, ...]]) -> int:
    """``table`` (``columns``: "name type, …") made to hold ``rows``, in one statement whatever their number: each
    column is a typed list, unnested beside the others (every load makes three to five of these)."""
    rows = list(rows)
    names = [c.split()[0] for c in columns.split(",")]
    types = [c.split(None, 1)[1] for c in columns.split(",")]
    unnested = ", ".join(f"unnest(?::{t}[]) as {n}" for n, t in zip(names, types, strict=True))
    lists = [[r[k] for r in rows] for k in range(len(names))]
    con.execute(f"create or replace temp table {table} as select {unnested}", lists)
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
def _refresh_top(con: duckdb.DuckDBPyConnection, scope: str, rows: str = "mart_indicator_agg") -> None:
    """Copy the country and region rows of ``rows`` (mart_indicator_agg, or the rows a refresh of a few regions
    just built: mart_fresh) that match ``scope`` (a condition on the mart's columns, the one the refresh just
    rebuilt) into mart_indicator_top, ordered so that its zone maps narrow the reads; then store their statuses
    (mart_status_top)."""
    order = "order by territory_code, indicator_code, period"
    con.execute(f"delete from mart_indicator_top where {scope}")
    con.execute(
        f"insert into mart_indicator_top select * from {rows} "
        f"where territory_level in ('pais', 'region') and ({scope}) {order}"
    )
    con.execute(f"delete from mart_status_top where {scope}")
    # The rules applied to the scope's rows alone (a CTE the macro reads), not to every row filtered afterwards.
    con.execute(
        f"insert into mart_status_top by name with scoped as (select * from mart_indicator_top where {scope}) "
        f"select * from indicator_status('scoped') {order}"
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
    return _stamps(con)[0]


def _stamps(con: duckdb.DuckDBPyConnection) -> tuple[str, str | None]:
    """(the rules' fingerprint now, the one mart_status_top was computed with), asked in one statement: every
    load asks twice (on opening the warehouse and before committing)."""
    h = hashlib.sha256(views_fingerprint().encode())
    # The same (count, sum of row hashes) per table as before, for every table at once.
    parts = ", ".join(f"(select count(*) from {t}), (select sum(hash(t)) from {t} as t)" for t in RULE_INPUTS)
    row = con.execute(
        f"select {parts}, (select value from core_meta where key = ?)", [STATUS_STAMP]
    ).fetchone()
    assert row is not None
    for k in range(len(RULE_INPUTS)):
        h.update(repr(row[2 * k : 2 * k + 2]).encode())
    return h.hexdigest()[:16], row[-1]


def _record_stamp(con: duckdb.DuckDBPyConnection, stamp: str) -> None:
    con.execute("insert or replace into core_meta values (?, ?)", [STATUS_STAMP, stamp])


def status_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether mart_status_top was computed with the rules and inputs the warehouse holds now."""
    now, stored = _stamps(con)
    return now == stored


@timed("statuses")
def ensure_status(con: duckdb.DuckDBPyConnection) -> bool:
    """Rebuild mart_status_top whole if a rule input changed since it was computed (a targets load, a catalogue
    edit, new rules' SQL); True when it did. Every writer calls this before it commits."""
    stamp, stored = _stamps(con)
    if stored == stamp:
        return False
    _run(con, "status_top")
    _record_stamp(con, stamp)
    return True


def _units(
    con: duckdb.DuckDBPyConnection,
    feed: str,
    facts: str,
    history: str,
    periods: Iterable[dt.date],
    indicators: Iterable[str] | None = None,
    regions: Iterable[str] | None = None,
) -> bool:
    """Rebuild the feed's mart rows of ``periods`` (and their followers), for ``indicators`` only when given:
    every mart row is one indicator's (units.sql groups and matches expected units by indicator), so a load
    that touched a few indicators of a month need not rebuild the month's others. With ``regions``, only those
    regions' rows are rebuilt (every row below the country sums one region's units) and the country's row is
    summed from the regions' rows (``country.sql``). Then the top rows and their statuses (:func:`_refresh_top`).
    False when there was nothing to do.

    The scope is written into each statement that reads or deletes mart rows as literals, so that DuckDB skips the
    row groups of other months by their zone maps (a subquery's values are not known when the scan is planned)."""
    lookback = _lookback(con)
    scope = _periods_with_followers(con, "raw_" + feed, periods, lookback)
    if not _scope(con, "scope_period", "period date", scope):
        return False
    if indicators is None:
        indicators = [
            i
            for (i,) in con.execute(
                "select indicator_code from core_indicator where feed = ?", [feed]
            ).fetchall()
        ]
    if not _scope(con, "scope_indicator", "indicator_code varchar", [(i,) for i in sorted(set(indicators))]):
        return False
    first, last = scope[0][0], scope[-1][0]
    scoped = f"{_in('period', [p for (p,) in scope])} and {_in('indicator_code', sorted(set(indicators)))}"
    in_scope = "indicator_code in (select indicator_code from scope_indicator)"
    if regions is not None and _new_in_scope(con):
        # A month or indicator seen for the first time: its units expected everywhere are new too.
        regions = None
    in_regions = "true"
    if regions is not None:
        in_regions = _in("region_code", sorted(set(regions)))
        in_scope += f" and ubigeo in (select ubigeo from core_district_region where {in_regions})"
    con.execute(f"create or replace temp view unit_facts as {facts} and {in_scope}")
    # Only the look-back window before the scope can matter; the literals let DuckDB skip the other row groups.
    con.execute(
        f"create or replace temp view unit_history as {history} "
        f"where period >= date '{first}' - interval {lookback} month and period < date '{last}' and {in_scope}"
    )
    units = _query("units")
    if regions is None:
        con.execute(f"delete from mart_indicator_agg where {scoped}")
        con.execute(f"insert into mart_indicator_agg {units}")
        _refresh_top(con, scoped)
        return True
    # A few regions' rows: built once into mart_fresh, and every mart written from it (reading them back from
    # mart_indicator_agg would cost a scan of the month's rows per statement).
    con.execute(f"create or replace temp table mart_fresh as {units}")
    # units.sql summed the country over these regions only: it is summed over every region's rows, those just
    # built and the others' as stored (mart_indicator_top holds every region row).
    con.execute("delete from mart_fresh where territory_level = 'pais'")
    con.execute(
        "create or replace temp view region_rows as "
        "select * from mart_fresh where territory_level = 'region' union all "
        f"select * from mart_indicator_top where territory_level = 'region' and {scoped} and not ({in_regions})"
    )
    _run(con, "country")
    rebuilt = f"{scoped} and ({in_regions} or territory_level = 'pais')"
    con.execute(f"delete from mart_indicator_agg where {rebuilt}")
    con.execute("insert into mart_indicator_agg select * from mart_fresh")
    _refresh_top(con, rebuilt, "mart_fresh")
    return True


def _in(column: str, values: Iterable[Any]) -> str:
    """``column in (…)`` with the values as SQL literals; ``false`` when there are none."""
    literals = [literal(v) for v in values]
    return f"{column} in ({', '.join(literals)})" if literals else "false"


def _new_in_scope(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether an indicator of scope_indicator has no country row yet in a period of scope_period: rebuilding
    only the regions a load touched keeps the other regions' rows as they were, which is right only when they
    were built (the rows of a month never refreshed before are not there to keep)."""
    return bool(
        scalar(
            con,
            "select count(*) from scope_period as p cross join scope_indicator as i "
            "where (p.period, i.indicator_code) not in "
            "(select (period, indicator_code) from mart_indicator_top where territory_level = 'pais')",
        )
    )


# A feed's indicators in the periods of scope_period.
_FEED_PERIODS = (
    "period in (select period from scope_period) "
    "and indicator_code in (select indicator_code from core_indicator where feed = '{feed}')"
)


@timed("marts")
def refresh_admin(
    con: duckdb.DuckDBPyConnection,
    periods: Iterable[dt.date],
    indicators: Iterable[str] | None = None,
    touched: str | None = None,
) -> None:
    """Rebuild the admin marts of ``periods``; of ``indicators`` only, when given (every indicator whose rows
    the load wrote or removed: the others' mart rows are as they were); of the regions of ``touched`` only, when
    given (SQL of the ``(ubigeo, cod_ipress)`` of every row written or removed: see :func:`touched_regions`)."""
    periods = sorted(set(periods))
    regions = None if touched is None or not periods else touched_regions(con, "admin", touched, periods)
    # One raw row per period, indicator and unit (constraint raw_admin_unique, checked in the same transaction),
    # so the rows are the facts as they are: grouping them would change nothing and cost a hash aggregate.
    _units(
        con,
        "admin",
        "select period, indicator_code, coalesce(cod_ipress, ubigeo) as unit, ubigeo, cod_ipress, numerator, "
        "denominator, batch_id from raw_admin where period in (select period from scope_period)",
        "select period, indicator_code, coalesce(cod_ipress, ubigeo) as unit, ubigeo, cod_ipress from raw_admin",
        periods,
        indicators,
        regions,
    )


def touched_regions(
    con: duckdb.DuckDBPyConnection, feed: str, touched: str, periods: list[dt.date]
) -> list[str] | None:
    """The regions whose mart rows a change to the rows ``touched`` (SQL giving their ``ubigeo, cod_ipress``)
    can alter: the regions of those rows, and of every row the same units reported within the look-back of
    ``periods`` — a unit that moved to another region's district is expected (or not) in the region it was.
    A facility's rows carry its registered district (the loader rejects any other), so a unit's rows span two
    regions only when the registry moved it: every region a moved facility was ever registered in is rebuilt
    too, so that no rebuilt region misses the rows such a facility reported elsewhere. None when that is every
    region (a national file): the marts are then rebuilt without a filter by region nor the country's second sum.
    """
    lookback = _lookback(con)
    rows = con.execute(
        f"""
        with
        t as (select distinct ubigeo, coalesce(cod_ipress, ubigeo) as unit from ({touched})),
        versions as (
            select cod_ipress, ubigeo from etl_replaced_core_facility
            union all
            select cod_ipress, ubigeo from core_facility
            where cod_ipress in (select cod_ipress from etl_replaced_core_facility)
        ),
        moved as (
            select v.ubigeo from versions as v
            where v.cod_ipress in (
                select cod_ipress from versions join core_district_region using (ubigeo)
                group by cod_ipress having count(distinct region_code) > 1
            )
        )
        select distinct region_code, (select count(distinct region_code) from core_district_region)
        from core_district_region
        where ubigeo in (
            select ubigeo from t
            union
            select ubigeo from raw_{feed}
            where period >= date '{periods[0]}' - interval {lookback} month
              and period <= date '{periods[-1]}' + interval {lookback} month
              and coalesce(cod_ipress, ubigeo) in (select unit from t)
            union
            select ubigeo from moved
        )
        order by 1
        """
    ).fetchall()
    return None if rows and len(rows) == rows[0][1] else [r for r, _ in rows]


@timed("marts")
def refresh_stock(con: duckdb.DuckDBPyConnection, periods: Iterable[dt.date]) -> None:
    if not _units(
        con,
        "stock",
        "select period, indicator_code, cod_ipress as unit, ubigeo, cod_ipress, "
        "(stock_class(stock, cpm) = 'normostock')::integer as numerator, 1 as denominator, batch_id "
        "from raw_stock where period in (select period from scope_period)",
        "select period, indicator_code, cod_ipress as unit, ubigeo, cod_ipress from raw_stock",
        periods,
    ):
        return
    periods = [p for (p,) in con.execute("select period from scope_period").fetchall()]
    con.execute(f"delete from mart_stock_summary where {_in('period', periods)}")
    _run(con, "stock_summary")


@timed("marts")
def refresh_budget(con: duckdb.DuckDBPyConnection, years: Iterable[int]) -> None:
    if not _scope(con, "scope_year", "year integer", [(y,) for y in sorted(set(years))]):
        return
    con.execute(
        "delete from mart_indicator_agg where year(period) in (select year from scope_year) "
        "and indicator_code in (select indicator_code from core_indicator where feed = 'budget')"
    )
    _run(con, "budget")
    _run(con, "budget_lines")  # the Presupuesto page's sums (mart_budget)
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
    con.execute("delete from mart_budget")
    refresh_admin(con, [r[0] for r in con.execute("select distinct period from raw_admin").fetchall()])
    refresh_stock(con, [r[0] for r in con.execute("select distinct period from raw_stock").fetchall()])
    refresh_budget(con, [r[0] for r in con.execute("select distinct year from raw_budget").fetchall()])
    refresh_survey(con, con.execute("select distinct indicator_code, year from raw_survey").fetchall())
    refresh_population(
        con, [r[0] for r in con.execute("select distinct year from raw_population").fetchall()]
    )
    # Every top row was just stored with the rules as they are now (_refresh_top): only the stamp is left.
    _record_stamp(con, rule_stamp(con))
