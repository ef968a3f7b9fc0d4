"""The data-quality named queries: completeness and timeliness of the monthly reports, missing reports, suspect
values, survey triangulation, and the administrator's load history and quarantine
(``warehouse/queries/quality_*.sql``)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from .access import Scope, declare
from .named_queries import Allowed
from .named_queries import region_list as _allowed
from .named_queries import run as _run
from .sources import MONTHLY_FEEDS
from .territory_levels import child_level


@declare(Scope.BELOW_REGION, regions=True, when=lambda a: a["parent"] != "PE")
def quality_completeness(
    con: duckdb.DuckDBPyConnection,
    program: str,
    parent: str,
    start: dt.date,
    end: dt.date,
    parent_level: str | None = None,
    tree: str = "territorio",
    region: str | None = None,
    allowed: Allowed = None,
) -> pd.DataFrame:
    """Reports of ``program``'s indicators expected, received and on time per child of ``parent`` along ``tree``
    (``parent_level``: 'pais' for 'PE', else 'region' by default); ``region``: only that region's part of a Red."""
    level = parent_level or ("pais" if parent == "PE" else "region")
    return _run(
        con,
        "quality_completeness",
        program=program,
        monthly_feeds=list(MONTHLY_FEEDS),
        parent=parent,
        child_level=child_level(level, tree),
        region=region,
        start=start,
        end=end,
        allowed=_allowed(allowed),
    )


def _months_before(con: duckdb.DuckDBPyConnection, period: dt.date, setting: str) -> dt.date:
    """The first month of a window of ``setting`` months (core_setting) before ``period``: passed to a query as
    a constant, which DuckDB's zone maps use to skip the other months (a bound computed inside the query is not)."""
    row = con.execute("select num_value from core_setting where key = ?", [setting]).fetchone()
    if row is None or row[0] is None:
        raise LookupError(f"core_setting: falta {setting}")
    y, m = divmod(period.year * 12 + period.month - 1 - int(row[0]), 12)
    return dt.date(y, m + 1, 1)


@declare(Scope.BELOW_REGION, regions=True)  # facilities
def quality_missing(
    con: duckdb.DuckDBPyConnection,
    program: str,
    period: dt.date,
    region: str | None = None,
    allowed: Allowed = None,
) -> pd.DataFrame:
    """Units expected to report ``program``'s indicators in the month that did not, with what is missing."""
    since = _months_before(con, period, "expected_lookback_months")
    return _run(
        con,
        "quality_missing",
        program=program,
        period=period,
        since=since,
        region=region,
        allowed=_allowed(allowed),
    )


@declare(Scope.REGION, regions=True)
def quality_triangulation(
    con: duckdb.DuckDBPyConnection, program: str, allowed: Allowed = None
) -> pd.DataFrame:
    """Administrative coverage of a year against the survey's estimate and interval, per product and region."""
    return _run(con, "quality_triangulation", program=program, allowed=_allowed(allowed))


@declare(Scope.ADMIN, regions=False)  # file names and quarantined rows of every region
def quality_batches(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _run(con, "quality_batches")


@declare(Scope.ADMIN, regions=False)
def quality_quarantine(con: duckdb.DuckDBPyConnection, source: str | None = None) -> pd.DataFrame:
    return _run(con, "quality_quarantine", source=source)


@declare(Scope.BELOW_REGION, regions=True)  # facilities
def quality_outliers(
    con: duckdb.DuckDBPyConnection,
    program: str,
    period: dt.date,
    region: str | None = None,
    allowed: Allowed = None,
    indicator: str | None = None,
) -> pd.DataFrame:
    """Suspect facility values of ``program``'s indicators in a month, with their reasons (atipico, salto,
    denominador); of one ``indicator`` only when given (the region page's drill-down marks one indicator's
    facilities: the whole program's history is ten times the work)."""
    since = _months_before(con, period, "quality_history_months")
    return _run(
        con,
        "quality_outliers",
        program=program,
        period=period,
        since=since,
        region=region,
        indicator=indicator,
        allowed=_allowed(allowed),
    )
