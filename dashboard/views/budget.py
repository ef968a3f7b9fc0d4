"""The Presupuesto page's views: execution by product, month, executing unit and region, money and results
across years, and the coverage per Red of the network tree."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from warehouse.catalogue_model import Text

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

T = Text


def _budget(*args: Any, **kw: Any) -> View:
    """A budget view: refused, filtered, dated and defined by the budget's rules (views.budget_rows)."""
    view = View(*args, **kw)
    return replace(view, unavailable=unavailable, effective=effective, period=period, indicators=indicators)


BUDGET_PRODUCTS = _budget(
    "presupuesto-productos",
    T("Ejecución por producto", "Execution by product"),
    (
        Column("product_code", T("Código MEF", "MEF code"), "code"),
        Column("product_name", T("Producto presupuestal", "Budget product"), "text"),
        Column("element", T("Producto del marco lógico", "Logical-framework product"), "text", screen=False),
        replace(PIA, screen=False),
        PIM,
        replace(CERT, screen=False),
        replace(COMP, screen=False),
        Column(
            "comprometido",
            T("Atención de compromiso mensual (S/)", "Monthly commitment (S/)"),
            "soles",
            False,
        ),
        DEV,
        replace(GIR, screen=False),
        EXEC,
        replace(EXPECTED, screen=False),
        PACE,
        Column("coverage_indicator", T("Indicador de cobertura", "Coverage indicator"), "code", screen=False),
        Column("coverage_period", T("Mes de la cobertura", "Coverage month"), "month", screen=False),
        Column("coverage_value", T("Cobertura (%)", "Coverage (%)"), "pct"),
        Column("coverage_target", T("Meta de cobertura (%)", "Coverage target (%)"), "pct", screen=False),
        Column("coverage_status", T("Estado de la cobertura", "Coverage status"), "status"),
        Column(
            "population_age_group",
            T("Edad de la población objetivo", "Target population's age"),
            "code",
            False,
        ),
        Column(
            "beneficiaries",
            T("Población objetivo (padrón)", "Target population (register)"),
            "count",
            screen=False,
        ),
        Column("pim_per_beneficiary", T("PIM por beneficiario (S/)", "PIM per beneficiary (S/)"), "soles"),
        Column(
            "devengado_per_beneficiary",
            T("Devengado por beneficiario (S/)", "Accrued per beneficiary (S/)"),
            "soles",
            screen=False,
        ),
        Column("bottleneck", T("Cuello de botella", "Bottleneck"), "bool", screen=False),
        BATCH,
        Column("coverage_batch_id", T("Lote de cobertura", "Coverage batch"), "batch", screen=False),
    ),
    _products,
    ("budget", "admin"),
    _product_names,
    T(
        "Montos del MEF acumulados de enero al mes del corte. Avance = devengado / PIM, contra el avance esperado "
        "del mes. Cobertura: el indicador de cobertura del producto del marco lógico, en el último mes del año "
        "con datos. Por beneficiario: PIM y devengado entre las niñas y niños de la población objetivo del "
        "producto en el Padrón Nominal del año (su grupo de edad, en el catálogo). Cuello de botella: ejecución por debajo del ritmo y cobertura por debajo de la meta. "
        "La última fila es el total del programa.",
        "MEF amounts from January to the cut-off month. Execution = accrued / PIM, against the month's expected "
        "pace. Coverage: the coverage indicator of the logical-framework product, at the year's latest month "
        "with data. Per beneficiary: PIM and accrued divided by the children of the product's target population "
        "in the year's nominal register (its age group, in the catalogue). Bottleneck: execution behind pace and coverage below target. The last row is "
        "the program total.",
    ),
)

BUDGET_MONTHS = _budget(
    "presupuesto-meses",
    T("Ejecución mes a mes (acumulada)", "Month by month (cumulative)"),
    (
        Column("period", T("Mes", "Month"), "month"),
        Column("devengado_month", T("Devengado del mes (S/)", "Accrued in the month (S/)"), "soles"),
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
    T("Ejecución por unidad ejecutora", "Execution by executing unit"),
    (
        Column("sec_ejec", T("Sec. ejec.", "Exec. unit code"), "code", screen=False),
        Column("ejecutora_name", T("Unidad ejecutora", "Executing unit"), "text"),
        Column(
            "region_name",
            T("Sede de la unidad", "Unit's seat"),
            "text",
            screen=False,
            help=T(
                "Región donde está la unidad ejecutora (puede gastar en otras: en la vista nacional se suman todas "
                "sus líneas; en una región, solo las que cuentan allí).",
                "Region where the executing unit sits (it may spend in others: nationally all its lines are summed; "
                "in a region, only those that count there).",
            ),
        ),
        PIM,
        replace(CERT, screen=False),
        DEV,
        replace(GIR, screen=False),
        EXEC,
        Column("pim_share_pct", T("Parte del PIM (%)", "Share of PIM (%)"), "pct", screen=False),
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
    T("Presupuesto, cobertura y resultado por región", "Budget, coverage and result by region"),
    (
        Column("territory_code", T("Código", "Code"), "code", screen=False),
        Column("name", T("Región", "Region"), "text"),
        PIM,
        DEV,
        EXEC,
        PACE,
        Column("children", T("Niñas y niños (padrón)", "Children (register)"), "count", screen=False),
        Column("pim_per_child", T("PIM por niño (S/)", "PIM per child (S/)"), "soles"),
        Column(
            "devengado_per_child",
            T("Devengado por niño (S/)", "Accrued per child (S/)"),
            "soles",
            screen=False,
        ),
        Column("coverage_value", T("Cobertura del producto (%)", "Product coverage (%)"), "pct"),
        Column("coverage_status", T("Estado de la cobertura", "Coverage status"), "status"),
        Column("beneficiaries", T("Población objetivo", "Target population"), "count", screen=False),
        Column(
            "pim_per_beneficiary",
            T("PIM por beneficiario (S/)", "PIM per beneficiary (S/)"),
            "soles",
            screen=False,
        ),
        Column("result_indicator", T("Resultado final", "Final result"), "code", screen=False),
        Column("result_year", T("Año del resultado", "Result year"), "year", screen=False),
        Column("result_value", T("Resultado final (%)", "Final result (%)"), "pct"),
        Column("result_status", T("Estado del resultado", "Result status"), "status"),
        Column("expected_pct", EXPECTED.label, "pct", screen=False),
        BATCH,
    ),
    _regions,
    ("budget", "population", "admin", "survey"),
    filters=("product",),
    notes=T(
        "PIM y devengado acumulados al mes del corte. Por niño: entre las niñas y niños de la población del "
        "programa en el Padrón Nominal del año; por beneficiario: entre la población objetivo del producto "
        "elegido. Resultado final: la última estimación de la ENDES hasta el año.",
        "PIM and accrued to the cut-off month. Per child: divided by the program's children in the year's nominal "
        "register; per beneficiary: by the chosen product's target population. Final result: the latest ENDES "
        "estimate up to the year.",
    ),
)

BUDGET_CHANGE = _budget(
    "presupuesto-cambio",
    T("Dinero y resultados entre años", "Money and results across years"),
    (
        Column("territory_code", T("Código", "Code"), "code", screen=False),
        Column("name", T("Región", "Region"), "text"),
        Column("year_from", T("Año base", "Base year"), "year", screen=False),
        Column("year_to", T("Año final", "Final year"), "year", screen=False),
        Column(
            "pim_per_child_from", T("PIM por niño, año base (S/)", "PIM per child, base year (S/)"), "soles"
        ),
        Column(
            "pim_per_child_to", T("PIM por niño, año final (S/)", "PIM per child, final year (S/)"), "soles"
        ),
        Column(
            "pim_per_child_change",
            T("Cambio del PIM por niño (S/)", "Change in PIM per child (S/)"),
            "soles",
        ),
        Column(
            "pim_per_child_change_pct", T("Cambio del PIM por niño (%)", "Change in PIM per child (%)"), "pct"
        ),
        Column("coverage_from", T("Cobertura, año base (%)", "Coverage, base year (%)"), "pct"),
        Column("coverage_to", T("Cobertura, año final (%)", "Coverage, final year (%)"), "pct"),
        Column("coverage_change", T("Cambio de cobertura (puntos)", "Change in coverage (points)"), "number"),
        Column("result_indicator", T("Resultado final", "Final result"), "code", screen=False),
        Column("result_from", T("Resultado, año base (%)", "Result, base year (%)"), "pct"),
        Column("result_to", T("Resultado, año final (%)", "Result, final year (%)"), "pct"),
        Column("result_change", T("Cambio del resultado (puntos)", "Change in result (points)"), "number"),
        Column("result_referential", T("Alguna estimación referencial", "Some estimate referential"), "bool"),
    ),
    _change,
    ("budget", "population", "admin", "survey"),
    filters=("product", "since"),
    notes=T(
        "PIM por niño: PIM del año del producto elegido entre las niñas y niños de su población objetivo en el "
        "Padrón Nominal (sin dato si no tiene, p. ej. gestantes), o del programa entre los de su población. "
        "Cobertura: último mes de cada año. Resultado: estimación "
        "de la ENDES de cada año; 'referencial' si alguna de las dos lo es. Una comparación, no una prueba de "
        "causalidad.",
        "PIM per child: the year's PIM of the chosen product divided by the children of its target population in "
        "the nominal register (none when it has none, e.g. pregnant women), or the program's by its population. "
        "Coverage: each year's latest month. Result: each year's ENDES "
        "estimate; 'referential' when either is. A comparison, not proof of causation.",
    ),
)


BUDGET_NETWORK = _budget(
    "presupuesto-cobertura-red",
    T("Cobertura por red de salud", "Coverage by health network (Red)"),
    (
        Column("element", T("Producto", "Product"), "text"),
        Column("coverage_indicator", T("Indicador de cobertura", "Coverage indicator"), "code"),
        Column("territory_code", T("Código de la red", "Red code"), "code"),
        Column("name", T("Red", "Red"), "text"),
        Column("period", T("Mes", "Month"), "month"),
        Column("value", T("Cobertura (%)", "Coverage (%)"), "pct"),
        Column("status", T("Estado", "Status"), "status"),
        Column("numerator", T("Numerador", "Numerator"), "number"),
        Column("denominator", T("Denominador", "Denominator"), "number"),
        Column("units_reporting", T("Unidades que reportaron", "Units reporting"), "count"),
        Column("units_expected", T("Unidades esperadas", "Units expected"), "count"),
        Column("batch_id", T("Lote", "Batch"), "batch"),
    ),
    _network_coverage,
    ("admin",),
    scope="below_region",
    filters=("tree", "product"),
    notes=T(
        "La cobertura de los registros de cada red de la región en el mes de corte del presupuesto (?arbol=red). "
        "El presupuesto se registra por departamento y unidad ejecutora, no por red: esta tabla no lo reparte.",
        "The records' coverage of each Red of the region at the budget's cut-off month (?arbol=red). Budget is "
        "recorded by department and executing unit, not by Red: this table does not split it.",
    ),
)
