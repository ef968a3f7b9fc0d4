"""The filter state of every page lives in the URL's query string, so a copied link reopens the same view and the
back button works. Parsing and serialising are pure functions (tested for round trip)."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from urllib.parse import parse_qs, urlencode

from warehouse.catalogue_model import LEVELS as LEVELS
from warehouse.territory_levels import TREES as TREES

from .i18n import LANGS

__all__ = ["LEVELS", "TREES", "Filters", "href", "parse", "serialise"]

KEYS = {  # attribute → query-string key, as Peruvian users would read it
    "program": "programa",
    "period": "periodo",
    "level": "nivel",
    "region": "region",  # the region a page of every region singles out (/indicador, /marco-logico, /imprimir)
    "province": "provincia",
    "district": "distrito",
    "tree": "arbol",  # the tree a drill-down follows: territorio (default) or red (the health network)
    "red": "red",
    "microred": "microred",
    "facilities": "establecimientos",  # "todos": a province's or a Red's whole facility list in the drill-down
    "indicator": "indicador",
    "product": "producto",  # a product of the logical framework (Presupuesto page)
    "since": "desde",  # the base year of a comparison across years (Presupuesto page)
    "lang": "lang",
}
FACILITY_LIST = "todos"
_PERIOD = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")
_CODE = re.compile(r"^[A-Za-z0-9_]{1,40}$")
_YEAR = re.compile(r"^\d{4}$")
_REGION = re.compile(r"^[0-9A-Za-z]{2}$")  # a region's code: its two-digit ubigeo, or LM / LR for Lima


@dataclass(frozen=True, slots=True)
class Filters:
    program: str = "0001"
    period: str | None = None  # 'YYYY-MM' (a month) or 'YYYY' (a year); None = latest month with data
    level: str | None = None
    region: str | None = None  # on pages of every region: the one they single out (its own pages: the path)
    province: str | None = None
    district: str | None = None
    tree: str = "territorio"
    red: str | None = None  # a Red's composite key (DISA_RED), on the network tree
    microred: str | None = None  # a MicroRed's composite key (DISA_RED_MICRORED)
    facilities: str | None = None  # "todos": the drill-down lists every facility of its province or Red
    indicator: str | None = None
    product: str | None = None
    since: str | None = None
    lang: str = "es"

    def with_(self, **changes: object) -> Filters:
        return replace(self, **changes)


DEFAULT = Filters()
_FIELDS = tuple(x.name for x in fields(Filters))


def parse(search: str | None) -> Filters:
    """Filters from '?programa=0001&periodo=2026-09…'; unknown keys and malformed values are ignored."""
    raw = parse_qs((search or "").lstrip("?"), keep_blank_values=False)
    get = {attr: raw[key][-1] for attr, key in KEYS.items() if raw.get(key)}
    values = {}
    if _CODE.match(get.get("program", "")):
        values["program"] = get["program"]
    if _PERIOD.match(get.get("period", "")):
        values["period"] = get["period"]
    if get.get("level") in LEVELS:
        values["level"] = get["level"]
    if get.get("tree") in TREES:
        values["tree"] = get["tree"]
    if _REGION.match(get.get("region", "")):
        values["region"] = get["region"].upper()  # as /imprimir?region=lm reads it
    for attr in ("province", "district", "red", "microred", "indicator", "product"):
        if _CODE.match(get.get(attr, "")):
            values[attr] = get[attr]
    if get.get("facilities") == FACILITY_LIST:
        values["facilities"] = FACILITY_LIST
    if _YEAR.match(get.get("since", "")):
        values["since"] = get["since"]
    if get.get("lang") in LANGS:
        values["lang"] = get["lang"]
    return Filters(**values)


def serialise(f: Filters) -> str:
    """'?…' with only the values that differ from the defaults, in a stable order ('' when all default)."""
    # getattr, not dataclasses.asdict (a deep copy: 0.4 ms a call, and a page writes hundreds of links)
    pairs = [(KEYS[k], v) for k in _FIELDS if (v := getattr(f, k)) is not None and v != getattr(DEFAULT, k)]
    return "?" + urlencode(pairs) if pairs else ""


def href(path: str, f: Filters, **changes: object) -> str:
    return path + serialise(f.with_(**changes) if changes else f)
