"""The tables the app shows and exports, each declared once: what query fills it, which columns it has and how each
reads. A page's grid and the CSV, Excel and JSON downloads of it (and ``semaforo export``) all build their rows with
:func:`frame`, so a downloaded table always has exactly the rows on screen, in the same order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from warehouse import batch_status, query
from warehouse.catalogue_model import Text
from warehouse.rules import status
from warehouse.sources import MONTHLY_FEEDS

from . import format as fmt
from .data import Warehouse
from .drill import drill_table
from .i18n import level_name
from .state import Filters

KINDS = (
    "text", "code", "soles", "pct", "number", "count", "status", "month", "date", "datetime", "year", "bool", "batch"
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # column of the query's rows
    label: Text  # heading, es/en
    kind: str = "text"  # how it reads: KINDS
    screen: bool = True  # shown in the page's grid (every column is exported)
    help: Text | None = None  # what it means, for the export's list of columns


@dataclass(frozen=True, slots=True)
class Table:
    key: str  # its name in URLs: /export/<key>.csv
    title: Text
    columns: tuple[Column, ...]
    rows: Callable[[Warehouse, Filters, str | None], pd.DataFrame]  # the one query behind it
    sources: tuple[str, ...]  # the feeds its figures come from (provenance in the export's context sheet)
    names: Callable[[pd.DataFrame, Filters], pd.DataFrame] | None = None  # labels the query leaves to the app
    notes: Text | None = None  # how to read it (the page's hint; the export's context sheet)
    page: str = "/presupuesto"  # the page that shows it: the export's link back (budget tables need budget)
    admin_only: bool = False  # names files and values of every region: administrators only

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


# --- the budget page's period and territory --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BudgetScope:
    """What the Presupuesto page's filters mean for the budget: a fiscal year up to a month, and a territory."""

    program: str
    year: int
    month: int  # last month of the year with budget data, not after the period chosen
    territory: str  # 'PE' or a region code
    element: str | None  # a product of the logical framework, or None for the whole program

    @property
    def period(self) -> dt.date:
        return dt.date(self.year, self.month, 1)


def budget_scope(wh: Warehouse, f: Filters, region: str | None) -> BudgetScope | None:
    """The budget year and cut-off month for the filters: the period's year, up to the period's month (or the last
    month loaded); None when the program has no budget for that year."""
    cutoffs = wh.snapshot.budget_cutoffs.get(f.program) or {}
    if not cutoffs:
        return None
    if f.period:
        year = int(f.period[:4])
        limit = int(f.period[5:]) if len(f.period) == 7 else 12
    else:
        resolved = wh.resolve_period(f.program, None)
        year, limit = resolved.year, resolved.month
        if year not in cutoffs:
            year, limit = max(cutoffs), 12
    if year not in cutoffs:
        return None
    cat = wh.snapshot.catalogue
    product = f.product
    element = (
        product
        if product is not None and product in cat.elements and cat.elements[product].program == f.program
        else None
    )
    return BudgetScope(f.program, year, min(limit, cutoffs[year]), region or "PE", element)


def change_years(wh: Warehouse, f: Filters, scope: BudgetScope) -> tuple[int, int] | None:
    """(base year, last year) of the comparison across years: the last has budget and a survey result (the survey
    closes later than the budget), the base is the URL's 'desde' when it can be compared, else the first such year."""
    budget_years = set(wh.snapshot.budget_cutoffs.get(f.program) or {})
    finals = [i.code for i in wh.snapshot.catalogue.indicators_for(program=f.program, level="final_result")]
    result_years = set(wh.snapshot.result_years.get(f.program, [])) if finals else set()
    both = sorted(y for y in budget_years & result_years if y <= scope.year)
    if len(both) < 2:
        return None
    since = int(f.since) if f.since and int(f.since) in both[:-1] else both[0]
    return since, both[-1]


def effective(wh: Warehouse, f: Filters, region: str | None) -> Filters:
    """The filters as the budget tables apply them: an unknown product or a base year that cannot be compared is
    dropped, so the export's context and link never repeat a filter that did nothing."""
    scope = budget_scope(wh, f, region)
    if scope is None:
        return f.with_(product=None, since=None)
    years = change_years(wh, f, scope)
    since = f.since if years and f.since == str(years[0]) else None
    return f.with_(product=scope.element, since=since)


def _scope_or_empty(fn):
    def rows(wh: Warehouse, f: Filters, region: str | None) -> pd.DataFrame:
        scope = budget_scope(wh, f, region)
        return pd.DataFrame() if scope is None else fn(wh, f, scope)

    return rows


@_scope_or_empty
def _products(wh: Warehouse, f: Filters, s: BudgetScope) -> pd.DataFrame:
    return wh.query(query.budget_products, s.program, s.year, s.month, s.territory)


@_scope_or_empty
def _months(wh: Warehouse, f: Filters, s: BudgetScope) -> pd.DataFrame:
    return wh.query(query.budget_months, s.program, s.year, s.month, s.territory, s.element)


@_scope_or_empty
def _units(wh: Warehouse, f: Filters, s: BudgetScope) -> pd.DataFrame:
    return wh.query(query.budget_units, s.program, s.year, s.month, s.territory, s.element)


def _age_group(wh: Warehouse, program: str) -> str:
    prog = wh.snapshot.catalogue.programs.get(program)
    return prog.beneficiaries[0] if prog and prog.beneficiaries else "<5"


@_scope_or_empty
def _regions(wh: Warehouse, f: Filters, s: BudgetScope) -> pd.DataFrame:
    return wh.query(query.budget_regions, s.program, s.year, s.month, s.element, _age_group(wh, s.program))


@_scope_or_empty
def _change(wh: Warehouse, f: Filters, s: BudgetScope) -> pd.DataFrame:
    years = change_years(wh, f, s)
    if years is None:
        return pd.DataFrame()
    return wh.query(query.budget_change, s.program, *years, s.element, _age_group(wh, s.program))


def _product_names(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """The program total's row is named; the logical-framework product is in the page's language."""
    df = df.copy()
    total = df.product_code.isna()
    df.loc[total, "product_name"] = "Total del programa" if f.lang != "en" else "Program total"
    df["element"] = df.objective_en if f.lang == "en" else df.objective_es
    return df


def _unit_names(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    df = df.copy()
    none = "(sin unidad ejecutora en el archivo)" if f.lang != "en" else "(no executing unit in the file)"
    df["ejecutora_name"] = df.ejecutora_name.fillna(none)
    return df


T = Text
PIA = Column(
    "pia",
    T("PIA (S/)", "PIA (S/)"),
    "soles",
    help=T(
        "Presupuesto Institucional de Apertura: el aprobado al inicio del año.", "Initial approved budget."
    ),
)
PIM = Column(
    "pim",
    T("PIM (S/)", "PIM (S/)"),
    "soles",
    help=T(
        "Presupuesto Institucional Modificado: el vigente, con las modificaciones del año hasta el mes del corte.",
        "Modified budget: the one in force, with the year's changes up to the cut-off month.",
    ),
)
CERT = Column(
    "certificado",
    T("Certificado (S/)", "Certified (S/)"),
    "soles",
    help=T("Monto con certificación de crédito presupuestario (reservado).", "Amount certified (reserved)."),
)
COMP = Column(
    "comprometido_anual",
    T("Compromiso anual (S/)", "Annual commitment (S/)"),
    "soles",
    help=T(
        "Obligaciones comprometidas para el año (contratos, órdenes).", "Obligations committed for the year."
    ),
)
DEV = Column(
    "devengado",
    T("Devengado (S/)", "Accrued (S/)"),
    "soles",
    help=T(
        "Gasto reconocido (bien o servicio recibido), acumulado de enero al mes: la cifra de ejecución.",
        "Spending recognised (good or service received), January to the month: the execution figure.",
    ),
)
GIR = Column("girado", T("Girado (S/)", "Paid (S/)"), "soles", help=T("Monto pagado.", "Amount paid."))
EXEC = Column(
    "execution_pct",
    T("Avance (%)", "Execution (%)"),
    "pct",
    help=T("Devengado / PIM × 100.", "Accrued / PIM × 100."),
)
EXPECTED = Column(
    "expected_pct",
    T("Avance esperado (%)", "Expected (%)"),
    "pct",
    help=T(
        "Avance que la curva de ritmo espera al mes del corte (settings.yaml, budget_pace).",
        "Execution the pace curve expects by the cut-off month (settings.yaml, budget_pace).",
    ),
)
PACE = Column(
    "pace_status",
    T("Ritmo de ejecución", "Execution pace"),
    "status",
    help=T(
        "Semáforo del avance contra el esperado (ver la hoja Definiciones).",
        "Traffic light of execution against the expected pace (see the Definitions sheet).",
    ),
)
BATCH = Column(
    "budget_batch_id",
    T("Lote MEF", "MEF batch"),
    "batch",
    screen=False,
    help=T(
        "Carga del archivo del MEF de donde vienen los montos (hoja Lotes).",
        "Load of the MEF file (Batches sheet).",
    ),
)


@_scope_or_empty
def _network_coverage(wh: Warehouse, f: Filters, s: BudgetScope) -> pd.DataFrame:
    """On the network tree (?arbol=red), a region's coverage per Red of each product (or the product chosen) at
    the budget's month: the records' figure along the network, the same rows as the region page's drill-down.
    The budget itself is recorded by department and executing unit, never per Red."""
    if s.territory == "PE" or f.tree != "red":
        return pd.DataFrame()
    cat = wh.snapshot.catalogue
    elements = (
        [cat.elements[s.element]]
        if s.element
        else [e for e in cat.elements.values() if e.program == s.program and e.level == "product"]
    )
    frames = [
        wh.query(
            query.children, e.coverage, s.territory, "region", s.period, tree="red", region=s.territory
        ).assign(element=e.objective.get(f.lang), coverage_indicator=e.coverage)
        for e in elements
        if e.coverage
    ]
    frames = [df for df in frames if len(df)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


BUDGET_PRODUCTS = Table(
    "presupuesto-productos",
    T("Ejecución por producto", "Execution by product"),
    (
        Column("product_code", T("Código MEF", "MEF code"), "code"),
        Column("product_name", T("Producto presupuestal", "Budget product"), "text"),
        Column("element", T("Producto del marco lógico", "Logical-framework product"), "text", screen=False),
        PIA,
        PIM,
        CERT,
        COMP,
        Column(
            "comprometido",
            T("Atención de compromiso mensual (S/)", "Monthly commitment (S/)"),
            "soles",
            False,
        ),
        DEV,
        GIR,
        EXEC,
        EXPECTED,
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
        Column("beneficiaries", T("Población objetivo (padrón)", "Target population (register)"), "count"),
        Column("pim_per_beneficiary", T("PIM por beneficiario (S/)", "PIM per beneficiary (S/)"), "number"),
        Column(
            "devengado_per_beneficiary",
            T("Devengado por beneficiario (S/)", "Accrued per beneficiary (S/)"),
            "number",
        ),
        Column("bottleneck", T("Cuello de botella", "Bottleneck"), "bool"),
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

BUDGET_MONTHS = Table(
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
)

BUDGET_UNITS = Table(
    "presupuesto-unidades",
    T("Ejecución por unidad ejecutora", "Execution by executing unit"),
    (
        Column("sec_ejec", T("Sec. ejec.", "Exec. unit code"), "code"),
        Column("ejecutora_name", T("Unidad ejecutora", "Executing unit"), "text"),
        Column(
            "region_name",
            T("Sede de la unidad", "Unit's seat"),
            "text",
            help=T(
                "Región donde está la unidad ejecutora (puede gastar en otras: en la vista nacional se suman todas "
                "sus líneas; en una región, solo las que cuentan allí).",
                "Region where the executing unit sits (it may spend in others: nationally all its lines are summed; "
                "in a region, only those that count there).",
            ),
        ),
        PIM,
        CERT,
        DEV,
        GIR,
        EXEC,
        Column("pim_share_pct", T("Parte del PIM (%)", "Share of PIM (%)"), "pct"),
        PACE,
        replace(PIA, screen=False),
        replace(COMP, screen=False),
        replace(EXPECTED, screen=False),
        BATCH,
    ),
    _units,
    ("budget",),
    _unit_names,
)

BUDGET_REGIONS = Table(
    "presupuesto-regiones",
    T("Presupuesto, cobertura y resultado por región", "Budget, coverage and result by region"),
    (
        Column("territory_code", T("Código", "Code"), "code", screen=False),
        Column("name", T("Región", "Region"), "text"),
        PIM,
        DEV,
        EXEC,
        PACE,
        Column("children", T("Niñas y niños (padrón)", "Children (register)"), "count"),
        Column("pim_per_child", T("PIM por niño (S/)", "PIM per child (S/)"), "number"),
        Column("devengado_per_child", T("Devengado por niño (S/)", "Accrued per child (S/)"), "number"),
        Column("coverage_value", T("Cobertura del producto (%)", "Product coverage (%)"), "pct"),
        Column("coverage_status", T("Estado de la cobertura", "Coverage status"), "status"),
        Column("beneficiaries", T("Población objetivo", "Target population"), "count", screen=False),
        Column("pim_per_beneficiary", T("PIM por beneficiario (S/)", "PIM per beneficiary (S/)"), "number"),
        Column("result_indicator", T("Resultado final", "Final result"), "code", screen=False),
        Column("result_year", T("Año del resultado", "Result year"), "year"),
        Column("result_value", T("Resultado final (%)", "Final result (%)"), "pct"),
        Column("result_status", T("Estado del resultado", "Result status"), "status"),
        Column("expected_pct", EXPECTED.label, "pct", screen=False),
        BATCH,
    ),
    _regions,
    ("budget", "population", "admin", "survey"),
    notes=T(
        "PIM y devengado acumulados al mes del corte. Por niño: entre las niñas y niños de la población del "
        "programa en el Padrón Nominal del año; por beneficiario: entre la población objetivo del producto "
        "elegido. Resultado final: la última estimación de la ENDES hasta el año.",
        "PIM and accrued to the cut-off month. Per child: divided by the program's children in the year's nominal "
        "register; per beneficiary: by the chosen product's target population. Final result: the latest ENDES "
        "estimate up to the year.",
    ),
)

BUDGET_CHANGE = Table(
    "presupuesto-cambio",
    T("Dinero y resultados entre años", "Money and results across years"),
    (
        Column("territory_code", T("Código", "Code"), "code", screen=False),
        Column("name", T("Región", "Region"), "text"),
        Column("year_from", T("Año base", "Base year"), "year", screen=False),
        Column("year_to", T("Año final", "Final year"), "year", screen=False),
        Column(
            "pim_per_child_from", T("PIM por niño, año base (S/)", "PIM per child, base year (S/)"), "number"
        ),
        Column(
            "pim_per_child_to", T("PIM por niño, año final (S/)", "PIM per child, final year (S/)"), "number"
        ),
        Column(
            "pim_per_child_change",
            T("Cambio del PIM por niño (S/)", "Change in PIM per child (S/)"),
            "number",
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

TABLES: dict[str, Table] = {
    t.key: t for t in (BUDGET_PRODUCTS, BUDGET_MONTHS, BUDGET_UNITS, BUDGET_REGIONS, BUDGET_CHANGE)
}


def frame(table: Table, wh: Warehouse, f: Filters, arg: str | None) -> pd.DataFrame:
    """The table's rows with its columns (by key), labelled by the app where the query leaves it: what the grid
    shows and every download writes."""
    df = table.rows(wh, f, arg)
    if df.empty:
        return pd.DataFrame(columns=[c.key for c in table.columns])
    if table.names is not None:
        df = table.names(df, f)
    return df[[c.key for c in table.columns]].reset_index(drop=True)


def cell(value: Any, kind: str, lang: str, words: bool = True) -> object:  # a DataFrame cell: any scalar
    """One value as shown and exported: months as 'YYYY-MM', money to the cent, missing as None; statuses as their
    words, or as their codes for the grid (whose renderer draws the light)."""
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
    if kind == "soles":
        return round(float(value), 2)
    if kind in ("pct", "number"):
        return round(float(value), 3)
    return str(value)


def labelled(table: Table, df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The download of a frame: headings in the language, every cell as :func:`cell` writes it."""
    return pd.DataFrame(
        {c.label.get(lang): [cell(v, c.kind, lang) for v in df[c.key]] for c in table.columns}, dtype=object
    )


# --- Calidad de datos -----------------------------------------------------------------------------------------

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


def _completeness(wh: Warehouse, f: Filters, region: str | None) -> pd.DataFrame:
    start, end = quality_months(wh, f)
    parent, level = quality_scope(wh, f, region)
    return wh.query(
        query.quality_completeness,
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
    df = wh.query(query.quality_missing, f.program, period, region)
    return _in_province(df, wh, f, region)


def _outliers(wh: Warehouse, f: Filters, region: str | None) -> pd.DataFrame:
    period = wh.resolve_period(f.program, f.period)
    df = wh.query(query.quality_outliers, f.program, period, region)
    return _in_province(df, wh, f, region)


def _triangulation(wh: Warehouse, f: Filters, region: str | None) -> pd.DataFrame:
    df = wh.query(query.quality_triangulation, f.program)
    return df[df.territory_code == region] if region else df


def _whole(fn):
    def rows(wh: Warehouse, f: Filters, region: str | None) -> pd.DataFrame:
        return wh.query(fn) if wh.admin else pd.DataFrame()

    return rows


BATCH_STATUS = {status: T(*words) for status, words in batch_status.BATCH_STATUS.items()}


def _batch_words(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    df = df.copy()
    df["status"] = [BATCH_STATUS[x].get(f.lang) if x in BATCH_STATUS else x for x in df.status]
    return df


REASONS = {
    "atipico": T("lejos de su propia historia", "far from its own history"),
    "salto": T("salto brusco frente al mes anterior", "abrupt jump from the month before"),
    "denominador": T("denominador cambió más de lo plausible", "denominator changed implausibly"),
}


def _outlier_names(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    from . import context  # the catalogue of the warehouse served: short names keep the grid light

    indicators = context.warehouse().snapshot.catalogue.indicators
    df = df.copy()
    df["reasons_text"] = ["; ".join(REASONS[r].get(f.lang) for r in rs) for rs in df.reasons]
    df["indicator"] = [indicators[c].short.get(f.lang) if c in indicators else c for c in df.indicator_code]
    return df


QUALITY_COMPLETENESS = Table(
    "calidad-completitud",
    T("Completitud y oportunidad", "Completeness and timeliness"),
    (
        Column("territory_code", T("Código", "Code"), "code"),
        Column("name", T("Territorio", "Territory"), "text"),
        Column("period", T("Mes", "Month"), "month"),
        Column("expected", T("Reportes esperados", "Reports expected"), "count"),
        Column("reporting", T("Reportes recibidos", "Reports received"), "count"),
        Column("missing", T("Faltan", "Missing"), "count"),
        Column("completeness_pct", T("Completitud (%)", "Completeness (%)"), "pct"),
        Column("completeness_status", T("Estado de la completitud", "Completeness status"), "status"),
        Column(
            "received", T("Reportes en lotes cargados", "Reports in loaded batches"), "count", screen=False
        ),
        Column("on_time", T("A tiempo", "On time"), "count"),
        Column("timeliness_pct", T("Oportunidad (%)", "Timeliness (%)"), "pct"),
        Column("timeliness_status", T("Estado de la oportunidad", "Timeliness status"), "status"),
        Column("last_received", T("Último archivo recibido", "Last file received"), "date"),
    ),
    _completeness,
    MONTHLY_FEEDS,
    notes=T(
        "Un reporte es un indicador de una unidad (establecimiento, o distrito si la fuente reporta por distrito) "
        "en un mes. Se espera cuando la unidad lo reportó en los meses de la ventana (settings.yaml). A tiempo: "
        "su archivo se recibió dentro del plazo tras el cierre del mes (semaforo load --recibido).",
        "A report is one indicator of one unit (a facility, or a district where the source reports by district) in "
        "a month. It is expected when the unit reported it in the look-back window (settings.yaml). On time: its "
        "file was received within the deadline after the month closed (semaforo load --recibido).",
    ),
    page="/calidad",
)

QUALITY_MISSING = Table(
    "calidad-sin-reporte",
    T("Unidades que no reportaron", "Units that did not report"),
    (
        Column("region_name", T("Región", "Region"), "text"),
        Column("province_name", T("Provincia", "Province"), "text"),
        Column("district_name", T("Distrito", "District"), "text"),
        Column("microred_name", T("MicroRed", "MicroRed"), "text"),
        Column("cod_ipress", T("Código IPRESS", "IPRESS code"), "code"),
        Column("facility_name", T("Establecimiento", "Facility"), "text"),
        Column("indicators_missing", T("Indicadores que faltan", "Indicators missing"), "count"),
        Column("sources", T("De qué fuente", "From which source"), "code"),
        Column("indicators", T("Cuáles", "Which"), "text", screen=False),
        Column("last_reported", T("Último mes reportado", "Last month reported"), "month"),
        Column("ubigeo", T("Ubigeo", "Ubigeo"), "code", screen=False),
    ),
    _missing,
    MONTHLY_FEEDS,
    page="/calidad",
)

QUALITY_OUTLIERS = Table(
    "calidad-atipicos",
    T("Valores sospechosos", "Suspect values"),
    (
        Column("facility_name", T("Establecimiento", "Facility"), "text"),
        Column("cod_ipress", T("Código IPRESS", "IPRESS code"), "code"),
        Column("microred_name", T("MicroRed", "MicroRed"), "text"),
        Column("indicator", T("Indicador", "Indicator"), "text"),
        Column("reasons_text", T("Por qué", "Why"), "text"),
        Column("indicator_code", T("Código del indicador", "Indicator code"), "code", screen=False),
        Column("value", T("Valor", "Value"), "number"),
        Column("prev_value", T("Mes anterior", "Month before"), "number"),
        Column("history_median", T("Mediana de su historia", "Median of its history"), "number"),
        Column("modified_z", T("z modificado", "Modified z"), "number"),
        Column("denominator", T("Denominador", "Denominator"), "number"),
        Column("numerator", T("Numerador", "Numerator"), "number", screen=False),
        Column(
            "prev_denominator",
            T("Denominador del mes anterior", "Denominator the month before"),
            "number",
            screen=False,
        ),
        Column("region_code", T("Región", "Region"), "code", screen=False),
        Column("ubigeo", T("Ubigeo", "Ubigeo"), "code", screen=False),
        Column("period", T("Mes", "Month"), "month", screen=False),
        Column("batch_id", T("Lote", "Batch"), "batch", screen=False),
        Column("row_number", T("Fila en el archivo", "Row in the file"), "count", screen=False),
    ),
    _outliers,
    ("admin",),
    _outlier_names,
    T(
        "Valores de establecimientos listados con su motivo, nunca descartados: lejos de su propia historia (z "
        "modificado de Iglesias y Hoaglin con la mediana y la MAD de sus meses previos), salto brusco frente al "
        "mes anterior, o denominador que cambió más de lo plausible. Umbrales en settings.yaml (data_quality).",
        "Facility values listed with their reason, never dropped: far from its own history (Iglesias & Hoaglin "
        "modified z with the median and MAD of its previous months), abrupt jump from the month before, or a "
        "denominator that changed implausibly. Thresholds in settings.yaml (data_quality).",
    ),
    page="/calidad",
)

QUALITY_TRIANGULATION = Table(
    "calidad-triangulacion",
    T("Registros frente a la encuesta", "Records against the survey"),
    (
        Column("region_name", T("Región", "Region"), "text"),
        Column("year", T("Año", "Year"), "year"),
        Column("admin_indicator", T("Indicador de registros", "Records indicator"), "code"),
        Column("admin_value", T("Registros (%)", "Records (%)"), "pct"),
        Column("survey_indicator", T("Indicador ENDES", "ENDES indicator"), "code"),
        Column("survey_value", T("ENDES (%)", "ENDES (%)"), "pct"),
        Column("ci_low", T("IC 95 % inferior", "95% CI low"), "pct"),
        Column("ci_high", T("IC 95 % superior", "95% CI high"), "pct"),
        Column("gap", T("Diferencia (puntos)", "Gap (points)"), "number"),
        Column("outside_ci", T("Fuera del intervalo", "Outside the interval"), "bool"),
        Column("survey_referential", T("ENDES referencial", "ENDES referential"), "bool"),
        Column("admin_months", T("Meses de registros", "Months of records"), "count", screen=False),
        Column("territory_code", T("Código", "Code"), "code", screen=False),
    ),
    _triangulation,
    ("admin", "survey"),
    notes=T(
        "Cobertura de registros del año (suma de numeradores entre suma de denominadores de la región) frente a "
        "la estimación de la ENDES del mismo producto, región y año, con su intervalo de confianza al 95 %. Fuera "
        "del intervalo: la encuesta no es compatible con el registro.",
        "The year's records coverage (summed numerators over summed denominators of the region) against the ENDES "
        "estimate of the same product, region and year, with its 95% confidence interval. Outside the interval: "
        "the survey is not compatible with the records.",
    ),
    page="/calidad",
)

QUALITY_BATCHES = Table(
    "calidad-cargas",
    T("Historial de cargas", "Load history"),
    (
        Column("batch_id", T("Lote", "Batch"), "batch"),
        Column("source", T("Fuente", "Source"), "code"),
        Column("file_name", T("Archivo", "File"), "text"),
        Column("received_on", T("Recibido", "Received"), "date"),
        Column("finished_at", T("Cargado", "Loaded"), "datetime"),
        Column("status", T("Resultado", "Result"), "code"),
        Column("rows_read", T("Filas leídas", "Rows read"), "count"),
        Column("rows_loaded", T("Filas cargadas", "Rows loaded"), "count"),
        Column("rows_rejected", T("Filas rechazadas", "Rows rejected"), "count"),
        Column("scope", T("Alcance", "Scope"), "text"),
        Column("file_sha256", T("SHA-256", "SHA-256"), "code"),
        Column("file_bytes", T("Bytes", "Bytes"), "count", screen=False),
        Column("program_version", T("Versión", "Version"), "code", screen=False),
        Column("catalogue_version", T("Catálogo", "Catalogue"), "code", screen=False),
        Column("message", T("Avisos", "Warnings"), "text", screen=False),
    ),
    _whole(query.quality_batches),
    (),
    _batch_words,
    page="/calidad",
    admin_only=True,
)

QUALITY_QUARANTINE = Table(
    "calidad-cuarentena",
    T("Filas en cuarentena", "Quarantined rows"),
    (
        Column("batch_id", T("Lote", "Batch"), "batch"),
        Column("source", T("Fuente", "Source"), "code"),
        Column("file_name", T("Archivo", "File"), "text"),
        Column("sheet", T("Hoja", "Sheet"), "code"),
        Column("row_number", T("Fila", "Row"), "count"),
        Column("column_name", T("Columna", "Column"), "code"),
        Column("value", T("Valor", "Value"), "text"),
        Column("reason", T("Motivo", "Reason"), "text"),
        Column("loaded_at", T("Cargado", "Loaded"), "datetime", screen=False),
        Column("batch_status", T("Resultado del lote", "Batch result"), "code", screen=False),
    ),
    _whole(query.quality_quarantine),
    (),
    page="/calidad",
    admin_only=True,
)

TABLES |= {
    t.key: t
    for t in (
        QUALITY_COMPLETENESS,
        QUALITY_MISSING,
        QUALITY_OUTLIERS,
        QUALITY_TRIANGULATION,
        QUALITY_BATCHES,
        QUALITY_QUARANTINE,
    )
}


# --- the region page's drill-down -------------------------------------------------------------------------------


def _drill(wh: Warehouse, f: Filters, region: str | None) -> pd.DataFrame:
    """The rows of the region page's drill-down grid, along the URL's tree (the page's own query)."""
    if region is None:
        return pd.DataFrame()
    df = drill_table(wh, f, region)
    if df.empty:
        return df
    return df.assign(level_name=[level_name(x, f.lang) for x in df.territory_level])


REGION_DRILL = Table(
    "region-detalle",
    T("Detalle de la región por territorio o red", "Region detail by territory or health network"),
    (
        Column("level_name", T("Nivel", "Level"), "text"),
        Column("territory_level", T("Nivel (código)", "Level (code)"), "code", screen=False),
        Column("territory_code", T("Código", "Code"), "code"),
        Column("name", T("Nombre", "Name"), "text"),
        Column(
            "district_name",
            T("Distrito", "District"),
            "text",
            help=T("Distrito del establecimiento.", "The facility's district."),
        ),
        Column(
            "microred_name",
            T("MicroRed", "MicroRed"),
            "text",
            help=T("MicroRed del establecimiento en ese mes.", "The facility's MicroRed in that month."),
        ),
        Column("indicator_code", T("Indicador", "Indicator"), "code"),
        Column("period", T("Mes", "Month"), "month"),
        Column("value", T("Valor", "Value"), "number"),
        Column("numerator", T("Numerador", "Numerator"), "number"),
        Column("denominator", T("Denominador", "Denominator"), "number"),
        Column("status", T("Estado", "Status"), "status"),
        Column("units_reporting", T("Unidades que reportaron", "Units reporting"), "count"),
        Column("units_expected", T("Unidades esperadas", "Units expected"), "count"),
        Column("batch_id", T("Lote", "Batch"), "batch"),
    ),
    _drill,
    MONTHLY_FEEDS,
    notes=T(
        "Un nivel por debajo de lo elegido en la página (?arbol=territorio: provincias, distritos, "
        "establecimientos; ?arbol=red: redes, microredes, establecimientos). Una red puede abarcar varias "
        "provincias: solo se cuentan los establecimientos de esta región.",
        "One level below what the page has chosen (?arbol=territorio: provinces, districts, facilities; "
        "?arbol=red: Reds, MicroRedes, facilities). A Red may span provinces: only this region's facilities count.",
    ),
    page="/region",
)
TABLES[REGION_DRILL.key] = REGION_DRILL

BUDGET_NETWORK = Table(
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
    notes=T(
        "La cobertura de los registros de cada red de la región en el mes de corte del presupuesto (?arbol=red). "
        "El presupuesto se registra por departamento y unidad ejecutora, no por red: esta tabla no lo reparte.",
        "The records' coverage of each Red of the region at the budget's cut-off month (?arbol=red). Budget is "
        "recorded by department and executing unit, not by Red: this table does not split it.",
    ),
)
TABLES[BUDGET_NETWORK.key] = BUDGET_NETWORK
