"""A region's one-page A4 scorecard (/imprimir?region=09): what is red, worst first, with each rule in the
catalogue's words; the whole causal chain with value, target, the country's value and a trend line per indicator;
the sources with the data dates of the month printed. Rows from the view ``region`` and the region's series (the
Región page's reads); the red list is the region's Crítico and En riesgo indicators of the same status data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from warehouse.catalogue_model import LEVELS, Indicator
from warehouse.rules import status

from . import format as fmt
from . import print_parts
from .data import Warehouse
from .i18n import level_name, section
from .state import Filters
from .views.charts import national_snapshot, region_series
from .views.indicators import region_snapshot

SPARK = (60.0, 12.0)  # the trend line's box, in the SVG's units (drawn 17 × 3.4 mm)
SPARK_MONTHS = 12
SPARK_YEARS = 8
RED = ("critico", "en_riesgo")


def spark_points(values: list[float]) -> str:
    """An SVG polyline's points for a series, scaled to the box (its own min–max: a shape, not a level)."""
    ys = [float(v) for v in values if not fmt.missing(v)]
    if len(ys) < 2:
        return ""
    w, h = SPARK
    lo, hi = min(ys), max(ys)
    span = hi - lo or 1.0
    step = w / (len(ys) - 1)
    return " ".join(f"{i * step:.1f},{h - 1 - (y - lo) / span * (h - 2):.1f}" for i, y in enumerate(ys))


def _series(recent: pd.DataFrame, surveys: pd.DataFrame, region: str, period: dt.date) -> dict[str, list]:
    """Per indicator, the region's last 12 months (monthly) or last 8 survey years, oldest first."""
    since = pd.Timestamp(period) - pd.DateOffset(months=SPARK_MONTHS - 1)
    out: dict[str, list] = {}
    mine = recent[(recent.territory_code == region) & (recent.period >= since)]
    for code, values in mine.groupby("indicator_code", sort=False).value:
        out[code] = list(values)
    for code, values in surveys[surveys.territory_code == region].groupby("indicator_code", sort=False).value:
        out[code] = list(values)[-SPARK_YEARS:]
    return out


def _value(r: Any, ind: Indicator) -> str:
    if r is None or fmt.missing(r.value):
        return ""
    text = fmt.value(r.value, ind.unit)
    return f"({text})" if r.status == "referencial" else text


def _row(ind: Indicator, r: Any, nat: Any, spark: list, lang: str) -> dict:
    s = status(r.status if r is not None else None)
    when = ""
    if r is not None and not fmt.missing(r.period):
        when = fmt.period(pd.Timestamp(r.period).date(), r.period_grain, lang, short=True)
    return {
        "code": ind.code,
        "name": ind.short.get(lang),
        "title": ind.name.get(lang),
        "value": _value(r, ind),
        "target": "" if r is None or fmt.missing(r.target) else fmt.value(r.target, ind.unit),
        "previous": "" if r is None or fmt.missing(r.prev_value) else fmt.value(r.prev_value, ind.unit),
        "national": _value(nat, ind),
        "period": when,
        "status": s.code,
        "glyph": s.glyph,
        "label": s.label.get(lang),
        "rank": s.rank,
        "spark": spark_points(spark),
    }


def page(wh: Warehouse, f: Filters, region: str) -> dict[str, Any]:
    """The template's context for a region: its chain by level (final result first), its red list, the rules of
    the red indicators and the sources of the month printed."""
    lang = f.lang
    cat = wh.snapshot.catalogue
    snap = region_snapshot(wh, f, region)
    cells = {r.indicator_code: r for r in snap.itertuples()}
    national = {r.indicator_code: r for r in national_snapshot(wh, f).itertuples()}
    period, recent, surveys = region_series(wh, f, region)
    sparks = _series(recent, surveys, region, period)
    levels = []
    rows: list[tuple[Indicator, dict]] = []
    for level in reversed(LEVELS):
        inds = cat.indicators_for(program=f.program, level=level)
        if not inds:
            continue
        level_rows = [
            _row(i, cells.get(i.code), national.get(i.code), sparks.get(i.code, []), lang) for i in inds
        ]
        rows += list(zip(inds, level_rows, strict=True))
        levels.append({"name": level_name(level, lang), "rows": level_rows})
    # Worst first: Crítico before En riesgo, then down the chain from the result (the order it is read in).
    red = sorted(((i, r) for i, r in rows if r["status"] in RED), key=lambda ir: ir[1]["rank"])
    program = cat.programs.get(f.program)
    words = section("print", lang)
    return {
        "lang": lang,
        "title": words["region_title"].format(region=wh.snapshot.names.get(region, region)),
        "program": program.name.get(lang) if program else f.program,
        "period": wh.period_label(f.program, f.period, lang),
        "levels": levels,
        "red": [r | {"level": level_name(i.level, lang)} for i, r in red],
        "rules": print_parts.rules([i for i, _r in red], cat, lang),
        "statuses": print_parts.legend(lang),
        "sources": print_parts.sources(wh, f"{period:%Y-%m}", lang),
        "words": words,
    }
