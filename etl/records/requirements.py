"""A cohort's requirements (``requisitos``) parsed from a definition file: ages, codes, spacings, LAB values and
weights, types of diagnosis, windows and codes that keep an attention from counting — every fault listed."""

from __future__ import annotations

import itertools
from typing import Any

from .definition_model import Requirement

DIAGNOSIS_TYPES = ("D", "P", "R")


def requirement(where: str, k: int, r: dict[str, Any], problems: list[str], upper: int) -> Requirement:
    """The ``k``-th requirement of a cohort whose ages stop at ``upper`` days; faults go to ``problems``."""
    if "ventanas_dias" in r:
        return _windowed(where, k, r, problems, upper)
    stray = [f for f in ("peso_lab", "peso_minimo") if f in r]
    if stray:
        problems.append(f"{where}: {', '.join(stray)} solo con ventanas_dias")
    ages = age_span(where, r.get("edad_dias"), problems, upper)
    first = age_span(where, r["primera_edad_dias"], problems, upper) if "primera_edad_dias" in r else None
    if first and not (ages[0] <= first[0] and first[1] <= ages[1]):
        problems.append(f"{where}: primera_edad_dias debe caer dentro de edad_dias")
    spacing = r.get("separacion_min_dias") or 0
    steps = tuple(int(v) for v in spacing) if isinstance(spacing, list) else ()
    req = Requirement(
        str(r.get("nombre") or f"requisito {k}"),
        code_list(where, r.get("codigos"), problems),
        int(r.get("minimo") or 0),
        ages,
        min(steps) if steps else int(spacing),
        int(r.get("separacion_max_dias") or 0),
        first,
        _diagnosis(where, r, problems),
        tuple(str(v).strip().upper() for v in r.get("lab") or []),
        steps,
        not_with=_not_with(where, r, problems),
    )
    if steps and len(steps) != req.minimum - 1:
        problems.append(
            f"{where}: separacion_min_dias por paso lleva {req.minimum - 1} valores (uno por cada siguiente)"
        )
    if req.minimum < 1:
        problems.append(f"{where}: minimo debe ser 1 o más")
    if req.spacing_max_days and req.spacing_max_days < req.spacing_days:
        problems.append(f"{where}: separacion_max_dias menor que separacion_min_dias")
    if any(not v or "'" in v for v in req.labs):
        problems.append(f"{where}: lab debe ser una lista de valores LAB")
    return req


def _windowed(where: str, k: int, r: dict[str, Any], problems: list[str], upper: int) -> Requirement:
    """One delivery per age window, weighed by its LAB (the iron schemes of the official scripts)."""
    stray = [
        f
        for f in (
            "minimo",
            "edad_dias",
            "primera_edad_dias",
            "separacion_min_dias",
            "separacion_max_dias",
            "lab",
        )
        if f in r
    ]
    if stray:
        problems.append(f"{where}: con ventanas_dias no van {', '.join(stray)} (cada ventana es una entrega)")
    windows = tuple(age_span(f"{where}, ventana", w, problems, upper) for w in r["ventanas_dias"] or [])
    if not windows or any(a[1] >= b[0] for a, b in itertools.pairwise(windows)):
        problems.append(f"{where}: ventanas_dias va de menor a mayor edad, sin solaparse")
    weights = tuple((str(lab).strip().upper(), int(w)) for lab, w in (r.get("peso_lab") or {}).items())
    if any(not lab or "'" in lab or w < 0 for lab, w in weights):
        problems.append(f"{where}: peso_lab va como LAB: peso (un entero ≥ 0)")
    if weights and "peso_minimo" not in r:
        problems.append(f"{where}: con peso_lab falta peso_minimo")
    minimum = int(r.get("peso_minimo") or len(windows))
    if minimum < 1:
        problems.append(f"{where}: peso_minimo debe ser 1 o más")
    return Requirement(
        str(r.get("nombre") or f"requisito {k}"),
        code_list(where, r.get("codigos"), problems),
        1,
        (windows[0][0], windows[-1][1]) if windows else (0, 0),
        diagnosis=_diagnosis(where, r, problems),
        windows=windows,
        lab_weights=weights,
        min_weight=minimum,
        not_with=_not_with(where, r, problems),
    )


def _diagnosis(where: str, r: dict[str, Any], problems: list[str]) -> tuple[str, ...]:
    types = tuple(str(t).strip().upper() for t in r.get("tipo_diagnostico") or [])
    if any(t not in DIAGNOSIS_TYPES for t in types):
        problems.append(f"{where}: tipo_diagnostico solo D, P o R: {list(types)}")
    return types


def _not_with(where: str, r: dict[str, Any], problems: list[str]) -> tuple[str, ...]:
    return code_list(f"{where}, atencion_sin", r["atencion_sin"], problems) if "atencion_sin" in r else ()


def code_list(where: str, raw: Any, problems: list[str]) -> tuple[str, ...]:
    codes = tuple(str(c).strip().upper() for c in raw or [])
    if not codes or any(not c or "'" in c for c in codes):
        problems.append(f"{where}: codigos debe ser una lista de códigos de actividad")
    return codes


def age_span(where: str, raw: Any, problems: list[str], upper: int) -> tuple[int, int]:
    try:
        lo, hi = (int(v) for v in raw)
    except (TypeError, ValueError):
        problems.append(f"{where}: la edad va como [desde, hasta]")
        return (0, 0)
    if not 0 <= lo <= hi <= upper:
        problems.append(f"{where}: edades fuera de orden o de rango (0–{upper}): {raw}")
    return (lo, hi)
