"""The budget's named queries: MEF execution against coverage and results, per product, month, executing unit and
region, and across years (``warehouse/queries/budget_*.sql``)."""

from __future__ import annotations

import duckdb
import pandas as pd

from .access import Scope, declare
from .named_queries import Allowed
from .named_queries import region_list as _allowed
from .named_queries import run as _run
from .territory_levels import subregional

BELOW_IF_TERRITORY = {"when": lambda a: subregional(a["territory"])}  # a province's or district's budget


@declare(Scope.REGION, regions=True)
def budget_results(
    con: duckdb.DuckDBPyConnection, program: str, year: int, age_group: str = "<5", allowed: Allowed = None
) -> pd.DataFrame:
    return _run(
        con, "budget_results", program=program, year=year, age_group=age_group, allowed=_allowed(allowed)
    )


@declare(Scope.BELOW_REGION, regions=True, **BELOW_IF_TERRITORY)
def budget_products(
    con: duckdb.DuckDBPyConnection,
    program: str,
    year: int,
    month: int,
    territory: str,
    allowed: Allowed = None,
) -> pd.DataFrame:
    """Amounts, execution, pace light, coverage bought and money per beneficiary of each MEF product."""
    return _run(
        con,
        "budget_products",
        program=program,
        year=year,
        month=month,
        territory=territory,
        allowed=_allowed(allowed),
    )


@declare(Scope.REGION, regions=True)
def budget_region_products(
    con: duckdb.DuckDBPyConnection, program: str, year: int, month: int, allowed: Allowed = None
) -> pd.DataFrame:
    """Each region × MEF product: execution against pace, coverage against target, bottlenecks ranked."""
    return _run(
        con, "budget_region_products", program=program, year=year, month=month, allowed=_allowed(allowed)
    )


@declare(Scope.BELOW_REGION, regions=True, **BELOW_IF_TERRITORY)
def budget_months(
    con: duckdb.DuckDBPyConnection,
    program: str,
    year: int,
    month: int,
    territory: str,
    element: str | None = None,
    allowed: Allowed = None,
) -> pd.DataFrame:
    return _run(
        con,
        "budget_months",
        program=program,
        year=year,
        month=month,
        territory=territory,
        element=element,
        allowed=_allowed(allowed),
    )


@declare(Scope.BELOW_REGION, regions=True)  # executing units: hospitals, networks, municipalities
def budget_units(
    con: duckdb.DuckDBPyConnection,
    program: str,
    year: int,
    month: int,
    territory: str,
    element: str | None = None,
    allowed: Allowed = None,
) -> pd.DataFrame:
    return _run(
        con,
        "budget_units",
        program=program,
        year=year,
        month=month,
        territory=territory,
        element=element,
        allowed=_allowed(allowed),
    )


@declare(Scope.REGION, regions=True)
def budget_regions(
    con: duckdb.DuckDBPyConnection,
    program: str,
    year: int,
    month: int,
    element: str | None = None,
    age_group: str = "<5",
    allowed: Allowed = None,
) -> pd.DataFrame:
    return _run(
        con,
        "budget_regions",
        program=program,
        year=year,
        month=month,
        element=element,
        age_group=age_group,
        allowed=_allowed(allowed),
    )


@declare(Scope.REGION, regions=True)
def budget_change(
    con: duckdb.DuckDBPyConnection,
    program: str,
    year_from: int,
    year_to: int,
    element: str | None = None,
    age_group: str = "<5",
    allowed: Allowed = None,
) -> pd.DataFrame:
    return _run(
        con,
        "budget_change",
        program=program,
        year_from=year_from,
        year_to=year_to,
        element=element,
        age_group=age_group,
        allowed=_allowed(allowed),
    )


@declare(Scope.REGION, regions=False)
def budget_cutoffs(con: duckdb.DuckDBPyConnection) -> dict[str, dict[int, int]]:
    """Program → fiscal year → last month with budget data."""
    out: dict[str, dict[int, int]] = {}
    for program, year, month in con.execute(
        "select program_code, year, max(month) from raw_budget group by all order by all"
    ).fetchall():
        out.setdefault(program, {})[year] = month
    return out
