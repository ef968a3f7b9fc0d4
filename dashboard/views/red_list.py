"""What is red in a region and why: its Crítico and En riesgo indicators grouped under the cause they share along
the causal chain (budget pace, critical-input stock, product coverage; one sentence built from the data), worst
first. The Región page's top and the view ``region-rojo`` (its downloads, JSON and ``semaforo export``) both read :func:`red_list`:
one cause logic for the screen and the files."""

from __future__ import annotations

from typing import Any

import pandas as pd

from warehouse.catalogue_model import Catalogue, Indicator
from warehouse.rules import status

from .. import format as fmt
from ..data import Warehouse
from ..i18n import lang_of, level_name, t, words
from ..rows import records
from ..state import Filters
from .charts import region_stock
from .indicators import region_snapshot
from .model import Column, View

RED = ("critico", "en_riesgo")
# Results first: among equally bad lights the outcome leads, its causes follow.
LEVEL_ORDER = {"final_result": 0, "intermediate_result": 1, "product": 2, "critical_input": 3, "budget": 4}


def _rows(df: pd.DataFrame) -> dict[str, dict]:
    return {r["indicator_code"]: r for r in records(df)}


def _reference(ind: Indicator, row: dict) -> float | None:
    ref = row.get("expected_pct") if ind.rule.kind == "budget_pace" else row.get("target")
    return None if ref is None or fmt.missing(ref) else float(ref)


def gap(ind: Indicator, row: dict) -> float:
    """How far the value falls on the wrong side of its reference (target or expected pace), in the unit's points:
    the order among lights of one colour (0 without a reference)."""
    ref = _reference(ind, row)
    if ref is None or fmt.missing(row.get("value")):
        return 0.0
    value = float(row["value"])
    return max(0.0, ref - value if ind.direction == "up" else value - ref)


def worst_first(cat: Catalogue, program: str, snap: pd.DataFrame) -> list[str]:
    """The codes of the snapshot's Crítico and En riesgo indicators of the program, worst first: Crítico, then En
    riesgo; within each, the larger gap to the reference, then results before their causes. The one order of the
    red list and of the drill-down's default indicator."""

    def rank(row: dict) -> tuple:
        ind = cat.indicators[row["indicator_code"]]
        return (status(row["status"]).rank, -gap(ind, row), LEVEL_ORDER.get(ind.level, 9), ind.code)

    red = [
        r
        for r in records(snap)
        if r.get("status") in RED
        and (i := cat.indicators.get(r["indicator_code"])) is not None
        and i.program == program
    ]
    return [r["indicator_code"] for r in sorted(red, key=rank)]


def _products(cat: Catalogue, ind: Indicator) -> list[str]:
    """The product elements along whose chain the indicator's cause is read: its own product; for a result, the
    products that feed it (for the final result, those feeding its intermediate results); for the program's own
    budget line, every product."""
    element = cat.elements[ind.element]
    products = [e for e in cat.elements.values() if e.program == ind.program and e.level == "product"]
    if element.level == "product":
        return [element.code]
    if ind.level == "budget":
        return [p.code for p in products]
    feeds = {element.code}
    if element.level == "final_result":
        feeds |= {e.code for e in cat.elements.values() if e.contributes_to == element.code}
    return [p.code for p in products if p.contributes_to in feeds]


def _word(code: str | None, lang: str) -> str:
    return status(code).label.get(lang)


def _budget_part(ind: Indicator, row: dict, lang: str) -> str:
    return t(
        "cause_budget",
        lang,
        name=ind.short.get(lang),
        value=fmt.value(row.get("value"), ind.unit),
        expected=fmt.value(row.get("expected_pct"), ind.unit),
        status=_word(row.get("status"), lang),
    )


def _stock_part(ind: Indicator, row: dict, stock: dict | None, lang: str) -> str:
    if stock is None or fmt.missing(stock.get("facilities")):
        return t("cause_input", lang, name=ind.short.get(lang), status=_word(row.get("status"), lang))
    return t(
        "cause_stock",
        lang,
        name=ind.short.get(lang),
        status=_word(row.get("status"), lang),
        normal=int(stock["normostock"]),
        facilities=int(stock["facilities"]),
        out=int(stock["desabastecido"]),
    )


def _coverage_part(ind: Indicator, row: dict, lang: str) -> str:
    return t(
        "cause_coverage",
        lang,
        name=ind.short.get(lang),
        value=fmt.value(row.get("value"), ind.unit),
        status=_word(row.get("status"), lang),
    )


def _product_label(cat: Catalogue, product: str, lang: str) -> str:
    """A product's short name: that of its coverage indicator from the records (the element's objective is a
    paragraph)."""
    inds = [i for i in cat.element_indicators(product) if i.level == "product"]
    best = next((i for i in inds if i.periodicity == "monthly"), inds[0] if inds else None)
    return best.short.get(lang) if best else cat.elements[product].objective.get(lang)


def _part(ind: Indicator, row: dict, stock: dict[str, dict], lang: str) -> str:
    if ind.level == "budget":
        return _budget_part(ind, row, lang)
    if ind.level == "critical_input":
        return _stock_part(ind, row, stock.get(ind.code), lang)
    return _coverage_part(ind, row, lang)


def _links(cat: Catalogue, product: str, rows: dict[str, dict]) -> list[tuple[Indicator, dict]]:
    """The lit links of a product's chain: its budget lines, critical inputs and coverage from the records (survey
    coverage is annual and not a cause)."""
    return [
        (i, rows[i.code])
        for i in cat.element_indicators(product)
        if i.code in rows
        and i.level in ("budget", "critical_input", "product")
        and (i.level != "product" or i.periodicity == "monthly")
    ]


def cause_chains(cat: Catalogue, ind: Indicator, rows: dict[str, dict]) -> tuple[str, ...]:
    """The products whose chains hold the cause of one red indicator: an input's, product's or budget line's own
    product; for a result (or the program's budget line), which several products feed, those whose links are the
    worst (Crítico ones, else En riesgo ones). Indicators with the same chains share one cause."""
    products = _products(cat, ind)
    if cat.elements[ind.element].level == "product":
        return tuple(products)
    links = {p: [r.get("status") for i, r in _links(cat, p, rows) if i.code != ind.code] for p in products}
    worst = next((s for s in RED if any(s in found for found in links.values())), None)
    return tuple(p for p in products if worst in links[p])


def _product_sentence(links: list[tuple[Indicator, dict]], stock: dict[str, dict], lang: str) -> list[str]:
    """Every link of one product's chain: budget pace, the critical inputs out of normal stock (or that all are
    fine), coverage."""
    inputs = [(i, r) for i, r in links if i.level == "critical_input"]
    named = [_part(i, r, stock, lang) for i, r in links if i.level == "budget"]
    named += [_part(i, r, stock, lang) for i, r in inputs if r.get("status") in RED]
    if inputs and not any(r.get("status") in RED for _i, r in inputs):
        named.append(t("cause_inputs_ok", lang))
    return named + [_part(i, r, stock, lang) for i, r in links if i.level == "product"]


def chain_cause(
    cat: Catalogue, chains: tuple[str, ...], rows: dict[str, dict], stock: dict[str, dict], lang: str
) -> tuple[str, bool]:
    """(the sentence, whether the chain contradicts itself) of the cause held by these product chains, from the
    lights of their links: one chain names every link (budget pace, red inputs, coverage); several name only their
    worst links (the Crítico ones, else the En riesgo ones). A critical input in Crítico beside an Adecuado coverage
    of the same product is said, not hidden."""
    by_product = {p: _links(cat, p, rows) for p in chains}
    contradictions = []
    for links in by_product.values():
        critical_inputs = [
            i for i, r in links if i.level == "critical_input" and r.get("status") == "critico"
        ]
        adequate = [i for i, r in links if i.level == "product" and r.get("status") == "adecuado"]
        if critical_inputs and adequate:
            contradictions.append(
                t(
                    "cause_contradiction",
                    lang,
                    input=critical_inputs[0].short.get(lang),
                    coverage=adequate[0].short.get(lang),
                )
            )
    if len(chains) == 1:
        named = _product_sentence(by_product[chains[0]], stock, lang)
    else:
        statuses = {r.get("status") for links in by_product.values() for _i, r in links}
        worst = next((s for s in RED if s in statuses), None)
        named = [
            f"{_product_label(cat, p, lang)}: " + ", ".join(_part(i, r, stock, lang) for i, r in bad)
            for p, links in by_product.items()
            if (bad := [(i, r) for i, r in links if r.get("status") == worst])
        ]
    sentence = t("cause_chain", lang, parts="; ".join(named)) if named else t("cause_none", lang)
    if contradictions:
        sentence += " " + " ".join(dict.fromkeys(contradictions))
    return sentence, bool(contradictions)


def chain_label(cat: Catalogue, chains: tuple[str, ...], lang: str) -> str:
    """The name a cause is listed under: its products' short names ("Suplemento de hierro · Vacunas completas");
    empty when no link of the chain is red (the sentence says so)."""
    return " · ".join(_product_label(cat, p, lang) for p in chains)


def red_list(
    cat: Catalogue, program: str, snap: pd.DataFrame, stock: pd.DataFrame, lang: str
) -> pd.DataFrame:
    """The region's Crítico and En riesgo indicators of the program, grouped by the cause they share (the same
    product chains, :func:`cause_chains`): the causes in the order of their worst indicator, each cause's
    indicators worst first (:func:`worst_first`). One row per indicator, each with its cause's number, name and
    sentence: the screen says each cause once above its indicators, the files repeat it on every row."""
    rows = _rows(snap)
    stock_rows = _rows(stock)
    groups: dict[tuple[str, ...], list[str]] = {}
    for code in worst_first(cat, program, snap):
        groups.setdefault(cause_chains(cat, cat.indicators[code], rows), []).append(code)
    out: list[dict[str, Any]] = []
    for number, (chains, codes) in enumerate(groups.items(), start=1):
        sentence, contradiction = chain_cause(cat, chains, rows, stock_rows, lang)
        label = chain_label(cat, chains, lang)
        for code in codes:
            ind, row = cat.indicators[code], rows[code]
            out.append(
                {
                    "order": len(out) + 1,
                    "cause_group": number,
                    "chain": label,
                    "indicator_code": code,
                    "indicator": ind.short.get(lang),
                    "level": level_name(ind.level, lang),
                    "status": row["status"],
                    "value": row.get("value"),
                    "unit": ind.unit,
                    "reference": _reference(ind, row),
                    "n": row.get("denominator") if ind.feed == "admin" else None,
                    "cause": sentence,
                    "contradiction": contradiction,
                    "feed": ind.feed,
                }
            )
    return pd.DataFrame(out, columns=[*COLUMN_KEYS, "feed"])


def region_red_list(wh: Warehouse, f: Filters, region: str) -> pd.DataFrame:
    """:func:`red_list` of one region at the filters' period (its snapshot and its stock summary)."""
    snap = region_snapshot(wh, f, region)
    return red_list(wh.snapshot.catalogue, f.program, snap, region_stock(wh, f, region), lang_of(f.lang))


COLUMN_KEYS = (
    "order", "cause_group", "chain", "indicator_code", "indicator", "level", "status", "value", "unit", "reference", "n", "cause",
    "contradiction",
)  # fmt: skip

REGION_RED = View(
    "region-rojo",
    words("region-rojo.title"),
    (
        Column("order", words("region-rojo.order"), "count", help=words("region-rojo.order.help")),
        Column(
            "cause_group",
            words("region-rojo.cause_group"),
            "count",
            help=words("region-rojo.cause_group.help"),
        ),
        Column("chain", words("region-rojo.chain"), "text", help=words("region-rojo.chain.help")),
        Column("indicator_code", words("region-rojo.indicator_code"), "code"),
        Column("indicator", words("region-rojo.indicator"), "text"),
        Column("level", words("region-rojo.level"), "text"),
        Column("status", words("region-rojo.status"), "status"),
        Column("value", words("region-rojo.value"), "number"),
        Column("unit", words("region-rojo.unit"), "code"),
        Column(
            "reference",
            words("region-rojo.reference"),
            "number",
            help=words("region-rojo.reference.help"),
        ),
        Column(
            "n",
            words("region-rojo.n"),
            "number",
            help=words("region-rojo.n.help"),
        ),
        Column(
            "cause",
            words("region-rojo.cause"),
            "text",
            help=words("region-rojo.cause.help"),
        ),
        Column(
            "contradiction",
            words("region-rojo.contradiction"),
            "bool",
            help=words("region-rojo.contradiction.help"),
        ),
    ),
    lambda wh, f, region: region_red_list(wh, f, region or ""),
    notes=words("region-rojo.notes"),
    page="/region",
    arg_required=True,
    heading=lambda wh, f, region: wh.snapshot.names.get(region or "", region or ""),
    file_name=lambda wh, f, region, p: f"rojo_{f.program}_{region}_{p.stamp}",
)
