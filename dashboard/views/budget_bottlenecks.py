"""The MEF analyst's view: every region × budget product, execution against the month's pace beside the coverage it
buys, bottlenecks ranked by execution gap × coverage gap (warehouse/queries/budget_region_products.sql) — so that
the worst few stand out instead of every product being flagged."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from ..data import Warehouse
from ..i18n import lang_of, words
from ..state import Filters
from .budget_columns import BATCH, DEV, EXEC, EXPECTED, PACE, PIM
from .budget_rows import budget_scope, effective, indicators, period, unavailable
from .model import Column, View


def _rows(wh: Warehouse, f: Filters, region: str | None) -> pd.DataFrame:
    s = budget_scope(wh, f, region)
    if s is None:
        return pd.DataFrame()
    df = wh.read("budget_region_products", s.program, s.year, s.month)
    if region:
        df = df[df.region_code == region]
    if s.element:
        df = df[df.element_code == s.element]
    return df.reset_index(drop=True)


def _names(wh: Warehouse, df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    names = wh.snapshot.names
    return df.assign(
        region=[names.get(c, c) for c in df.region_code], element=df[f"objective_{lang_of(f.lang)}"]
    )


BUDGET_BOTTLENECKS = View(
    "presupuesto-cuellos",
    words("presupuesto-cuellos.title"),
    (
        Column(
            "bottleneck_rank",
            words("presupuesto-cuellos.bottleneck_rank"),
            "count",
            help=words("presupuesto-cuellos.bottleneck_rank.help"),
        ),
        Column("region_code", words("presupuesto-cuellos.region_code"), "code", screen=False),
        Column("region", words("presupuesto-cuellos.region"), "text"),
        Column("product_code", words("presupuesto-cuellos.product_code"), "code", screen=False),
        Column("product_name", words("presupuesto-cuellos.product_name"), "text", screen=False),
        Column("element", words("presupuesto-cuellos.element"), "text"),
        replace(PIM, screen=False),
        replace(DEV, screen=False),
        EXEC,
        replace(EXPECTED, screen=False),
        PACE,
        Column("coverage_indicator", words("presupuesto-cuellos.coverage_indicator"), "code", screen=False),
        Column("coverage_period", words("presupuesto-cuellos.coverage_period"), "month", screen=False),
        Column("coverage_value", words("presupuesto-cuellos.coverage_value"), "pct"),
        Column("coverage_target", words("presupuesto-cuellos.coverage_target"), "pct", screen=False),
        Column("coverage_status", words("presupuesto-cuellos.coverage_status"), "status"),
        Column(
            "execution_gap",
            words("presupuesto-cuellos.execution_gap"),
            "number",
            screen=False,
            help=words("presupuesto-cuellos.execution_gap.help"),
        ),
        Column(
            "coverage_gap",
            words("presupuesto-cuellos.coverage_gap"),
            "number",
            screen=False,
            help=words("presupuesto-cuellos.coverage_gap.help"),
        ),
        Column(
            "bottleneck_score",
            words("presupuesto-cuellos.bottleneck_score"),
            "number",
            help=words("presupuesto-cuellos.bottleneck_score.help"),
        ),
        BATCH,
        Column("coverage_batch_id", words("presupuesto-cuellos.coverage_batch_id"), "batch", screen=False),
    ),
    _rows,
    ("budget", "admin"),
    _names,
    notes=words("presupuesto-cuellos.notes"),
    filters=("product",),
    unavailable=unavailable,
    effective=effective,
    period=period,
    indicators=indicators,
)
