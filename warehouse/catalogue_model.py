"""The catalogue as the program reads it: programs, their logical framework and indicators, rules and thresholds,
as frozen objects (read and validated from ``warehouse/catalogue/*.yaml`` by :mod:`warehouse.catalogue_read`),
and the words the catalogue's files may use (levels, feeds, units, lights, stock classes)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import catalogue_schema as schema

LEVELS = ("budget", "critical_input", "product", "intermediate_result", "final_result")
ELEMENT_LEVELS = ("product", "intermediate_result", "final_result")
FEEDS = ("admin", "stock", "survey", "budget")
UNITS = {"pct": 100.0, "per_1000": 1000.0, "count": 1.0}
# Data-quality thresholds (settings.yaml, data_quality): the schema's defaults.
QUALITY_DEFAULTS = schema.DataQuality().model_dump()
# How a load guards the warehouse (settings.yaml, load): conventions of this project, editable.
LOAD_DEFAULTS = schema.LoadGuards().model_dump()
DIRECTIONS = ("up", "down")
PERIODICITIES = ("monthly", "annual")
RULE_KINDS = ("target", "bands", "stock", "budget_pace")
LIGHTS = ("adecuado", "en_riesgo", "critico")
STOCK_CLASSES = ("desabastecido", "substock", "normostock", "sobrestock", "sin_rotacion")


class CatalogueError(ValueError):
    """Every problem found in the catalogue files, reported together."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Catálogo inválido:\n" + "\n".join(f"  - {p}" for p in problems))


@dataclass(frozen=True, slots=True)
class Text:
    """A text in Spanish (first) and English."""

    es: str
    en: str

    def get(self, lang: str = "es") -> str:
        return self.en if lang == "en" else self.es


@dataclass(frozen=True, slots=True)
class Band:
    lower: float  # inclusive; -inf for the first band
    upper: float  # exclusive; +inf for the last band
    status: str
    label: Text


@dataclass(frozen=True, slots=True)
class BandSet:
    code: str
    source: Text
    bands: tuple[Band, ...]

    def classify(self, value: float) -> Band:
        return next(b for b in self.bands if b.lower <= value < b.upper)


@dataclass(frozen=True, slots=True)
class StockClass:
    code: str
    status: str
    label: Text


@dataclass(frozen=True, slots=True)
class StockRule:
    sub_stock_below_months: float
    over_stock_above_months: float
    classes: Mapping[str, StockClass]
    availability: BandSet


@dataclass(frozen=True, slots=True)
class BudgetPace:
    expected_cumulative_pct: tuple[float, ...]  # one per month, January first
    at_risk_gap: float
    critical_gap: float


@dataclass(frozen=True, slots=True)
class Rule:
    kind: str
    band_set: BandSet | None = None
    tolerance: float | None = None


@dataclass(frozen=True, slots=True)
class Source:
    code: str
    feed: str
    territory_level: str
    name: Text
    publisher: str


@dataclass(frozen=True, slots=True)
class Program:
    code: str
    short: str
    name: Text
    mef_name: str
    # Whom the budget is for, as a Padrón Nominal age group and its name ("niña o niño menor de 5 años"):
    # the denominator of spending per beneficiary. None when the population is not in the warehouse.
    beneficiaries: tuple[str, Text] | None = None


@dataclass(frozen=True, slots=True)
class Element:
    """A row of the program's logical framework: final result, intermediate result or product."""

    code: str
    program: str
    level: str
    objective: Text
    assumptions: Text
    contributes_to: str | None
    mef_products: tuple[str, ...]
    # A product's coverage indicator (what its budget buys) and the Padrón Nominal age group of its target
    # population (the divisor of budget per beneficiary on the Presupuesto page; None: not children of the Padrón).
    coverage: str | None = None
    population: str | None = None


@dataclass(frozen=True, slots=True)
class EndesMatch:
    """How a wide INEI table is recognised as this indicator: cuadro number and/or words of its title."""

    cuadro: str | None
    title_all: tuple[str, ...]
    title_any: tuple[str, ...]
    title_none: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str
    program: str
    element: str
    level: str
    name: Text
    short: Text
    unit: str
    direction: str
    periodicity: str
    source: Source
    numerator: Text
    denominator: Text
    rule: Rule
    default_target: float | None
    method: Text | None
    endes: EndesMatch | None
    budget_products: tuple[str, ...] | None  # () means every product of the program
    headline: int | None  # order among the KPI cards of the national summary
    key: bool  # shown in the scorecard when no chain level is chosen
    contributes_to: str  # the element this indicator's level feeds into
    # Below this denominator the light is held back as "muestra pequeña" (0: never); the indicator's own min_n,
    # else settings.yaml's small_sample.min_n for figures from records (feed admin).
    min_n: float = 0.0

    @property
    def feed(self) -> str:
        return self.source.feed

    @property
    def multiplier(self) -> float:
        return UNITS[self.unit]


@dataclass(frozen=True, slots=True)
class CatalogueFile:
    name: str
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


@dataclass(frozen=True)
class Catalogue:
    files: tuple[CatalogueFile, ...]
    referential_cv: float
    expected_lookback_months: int
    band_sets: Mapping[str, BandSet]
    stock: StockRule
    budget_pace: BudgetPace
    mef: Mapping[str, Any]
    quality: Mapping[str, float]  # data-quality thresholds (QUALITY_DEFAULTS keys)
    load: Mapping[str, float]  # load guards (LOAD_DEFAULTS keys)
    plausible_max: Mapping[str, float]  # "source.column" → largest plausible value
    sources: Mapping[str, Source]
    programs: Mapping[str, Program]
    elements: Mapping[str, Element]
    indicators: Mapping[str, Indicator]
    _by_feed: dict[str, tuple[Indicator, ...]] = field(default_factory=dict, repr=False)

    def indicators_for(
        self, program: str | None = None, level: str | None = None, feed: str | None = None
    ) -> list[Indicator]:
        return [
            i
            for i in self.indicators.values()
            if (program is None or i.program == program)
            and (level is None or i.level == level)
            and (feed is None or i.feed == feed)
        ]

    def element_indicators(self, element: str) -> list[Indicator]:
        return [i for i in self.indicators.values() if i.element == element]

    def program_of_mef_product(self, program: str, product: str) -> list[Indicator]:
        """Budget indicators of ``program`` that count MEF product ``product``."""
        return [
            i
            for i in self.indicators_for(program=program, feed="budget")
            if i.budget_products == () or product in (i.budget_products or ())
        ]

    @property
    def version(self) -> str:
        """A short fingerprint of the catalogue files, recorded with every load batch."""
        h = hashlib.sha256()
        for f in self.files:
            h.update(f.name.encode() + b"\0" + f.text.encode())
        return h.hexdigest()[:12]
