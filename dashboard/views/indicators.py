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
    """The regions the current user may see whole (their pages, the figures below them), in the territory's
    order."""
    return [r for r in wh.snapshot.regions.region_code if wh.allowed is None or r in wh.allowed]


def published_regions(wh: Warehouse) -> list[str]:
    """The regions whose region-level (published) figures the current user sees — every region the server
    publishes, for a regional user as for the public —, in the territory's order."""
    return [r for r in wh.snapshot.regions.region_code if wh.server_allowed is None or r in wh.server_allowed]


def snapshot(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Every indicator of the program for the country and the regions at the period (published figures)."""
    period = wh.resolve_period(f.program, f.period)
    return wh.read("snapshot", f.program, ["PE", *published_regions(wh)], period)


def region_snapshot(wh: Warehouse, f: Filters, region: str) -> pd.DataFrame:
    """Every indicator of the program for one region at the period (the causal chain)."""
    return wh.read("snapshot", f.program, [region], wh.resolve_period(f.program, f.period))


def indicator_of(wh: Warehouse, code: str | None) -> Indicator | None:
    return wh.snapshot.catalogue.indicators.get(code or "")


def indicator_snapshot(wh: Warehouse, f: Filters, ind: Indicator) -> pd.DataFrame:
    """Country and regions for one indicator at the period: the ranking, the table and the export."""
    period = wh.resolve_period(ind.program, f.period)
    snap = wh.read("snapshot", ind.program, ["PE", *published_regions(wh)], period)
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


def _help(es: str, en: str) -> Text:
    return T(es, en)


COLUMNS = (
    Column("territory_code", T("territorio_codigo", "territory_code"), "code",
           help=_help("Código del territorio (PE = Perú; región INEI, LM/LR = Lima Metropolitana/Región).",
                      "Territory code (PE = Peru; INEI region, LM/LR = Lima Metropolitana/Region).")),
    Column("territory", T("territorio", "territory"), "text"),
    Column("indicator_code", T("indicador_codigo", "indicator_code"), "code",
           help=_help("Código del indicador en el catálogo (hoja Definiciones).",
                      "Indicator code in the catalogue (Definitions sheet).")),
    Column("indicator", T("indicador", "indicator"), "text"),
    Column("level", T("nivel", "level"), "text",
           help=_help("Nivel de la cadena causal: presupuesto, insumo, producto, resultado.",
                      "Level of the causal chain: budget, input, product, result.")),
    Column("period", T("periodo", "period"), "code",
           help=_help("Mes (AAAA-MM) de los registros, o año de la encuesta.",
                      "Month (YYYY-MM) of records, or survey year.")),
    Column("value", T("valor", "value"), "number",
           help=_help("Valor del indicador en su unidad.", "Indicator value in its unit.")),
    Column("unit", T("unidad", "unit"), "code"),
    Column("numerator", T("numerador", "numerator"), "number",
           help=_help("Numerador (registros: casos; presupuesto: devengado).",
                      "Numerator (records: cases; budget: accrued).")),
    Column("denominator", T("denominador", "denominator"), "number",
           help=_help("Denominador (registros: población objetivo; presupuesto: PIM).",
                      "Denominator (records: target population; budget: PIM).")),
    Column("ci_low", T("ic_inferior", "ci_low"), "number",
           help=_help("Límite inferior del intervalo de confianza al 95 % (encuesta).",
                      "Lower bound of the 95% CI (survey).")),
    Column("ci_high", T("ic_superior", "ci_high"), "number",
           help=_help("Límite superior del intervalo de confianza al 95 % (encuesta).",
                      "Upper bound of the 95% CI (survey).")),
    Column("cv", T("cv", "cv"), "number",
           help=_help("Coeficiente de variación de la estimación (%); alto = referencial.",
                      "Coefficient of variation of the estimate (%); high = referential.")),
    Column("target", T("meta", "target"), "number",
           help=_help("Meta de la región y año (o nacional, o la del catálogo).",
                      "Target of the region and year (or national, or the catalogue's).")),
    Column("status", T("estado", "status"), "status",
           help=_help("Semáforo (hoja Estados).", "Traffic light (Statuses sheet).")),
    Column("referential", T("referencial", "referential"), "bool",
           help=_help("La encuesta marca la estimación como referencial.",
                      "The survey marks the estimate as referential.")),
    Column("prev_value", T("valor_anterior", "previous_value"), "number",
           help=_help("Valor del periodo anterior (mes o año), para la tendencia.",
                      "Value of the previous period, for the trend.")),
    Column("prev_period", T("periodo_anterior", "previous_period"), "code",
           help=_help("Periodo anterior.", "Previous period.")),
    Column("source", T("fuente", "source"), "code",
           help=_help("Fuente del dato (hoja Definiciones).", "Source of the figure (Definitions sheet).")),
    Column("batch", T("lote", "batch"), "batch",
           help=_help("Lote de carga del que viene el valor (hoja Lotes).",
                      "Load batch the value comes from (Batches sheet).")),
)  # fmt: skip


def _indicator_period(wh: Warehouse, f: Filters, code: str | None) -> Period:
    """The month of the indicator's own program (the page may be opened with another program's filters)."""
    ind = indicator_of(wh, code)
    d = wh.resolve_period(ind.program if ind else f.program, f.period)
    return Period(fmt.month(d, lang_of(f.lang)), f"{d:%Y-%m}")


def _no_indicator(wh: Warehouse, f: Filters, arg: str | None) -> str | None:
    return None if indicator_of(wh, arg) else f"No hay un indicador «{arg}» en el catálogo"


RESUMEN = View(
    "resumen",
    T("Indicadores por región", "Indicators by region"),
    COLUMNS,
    lambda wh, f, _arg: _labelled(wh, f, snapshot(wh, f)),
    page="/",
    arg="none",
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
