"""Record definitions (``warehouse/catalogue/registros/*.yaml``) parsed once into frozen objects and validated
loudly: an unknown kind or adjustment, an indicator missing from the catalogue or not fed by administrative
records, bad age windows or overlapping bands stop everything with every problem listed."""

from __future__ import annotations

import hashlib
import itertools
from pathlib import Path
from typing import Any

import sqlglot
from sqlglot import exp

from warehouse.catalogue_model import Catalogue, CatalogueError, Text
from warehouse.catalogue_read import CATALOGUE_DIR
from warehouse.yaml_schema import validate

from .definition_model import Adjustment, Definition, Definitions, Exclusion, Requirement, Threshold
from .requirements import age_span, code_list, requirement
from .schema import RecordsFile

__all__ = [
    "Adjustment",
    "Definition",
    "Definitions",
    "Exclusion",
    "Requirement",
    "Threshold",
    "load_definitions",
]

RECORDS_DIR = CATALOGUE_DIR / "registros"
HIS_SETTINGS = "his_minsa.yaml"  # beside the definitions: how HIS-MINSA exports are read (etl.records.his)
KINDS = ("cohorte", "mes", "medicion")
DENOMINATORS = ("registros", "padron")
# What an adjustment formula may contain: arithmetic on the facility's altitude in metres, nothing else.
_FORMULA_NODES = (
    exp.Add,
    exp.Sub,
    exp.Mul,
    exp.Div,
    exp.Neg,
    exp.Paren,
    exp.Pow,
    exp.Literal,
    exp.Column,
    exp.Identifier,
)


def load_definitions(catalogue: Catalogue, directory: Path | None = None) -> Definitions:
    files = sorted(f for f in (directory or RECORDS_DIR).glob("*.yaml") if f.name != HIS_SETTINGS)
    problems: list[str] = []
    items: list[Definition] = []
    adjustments: dict[str, Adjustment] = {}
    digest = hashlib.sha256()
    for f in files:
        text = f.read_text(encoding="utf-8")
        digest.update(f.name.encode() + b"\0" + text.encode())
        doc, wrong = validate(RecordsFile, text, f.name)
        if wrong:
            problems += wrong
            continue
        for code, raw in (doc.get("adjustments") or {}).items():
            adjustments[code] = _adjustment(f"{f.name}, ajuste {code}", code, raw, problems)
        for raw in doc.get("definitions") or []:
            d = _definition(f.name, raw, adjustments, catalogue, problems)
            if d:
                items.append(d)
    seen = [d.indicator for d in items]
    problems += [f"{c}: definido más de una vez" for c in sorted({c for c in seen if seen.count(c) > 1})]
    if problems:
        raise CatalogueError(problems)
    return Definitions(tuple(items), adjustments, digest.hexdigest())


def _adjustment(where: str, code: str, raw: dict[str, Any], problems: list[str]) -> Adjustment:
    name = raw.get("name") or {}
    if not (name.get("es") and name.get("en")):
        problems.append(f"{where}: falta name con es y en")
    text = Text(str(name.get("es", code)), str(name.get("en", code)))
    if ("formula" in raw) == ("bands" in raw):
        problems.append(f"{where}: declare formula o bands (una de las dos)")
        return Adjustment(code, text, None)
    if "formula" in raw:
        return Adjustment(code, text, _formula(where, str(raw["formula"]), problems))
    bands = tuple((float(b["desde_m"]), float(b["ajuste"])) for b in raw["bands"] or [])
    if not bands or any(a[0] >= b[0] for a, b in itertools.pairwise(bands)):
        problems.append(f"{where}: los tramos deben ir de menor a mayor altitud, sin repetirse")
    return Adjustment(code, text, None, bands)


def _formula(where: str, text: str, problems: list[str]) -> str | None:
    """Parse the formula and keep it only if it is arithmetic on ``altitud`` (it becomes SQL)."""
    try:
        tree = sqlglot.parse_one(text, read="duckdb")
    except sqlglot.errors.ParseError as e:
        problems.append(f"{where}: fórmula ilegible: {e}")
        return None
    bad = [
        n.sql()
        for n in tree.walk()
        if not isinstance(n, _FORMULA_NODES) or (isinstance(n, exp.Column) and n.name != "altitud")
    ]
    if bad:
        problems.append(f"{where}: la fórmula solo puede usar altitud, números y + - * / power(): {bad[0]!r}")
        return None
    return tree.sql(dialect="duckdb")


def _definition(
    file: str, raw: dict[str, Any], adjustments: dict[str, Adjustment], cat: Catalogue, problems: list[str]
) -> Definition | None:
    code = str(raw.get("indicator", ""))
    where = f"{file}, {code or 'definición sin indicador'}"
    ind = cat.indicators.get(code)
    if ind is None:
        problems.append(f"{where}: el indicador no está en el catálogo")
        return None
    if ind.feed != "admin" or ind.unit != "pct":
        problems.append(f"{where}: solo indicadores mensuales de registros administrativos en % (feed admin)")
    kind = raw.get("kind")
    if kind not in KINDS:
        problems.append(f"{where}: kind desconocido {kind!r} (use uno de {', '.join(KINDS)})")
        return None
    source = str(raw.get("fuente") or "")
    if not source:
        problems.append(f"{where}: falta fuente (la norma o el script, con su versión)")
    unverified = str(raw.get("no_verificado") or "")
    if kind == "cohorte":
        months = int(raw.get("edad_meses") or 0)
        if not 1 <= months <= 60:
            problems.append(f"{where}: edad_meses de la cohorte entre 1 y 60")
        reqs = [
            requirement(f"{where}, requisito {k}", k, r, problems, 31 * months)
            for k, r in enumerate(raw.get("requisitos") or [], start=1)
        ]
        if not reqs:
            problems.append(f"{where}: una cohorte necesita requisitos")
        exclusions = tuple(
            Exclusion(
                str(x.get("nombre") or f"exclusión {k}"),
                code_list(f"{where}, exclusión {k}", x.get("codigos"), problems),
                age_span(f"{where}, exclusión {k}", x.get("edad_dias"), problems, 31 * months),
            )
            for k, x in enumerate(raw.get("excluir") or [], start=1)
        )
        denominator = str(raw.get("denominador") or "registros")
        if denominator not in DENOMINATORS:
            problems.append(
                f"{where}: denominador {denominator!r} desconocido (use {' o '.join(DENOMINATORS)})"
            )
        return Definition(
            code,
            kind,
            cohort_months=months,
            requirements=tuple(reqs),
            exclusions=exclusions,
            denominator=denominator,
            source=source,
            unverified=unverified,
        )
    ages = age_span(where, raw.get("edad_meses"), problems, 72)
    codes = code_list(where, raw.get("codigos"), problems)
    if kind == "mes":
        return Definition(code, kind, codes, ages, source=source, unverified=unverified)
    adj = adjustments.get(str(raw.get("ajuste")))
    if adj is None:
        problems.append(f"{where}: ajuste desconocido {raw.get('ajuste')!r} (hay: {', '.join(adjustments)})")
    valid = raw.get("valor_valido") or []
    lo, hi = (float(valid[0]), float(valid[1])) if len(valid) == 2 else (0.0, 0.0)
    if not lo < hi:
        problems.append(f"{where}: valor_valido va como [mínimo, máximo]")
    thresholds = tuple(
        Threshold(
            age_span(f"{where}, umbral {k}", t.get("edad_meses"), problems, 72), float(t.get("menor_que"))
        )
        for k, t in enumerate(raw.get("umbrales") or [], start=1)
    )
    if ("menor_que" in raw) == bool(thresholds):
        problems.append(f"{where}: declare menor_que o umbrales por edad (uno de los dos)")
    if any(a.age_months[1] >= b.age_months[0] for a, b in itertools.pairwise(thresholds)):
        problems.append(f"{where}: los umbrales deben ir por edades crecientes, sin solaparse")
    return Definition(
        code,
        kind,
        codes,
        ages,
        below=float(raw["menor_que"]) if "menor_que" in raw else None,
        valid_range=(lo, hi),
        adjustment=adj,
        thresholds=thresholds,
        source=source,
        unverified=unverified,
    )
