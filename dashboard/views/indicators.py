"""The indicator views: every indicator of the program for the country and the regions (the Resumen page's
scorecard, map and KPIs), for one region (the Región page's causal chain) and one indicator across regions (the
Indicador page). Their queries live here, not in the pages: the pages draw what these return."""

from __future__ import annotations

import pandas as pd

from warehouse.catalogue_model import Indicator, Text
from warehouse.rules import status

from .. import format as fmt
from ..data import Warehouse
from ..i18n import lang_of, level_name
from ..state import Filters
from .model import Column, Period, View

T = Text


def allowed_regions(wh: Warehouse) -> list[str]:
    """The regions the current user may see, in the territory's order."""
    return [r for r in wh.snapshot.regions.region_code if wh.allowed is None or r in wh.allowed]


def snapshot(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Every indicator of the program for the country and the regions at the period."""
    period = wh.resolve_period(f.program, f.period)
    return wh.read("snapshot", f.program, ["PE", *allowed_regions(wh)], period)


def region_snapshot(wh: Warehouse, f: Filters, region: str) -> pd.DataFrame:
    """Every indicator of the program for one region at the period (the causal chain)."""
    return wh.read("snapshot", f.program, [region], wh.resolve_period(f.program, f.period))


def indicator_of(wh: Warehouse, code: str | None) -> Indicator | None:
    return wh.snapshot.catalogue.indicators.get(code or "")


def indicator_snapshot(wh: Warehouse, f: Filters, ind: Indicator) -> pd.DataFrame:
    """Country and regions for one indicator at the period: the ranking, the table and the export."""
    period = wh.resolve_period(ind.program, f.period)
    snap = wh.read("snapshot", ind.program, ["PE", *allowed_regions(wh)], period)
    return snap[snap.indicator_code == ind.code].reset_index(drop=True)


def _period(value: object, grain: str) -> str | None:
    if value is None or pd.isna(value):
        return None
    d = pd.Timestamp(value).date()
    return str(d.year) if grain == "A" else d.strftime("%Y-%m")


def _labelled(wh: Warehouse, f: Filters, snap: pd.DataFrame) -> pd.DataFrame:
    """The snapshot's rows named with the catalogue, one per territory × indicator."""
    if snap.empty:
        return snap
    cat, names = wh.snapshot.catalogue, wh.snapshot.names
    lang = lang_of(f.lang)
    df = snap.sort_values(["territory_code", "indicator_code"]).reset_index(drop=True)
    inds = [cat.indicators[c] for c in df.indicator_code]
    return df.assign(
        territory=[names.get(c, c) for c in df.territory_code],
        indicator=[i.name.get(lang) for i in inds],
        level=[level_name(i.level, lang) for i in inds],
        period=[_period(p, g) for p, g in zip(df.period, df.period_grain, strict=True)],
        unit=[i.unit for i in inds],
        numerator=df.numerator.round(2),
        denominator=df.denominator.round(2),
        status=[status(s).code for s in df.status],
        referential=df.is_referential.astype(bool),
        prev_period=[_period(p, g) for p, g in zip(df.prev_period, df.period_grain, strict=True)],
        source=[i.source.code for i in inds],
        batch=df.batch_id,
    )


def _col(
    key: str, label: Text, name: Text, kind: str, help: Text | None = None, screen: bool = False
) -> Column:
    return Column(key, label, kind, screen=screen, help=help, name=name)


# Headed by their labels on screen and in Excel; the CSV and JSON keep the names scripts read (territorio_codigo…).
# On screen (the Indicador page's grid): the region, period, value, interval, CV, target, light, previous value.
COLUMNS = (
    _col("territory_code", T("Código del territorio", "Territory code"), T("territorio_codigo", "territory_code"),
         "code", T("Código del territorio (PE = Perú; región INEI, LM/LR = Lima Metropolitana/Región).",
                   "Territory code (PE = Peru; INEI region, LM/LR = Lima Metropolitana/Region).")),
    _col("territory", T("Región", "Region"), T("territorio", "territory"), "text", screen=True),
    _col("indicator_code", T("Código del indicador", "Indicator code"), T("indicador_codigo", "indicator_code"),
         "code", T("Código del indicador en el catálogo (hoja Definiciones).",
                   "Indicator code in the catalogue (Definitions sheet).")),
    _col("indicator", T("Indicador", "Indicator"), T("indicador", "indicator"), "text"),
    _col("level", T("Nivel", "Level"), T("nivel", "level"), "text",
         T("Nivel de la cadena causal: presupuesto, insumo, producto, resultado.",
           "Level of the causal chain: budget, input, product, result.")),
    _col("period", T("Periodo", "Period"), T("periodo", "period"), "code",
         T("Mes (AAAA-MM) de los registros, o año de la encuesta.", "Month (YYYY-MM) of records, or survey year."),
         screen=True),
    _col("value", T("Valor", "Value"), T("valor", "value"), "number",
         T("Valor del indicador en su unidad.", "Indicator value in its unit."), screen=True),
    _col("unit", T("Unidad", "Unit"), T("unidad", "unit"), "code"),
    _col("numerator", T("Numerador", "Numerator"), T("numerador", "numerator"), "number",
         T("Numerador (registros: casos; presupuesto: devengado).", "Numerator (records: cases; budget: accrued).")),
    _col("denominator", T("Denominador", "Denominator"), T("denominador", "denominator"), "number",
         T("Denominador (registros: población objetivo; presupuesto: PIM).",
           "Denominator (records: target population; budget: PIM).")),
    _col("ci_low", T("IC 95 % inferior", "95% CI low"), T("ic_inferior", "ci_low"), "number",
         T("Límite inferior del intervalo de confianza al 95 % (encuesta).", "Lower bound of the 95% CI (survey)."),
         screen=True),
    _col("ci_high", T("IC 95 % superior", "95% CI high"), T("ic_superior", "ci_high"), "number",
         T("Límite superior del intervalo de confianza al 95 % (encuesta).", "Upper bound of the 95% CI (survey)."),
         screen=True),
    _col("cv", T("CV (%)", "CV (%)"), T("cv", "cv"), "number",
         T("Coeficiente de variación de la estimación (%); alto = referencial.",
           "Coefficient of variation of the estimate (%); high = referential."), screen=True),
    _col("target", T("Meta", "Target"), T("meta", "target"), "number",
         T("Meta de la región y año (o nacional, o la del catálogo).",
           "Target of the region and year (or national, or the catalogue's)."), screen=True),
    _col("status", T("Estado", "Status"), T("estado", "status"), "status",
         T("Semáforo (hoja Estados).", "Traffic light (Statuses sheet)."), screen=True),
    _col("referential", T("Referencial", "Referential"), T("referencial", "referential"), "bool",
         T("La encuesta marca la estimación como referencial.", "The survey marks the estimate as referential.")),
    _col("prev_value", T("Anterior", "Previous"), T("valor_anterior", "previous_value"), "number",
         T("Valor del periodo anterior (mes o año), para la tendencia.",
           "Value of the previous period, for the trend."), screen=True),
    _col("prev_period", T("Periodo anterior", "Previous period"), T("periodo_anterior", "previous_period"), "code",
         T("Periodo anterior.", "Previous period.")),
    _col("source", T("Fuente", "Source"), T("fuente", "source"), "code",
         T("Fuente del dato (hoja Definiciones).", "Source of the figure (Definitions sheet).")),
    _col("batch", T("Lote", "Batch"), T("lote", "batch"), "batch",
         T("Lote de carga del que viene el valor (hoja Lotes).", "Load batch the value comes from (Batches sheet).")),
)  # fmt: skip


def _indicator_period(wh: Warehouse, f: Filters, code: str | None) -> Period:
    """The month of the indicator's own program (the page may be opened with another program's filters)."""
    ind = indicator_of(wh, code)
    d = wh.resolve_period(ind.program if ind else f.program, f.period)
    return Period(fmt.month(d, lang_of(f.lang)), f"{d:%Y-%m}")


def _no_indicator(wh: Warehouse, f: Filters, arg: str | None) -> str | None:
    return None if indicator_of(wh, arg) else f"No hay un indicador «{arg}» en el catálogo"


def _at_level(wh: Warehouse, f: Filters, snap: pd.DataFrame) -> pd.DataFrame:
    """The rows of the chain level the scorecard is filtered to (?nivel=), or every level."""
    if f.level is None or snap.empty:
        return snap
    codes = {i.code for i in wh.snapshot.catalogue.indicators_for(program=f.program, level=f.level)}
    return snap[snap.indicator_code.isin(codes)]


RESUMEN = View(
    "resumen",
    T("Indicadores por región", "Indicators by region"),
    COLUMNS,
    lambda wh, f, _arg: _labelled(wh, f, _at_level(wh, f, snapshot(wh, f))),
    page="/",
    arg="none",
    filters=("level",),
    file_name=lambda wh, f, _arg, p: f"semaforo_{f.program}_{p.stamp}",
)

REGION = View(
    "region",
    T("Indicadores de la región", "Indicators of the region"),
    COLUMNS,
    lambda wh, f, region: _labelled(wh, f, region_snapshot(wh, f, region or "")),
    page="/region",
    arg_required=True,
    heading=lambda wh, f, region: wh.snapshot.names.get(region or "", region or ""),
    file_name=lambda wh, f, region, p: f"semaforo_{f.program}_{region}_{p.stamp}",
)

INDICATOR = View(
    "indicador",
    T("Indicador por región", "Indicator by region"),
    COLUMNS,
    lambda wh, f, code: _labelled(wh, f, indicator_snapshot(wh, f, indicator_of(wh, code))),  # type: ignore[arg-type]
    page="/indicador",
    arg="indicator",
    arg_required=True,
    unavailable=_no_indicator,
    period=_indicator_period,
    heading=lambda wh, f, code: ind.short.get(f.lang) if (ind := indicator_of(wh, code)) else code or "",
    file_name=lambda wh, f, code, p: f"semaforo_{code}_{p.stamp}",
)
