"""Named, parameterised reads of the warehouse: one function per view, each a thin wrapper over a .sql file in
``warehouse/queries/``. Pages, exports and the JSON endpoint all call these, so they can never disagree.

Each function is declared (:mod:`warehouse.access`): its scope (region level, below region, admin only) and
whether it filters by the asker's regions — those take ``allowed``, the region codes the caller may see (``None`` =
all), applied in the SQL, here, and nowhere else. A query or a .sql file that is not declared cannot run: this
module refuses to import with an undeclared .sql file beside it, and :func:`warehouse.named_queries.run` refuses an
undeclared name. The budget's and data quality's queries are in ``budget_queries`` and ``quality_queries``,
read from here all the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import duckdb
import pandas as pd

from .access import Scope, check_sql_files, declare, published

# The budget's and data quality's queries live in their own modules; callers read every query from here.
from .budget_queries import budget_change as budget_change
from .budget_queries import budget_cutoffs as budget_cutoffs
from .budget_queries import budget_months as budget_months
from .budget_queries import budget_products as budget_products
from .budget_queries import budget_region_products as budget_region_products
from .budget_queries import budget_regions as budget_regions
from .budget_queries import budget_results as budget_results
from .budget_queries import budget_units as budget_units
from .named_queries import QUERIES, Allowed
from .named_queries import region_list as _allowed
from .named_queries import run as _run
from .quality_queries import quality_batches as quality_batches
from .quality_queries import quality_completeness as quality_completeness
from .quality_queries import quality_missing as quality_missing
from .quality_queries import quality_outliers as quality_outliers
from .quality_queries import quality_quarantine as quality_quarantine
from .quality_queries import quality_triangulation as quality_triangulation
from .territory_levels import child_level as child_level
from .territory_levels import levels_of as _levels
from .territory_levels import statuses as statuses
from .territory_levels import subregional

# When the queries of several territories go below the region level (their declarations' ``when``).
BELOW_IF_TERRITORIES = {"when": lambda a: subregional(a["territories"])}


@published
@declare(Scope.BELOW_REGION, regions=True, **BELOW_IF_TERRITORIES)
def snapshot(
    con: duckdb.DuckDBPyConnection,
    program: str,
    territories: Iterable[str],
    period: dt.date,
    level: str | None = None,
    allowed: Allowed = None,
    indicator: str | None = None,
) -> pd.DataFrame:
    """Value, status and previous value of every indicator of ``program`` (optionally one chain level, or one
    ``indicator``) for the territories at ``period``; annual indicators at their latest year up to it."""
    territories = list(territories)
    levels = _levels(territories)
    monthly, annual = con.execute(
        "select coalesce(list(indicator_code) filter (where periodicity = 'monthly'), []), "
        "coalesce(list(indicator_code) filter (where periodicity = 'annual'), []) "
        "from core_indicator where program_code = ? and (?::varchar is null or indicator_code = ?)",
        [program, indicator, indicator],
    ).fetchone() or ([], [])
    return _run(
        con,
        "snapshot",
        program=program,
        level=level,
        indicator=indicator,
        territories=territories,
        levels=levels,
        statuses=statuses(levels),
        monthly=monthly,
        annual=annual,
        period=period,
        allowed=_allowed(allowed),
    )


@published
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
    levels = _levels(territories)
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
    within: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Drill-down one level below ``parent`` for one indicator, along the territory (region → provinces → districts
    → facilities) or the network (region → Reds → MicroRedes → facilities). ``region``: only that region's part of
    the parent (a Red may reach into another region's facilities). ``within``: instead, every facility whose
    parent is one of these (a province's districts, a Red's MicroRedes): the parent's whole facility list."""
    level = "eess" if within is not None else child_level(parent_level, tree)
    parents = list(within) if within is not None else [parent]
    if level == "eess":
        return children_facilities(con, indicator, parents, period, tree, region, allowed)
    return _run(
        con,
        "children",
        indicator=indicator,
        child_level=level,
        parents=parents,
        names="core_network_territory" if tree == "red" else "core_territory",
        period=period,
        region=region,
        allowed=_allowed(allowed),
    )


@declare(Scope.BELOW_REGION, regions=True)
def children_facilities(
    con: duckdb.DuckDBPyConnection,
    indicator: str,
    parents: Iterable[str],
    period: dt.date,
    tree: str = "territorio",
    region: str | None = None,
    allowed: Allowed = None,
) -> pd.DataFrame:
    """The facilities below some districts (``tree="red"``: MicroRedes, each facility under the MicroRed it belonged
    to that month) for one indicator: the last level of :func:`children`."""
    return _run(
        con,
        "children_facilities",
        indicator=indicator,
        parents=list(parents),
        values="mart_facility_network_value" if tree == "red" else "mart_facility_value",
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


@declare(Scope.REGION, regions=True)  # a word per indicator and region, no figures
def denominator_sources(
    con: duckdb.DuckDBPyConnection, indicators: Iterable[str], period: dt.date, allowed: Allowed = None
) -> pd.DataFrame:
    """Which denominator the figures computed from nominal records used, per indicator for the country and each
    region at ``period``: ``padron``, ``registros`` or ``padron+registros``; no row where no record says."""
    return _run(
        con, "denominator_sources", indicators=list(indicators), period=period, allowed=_allowed(allowed)
    )


@declare(Scope.REGION, regions=True)  # batch ids, no figures
def batches_visible(con: duckdb.DuckDBPyConnection, allowed: Allowed = None) -> pd.DataFrame:
    """The loaded batches (``batch_id``) whose files may be named to someone who sees only ``allowed``."""
    if allowed is None:
        return con.execute(
            "select batch_id from etl_batch where status in ('loaded', 'partial') order by batch_id"
        ).df()
    return _run(con, "batches_visible", allowed=_allowed(allowed))


check_sql_files(QUERIES)  # every .sql file beside this module is declared above
