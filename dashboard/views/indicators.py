"""The indicator views: every indicator of the program for the country and the regions (the Resumen page's
scorecard, map and KPIs), for one region (the Región page's causal chain) and one indicator across regions (the
Indicador page). Their queries live here, not in the pages: the pages draw what these return."""

from __future__ import annotations

from collections.abc import Callable, Collection

import pandas as pd

from warehouse.catalogue_model import Indicator, Text
from warehouse.rules import status

from .. import format as fmt
from ..data import Warehouse
from ..i18n import lang_of, level_name, section, words
from ..rows import tuples
from ..state import Filters
from .model import Column, Period, View


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
    # its own rows only: the whole program's snapshot is forty times the rows (each a status to read)
    return wh.read("snapshot", ind.program, ["PE", *published_regions(wh)], period, indicator=ind.code)


def _period(value: object, grain: str) -> str | None:
    if value is None or pd.isna(value):
        return None
    d = pd.Timestamp(value).date()
    return str(d.year) if grain == "A" else d.strftime("%Y-%m")


def _labelled(
    wh: Warehouse, f: Filters, snap: pd.DataFrame, keys: Collection[str] | None = None
) -> pd.DataFrame:
    """The snapshot's rows named with the catalogue, one per territory × indicator; ``keys``: only these of the
    named columns (the screen's: the denominators' sources, which no page's grid shows, read the month's raw
    facts), each as the downloads have it."""
    if snap.empty:
        return snap
    cat, names = wh.snapshot.catalogue, wh.snapshot.names
    lang = lang_of(f.lang)
    # By territory, then indicator (the codes compared as Python compares them: as pandas sorts them, for less)
    codes, where = snap.indicator_code.tolist(), snap.territory_code.tolist()
    df = snap.take(sorted(range(len(snap)), key=lambda k: (where[k], codes[k]))).reset_index(drop=True)
    inds = [cat.indicators[c] for c in df.indicator_code]

    def denominator_sources() -> list[str | None]:
        said = wh.read("denominator_sources", sorted(set(df.indicator_code)), df.period.max())
        denominators = section("denominator_source", lang)
        source_of = {(i, t): denominators.get(d, d) for i, t, d in tuples(said)}
        return [source_of.get((i, t)) for i, t in zip(df.indicator_code, df.territory_code, strict=True)]

    columns: dict[str, Callable[[], object]] = {
        "territory": lambda: [names.get(c, c) for c in df.territory_code],
        "indicator": lambda: [i.name.get(lang) for i in inds],
        "level": lambda: [level_name(i.level, lang) for i in inds],
        "period": lambda: [_period(p, g) for p, g in zip(df.period, df.period_grain, strict=True)],
        "unit": lambda: [i.unit for i in inds],
        "numerator": lambda: df.numerator.round(2),
        "denominator": lambda: df.denominator.round(2),
        "status": lambda: [status(s).code for s in df.status],
        "referential": lambda: df.is_referential.astype(bool),
        "prev_period": lambda: [_period(p, g) for p, g in zip(df.prev_period, df.period_grain, strict=True)],
        "source": lambda: [i.source.code for i in inds],
        "batch": lambda: df.batch_id,
        "denominator_source": denominator_sources,
    }
    return df.assign(**{k: column() for k, column in columns.items() if keys is None or k in keys})


def indicator_screen(wh: Warehouse, f: Filters, ind: Indicator) -> pd.DataFrame:
    """The rows of the view ``indicador`` as its grid shows them: its screen's columns (and the territory's code,
    which pins the country's row), each as in its downloads."""
    keys = ["territory_code", *(c.key for c in COLUMNS if c.screen)]
    df = _labelled(wh, f, indicator_snapshot(wh, f, ind), keys)
    return df[keys] if len(df) else pd.DataFrame(columns=keys)


def _col(
    key: str, label: Text, name: Text, kind: str, help: Text | None = None, screen: bool = False
) -> Column:
    return Column(key, label, kind, screen=screen, help=help, name=name)


# Headed by their labels on screen and in Excel; the CSV and JSON keep the names scripts read (territorio_codigo…).
# On screen (the Indicador page's grid): the region, period, value, interval, CV, target, light, previous value.
COLUMNS = (
    _col("territory_code", words("indicators.territory_code"), words("indicators.territory_code.name"),
         "code", words("indicators.territory_code.help")),
    _col("territory", words("indicators.territory"), words("indicators.territory.name"), "text", screen=True),
    _col("indicator_code", words("indicators.indicator_code"), words("indicators.indicator_code.name"),
         "code", words("indicators.indicator_code.help")),
    _col("indicator", words("indicators.indicator"), words("indicators.indicator.name"), "text"),
    _col("level", words("indicators.level"), words("indicators.level.name"), "text",
         words("indicators.level.help")),
    _col("period", words("indicators.period"), words("indicators.period.name"), "code",
         words("indicators.period.help"),
         screen=True),
    _col("value", words("indicators.value"), words("indicators.value.name"), "number",
         words("indicators.value.help"), screen=True),
    _col("unit", words("indicators.unit"), words("indicators.unit.name"), "code"),
    _col("numerator", words("indicators.numerator"), words("indicators.numerator.name"), "number",
         words("indicators.numerator.help")),
    _col("denominator", words("indicators.denominator"), words("indicators.denominator.name"), "number",
         words("indicators.denominator.help")),
    _col("ci_low", words("indicators.ci_low"), words("indicators.ci_low.name"), "number",
         words("indicators.ci_low.help"),
         screen=True),
    _col("ci_high", words("indicators.ci_high"), words("indicators.ci_high.name"), "number",
         words("indicators.ci_high.help"),
         screen=True),
    _col("cv", words("indicators.cv"), words("indicators.cv.name"), "number",
         words("indicators.cv.help"), screen=True),
    _col("target", words("indicators.target"), words("indicators.target.name"), "number",
         words("indicators.target.help"), screen=True),
    _col("status", words("indicators.status"), words("indicators.status.name"), "status",
         words("indicators.status.help"), screen=True),
    _col("referential", words("indicators.referential"), words("indicators.referential.name"), "bool",
         words("indicators.referential.help")),
    _col("prev_value", words("indicators.prev_value"), words("indicators.prev_value.name"), "number",
         words("indicators.prev_value.help"), screen=True),
    _col("prev_period", words("indicators.prev_period"), words("indicators.prev_period.name"), "code",
         words("indicators.prev_period.help")),
    _col("source", words("indicators.source"), words("indicators.source.name"), "code",
         words("indicators.source.help")),
    _col("denominator_source", words("indicators.denominator_source"),
         words("indicators.denominator_source.name"), "text", words("indicators.denominator_source.help")),
    _col("batch", words("indicators.batch"), words("indicators.batch.name"), "batch",
         words("indicators.batch.help")),
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
    words("resumen.title"),
    COLUMNS,
    lambda wh, f, _arg: _labelled(wh, f, _at_level(wh, f, snapshot(wh, f))),
    page="/",
    arg="none",
    filters=("level",),
    file_name=lambda wh, f, _arg, p: f"semaforo_{f.program}_{p.stamp}",
)

REGION = View(
    "region",
    words("region.title"),
    COLUMNS,
    lambda wh, f, region: _labelled(wh, f, region_snapshot(wh, f, region or "")),
    page="/region",
    arg_required=True,
    heading=lambda wh, f, region: wh.snapshot.names.get(region or "", region or ""),
    file_name=lambda wh, f, region, p: f"semaforo_{f.program}_{region}_{p.stamp}",
)

INDICATOR = View(
    "indicador",
    words("indicador.title"),
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
