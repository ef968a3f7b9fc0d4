"""Numbers, money and dates as Peruvian officials write them (es-PE: 1,234.5; S/; setiembre)."""

from __future__ import annotations

import datetime as dt
import math
from typing import TypeGuard

import pandas as pd

MONTHS = {
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "setiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}
MONTHS_SHORT = {
    "es": ["ene.", "feb.", "mar.", "abr.", "may.", "jun.", "jul.", "ago.", "set.", "oct.", "nov.", "dic."],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}
UNIT_SUFFIX = {"pct": "%", "per_1000": "‰", "count": ""}

PERU = dt.timezone(dt.timedelta(hours=-5), "PET")  # Peru keeps UTC−5 all year


def lima(value: object) -> dt.datetime:
    """A timestamp the ETL kept in the loading machine's local time, without a zone, in Lima's."""
    return pd.Timestamp(value).to_pydatetime().astimezone(PERU)


def missing(x: object) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def present(x: float | None) -> TypeGuard[float]:
    """Not :func:`missing`: a number the type checker then knows is one."""
    return not missing(x)


def number(x: float | None, decimals: int = 1) -> str:
    return "–" if missing(x) else f"{x:,.{decimals}f}"


def value(x: float | None, unit: str, decimals: int = 1) -> str:
    """12.1 %, 8.4 ‰, 1,234"""
    if missing(x):
        return "–"
    if unit == "count":
        return number(x, 0)
    return f"{number(x, decimals)} {UNIT_SUFFIX.get(unit, '')}".strip()


# Millions of soles as each language abbreviates them: "mill." in Spanish, "M" in English.
MILLIONS = {"es": "mill.", "en": "M"}


def millions(lang: str = "es") -> str:
    return MILLIONS["en" if lang == "en" else "es"]


def soles(x: float | None, lang: str = "es") -> str:
    """S/ 2,845.3 mill. (English: S/ 2,845.3 M) — budget amounts in millions of soles, as MEF reports them."""
    if not present(x):
        return "–"
    if abs(x) >= 1e6:
        return f"S/ {x / 1e6:,.1f} {millions(lang)}"
    return f"S/ {x:,.0f}"


def month(d: dt.date, lang: str = "es", short: bool = False) -> str:
    names = (MONTHS_SHORT if short else MONTHS)[lang if lang in MONTHS else "es"]
    return f"{names[d.month - 1]} {d.year}"


def period(d: dt.date, grain: str, lang: str = "es", short: bool = False) -> str:
    """'setiembre 2026' for a month, '2025' for a survey year."""
    return str(d.year) if grain == "A" else month(d, lang, short)


def delta(current: float | None, previous: float | None) -> float | None:
    if not (present(current) and present(previous)):
        return None
    return current - previous
