"""The traffic-light vocabulary and the human description of each rule, next to the SQL that applies them
(``views/04_indicator_status.sql``). Views, exports, legends and tooltips all take their words from here.

Colours follow the Okabe–Ito colour-blind-safe palette; every status also has its own icon and label, so a
light is never colour alone. Each text colour reads on its fill at WCAG AA (4.5:1): black on the vermilion and the
green, where white would give 3.9 and 3.4.
"""

from __future__ import annotations

from dataclasses import dataclass

from .catalogue_model import BandSet, Catalogue, Indicator, Text


@dataclass(frozen=True, slots=True)
class Status:
    code: str
    label: Text
    colour: str  # fill
    text_colour: str  # readable on the fill
    icon: str  # Bootstrap Icons name: a shape that differs per status (no colour needed to tell them apart)
    glyph: str  # the same idea in one or two plain characters, for the map tiles
    rank: int  # worst first when sorting by status


STATUSES: dict[str, Status] = {
    s.code: s
    for s in (
        Status("critico", Text("Crítico", "Off track"), "#D55E00", "#000000", "x-octagon-fill", "✖", 0),
        Status(
            "en_riesgo",
            Text("En riesgo", "At risk"),
            "#E69F00",
            "#1f1f1f",
            "exclamation-triangle-fill",
            "!",
            1,
        ),
        Status("adecuado", Text("Adecuado", "On track"), "#009E73", "#000000", "check-circle-fill", "✔", 2),
        # Not a light: a neutral fill (hatched in the CSS), its own icon and word, never a colour of the scale.
        Status(
            "muestra_pequena",
            Text("Muestra pequeña", "Small sample"),
            "#F2F2F2",
            "#1f1f1f",
            "people",
            "n<",
            3,
        ),
        Status(
            "referencial", Text("Referencial", "Referential"), "#56B4E9", "#1f1f1f", "question-circle", "≈", 4
        ),
        Status(
            "no_reportado",
            Text("No reportado", "Not reported"),
            "#6E6E6E",
            "#ffffff",
            "clock-history",
            "NR",  # the same letters in Spanish and English; "…" read as still loading
            5,
        ),
        Status("sin_datos", Text("Sin datos", "No data"), "#D9D9D9", "#1f1f1f", "dash-circle", "–", 6),
    )
}

STATUS_MEANING = {
    "adecuado": Text(
        "Cumple la meta o está en la banda favorable.", "Meets the target or lies in the favourable band."
    ),
    "en_riesgo": Text(
        "Cerca de la meta (dentro de la tolerancia) o en una banda intermedia.",
        "Close to the target (within tolerance) or in an intermediate band.",
    ),
    "critico": Text(
        "Lejos de la meta o en una banda desfavorable.", "Far from the target or in an unfavourable band."
    ),
    "muestra_pequena": Text(
        "Muy pocos casos en el denominador (menos que el mínimo del indicador): se muestran el valor y su n, sin "
        "semáforo.",
        "Too few cases in the denominator (below the indicator's minimum): the value and its n are shown, with no "
        "light.",
    ),
    "referencial": Text(
        "Estimación de encuesta imprecisa (INEI la publica entre paréntesis; CV alto): úsela con cautela.",
        "Imprecise survey estimate (printed in parentheses by INEI; high CV): use with care.",
    ),
    "no_reportado": Text(
        "El territorio reportaba este indicador y no lo reportó este periodo (reporte tardío o faltante).",
        "The territory used to report this indicator and did not this period (late or missing report).",
    ),
    "sin_datos": Text(
        "No hay datos para este indicador, territorio y periodo.",
        "There is no data for this indicator, territory and period.",
    ),
}


def status(code: str | None) -> Status:
    return STATUSES.get(code or "sin_datos", STATUSES["sin_datos"])


def _num(x: float | None) -> str:
    return "–" if x is None else f"{x:g}"


def describe_rule(ind: Indicator, cat: Catalogue, lang: str = "es") -> str:
    """How the traffic light of ``ind`` is decided, in words, from the catalogue."""
    es = lang != "en"
    kind = ind.rule.kind
    if kind == "target":
        tol = _num(ind.rule.tolerance or 0)
        if ind.direction == "up":
            return (
                f"Contra la meta de la región y año (si no hay, la nacional; por defecto {_num(ind.default_target)}): "
                f"Adecuado si alcanza la meta; En riesgo si queda a menos de {tol} puntos por debajo; "
                f"Crítico si queda más abajo."
                if es
                else f"Against the region's target for the year (else the national one; default "
                f"{_num(ind.default_target)}): On track at or above target; At risk up to {tol} points below; "
                f"Off track further below."
            )
        return (
            f"Contra la meta de la región y año (si no hay, la nacional; por defecto {_num(ind.default_target)}): "
            f"Adecuado si está en la meta o por debajo; En riesgo hasta {tol} puntos por encima; Crítico si "
            f"supera la meta en más de {tol} puntos."
            if es
            else f"Against the region's target for the year (else the national one; default "
            f"{_num(ind.default_target)}): On track at or below target; At risk up to {tol} points above; "
            f"Off track further above."
        )
    if kind == "bands" and ind.rule.band_set:
        return _bands(ind.rule.band_set, lang)
    if kind == "stock":
        s = cat.stock
        classes = "; ".join(
            f"{c.label.get(lang)} → {status(c.status).label.get(lang)}" for c in s.classes.values()
        )
        head = (
            "Por establecimiento, según meses de stock (stock / consumo promedio mensual): "
            if es
            else "Per facility, by months of supply (stock / average monthly consumption): "
        )
        above = (
            "Por territorio, según el % de establecimientos con normostock: "
            if es
            else "Per territory, by the % of facilities in normal stock: "
        )
        return head + classes + ". " + above + _bands(s.availability, lang)
    if kind == "budget_pace":
        p = cat.budget_pace
        return (
            f"Ejecución (devengado / PIM) contra el avance esperado del mes (lineal por defecto: "
            f"{_num(p.expected_cumulative_pct[5])} % a junio, 100 % a diciembre): Adecuado hasta "
            f"{_num(p.at_risk_gap)} puntos por debajo; En riesgo hasta {_num(p.critical_gap)}; Crítico más abajo."
            if es
            else f"Execution (accrued / modified budget) against the expected pace for the month (linear by default: "
            f"{_num(p.expected_cumulative_pct[5])}% by June, 100% by December): On track up to "
            f"{_num(p.at_risk_gap)} points below; At risk up to {_num(p.critical_gap)}; Off track further below."
        )
    return kind


def _bands(band_set: BandSet, lang: str) -> str:
    parts = [f"{b.label.get(lang)} → {status(b.status).label.get(lang)}" for b in band_set.bands]
    return "; ".join(parts) + f" ({band_set.source.get(lang)})."
