"""A region's causal chain as a left-to-right diagram: budget per product → critical inputs → products →
intermediate results → final result. Each product of the logical framework is a lane (its budget, its inputs,
its indicators); results stand on the right with the products that feed them. Every box: traffic light, value,
target, trend and sparkline."""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

from warehouse.catalogue_model import Catalogue, Indicator

from .. import format as fmt
from ..i18n import level_name, t
from ..rows import records
from .attrs import ARIA_HIDDEN, aria_label, data
from .markup import Tag
from .sparkline import sparkline
from .traffic_light import arrow, light_tag


def _box(
    ind: Indicator, row: dict | None, spark: list[float | None], extra: list, lang: str, link: str
) -> Tag:
    source = f"{t('source', lang)}: {ind.source.publisher} {ind.source.code}"
    provenance = source
    if row is None:
        status, value_text, target, trend, cls, when = "sin_datos", "–", None, "", "", ""
    else:
        status = row["status"]
        value_text = fmt.value(row["value"], ind.unit)
        if status == "referencial":
            value_text = f"({value_text})"
        target = row.get("expected_pct") if ind.rule.kind == "budget_pace" else row.get("target")
        trend, cls = arrow(row["value"], row["prev_value"], ind.direction)
        when = fmt.period(pd.Timestamp(row["period"]).date(), row["period_grain"], lang, short=True)
        if not fmt.missing(row.get("batch_id")):
            provenance = f"{source} · {t('batch', lang)} {int(row['batch_id'])} · {when}"
    img = sparkline(spark, None if target is None or fmt.missing(target) else float(target))
    target_label = t("expected_pace", lang) if ind.rule.kind == "budget_pace" else t("target", lang)
    return Tag(
        html.Div,
        [
            Tag(dcc.Link, ind.short.get(lang), href=link, className="box-name", title=ind.name.get(lang)),
            Tag(
                html.Div,
                [
                    light_tag(status, lang, text=value_text, small=True),
                    Tag(html.Span, trend, className=f"box-trend {cls}") if trend else None,
                ],
                className="box-light",
            ),
            Tag(
                html.Div,
                [
                    Tag(
                        html.Span,
                        f"{target_label}: {fmt.value(target, ind.unit)}"
                        if target is not None and not fmt.missing(target)
                        else "",
                        className="box-target",
                    ),
                    Tag(
                        html.Span, when, className="box-when", title=provenance
                    ),  # where the figure comes from
                    # a figure from records shows its n (muestra pequeña below the indicator's minimum)
                    Tag(html.Span, f"n = {fmt.number(row['denominator'], 0)}", className="box-n")
                    if ind.feed == "admin" and row is not None and not fmt.missing(row.get("denominator"))
                    else None,
                ],
                className="box-meta",
            ),
            Tag(html.Img, src=img, alt="", className="box-spark") if img else None,
            *extra,
        ],
        className=f"chain-box box-{status}",
        id=f"box-{ind.code}",
    )


def _budget_extra(row: dict | None, lang: str) -> list:
    if row is None or fmt.missing(row.get("denominator")):
        return []
    return [
        Tag(
            html.Div,
            f"PIM {fmt.soles(row['denominator'], lang)} · {t('executed', lang)} "
            f"{fmt.soles(row['numerator'], lang)}",
            className="box-detail",
        )
    ]


def _stock_extra(stock: dict | None, lang: str) -> list:
    if stock is None:
        return []
    return [
        Tag(
            html.Div,
            f"{int(stock['normostock'])}/{int(stock['facilities'])} {t('facilities', lang)} {t('normal_stock', lang)} · "
            f"{fmt.number(stock['months_median'])} {t('months_supply', lang)}",
            className="box-detail",
        )
    ]


def causal_chain(
    cat: Catalogue,
    program: str,
    snap: pd.DataFrame,
    sparks: dict[str, list],
    stock: pd.DataFrame,
    lang: str,
    link,
) -> Tag:
    """``snap``: one row per indicator (this region); ``sparks``: indicator → recent values; ``link(code)`` → href."""
    # Plain dicts: a pandas row per box costs more than the box itself.
    by_code = {r["indicator_code"]: r for r in records(snap)}
    stock_by = {r["indicator_code"]: r for r in records(stock)}

    def box(ind: Indicator) -> Tag:
        extra = []
        if ind.feed == "budget":
            extra = _budget_extra(by_code.get(ind.code), lang)
        elif ind.feed == "stock":
            extra = _stock_extra(stock_by.get(ind.code), lang)
        return _box(ind, by_code.get(ind.code), sparks.get(ind.code, []), extra, lang, link(ind.code))

    elements = [e for e in cat.elements.values() if e.program == program]
    products = [e for e in elements if e.level == "product"]
    lanes = []
    for p in products:
        cols = []
        for level in ("budget", "critical_input", "product"):
            inds = [i for i in cat.element_indicators(p.code) if i.level == level]
            # the level's name, shown above the cell on a phone, where the lanes' column heads are hidden
            cols.append(
                Tag(
                    html.Div,
                    [box(i) for i in inds],
                    className=f"lane-cell level-{level}",
                    **data("level", level_name(level, lang)),
                )
            )
        lanes.append(
            Tag(
                html.Div,
                [
                    Tag(html.Div, p.objective.get(lang), className="lane-title"),
                    Tag(html.Div, cols, className="lane-cells"),
                ],
                className="lane",
            )
        )
    program_budget = [
        i
        for i in cat.indicators_for(program=program, level="budget")
        if cat.elements[i.element].level != "product"
    ]

    def result_column(level: str) -> Tag:
        boxes = []
        for e in (e for e in elements if e.level == level):
            feeders = [x.objective.get(lang) for x in products if x.contributes_to == e.code]
            boxes.append(
                Tag(
                    html.Div,
                    [
                        Tag(html.Div, e.objective.get(lang), className="result-title"),
                        *[box(i) for i in cat.element_indicators(e.code) if i.level == level],
                        Tag(
                            html.Div,
                            ("← " + "; ".join(feeders)) if feeders else "",
                            className="result-feeders",
                        ),
                    ],
                    className="result-group",
                )
            )
        if level == "final_result":
            boxes += [box(i) for i in program_budget]
        return Tag(
            html.Div,
            [Tag(html.H3, level_name(level, lang), className="chain-head"), *boxes],
            className=f"chain-col level-{level}",
        )

    heads = Tag(
        html.Div,
        [
            Tag(html.H3, level_name(lv, lang), className="chain-head")
            for lv in ("budget", "critical_input", "product")
        ],
        className="lane-heads",
    )
    return Tag(
        html.Div,
        [
            Tag(html.Div, [heads, *lanes], className="chain-lanes"),
            Tag(html.Div, "→", className="chain-arrow", **ARIA_HIDDEN),
            result_column("intermediate_result"),
            Tag(html.Div, "→", className="chain-arrow", **ARIA_HIDDEN),
            result_column("final_result"),
        ],
        className="chain",
        role="group",
        **aria_label(t("chain_title", lang)),
    )
