"""The budget views' rows: what the Presupuesto page's filters mean for the budget (a fiscal year up to a month, a
territory, a product) and the queries those parameters feed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from .. import format as fmt
from ..data import Warehouse
from ..i18n import lang_of, t
from ..state import Filters
from .model import Period


@dataclass(frozen=True, slots=True)
class BudgetScope:
    """What the Presupuesto page's filters mean for the budget: a fiscal year up to a month, and a territory."""

    program: str
    year: int
    month: int  # last month of the year with budget data, not after the period chosen
    territory: str  # 'PE' or a region code
    element: str | None  # a product of the logical framework, or None for the whole program

    @property
    def period(self) -> dt.date:
        return dt.date(self.year, self.month, 1)


def budget_scope(wh: Warehouse, f: Filters, region: str | None) -> BudgetScope | None:
    """The budget year and cut-off month for the filters: the period's year, up to the period's month (or the last
    month loaded); None when the program has no budget for that year."""
    cutoffs = wh.snapshot.budget_cutoffs.get(f.program) or {}
    if not cutoffs:
        return None
    if f.period:
        year = int(f.period[:4])
        limit = int(f.period[5:]) if len(f.period) == 7 else 12
    else:
        resolved = wh.resolve_period(f.program, None)
        year, limit = resolved.year, resolved.month
        if year not in cutoffs:
            year, limit = max(cutoffs), 12
    if year not in cutoffs:
        return None
    cat = wh.snapshot.catalogue
    product = f.product
    element = (
        product
        if product is not None and product in cat.elements and cat.elements[product].program == f.program
        else None
    )
    return BudgetScope(f.program, year, min(limit, cutoffs[year]), region or "PE", element)


def change_years(wh: Warehouse, f: Filters, scope: BudgetScope) -> tuple[int, int] | None:
    """(base year, last year) of the comparison across years: the last has budget and a survey result (the survey
    closes later than the budget), the base is the URL's 'desde' when it can be compared, else the first such year."""
    budget_years = set(wh.snapshot.budget_cutoffs.get(f.program) or {})
    finals = [i.code for i in wh.snapshot.catalogue.indicators_for(program=f.program, level="final_result")]
    result_years = set(wh.snapshot.result_years.get(f.program, [])) if finals else set()
    both = sorted(y for y in budget_years & result_years if y <= scope.year)
    if len(both) < 2:
        return None
    since = int(f.since) if f.since and int(f.since) in both[:-1] else both[0]
    return since, both[-1]


def effective(wh: Warehouse, f: Filters, region: str | None) -> Filters:
    """The filters as the budget tables apply them: an unknown product or a base year that cannot be compared is
    dropped, so the export's context and link never repeat a filter that did nothing."""
    scope = budget_scope(wh, f, region)
    if scope is None:
        return f.with_(product=None, since=None)
    years = change_years(wh, f, scope)
    since = f.since if years and f.since == str(years[0]) else None
    return f.with_(product=scope.element, since=since)


def _scope_or_empty(fn):
    def rows(wh: Warehouse, f: Filters, region: str | None) -> pd.DataFrame:
        scope = budget_scope(wh, f, region)
        return pd.DataFrame() if scope is None else fn(wh, f, scope)

    return rows


@_scope_or_empty
def _products(wh: Warehouse, f: Filters, s: BudgetScope) -> pd.DataFrame:
    return wh.read("budget_products", s.program, s.year, s.month, s.territory)


@_scope_or_empty
def _months(wh: Warehouse, f: Filters, s: BudgetScope) -> pd.DataFrame:
    return wh.read("budget_months", s.program, s.year, s.month, s.territory, s.element)


@_scope_or_empty
def _units(wh: Warehouse, f: Filters, s: BudgetScope) -> pd.DataFrame:
    return wh.read("budget_units", s.program, s.year, s.month, s.territory, s.element)


def _age_group(wh: Warehouse, program: str) -> str:
    prog = wh.snapshot.catalogue.programs.get(program)
    return prog.beneficiaries[0] if prog and prog.beneficiaries else "<5"


@_scope_or_empty
def _regions(wh: Warehouse, f: Filters, s: BudgetScope) -> pd.DataFrame:
    return wh.read("budget_regions", s.program, s.year, s.month, s.element, _age_group(wh, s.program))


@_scope_or_empty
def _change(wh: Warehouse, f: Filters, s: BudgetScope) -> pd.DataFrame:
    years = change_years(wh, f, s)
    if years is None:
        return pd.DataFrame()
    return wh.read("budget_change", s.program, *years, s.element, _age_group(wh, s.program))


def _product_names(wh: Warehouse, df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """The program total's row is named; the logical-framework product is in the page's language."""
    df = df.copy()
    total = df.product_code.isna()
    df.loc[total, "product_name"] = t("program_total", f.lang)
    df["element"] = df[f"objective_{lang_of(f.lang)}"]
    return df


def _unit_names(wh: Warehouse, df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    df = df.copy()
    df["ejecutora_name"] = df.ejecutora_name.fillna(t("no_executing_unit", f.lang))
    return df


@_scope_or_empty
def _network_coverage(wh: Warehouse, f: Filters, s: BudgetScope) -> pd.DataFrame:
    """On the network tree (?arbol=red), a region's coverage per Red of each product (or the product chosen) at
    the budget's month: the records' figure along the network, the same rows as the region page's drill-down.
    The budget itself is recorded by department and executing unit, never per Red."""
    if s.territory == "PE" or f.tree != "red":
        return pd.DataFrame()
    cat = wh.snapshot.catalogue
    elements = (
        [cat.elements[s.element]]
        if s.element
        else [e for e in cat.elements.values() if e.program == s.program and e.level == "product"]
    )
    frames = [
        wh.read(
            "children", e.coverage, s.territory, "region", s.period, tree="red", region=s.territory
        ).assign(element=e.objective.get(f.lang), coverage_indicator=e.coverage)
        for e in elements
        if e.coverage
    ]
    frames = [df for df in frames if len(df)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


# --- what a budget view's download says about itself ----------------------------------------------------------


def unavailable(wh: Warehouse, f: Filters, region: str | None) -> str | None:
    if budget_scope(wh, f, region) is None:
        return (
            f"Sin ejecución presupuestal cargada del programa {f.program} para {f.period or 'el último año'}"
        )
    return None


def period(wh: Warehouse, f: Filters, region: str | None) -> Period:
    """'enero–febrero 2026': the months the amounts add up."""
    s = budget_scope(wh, f, region)
    if s is None:
        return Period("", "")
    months = fmt.MONTHS[lang_of(f.lang)]
    text = months[0] if s.month == 1 else f"{months[0]}–{months[s.month - 1]}"
    return Period(f"{text} {s.year}", f"{s.period:%Y-%m}")


def indicators(wh: Warehouse, f: Filters, region: str | None, df: pd.DataFrame) -> list[str]:
    """The program's budget and final-result indicators, and the coverage indicators its rows name."""
    cat = wh.snapshot.catalogue
    s = budget_scope(wh, f, region)
    codes = [i.code for i in cat.indicators_for(program=f.program, level="budget")]
    codes += [i.code for i in cat.indicators_for(program=f.program, level="final_result")]
    coverage = cat.elements[s.element].coverage if s and s.element else None
    if coverage:
        codes.append(coverage)
    if "coverage_indicator" in df:
        codes += list(df.coverage_indicator.dropna().unique())
    return list(dict.fromkeys(codes))
