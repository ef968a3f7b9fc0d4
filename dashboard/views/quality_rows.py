"""The quality views' rows: the months and the part of the tree the Calidad de datos page's filters mean, the
queries they feed, and the words the app gives the queries' codes."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from warehouse.catalogue_model import Text

from ..data import Warehouse
from ..i18n import section
from ..state import Filters

T = Text

QUALITY_MONTHS = 12  # the heat-map's months, up to the period


def quality_months(wh: Warehouse, f: Filters) -> tuple[dt.date, dt.date]:
    end = wh.resolve_period(f.program, f.period)
    y, m = divmod(end.year * 12 + end.month - 1 - (QUALITY_MONTHS - 1), 12)
    return dt.date(y, m + 1, 1), end


def quality_parent(wh: Warehouse, f: Filters, region: str | None) -> str:
    """Whose children the heat-map shows: the country's regions, a region's provinces (or its Reds, ?arbol=red),
    or — with a province (a Red) of that region in the URL — its districts (its MicroRedes)."""
    return quality_scope(wh, f, region)[0]


def quality_scope(wh: Warehouse, f: Filters, region: str | None) -> tuple[str, str]:
    """(parent, parent level) of the heat-map, along the URL's tree."""
    if region is None:
        return "PE", "pais"
    if f.tree == "red":
        red = f.red
        if red is not None and red in set(wh.snapshot.network_children(region, region).territory_code):
            return red, "red"
        return region, "region"
    if f.province and wh.snapshot.parents.get(f.province) == region:
        return f.province, "provincia"
    return region, "region"


def completeness_light(wh: Warehouse, pct: float | None) -> str | None:
    """A share of reports lit by the warehouse's one completeness rule (the SQL macro ``completeness_light``) with
    the catalogue's bounds (settings.yaml, data_quality): the page's own totals as the query's rows are lit."""
    if pct is None:
        return None
    q = wh.snapshot.catalogue.quality
    bounds = [pct, q["completeness_adequate_from"], q["completeness_at_risk_from"]]
    row = wh.cursor.execute("select completeness_light(?, ?, ?)", bounds).fetchone()
    return row[0] if row else None


def _completeness(wh: Warehouse, f: Filters, region: str | None) -> pd.DataFrame:
    start, end = quality_months(wh, f)
    parent, level = quality_scope(wh, f, region)
    return wh.read(
        "quality_completeness",
        f.program,
        parent,
        start,
        end,
        level,
        f.tree if region else "territorio",
        region,
    )


def _in_province(df: pd.DataFrame, wh: Warehouse, f: Filters, region: str | None) -> pd.DataFrame:
    """The rows of the province the page is on (?provincia=), or of the Red (?arbol=red&red=), when it is on one."""
    parent, level = quality_scope(wh, f, region)
    if level == "provincia":
        return df[df.ubigeo.str.startswith(parent)]
    if level == "red":
        return df[df.red_key == parent]
    return df


def _missing(wh: Warehouse, f: Filters, region: str | None) -> pd.DataFrame:
    period = wh.resolve_period(f.program, f.period)
    df = wh.read("quality_missing", f.program, period, region)
    return _in_province(df, wh, f, region)


def _outliers(wh: Warehouse, f: Filters, region: str | None) -> pd.DataFrame:
    period = wh.resolve_period(f.program, f.period)
    df = wh.read("quality_outliers", f.program, period, region)
    return _in_province(df, wh, f, region)


def _triangulation(wh: Warehouse, f: Filters, region: str | None) -> pd.DataFrame:
    df = wh.read("quality_triangulation", f.program)
    return df[df.territory_code == region] if region else df


def _whole(name: str):
    def rows(wh: Warehouse, f: Filters, region: str | None) -> pd.DataFrame:
        return wh.read(name) if wh.admin else pd.DataFrame()

    return rows


def _batch_words(wh: Warehouse, df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    df = df.copy()
    words = section("batch_status", f.lang)
    df["status"] = [words.get(x, x) for x in df.status]
    return df


def _outlier_names(wh: Warehouse, df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    indicators = wh.snapshot.catalogue.indicators  # short names keep the grid light
    df = df.copy()
    reasons = section("outlier_reason", f.lang)
    df["reasons_text"] = ["; ".join(reasons[r] for r in rs) for rs in df.reasons]
    df["indicator"] = [indicators[c].short.get(f.lang) if c in indicators else c for c in df.indicator_code]
    return df
