"""What both printed scorecards (dashboard.printview: the country's matrix and a region's page) carry besides their
table: the lights' legend, the rules of the indicators on the page in the catalogue's words
(warehouse.rules.describe_rule, the one place for rule prose), and the sources with the data dates of the period
printed."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import jinja2

from warehouse.catalogue_model import Catalogue, Indicator
from warehouse.rules import STATUS_MEANING, STATUSES, describe_rule

from .data import Warehouse
from .export.context import data_dates
from .i18n import section

TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


def legend(lang: str) -> list[dict]:
    return [
        {
            "code": s.code,
            "colour": s.colour,
            "text_colour": s.text_colour,
            "glyph": s.glyph,
            "label": s.label.get(lang),
            "meaning": STATUS_MEANING[s.code].get(lang),
        }
        for s in STATUSES.values()
    ]


def rules(indicators: Iterable[Indicator], cat: Catalogue, lang: str) -> list[dict]:
    """Each rule once, with the short names of the indicators it lights, in the order they appear."""
    by_text: dict[str, list[str]] = {}
    for ind in indicators:
        by_text.setdefault(describe_rule(ind, cat, lang), []).append(ind.short.get(lang))
    return [{"names": ", ".join(names), "text": text} for text, names in by_text.items()]


def sources(wh: Warehouse, upto: str, lang: str) -> list[str]:
    """'Registros administrativos 2026-09 (his_2026_09.csv, 2026-10-12 08:00)': each source's data of the period
    printed (not of the latest load), for the sources a scorecard reads."""
    words = section("export", lang)["sources"]
    return [
        f"{words[k]} {d['period']} ({d['file']}, {d['loaded']})"
        for k, d in data_dates(wh, upto).items()
        if k in words
    ]
