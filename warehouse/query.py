"""Named, parameterised reads of the warehouse: one function per view, each a thin wrapper over a .sql file in
``warehouse/queries/``. Pages, exports and the JSON endpoint all call these, so they can never disagree.

Each function is declared (:mod:`warehouse.access`): its scope (region level, below region, admin only) and
whether it filters by the asker's regions — those take ``allowed``, the region codes the caller may see (``None`` =
all), applied in the SQL, here, and nowhere else. A query or a .sql file that is not declared cannot run: this
module refuses to import with an undeclared .sql file beside it, and :func:`_run` refuses an undeclared name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from .access import Scope, check_sql_files, declaration, declare
from .sources import MONTHLY_FEEDS
from .sql import named_parameters

QUERIES = Path(__file__).parent / "queries"

Allowed = frozenset[str] | None


@cache
def _sql(name: str) -> str:
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


# The parameters a query text uses (callers pass a common set), parsed once per text.
_parameters = cache(named_parameters)


def _run(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pd.DataFrame:
    declaration(name)  # an undeclared query does not run
    sql = _sql(name)
    names = _parameters(sql)
    return con.execute(sql, {k: v for k, v in params.items() if k in names}).df()


def _allowed(allowed: Allowed) -> list[str] | None:
    return None if allowed is None else sorted(allowed)


LEVELS = ("pais", "region", "provincia", "distrito")


def _levels(con: duckdb.DuckDBPyConnection, territories: list[str]) -> list[str]:
    """The territory levels of these codes, passed to the queries as a constant so that DuckDB skips the value
    branches of the other levels (the district rows, above all). A code names one territory at one level
    (core_territory, from which the marts take their codes); every level when a code is unknown."""
    known = con.execute(
        "select territory_code, territory_level from core_territory where list_contains(?, territory_code)",
        [territories],
    ).fetchall()
    if {code for code, _ in known} != set(territories):
        return list(LEVELS)
    return sorted({level for _, level in known})


TOP_LEVELS = frozenset({"pais", "region"})


def _subregional(codes: str | Iterable[str] | None) -> bool:
    """Country and region codes have two characters (PE, 01…25, LM, LR); provinces, districts and facilities more."""
    if codes is None:
        return False
    return any(len(c) > 2 for c in ([codes] if isinstance(codes, str) else codes))


# When the queries of several territories, or of one, go below the region level (their declarations' ``when``).
BELOW_IF_TERRITORIES = {"when": lambda a: _subregional(a["territories"])}
BELOW_IF_TERRITORY = {"when": lambda a: _subregional(a["territory"])}


def statuses(levels: Iterable[str]) -> str:
    """The view of statuses to read for these territory levels: the stored ones when only the country and regions
    are asked for (mart_status_top, kept by the marts refresh), else the rules applied at read time."""
    return "mart_status_top" if set(levels) <= TOP_LEVELS else "mart_indicator_status_fast"


@declare(Scope.BELOW_REGION, regions=True, **BELOW_IF_TERRITORIES)
def snapshot(
    con: duckdb.DuckDBPyConnection,
    program: str,
    territories: Iterable[str],
    period: dt.date,
    level: str | None = None,
    allowed: Allowed = None,
) -> pd.DataFrame:
    """Value, status and previous value of every indicator of ``program`` (optionally one chain level) for the
    territories at ``period``; annual indicators at their latest year up to it."""
    territories = list(territories)
    levels = _levels(con, territories)
    monthly, annual = con.execute(
        "select coalesce(list(indicator_code) filter (where periodicity = 'monthly'), []), "
        "coalesce(list(indicator_code) filter (where periodicity = 'annual'), []) "
        "from core_indicator where program_code = ?",
        [program],
    ).fetchone() or ([], [])
    return _run(
        con,
        "snapshot",
        program=program,
        level=level,
        territories=territories,
        levels=levels,
        statuses=statuses(levels),
        monthly=monthly,
        annual=annual,
        period=period,
        allowed=_allowed(allowed),
    )


@declare(Scope.BELOW_REGION, regions=True, **BELOW_IF_TERRITORIES)
def series(
    con: duckdb.DuckDBPyConnection,
    indicators: Iterable[str],
    territories: Iterable[str],
    start: dt.date,
    end: dt.date,
    allowed: Allowed = None,
) -> pd.DataFrame:
    territories = list(territories)
    levels = _levels(con, territories)
    return _run(
        con,
        "series",
        indicators=list(indicators),
        territories=territories,
        levels=levels,
        statuses=statuses(levels),
        start=start,
        end=end,
        allowed=_allowed(allowed),
    )


CHILD_LEVEL = {"pais": "region", "region": "provincia", "provincia": "distrito", "distrito": "eess"}
TREES = ("territorio", "red")  # the territorial tree (the default) and the health network
NETWORK_CHILD_LEVEL = {"pais": "region", "region": "red", "red": "microred", "microred": "eess"}


def child_level(parent_level: str, tree: str = "territorio") -> str:
    """The level one below ``parent_level`` along ``tree``."""
    return (NETWORK_CHILD_LEVEL if tree == "red" else CHILD_LEVEL)[parent_level]


@declare(Scope.BELOW_REGION, regions=True, when=lambda a: a["parent_level"] != "pais")
def children(
    con: duckdb.DuckDBPyConnection,
    indicator: str,
    parent: str,
    parent_level: str,
    period: dt.date,
    tree: str = "territorio",
    region: str | None = None,
    allowed: Allowed = None,
) -> pd.DataFrame:
    """Drill-down one level below ``parent`` for one indicator, along the territory (region → provinces → districts
    → facilities) or the network (region → Reds → MicroRedes → facilities). ``region``: only that region's part of
    the parent (a Red may reach into another region's facilities)."""
    level = child_level(parent_level, tree)
    network_facilities = tree == "red" and level == "eess"
    return _run(
        con,
        "children",
        indicator=indicator,
        parent=parent,
        child_level=level,
        statuses="mart_facility_network_status" if network_facilities else statuses([level]),
        period=period,
        region=region,
        allowed=_allowed(allowed),
    )


@declare(Scope.BELOW_REGION, regions=True, **BELOW_IF_TERRITORIES)
def stock(
    con: duckdb.DuckDBPyConnection,
    indicators: Iterable[str],
    territories: Iterable[str],
    period: dt.date,
    allowed: Allowed = None,
) -> pd.DataFrame:
    return _run(
        con,
        "stock",
        indicators=list(indicators),
        territories=list(territories),
        period=period,
        allowed=_allowed(allowed),
    )


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


@declare(Scope.BELOW_REGION, regions=True)  # facilities
def quality_missing(
    con: duckdb.DuckDBPyConnection,
    program: str,
    period: dt.date,
    region: str | None = None,
    allowed: Allowed = None,
) -> pd.DataFrame:
    """Units expected to report ``program``'s indicators in the month that did not, with what is missing."""
    return _run(
        con, "quality_missing", program=program, period=period, region=region, allowed=_allowed(allowed)
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
) -> pd.DataFrame:
    """Suspect facility values of ``program``'s indicators in a month, with their reasons (atipico, salto,
    denominador)."""
    return _run(
        con, "quality_outliers", program=program, period=period, region=region, allowed=_allowed(allowed)
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


@declare(Scope.REGION, regions=False)
def result_years(con: duckdb.DuckDBPyConnection) -> dict[str, list[int]]:
    """Program → the years with a value of its final result for some region (survey years)."""
    rows = con.execute(
        "select i.program_code, list(distinct year(s.period) order by year(s.period)) "
        "from mart_status_top as s join core_indicator as i using (indicator_code) "
        "where i.chain_level = 'final_result' and s.territory_level = 'region' and s.value is not null "
        "group by all"
    ).fetchall()
    return {program: list(years) for program, years in rows}


@declare(Scope.REGION, regions=False)
def periods(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _run(con, "periods")


@declare(Scope.REGION, regions=False)  # names, not figures
def territories(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every named territory (country, regions, provinces, districts) with level, parent and region."""
    return con.execute(
        "select * from core_territory order by territory_level, sort_order, territory_code"
    ).df()


@declare(Scope.REGION, regions=False)  # names, not figures
def network(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every Red and MicroRed of the health network, once per region its facilities are in, with its parent."""
    return con.execute(
        "select * from core_network_territory order by region_code, territory_level desc, sort_order, name"
    ).df()


@declare(Scope.REGION, regions=False)
def regions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("select * from core_region order by sort_order").df()


@declare(Scope.REGION, regions=False)
def batches_summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Latest load per source: the 'datos al' provenance shown next to each figure."""
    return con.execute(
        "select source, max(finished_at) as loaded_at, count(*) as batches from etl_batch "
        "where status in ('loaded', 'partial') group by source"
    ).df()


@declare(Scope.REGION, regions=True)  # batch ids, no figures
def batches_visible(con: duckdb.DuckDBPyConnection, allowed: Allowed = None) -> pd.DataFrame:
    """The loaded batches (``batch_id``) whose files may be named to someone who sees only ``allowed``."""
    if allowed is None:
        return con.execute(
            "select batch_id from etl_batch where status in ('loaded', 'partial') order by batch_id"
        ).df()
    return _run(con, "batches_visible", allowed=_allowed(allowed))


check_sql_files(QUERIES)  # every .sql file beside this module is declared above
