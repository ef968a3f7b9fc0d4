"""The reads behind the pages' charts and marks (not tables, so not views): a region's trends, survey estimates and
stock; an indicator's history across regions; the year of the money-against-results chart; the data-quality
marks of a drill-down's facilities. Pages draw what these return."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from warehouse.catalogue_model import Indicator

from ..data import Warehouse
from ..state import Filters
from .indicators import published_regions

TREND_MONTHS = 24  # the region's monthly trends


def months_back(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.year * 12 + d.month - 1 - n, 12)
    return dt.date(y, m + 1, 1)


def region_series(
    wh: Warehouse, f: Filters, region: str, country: bool = True
) -> tuple[dt.date, pd.DataFrame, pd.DataFrame]:
    """(period, monthly series, survey series) of a region and the country — its trends and survey panels — or,
    with ``country=False``, of the region alone (the chain's sparklines: half the rows)."""
    inds = wh.snapshot.catalogue.indicators_for(program=f.program)
    period = wh.resolve_period(f.program, f.period)
    monthly = [i.code for i in inds if i.periodicity == "monthly"]
    annual = [i.code for i in inds if i.periodicity == "annual"]
    territories = [region, "PE"] if country else [region]
    # One read of both (the same table: a second query cost more than the months before the trend's window)
    both = wh.read("series", monthly + annual, territories, dt.date(2000, 1, 1), period)
    since = pd.Timestamp(months_back(period, TREND_MONTHS - 1))
    recent = both[both.indicator_code.isin(monthly) & (both.period >= since)].reset_index(drop=True)
    surveys = both[both.indicator_code.isin(annual)].reset_index(drop=True)
    return period, recent, surveys


def region_stock(wh: Warehouse, f: Filters, region: str) -> pd.DataFrame:
    """The stock summary of the program's critical inputs in a region at the period (the chain and the red list)."""
    inds = wh.snapshot.catalogue.indicators_for(program=f.program)
    period = wh.resolve_period(f.program, f.period)
    return wh.read("stock", [i.code for i in inds if i.feed == "stock"], [region], period)


def indicator_history(wh: Warehouse, f: Filters, ind: Indicator) -> pd.DataFrame:
    """An indicator's series for the country and the regions: three years of months, or every survey year."""
    period = wh.resolve_period(ind.program, f.period)
    start = dt.date(period.year - 3, period.month, 1) if ind.periodicity == "monthly" else dt.date(2000, 1, 1)
    return wh.read("series", [ind.code], ["PE", *published_regions(wh)], start, period)


def national_snapshot(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Every indicator of the program for the country at the period (the logical framework's lights)."""
    return wh.read("snapshot", f.program, ["PE"], wh.resolve_period(f.program, f.period))


def budget_year(wh: Warehouse, f: Filters, age_group: str) -> tuple[int, pd.DataFrame] | None:
    """The latest year up to the period's with budget, population and the final result for some region (the
    survey's year usually closes before the budget's)."""
    period = wh.resolve_period(f.program, f.period)
    for year in range(period.year, period.year - 4, -1):
        df = wh.read("budget_results", f.program, year, age_group)
        regional = df[df.territory_level == "region"]
        if regional.spent_per_child.notna().any() and regional.result_value.notna().any():
            return year, df
    return None


def quality_flags(wh: Warehouse, f: Filters, region: str, ind: Indicator) -> dict[str, list[str]]:
    """Facility → the data-quality reasons of its value of ``ind`` this month (the Calidad de datos rules), so
    that its light carries the mark."""
    if ind.feed != "admin":
        return {}
    period = wh.resolve_period(f.program, f.period)
    df = wh.read("quality_outliers", f.program, period, region, indicator=ind.code)
    return dict(zip(df.cod_ipress, (list(r) for r in df.reasons), strict=True))
