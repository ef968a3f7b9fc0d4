"""The Presupuesto page's views: execution by product, month, executing unit and region, money and results
across years, and the coverage per Red of the network tree."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..i18n import words
from .budget_columns import BATCH, CERT, COMP, DEV, EXEC, EXPECTED, GIR, PACE, PIA, PIM
from .budget_rows import (
    _change,
    _months,
    _network_coverage,
    _product_names,
    _products,
    _regions,
    _unit_names,
    _units,
    effective,
    indicators,
    period,
    unavailable,
)
from .model import Column, View


def _budget(*args: Any, **kw: Any) -> View:
    """A budget view: refused, filtered, dated and defined by the budget's rules (views.budget_rows)."""
    view = View(*args, **kw)
    return replace(view, unavailable=unavailable, effective=effective, period=period, indicators=indicators)


BUDGET_PRODUCTS = _budget(
    "presupuesto-productos",
    words("presupuesto-productos.title"),
    (
        Column("product_code", words("presupuesto-productos.product_code"), "code"),
        Column("product_name", words("presupuesto-productos.product_name"), "text"),
        Column("element", words("presupuesto-productos.element"), "text", screen=False),
        replace(PIA, screen=False),
        PIM,
        replace(CERT, screen=False),
        replace(COMP, screen=False),
        Column(
            "comprometido",
            words("presupuesto-productos.comprometido"),
            "soles",
            False,
        ),
        DEV,
        replace(GIR, screen=False),
        EXEC,
        replace(EXPECTED, screen=False),
        PACE,
        Column("coverage_indicator", words("presupuesto-productos.coverage_indicator"), "code", screen=False),
        Column("coverage_period", words("presupuesto-productos.coverage_period"), "month", screen=False),
        Column("coverage_value", words("presupuesto-productos.coverage_value"), "pct"),
        Column("coverage_target", words("presupuesto-productos.coverage_target"), "pct", screen=False),
        Column("coverage_status", words("presupuesto-productos.coverage_status"), "status"),
        Column(
            "population_age_group",
            words("presupuesto-productos.population_age_group"),
            "code",
            False,
        ),
        Column(
            "beneficiaries",
            words("presupuesto-productos.beneficiaries"),
            "count",
            screen=False,
        ),
        Column("pim_per_beneficiary", words("presupuesto-productos.pim_per_beneficiary"), "soles"),
        Column(
            "devengado_per_beneficiary",
            words("presupuesto-productos.devengado_per_beneficiary"),
            "soles",
            screen=False,
        ),
        Column("bottleneck", words("presupuesto-productos.bottleneck"), "bool", screen=False),
        BATCH,
        Column("coverage_batch_id", words("presupuesto-productos.coverage_batch_id"), "batch", screen=False),
    ),
    _products,
    ("budget", "admin"),
    _product_names,
    words("presupuesto-productos.notes"),
)

BUDGET_MONTHS = _budget(
    "presupuesto-meses",
    words("presupuesto-meses.title"),
    (
        Column("period", words("presupuesto-meses.period"), "month"),
        Column("devengado_month", words("presupuesto-meses.devengado_month"), "soles"),
        replace(PIA, screen=False),
        PIM,
        replace(CERT, screen=False),
        replace(COMP, screen=False),
        DEV,
        replace(GIR, screen=False),
        EXEC,
        EXPECTED,
        PACE,
        BATCH,
    ),
    _months,
    ("budget",),
    filters=("product",),
)

BUDGET_UNITS = _budget(
    "presupuesto-unidades",
    words("presupuesto-unidades.title"),
    (
        Column("sec_ejec", words("presupuesto-unidades.sec_ejec"), "code", screen=False),
        Column("ejecutora_name", words("presupuesto-unidades.ejecutora_name"), "text"),
        Column(
            "region_name",
            words("presupuesto-unidades.region_name"),
            "text",
            screen=False,
            help=words("presupuesto-unidades.region_name.help"),
        ),
        PIM,
        replace(CERT, screen=False),
        DEV,
        replace(GIR, screen=False),
        EXEC,
        Column("pim_share_pct", words("presupuesto-unidades.pim_share_pct"), "pct", screen=False),
        PACE,
        replace(PIA, screen=False),
        replace(COMP, screen=False),
        replace(EXPECTED, screen=False),
        BATCH,
    ),
    _units,
    ("budget",),
    _unit_names,
    scope="below_region",  # executing units: hospitals, networks, municipalities
    filters=("product",),
)

BUDGET_REGIONS = _budget(
    "presupuesto-regiones",
    words("presupuesto-regiones.title"),
    (
        Column("territory_code", words("presupuesto-regiones.territory_code"), "code", screen=False),
        Column("name", words("presupuesto-regiones.name"), "text"),
        PIM,
        DEV,
        EXEC,
        PACE,
        Column("children", words("presupuesto-regiones.children"), "count", screen=False),
        Column("pim_per_child", words("presupuesto-regiones.pim_per_child"), "soles"),
        Column(
            "devengado_per_child",
            words("presupuesto-regiones.devengado_per_child"),
            "soles",
            screen=False,
        ),
        Column("coverage_value", words("presupuesto-regiones.coverage_value"), "pct"),
        Column("coverage_status", words("presupuesto-regiones.coverage_status"), "status"),
        Column("beneficiaries", words("presupuesto-regiones.beneficiaries"), "count", screen=False),
        Column(
            "pim_per_beneficiary",
            words("presupuesto-regiones.pim_per_beneficiary"),
            "soles",
            screen=False,
        ),
        Column("result_indicator", words("presupuesto-regiones.result_indicator"), "code", screen=False),
        Column("result_year", words("presupuesto-regiones.result_year"), "year", screen=False),
        Column("result_value", words("presupuesto-regiones.result_value"), "pct"),
        Column("result_status", words("presupuesto-regiones.result_status"), "status"),
        Column("expected_pct", EXPECTED.label, "pct", screen=False),
        BATCH,
    ),
    _regions,
    ("budget", "population", "admin", "survey"),
    filters=("product",),
    notes=words("presupuesto-regiones.notes"),
)

BUDGET_CHANGE = _budget(
    "presupuesto-cambio",
    words("presupuesto-cambio.title"),
    (
        Column("territory_code", words("presupuesto-cambio.territory_code"), "code", screen=False),
        Column("name", words("presupuesto-cambio.name"), "text"),
        Column("year_from", words("presupuesto-cambio.year_from"), "year", screen=False),
        Column("year_to", words("presupuesto-cambio.year_to"), "year", screen=False),
        Column("pim_per_child_from", words("presupuesto-cambio.pim_per_child_from"), "soles"),
        Column("pim_per_child_to", words("presupuesto-cambio.pim_per_child_to"), "soles"),
        Column(
            "pim_per_child_change",
            words("presupuesto-cambio.pim_per_child_change"),
            "soles",
        ),
        Column("pim_per_child_change_pct", words("presupuesto-cambio.pim_per_child_change_pct"), "pct"),
        Column("coverage_from", words("presupuesto-cambio.coverage_from"), "pct"),
        Column("coverage_to", words("presupuesto-cambio.coverage_to"), "pct"),
        Column("coverage_change", words("presupuesto-cambio.coverage_change"), "number"),
        Column("result_indicator", words("presupuesto-cambio.result_indicator"), "code", screen=False),
        Column("result_from", words("presupuesto-cambio.result_from"), "pct"),
        Column("result_to", words("presupuesto-cambio.result_to"), "pct"),
        Column("result_change", words("presupuesto-cambio.result_change"), "number"),
        Column("result_referential", words("presupuesto-cambio.result_referential"), "bool"),
    ),
    _change,
    ("budget", "population", "admin", "survey"),
    filters=("product", "since"),
    notes=words("presupuesto-cambio.notes"),
)


BUDGET_NETWORK = _budget(
    "presupuesto-cobertura-red",
    words("presupuesto-cobertura-red.title"),
    (
        Column("element", words("presupuesto-cobertura-red.element"), "text"),
        Column("coverage_indicator", words("presupuesto-cobertura-red.coverage_indicator"), "code"),
        Column("territory_code", words("presupuesto-cobertura-red.territory_code"), "code"),
        Column("name", words("presupuesto-cobertura-red.name"), "text"),
        Column("period", words("presupuesto-cobertura-red.period"), "month"),
        Column("value", words("presupuesto-cobertura-red.value"), "pct"),
        Column("status", words("presupuesto-cobertura-red.status"), "status"),
        Column("numerator", words("presupuesto-cobertura-red.numerator"), "number"),
        Column("denominator", words("presupuesto-cobertura-red.denominator"), "number"),
        Column("units_reporting", words("presupuesto-cobertura-red.units_reporting"), "count"),
        Column("units_expected", words("presupuesto-cobertura-red.units_expected"), "count"),
        Column("batch_id", words("presupuesto-cobertura-red.batch_id"), "batch"),
    ),
    _network_coverage,
    ("admin",),
    scope="below_region",
    filters=("tree", "product"),
    notes=words("presupuesto-cobertura-red.notes"),
)
