"""The catalogue's ``settings.yaml`` read for meaning (its keys and types were checked against the schema before):
the band sets, the stock rule, the budget pace, the data-quality thresholds, the load guards, the plausible maxima
and the sources — and the helpers every part of the catalogue's reading shares (problems collected, es/en texts)."""

from __future__ import annotations

import itertools
import math
from typing import Any, NamedTuple

from .catalogue_model import (
    FEEDS,
    LIGHTS,
    LOAD_DEFAULTS,
    QUALITY_DEFAULTS,
    STOCK_CLASSES,
    Band,
    BandSet,
    BudgetPace,
    Source,
    StockClass,
    StockRule,
    Text,
)


class Problems:
    """Every problem found, each «where: what», raised together at the end."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, msg: str) -> None:
        self.items.append(f"{where}: {msg}")


def text(raw: Any, where: str, p: Problems) -> Text:
    if not isinstance(raw, dict) or not raw.get("es") or not raw.get("en"):
        p.add(where, "necesita textos en español e inglés ('es' y 'en')")
        return Text(str(raw), str(raw))
    return Text(str(raw["es"]), str(raw["en"]))


def _band_set(code: str, raw: Any, where: str, p: Problems) -> BandSet:
    bands: list[Band] = []
    lower = -math.inf
    raw_bands = (raw or {}).get("bands") or []
    if not raw_bands:
        p.add(where, "no tiene bandas")
    for k, b in enumerate(raw_bands):
        w = f"{where}, banda {k + 1}"
        upper = b.get("below")
        upper = math.inf if upper is None else float(upper)
        if k < len(raw_bands) - 1 and upper == math.inf:
            p.add(w, "solo la última banda puede no tener límite superior ('below')")
        if k == len(raw_bands) - 1 and upper != math.inf:
            p.add(w, "la última banda no debe tener límite superior: cubre el resto de valores")
        if upper <= lower:
            p.add(w, f"las bandas se superponen o no están en orden ascendente ({upper} ≤ {lower})")
        if b.get("status") not in LIGHTS:
            p.add(w, f"estado desconocido {b.get('status')!r} (use uno de {', '.join(LIGHTS)})")
        bands.append(Band(lower, upper, str(b.get("status")), text(b.get("label"), w, p)))
        lower = upper
    return BandSet(code, text((raw or {}).get("source"), where, p), tuple(bands))


class Settings(NamedTuple):
    band_sets: dict[str, BandSet]
    stock: StockRule
    budget_pace: BudgetPace
    quality: dict[str, float]
    load: dict[str, float]
    plausible_max: dict[str, float]
    sources: dict[str, Source]


def read_settings(s: dict[str, Any], w: str, p: Problems) -> Settings:
    """``settings.yaml`` (``s``, named ``w`` in messages) as objects; problems added to ``p``."""
    band_sets = {
        code: _band_set(code, raw, f"{w}, band_sets.{code}", p)
        for code, raw in (s.get("band_sets") or {}).items()
    }

    st = s.get("stock") or {}
    classes = {}
    for code in STOCK_CLASSES:
        raw = (st.get("classes") or {}).get(code)
        if raw is None:
            p.add(f"{w}, stock.classes", f"falta la clase {code!r}")
            continue
        if raw.get("status") not in LIGHTS:
            p.add(f"{w}, stock.classes.{code}", f"estado desconocido {raw.get('status')!r}")
        classes[code] = StockClass(
            code, str(raw.get("status")), text(raw.get("label"), f"{w}, stock.{code}", p)
        )
    sub, over = float(st.get("sub_stock_below_months", 2)), float(st.get("over_stock_above_months", 6))
    if not 0 < sub < over:
        p.add(
            f"{w}, stock",
            f"se requiere 0 < sub_stock_below_months ({sub}) < over_stock_above_months ({over})",
        )
    avail_code = st.get("availability_bands")
    if avail_code not in band_sets:
        p.add(f"{w}, stock.availability_bands", f"conjunto de bandas desconocido {avail_code!r}")
    stock = StockRule(sub, over, classes, band_sets.get(avail_code) or BandSet("?", Text("", ""), ()))

    bp = s.get("budget_pace") or {}
    pace = tuple(float(x) for x in bp.get("expected_cumulative_pct") or [])
    if len(pace) != 12 or any(b < a for a, b in itertools.pairwise(pace)) or (pace and pace[-1] > 100):
        p.add(f"{w}, budget_pace", "expected_cumulative_pct necesita 12 valores crecientes entre 0 y 100")
    budget_pace = BudgetPace(pace, float(bp.get("at_risk_gap", 5)), float(bp.get("critical_gap", 15)))
    if budget_pace.critical_gap <= budget_pace.at_risk_gap:
        p.add(f"{w}, budget_pace", "critical_gap debe ser mayor que at_risk_gap")

    quality = dict(QUALITY_DEFAULTS)
    for key, value in (s.get("data_quality") or {}).items():
        if value <= 0:
            p.add(f"{w}, data_quality", f"{key} debe ser un número positivo")
        else:
            quality[key] = float(value)
    if quality["completeness_at_risk_from"] >= quality["completeness_adequate_from"]:
        p.add(f"{w}, data_quality", "completeness_at_risk_from debe ser menor que completeness_adequate_from")

    load = dict(LOAD_DEFAULTS)
    for key, value in (s.get("load") or {}).items():
        if key not in LOAD_DEFAULTS:
            p.add(f"{w}, load", f"clave desconocida {key!r} (use una de {', '.join(LOAD_DEFAULTS)})")
        elif not isinstance(value, int | float) or value < 0 or (key.endswith("_pct") and value > 100):
            p.add(f"{w}, load", f"{key} debe ser un número ≥ 0 (los _pct, un porcentaje de 0 a 100)")
        else:
            load[key] = float(value)

    plausible_max = {}
    for key, value in (s.get("plausible_max") or {}).items():
        if not isinstance(value, int | float) or value <= 0 or "." not in str(key):
            p.add(f"{w}, plausible_max", f"{key}: use «fuente.columna: número positivo»")
        else:
            plausible_max[str(key)] = float(value)

    sources = {}
    for code, raw in (s.get("sources") or {}).items():
        if raw.get("feed") not in FEEDS:
            p.add(
                f"{w}, sources.{code}",
                f"feed desconocido {raw.get('feed')!r} (use uno de {', '.join(FEEDS)})",
            )
        sources[code] = Source(
            code,
            str(raw.get("feed")),
            str(raw.get("territory_level", "region")),
            text(raw.get("name"), f"{w}, sources.{code}", p),
            str(raw.get("publisher", "")),
        )
    return Settings(band_sets, stock, budget_pace, quality, load, plausible_max, sources)
