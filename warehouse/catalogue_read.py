"""Reading the catalogue: the YAML files under ``warehouse/catalogue/`` (or ``SEMAFORO_CATALOGUE``) are the only
place where an indicator, a rule or a threshold is declared. They are validated here, loudly: first against their
declared schema (:mod:`warehouse.catalogue_schema`), then for meaning — an unknown rule kind, a missing es/en
name, overlapping bands or a link to an unknown element stop the load with every problem listed. The warehouse
keeps a copy of the files it was built with (``core_catalogue_file``) so that the dashboard reads the same
catalogue the status view used."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import catalogue_schema as schema
from .catalogue_model import (
    DIRECTIONS,
    ELEMENT_LEVELS,
    LEVELS,
    PERIODICITIES,
    RULE_KINDS,
    UNITS,
    Catalogue,
    CatalogueError,
    CatalogueFile,
    Element,
    EndesMatch,
    Indicator,
    Program,
    Rule,
    Source,
    Text,
)
from .catalogue_settings import Problems, read_settings, text
from .yaml_schema import validate

CATALOGUE_DIR = Path(__file__).parent / "catalogue"


def _read_files(directory: Path) -> tuple[CatalogueFile, ...]:
    files = sorted(directory.glob("*.yaml"))
    return tuple(CatalogueFile(f.name, f.read_text(encoding="utf-8")) for f in files)


def default_catalogue_dir() -> Path:
    return Path(os.environ.get("SEMAFORO_CATALOGUE") or CATALOGUE_DIR)


def load_catalogue(directory: Path | str | None = None) -> Catalogue:
    """Parse and validate the catalogue files of ``directory`` (default: the shipped catalogue). The files are
    read every time; the same texts give the catalogue parsed before (a process that loads many files — the
    demo build, the tests, the upload server — parses it once: ≈ 60 ms a load)."""
    return _parsed(_read_files(Path(directory) if directory else default_catalogue_dir()))


@functools.lru_cache(maxsize=8)
def _parsed(files: tuple[CatalogueFile, ...]) -> Catalogue:
    return parse_catalogue(files)  # an invalid catalogue raises, and is not cached


def parse_catalogue(files: Iterable[CatalogueFile]) -> Catalogue:
    files = tuple(files)
    p = Problems()
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

    band_sets, stock, budget_pace, quality, load, plausible_max, sources = read_settings(s, w, p)

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
            text(prog.get("name"), name, p),
            str(prog.get("mef_name", "")),
            (str(ben.get("age_group")), text(ben.get("name"), f"{name}, beneficiaries", p)) if ben else None,
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
                text(e.get("objective"), where, p),
                text(e.get("assumptions"), where, p),
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

    small = s.get("small_sample") or {}
    default_min_n = small.get("min_n", 0)
    if not isinstance(default_min_n, int | float) or default_min_n < 0:
        p.add(w, "small_sample.min_n debe ser un número ≥ 0")
        default_min_n = 0
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
        own_min_n = i.get("min_n")
        if own_min_n is not None and float(own_min_n) < 0:
            p.add(where, "min_n debe ser ≥ 0 (0: la luz nunca se retiene por muestra pequeña)")
        name_t = text(i.get("name"), where, p)
        indicators[code] = Indicator(
            code=code,
            program=prog_code,
            element=str(i.get("element")),
            level=level,
            name=name_t,
            short=text(i.get("short"), where, p) if i.get("short") else name_t,
            unit=str(i.get("unit")),
            direction=str(i.get("direction")),
            periodicity=str(i.get("periodicity")),
            source=src,
            numerator=text(i.get("numerator"), where, p),
            denominator=text(i.get("denominator"), where, p),
            rule=Rule(str(kind), band_set, float(tolerance) if tolerance is not None else None),
            default_target=float(i["default_target"]) if i.get("default_target") is not None else None,
            method=text(i["method"], where, p) if i.get("method") is not None else None,
            endes=endes,
            budget_products=budget_products,
            headline=i.get("headline"),
            key=bool(i.get("key") or i.get("headline")),
            contributes_to=contributes,
            min_n=float(own_min_n if own_min_n is not None else default_min_n if src.feed == "admin" else 0),
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
