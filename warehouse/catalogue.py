"""The catalogue: programs, their logical framework and indicators, parsed once into frozen objects.

The YAML files under ``warehouse/catalogue/`` are the only place where an indicator, a rule or a threshold is
declared. They are validated here, loudly: an unknown rule kind, a missing es/en name, overlapping bands or a
link to an unknown element stop the load with every problem listed. The warehouse keeps a copy of the files it
was built with (``core_catalogue_file``) so that the dashboard reads the same catalogue the status view used.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import catalogue_schema as schema
from .yaml_schema import validate

CATALOGUE_DIR = Path(__file__).parent / "catalogue"

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


# --- parsing -----------------------------------------------------------------------------------------------


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, msg: str) -> None:
        self.items.append(f"{where}: {msg}")


def _text(raw: Any, where: str, p: _Problems) -> Text:
    if not isinstance(raw, dict) or not raw.get("es") or not raw.get("en"):
        p.add(where, "necesita textos en español e inglés ('es' y 'en')")
        return Text(str(raw), str(raw))
    return Text(str(raw["es"]), str(raw["en"]))


def _band_set(code: str, raw: Any, where: str, p: _Problems) -> BandSet:
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
        bands.append(Band(lower, upper, str(b.get("status")), _text(b.get("label"), w, p)))
        lower = upper
    return BandSet(code, _text((raw or {}).get("source"), where, p), tuple(bands))


def _read_files(directory: Path) -> tuple[CatalogueFile, ...]:
    files = sorted(directory.glob("*.yaml"))
    return tuple(CatalogueFile(f.name, f.read_text(encoding="utf-8")) for f in files)


def default_catalogue_dir() -> Path:
    return Path(os.environ.get("SEMAFORO_CATALOGUE") or CATALOGUE_DIR)


def load_catalogue(directory: Path | str | None = None) -> Catalogue:
    """Parse and validate the catalogue files of ``directory`` (default: the shipped catalogue)."""
    return parse_catalogue(_read_files(Path(directory) if directory else default_catalogue_dir()))


def parse_catalogue(files: Iterable[CatalogueFile]) -> Catalogue:
    files = tuple(files)
    p = _Problems()
    docs: dict[str, Any] = {}
    for f in files:
        # The declared keys and types first: the checks below read only well-formed documents.
        doc, problems = validate(
            schema.Settings if f.name == "settings.yaml" else schema.ProgramFile, f.text, f.name
        )
        docs[f.name] = doc
        p.items += problems
    if p.items:
        raise CatalogueError(p.items)
    if "settings.yaml" not in docs:
        p.add("catálogo", "falta settings.yaml")
        raise CatalogueError(p.items)
    s = docs["settings.yaml"]
    w = "settings.yaml"

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
            code, str(raw.get("status")), _text(raw.get("label"), f"{w}, stock.{code}", p)
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
            _text(raw.get("name"), f"{w}, sources.{code}", p),
            str(raw.get("publisher", "")),
        )

    programs: dict[str, Program] = {}
    elements: dict[str, Element] = {}
    raw_indicators: list[tuple[str, str, dict[str, Any]]] = []
    for name, doc in docs.items():
        if name == "settings.yaml":
            continue
        prog = doc.get("program") or {}
        code = str(prog.get("code", ""))
        if not code:
            p.add(name, "falta program.code")
            continue
        if code in programs:
            p.add(name, f"el programa {code} ya está declarado en otro archivo")
        ben = prog.get("beneficiaries")
        programs[code] = Program(
            code,
            str(prog.get("short", code)),
            _text(prog.get("name"), name, p),
            str(prog.get("mef_name", "")),
            (str(ben.get("age_group")), _text(ben.get("name"), f"{name}, beneficiaries", p)) if ben else None,
        )
        for e in doc.get("elements") or []:
            where = f"{name}, elemento {e.get('code')}"
            if e.get("code") in elements:
                p.add(where, "código de elemento duplicado")
            if e.get("level") not in ELEMENT_LEVELS:
                p.add(where, f"nivel desconocido {e.get('level')!r} (use uno de {', '.join(ELEMENT_LEVELS)})")
            elements[e.get("code")] = Element(
                str(e.get("code")),
                code,
                str(e.get("level")),
                _text(e.get("objective"), where, p),
                _text(e.get("assumptions"), where, p),
                e.get("contributes_to"),
                tuple(str(x) for x in e.get("mef_products") or []),
                e.get("coverage"),
                str(e["population"]) if e.get("population") is not None else None,
            )
        raw_indicators += [(name, code, i) for i in doc.get("indicators") or []]

    for e in elements.values():
        if e.contributes_to is None:
            if e.level != "final_result":
                p.add(f"elemento {e.code}", "solo el resultado final puede no contribuir a otro elemento")
        elif e.contributes_to not in elements:
            p.add(f"elemento {e.code}", f"contribuye a un elemento desconocido {e.contributes_to!r}")
        elif LEVELS.index(elements[e.contributes_to].level) <= LEVELS.index(e.level):
            p.add(f"elemento {e.code}", "debe contribuir a un nivel superior de la cadena")

    indicators: dict[str, Indicator] = {}
    for fname, prog_code, i in raw_indicators:
        code = str(i.get("code", ""))
        where = f"{fname}, indicador {code}"
        if not code:
            p.add(fname, "indicador sin código")
            continue
        if code in indicators:
            p.add(where, "código de indicador duplicado")
        for key, allowed in (
            ("level", LEVELS),
            ("unit", tuple(UNITS)),
            ("direction", DIRECTIONS),
            ("periodicity", PERIODICITIES),
        ):
            if i.get(key) not in allowed:
                p.add(where, f"{key} desconocido {i.get(key)!r} (use uno de {', '.join(allowed)})")
        src = sources.get(str(i.get("source")))
        if src is None:
            p.add(where, f"fuente desconocida {i.get('source')!r}")
            src = Source(str(i.get("source")), "?", "?", Text("?", "?"), "")
        element = elements.get(str(i.get("element")))
        if element is None or element.program != prog_code:
            p.add(where, f"elemento desconocido {i.get('element')!r} en el programa {prog_code}")
        level = str(i.get("level"))
        # Budget and critical inputs feed their element (a product); measured levels feed the next element up.
        if element is None:
            contributes = ""
        elif level in ("budget", "critical_input"):
            contributes = element.code
        else:
            contributes = element.contributes_to or ""
            if element.level != level:
                p.add(where, f"el nivel {level!r} no coincide con el de su elemento ({element.level!r})")
        rule_raw = i.get("rule") or {}
        kind = rule_raw.get("kind")
        band_set = None
        if kind not in RULE_KINDS:
            p.add(where, f"regla desconocida {kind!r} (use una de {', '.join(RULE_KINDS)})")
        if kind == "bands":
            band_set = band_sets.get(str(rule_raw.get("set")))
            if band_set is None:
                p.add(where, f"conjunto de bandas desconocido {rule_raw.get('set')!r}")
        if kind == "target" and i.get("default_target") is None:
            p.add(where, "la regla 'target' necesita default_target (meta nacional por defecto)")
        if kind == "stock" and src.feed != "stock":
            p.add(where, "la regla 'stock' solo aplica a insumos con fuente de stock")
        if kind == "budget_pace" and src.feed != "budget":
            p.add(where, "la regla 'budget_pace' solo aplica a indicadores presupuestales")
        if src.feed == "budget" and kind != "budget_pace":
            p.add(where, "un indicador presupuestal se mide con la regla 'budget_pace'")
        tolerance = rule_raw.get("tolerance")
        if kind == "target" and (tolerance is None or float(tolerance) < 0):
            p.add(where, "la regla 'target' necesita una tolerancia ≥ 0 (en puntos)")
        endes = None
        if src.feed == "survey":
            e = i.get("endes") or {}
            endes = EndesMatch(
                str(e["cuadro"]) if e.get("cuadro") else None,
                tuple(e.get("title_all") or ()),
                tuple(e.get("title_any") or ()),
                tuple(e.get("title_none") or ()),
            )
        budget_products: tuple[str, ...] | None = None
        if src.feed == "budget":
            bp_raw = (i.get("budget") or {}).get("products")
            if bp_raw == "all":
                budget_products = ()
            elif isinstance(bp_raw, list) and bp_raw:
                budget_products = tuple(str(x) for x in bp_raw)
            else:
                p.add(where, "budget.products debe ser 'all' o una lista de códigos de producto MEF")
        name_t = _text(i.get("name"), where, p)
        indicators[code] = Indicator(
            code=code,
            program=prog_code,
            element=str(i.get("element")),
            level=level,
            name=name_t,
            short=_text(i.get("short"), where, p) if i.get("short") else name_t,
            unit=str(i.get("unit")),
            direction=str(i.get("direction")),
            periodicity=str(i.get("periodicity")),
            source=src,
            numerator=_text(i.get("numerator"), where, p),
            denominator=_text(i.get("denominator"), where, p),
            rule=Rule(str(kind), band_set, float(tolerance) if tolerance is not None else None),
            default_target=float(i["default_target"]) if i.get("default_target") is not None else None,
            method=_text(i["method"], where, p) if i.get("method") is not None else None,
            endes=endes,
            budget_products=budget_products,
            headline=i.get("headline"),
            key=bool(i.get("key") or i.get("headline")),
            contributes_to=contributes,
        )

    for e in elements.values():
        cov = indicators.get(e.coverage) if e.coverage else None
        if e.coverage and (
            cov is None or cov.element != e.code or cov.level != "product" or cov.unit != "pct"
        ):
            p.add(
                f"elemento {e.code}",
                f"coverage {e.coverage!r} debe ser un indicador de cobertura (pct, nivel producto) de este elemento",
            )

    cv = s.get("referential_cv")
    if not isinstance(cv, int | float) or cv <= 0:
        p.add(w, "referential_cv debe ser un número positivo")
    if p.items:
        raise CatalogueError(p.items)
    return Catalogue(
        files=files,
        referential_cv=float(cv),
        expected_lookback_months=int(s.get("expected_lookback_months", 6)),
        band_sets=band_sets,
        stock=stock,
        budget_pace=budget_pace,
        mef=dict(s.get("mef") or {}),
        quality=quality,
        load=load,
        plausible_max=plausible_max,
        sources=sources,
        programs=dict(sorted(programs.items())),
        elements=elements,
        indicators=indicators,
    )
