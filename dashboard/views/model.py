"""What a view is: one table a person can see or download, declared once — its query, its columns (es/en labels
and help, as data), its sources and who may see it. The page's grid, the CSV/Excel/JSON downloads, the JSON API
and ``semaforo export`` all build its rows with :func:`frame`, so a download always has exactly the rows on
screen, in the same order, and the screen's columns are a subset of the download's by construction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

import pandas as pd

from warehouse.catalogue_model import Text
from warehouse.rules import status

from .. import format as fmt
from ..data import Warehouse
from ..state import Filters

KINDS = (
    "text", "code", "soles", "pct", "number", "count", "status", "month", "date", "datetime", "year", "bool", "batch"
)  # fmt: skip

# Who may see a view: every figure at region level (the public too); figures below the region level (signed-in
# users, each within their regions); or the administrator's details (files and values of every region).
Scope = Literal["region", "below_region", "admin"]
# What the path's last segment names (/export/<view>/<arg>.csv): nothing, a region the user may see, an indicator.
Arg = Literal["none", "region", "indicator"]

Rows = Callable[[Warehouse, Filters, "str | None"], pd.DataFrame]


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # column of the query's rows
    label: Text  # heading, es/en
    kind: str = "text"  # how it reads: KINDS
    screen: bool = True  # shown in the page's grid (every column is exported)
    help: Text | None = None  # what it means, for the export's list of columns
    # Its machine name in CSV and JSON (stable for scripts: the indicator views' "territorio_codigo"…); default:
    # the label. Excel and the grid are headed by the label; the Columnas sheet gives both.
    name: Text | None = None

    def heading(self, lang: str) -> str:
        """The column's name in CSV and JSON."""
        return (self.name or self.label).get(lang)


@dataclass(frozen=True, slots=True)
class Period:
    """How a download names the time its rows are of: words for the context sheet, a stamp for the file name."""

    text: str
    stamp: str


@dataclass(frozen=True, slots=True)
class View:
    key: str  # its name in URLs: /export/<key>.csv, /api/<key>
    title: Text
    columns: tuple[Column, ...]
    rows: Rows  # the one query behind it (its parameters from the filters and the path's argument)
    sources: tuple[str, ...] = ()  # the feeds its figures come from; () = those of the indicators in its rows
    names: Callable[[Warehouse, pd.DataFrame, Filters], pd.DataFrame] | None = None  # labels left to the app
    notes: Text | None = None  # how to read it (the page's hint; the export's context sheet)
    page: str = "/presupuesto"  # the page that shows it: the export's link back
    scope: Scope = "region"
    arg: Arg = "region"  # the path's argument; "region" views answer for the country without one
    arg_required: bool = False
    # The view's own refusal of these filters (e.g. no budget loaded for the year), or None: see dashboard.access.
    unavailable: Callable[[Warehouse, Filters, str | None], str | None] | None = None
    # The filters its rows depend on besides program, period and language (dashboard.state.Filters attributes):
    # the export's context names only these, so it never claims a filter the rows did not follow.
    filters: tuple[str, ...] = ()
    # The filters as the view applies them (a filter that did nothing dropped from the export's context).
    effective: Callable[[Warehouse, Filters, str | None], Filters] | None = None
    period: Callable[[Warehouse, Filters, str | None], Period] | None = None  # default: the filters' month
    # The catalogue codes its figures involve (the export's Definitions sheet); default: the codes in its rows.
    indicators: Callable[[Warehouse, Filters, str | None, pd.DataFrame], list[str]] | None = None
    heading: Callable[[Warehouse, Filters, str | None], str] | None = None  # a title naming the argument
    file_name: Callable[[Warehouse, Filters, str | None, Period], str] | None = None

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def screen(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.screen)


def frame(view: View, wh: Warehouse, f: Filters, arg: str | None) -> pd.DataFrame:
    """The view's rows with its columns (by key), labelled by the app where the query leaves it: what the grid
    shows and every download writes."""
    df = view.rows(wh, f, arg)
    if df.empty:
        return pd.DataFrame(columns=[c.key for c in view.columns])
    if view.names is not None:
        df = view.names(wh, df, f)
    return df[[c.key for c in view.columns]].reset_index(drop=True)


# Decimals a number of each kind shows on screen (the grid's formatters) and in Excel; CSV keeps a few more (money
# to the cent, three decimals), JSON every one the warehouse holds.
DECIMALS = {"soles": 0, "pct": 1, "number": 1, "count": 0}


def on_screen(value: float, kind: str) -> float:
    """A number rounded as the grid shows it (DECIMALS), halves away from zero as people round (47.25 → 47.3),
    not to even as Python's round() does."""
    if kind not in DECIMALS:
        return value
    step = Decimal(1).scaleb(-DECIMALS[kind])
    return float(Decimal(repr(float(value))).quantize(step, ROUND_HALF_UP))


def cell(value: Any, kind: str, lang: str, words: bool = True, exact: bool = False) -> object:  # any scalar
    """One value as shown and exported: months as 'YYYY-MM', money to the cent, missing as None; statuses as their
    words, or as their codes for the grid (whose renderer draws the light); ``exact`` leaves numbers unrounded
    (the JSON)."""
    if value is None or (not isinstance(value, str | bool) and pd.isna(value)):
        return None
    if kind == "status":
        return status(str(value)).label.get(lang) if words else str(value)
    if kind == "month":
        return pd.Timestamp(value).strftime("%Y-%m")
    if kind == "date":
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if kind == "datetime":  # the ETL's local time, shown in Lima's as everywhere else
        return fmt.lima(value).strftime("%Y-%m-%d %H:%M:%S")
    if kind in ("year", "count", "batch"):
        return int(value)
    if kind == "bool":
        return bool(value)
    if kind in ("soles", "pct", "number") and exact:
        return float(value)
    if kind == "soles":
        return round(float(value), 2)
    if kind in ("pct", "number"):
        return round(float(value), 3)
    return str(value)


def labelled(view: View, df: pd.DataFrame, lang: str, exact: bool = False) -> pd.DataFrame:
    """The download of a frame: its columns' names in the language (:meth:`Column.heading`), every cell as
    :func:`cell` writes it."""
    return pd.DataFrame(
        {c.heading(lang): [cell(v, c.kind, lang, exact=exact) for v in df[c.key]] for c in view.columns},
        dtype=object,
    )
