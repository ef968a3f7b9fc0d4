"""The MEF analyst's view: every region × budget product, execution against the month's pace beside the coverage it
buys, bottlenecks ranked by execution gap × coverage gap (warehouse/queries/budget_region_products.sql) — so that
the worst few stand out instead of every product being flagged."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from warehouse.catalogue_model import Text

from ..data import Warehouse
from ..i18n import lang_of
from ..state import Filters
from .budget_columns import BATCH, DEV, EXEC, EXPECTED, PACE, PIM
from .budget_rows import budget_scope, effective, indicators, period, unavailable
from .model import Column, View

T = Text


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
    T("Cuellos de botella por región y producto", "Bottlenecks by region and product"),
    (
        Column(
            "bottleneck_rank",
            T("Puesto", "Rank"),
            "count",
            help=T(
                "Puesto del cuello de botella entre todas las regiones y productos (1 = el mayor): brecha de "
                "ejecución × brecha de cobertura. Vacío si el producto va al ritmo o cumple la meta.",
                "Rank of the bottleneck among every region and product (1 = the widest): execution gap × coverage "
                "gap. Empty when the product is on pace or meets its target.",
            ),
        ),
        Column("region_code", T("Código de la región", "Region code"), "code", screen=False),
        Column("region", T("Región", "Region"), "text"),
        Column("product_code", T("Código MEF", "MEF code"), "code", screen=False),
        Column("product_name", T("Producto presupuestal", "Budget product"), "text", screen=False),
        Column("element", T("Producto", "Product"), "text"),
        replace(PIM, screen=False),
        replace(DEV, screen=False),
        EXEC,
        replace(EXPECTED, screen=False),
        PACE,
        Column("coverage_indicator", T("Indicador de cobertura", "Coverage indicator"), "code", screen=False),
        Column("coverage_period", T("Mes de la cobertura", "Coverage month"), "month", screen=False),
        Column("coverage_value", T("Cobertura (%)", "Coverage (%)"), "pct"),
        Column("coverage_target", T("Meta de cobertura (%)", "Coverage target (%)"), "pct", screen=False),
        Column("coverage_status", T("Estado de la cobertura", "Coverage status"), "status"),
        Column(
            "execution_gap",
            T("Brecha de ejecución (puntos)", "Execution gap (points)"),
            "number",
            screen=False,
            help=T("Avance esperado − avance, si es positivo.", "Expected − execution, when positive."),
        ),
        Column(
            "coverage_gap",
            T("Brecha de cobertura (puntos)", "Coverage gap (points)"),
            "number",
            screen=False,
            help=T(
                "Meta − cobertura (o al revés si menos es mejor), si es positivo.",
                "Target − coverage (or the reverse when lower is better), when positive.",
            ),
        ),
        Column(
            "bottleneck_score",
            T("Brecha × brecha", "Gap × gap"),
            "number",
            help=T(
                "Brecha de ejecución × brecha de cobertura: el orden de los cuellos de botella.",
                "Execution gap × coverage gap: the order of the bottlenecks.",
            ),
        ),
        BATCH,
        Column("coverage_batch_id", T("Lote de cobertura", "Coverage batch"), "batch", screen=False),
    ),
    _rows,
    ("budget", "admin"),
    _names,
    notes=T(
        "Cada región y producto presupuestal con indicador de cobertura: avance (devengado / PIM, acumulado al mes "
        "del corte) contra el esperado del mes, y la cobertura del producto en la región (último mes del año con "
        "datos) contra su meta. Los cuellos de botella se ordenan por brecha de ejecución (puntos por debajo del "
        "avance esperado) × brecha de cobertura (puntos por debajo de la meta): 1 es el mayor; sin puesto si va al "
        "ritmo o cumple la meta. En una región, su puesto entre todas.",
        "Each region and budget product with a coverage indicator: execution (accrued / PIM, to the cut-off "
        "month) against the month's expected pace, and the product's coverage in the region (the year's latest "
        "month with data) against its target. Bottlenecks are ordered by execution gap (points behind the expected "
        "pace) × coverage gap (points below target): 1 is the widest; no rank when on pace or on target. In a "
        "region, its rank among all.",
    ),
    filters=("product",),
    unavailable=unavailable,
    effective=effective,
    period=period,
    indicators=indicators,
)
