"""The declared shape of the catalogue files: every key a file may hold, and its type.

``settings.yaml`` is :class:`Settings`; every other file is a :class:`ProgramFile`. Values (levels, rules, band
order, links between elements) are checked in :mod:`warehouse.catalogue_read` with its Spanish messages; here only
the keys and their types, so that a misspelled key stops the load (see :mod:`warehouse.yaml_schema`).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator

from .yaml_schema import Strict


def _plain_text(raw: Any) -> Any:
    """A single string where a text is optional (``method``) is both its Spanish and its English."""
    return {"es": raw, "en": raw} if isinstance(raw, str) else raw


class Text(Strict):
    es: str | None = None
    en: str | None = None


OneOrTwoLanguages = Annotated[Text, BeforeValidator(_plain_text)]


# --- settings.yaml -------------------------------------------------------------------------------------------


class Band(Strict):
    below: float | None = None
    status: str | None = None
    label: Text | None = None


class BandSet(Strict):
    source: Text | None = None
    bands: list[Band] | None = None


class StockClass(Strict):
    status: str | None = None
    label: Text | None = None


class Stock(Strict):
    sub_stock_below_months: float | None = None
    over_stock_above_months: float | None = None
    classes: dict[str, StockClass] | None = None
    availability_bands: str | None = None


class BudgetPace(Strict):
    expected_cumulative_pct: list[float] | None = None
    at_risk_gap: float | None = None
    critical_gap: float | None = None


class Mef(Strict):
    amounts_are_monthly_flows: bool | None = None
    non_negative: list[str] | None = None
    lima_split_by: str | None = None
    ejecutora_province_by_name: dict[str, str] | None = None  # executing unit's name → province code
    municipality_prefixes: dict[str, list[str]] | None = None  # district / province → name prefixes


class Source(Strict):
    feed: str | None = None
    territory_level: str | None = None
    name: Text | None = None
    publisher: str | None = None


class DataQuality(Strict):
    """Data-quality thresholds; the defaults are the conventions described in settings.yaml."""

    completeness_adequate_from: float = 90.0
    completeness_at_risk_from: float = 70.0
    reporting_deadline_days: float = 15.0
    outlier_modified_z: float = 3.5
    history_months: float = 12.0
    min_history_months: float = 6.0
    jump_points: float = 30.0
    denominator_change_pct: float = 50.0


class LoadGuards(Strict):
    """How a load guards the warehouse; the defaults are this project's conventions, described in settings.yaml."""

    max_rejected_pct: float = 5.0
    column_failure_pct: float = 50.0
    column_failure_min_rows: float = 10.0
    replace_scope_min_pct: float = 90.0


class SmallSample(Strict):
    min_n: float | None = None


class Settings(Strict):
    referential_cv: float | None = None
    expected_lookback_months: int | None = None
    small_sample: SmallSample | None = None
    band_sets: dict[str, BandSet] | None = None
    stock: Stock | None = None
    budget_pace: BudgetPace | None = None
    mef: Mef | None = None
    sources: dict[str, Source] | None = None
    data_quality: DataQuality | None = None
    load: LoadGuards | None = None
    plausible_max: dict[str, float] | None = None  # "source.column": the largest plausible value


# --- program_*.yaml ------------------------------------------------------------------------------------------


class Beneficiaries(Strict):
    age_group: str | None = None
    name: Text | None = None


class Program(Strict):
    code: str | None = None
    short: str | None = None
    name: Text | None = None
    mef_name: str | None = None
    beneficiaries: Beneficiaries | None = None


class Element(Strict):
    code: str | None = None
    level: str | None = None
    contributes_to: str | None = None
    objective: Text | None = None
    assumptions: Text | None = None
    mef_products: list[str] | None = None
    coverage: str | None = None
    population: str | None = None


class Endes(Strict):
    cuadro: str | None = None
    title_all: list[str] | None = None
    title_any: list[str] | None = None
    title_none: list[str] | None = None


class Rule(Strict):
    kind: str | None = None
    set: str | None = None
    tolerance: float | None = None


class Budget(Strict):
    products: str | list[str] | None = None  # 'all' or MEF product codes


class Indicator(Strict):
    code: str | None = None
    element: str | None = None
    level: str | None = None
    name: Text | None = None
    short: Text | None = None
    unit: str | None = None
    direction: str | None = None
    periodicity: str | None = None
    source: str | None = None
    numerator: Text | None = None
    denominator: Text | None = None
    method: OneOrTwoLanguages | None = None
    endes: Endes | None = None
    rule: Rule | None = None
    default_target: float | None = None
    min_n: float | None = None
    headline: int | None = None
    key: bool | None = None
    budget: Budget | None = None


class ProgramFile(Strict):
    program: Program | None = None
    elements: list[Element] | None = None
    indicators: list[Indicator] | None = None
