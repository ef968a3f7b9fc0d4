"""Reading the catalogue: the YAML files under ``warehouse/catalogue/`` (or ``SEMAFORO_CATALOGUE``) are the only
place where an indicator, a rule or a threshold is declared. They are validated here, loudly: first against their
declared schema (:mod:`warehouse.catalogue_schema`), then for meaning — an unknown rule kind, a missing es/en
name, overlapping bands or a link to an unknown element stop the load with every problem listed. The warehouse
keeps a copy of the files it was built with (``core_catalogue_file``) so that the dashboard reads the same
catalogue the status view used."""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import catalogue_schema as schema
from .catalogue_model import (
    DIRECTIONS,
    ELEMENT_LEVELS,
    FEEDS,
    LEVELS,
    LIGHTS,
    LOAD_DEFAULTS,
    PERIODICITIES,
    QUALITY_DEFAULTS,
    RULE_KINDS,
    STOCK_CLASSES,
    UNITS,
    Band,
    BandSet,
    BudgetPace,
    Catalogue,
    CatalogueError,
    CatalogueFile,
    Element,
    EndesMatch,
    Indicator,
    Program,
    Rule,
    Source,
    StockClass,
    StockRule,
    Text,
)
from .yaml_schema import validate

CATALOGUE_DIR = Path(__file__).parent / "catalogue"


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
