"""The dashboard's one words mechanism, Spanish first (es-PE) then English: every word of its own interface is an
entry of ``words.yaml`` with both languages; :func:`t` reads the pages' words, :func:`section` the words of a
download, the print view or the sign-in page. Indicator, rule and status words come from the catalogue and
warehouse.rules. AG Grid's own words are its Spanish locale, vendored as data (nothing downloads at run time)."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import yaml

from warehouse.catalogue_model import Text
from warehouse.yaml_schema import YAML_LOADER

if TYPE_CHECKING:
    from dash.dcc import Dropdown

LANGS = ("es", "en")
WORDS_FILE = Path(__file__).parent / "words.yaml"
# @ag-grid-community/locale's AG_GRID_LOCALE_ES for the grid of dash-ag-grid (MIT, vendor/LICENSE-ag-grid-locale)
GRID_LOCALE_FILE = Path(__file__).parent / "vendor" / "ag-grid-locale-es-35.3.1.json"


@functools.cache
def entries() -> dict[str, dict[str, dict[str, Any]]]:
    """section → key → {'es': …, 'en': …}, as words.yaml holds them (read by libyaml where installed: a tenth of the
    pure-Python reader's time, paid by every process that imports the dashboard)."""
    return yaml.load(WORDS_FILE.read_text(encoding="utf-8"), Loader=YAML_LOADER)


def lang_of(lang: str | None) -> str:
    """The language of a filter or option: English when asked for, else Spanish."""
    return "en" if lang == "en" else "es"


def t(key: str, lang: str = "es", **kw: object) -> str:
    """A word of the pages (section ``app``) in the language, with its ``{placeholders}`` filled."""
    text = entries()["app"][key][lang_of(lang)]
    return text.format(**kw) if kw else text


@functools.cache
def _section(name: str, lang: str) -> dict[str, Any]:
    return {key: entry[lang] for key, entry in entries()[name].items()}


def section(name: str, lang: str) -> dict[str, Any]:
    """All the words of one section in one language (a download's sheets, the print view, the sign-in page)."""
    return _section(name, lang_of(lang))


def words(key: str) -> Text:
    """A view's title, note, column label or help (section ``views``) as the two-language Text its declaration
    holds."""
    entry = entries()["views"][key]
    return Text(entry["es"], entry["en"])


def level_name(level: str, lang: str = "es") -> str:
    return t(f"level_{level}", lang)


@functools.cache
def _grid_locale_es() -> dict[str, str]:
    return json.loads(GRID_LOCALE_FILE.read_text(encoding="utf-8"))


def grid_locale(lang: str) -> dict[str, str]:
    """AG Grid's own words (pagination, filters, empty grid): its Spanish locale; English is the grid's default."""
    return _grid_locale_es() if lang_of(lang) == "es" else {}


def grid_words(lang: str) -> dict[str, Any]:
    """The grid options that give a grid its own words in ``lang``: the Spanish locale is not sent with each grid
    (33 kB apiece) but read in the browser from the script ``dashboard.delivery`` serves once
    (``dagfuncs.gridText``, assets/dashAgGridFunctions.js)."""
    return {"getLocaleText": {"function": "gridText(params)"}} if lang_of(lang) == "es" else {}


# dcc.Dropdown's own words (Dash 4's ``labels``), by its key → our words' key.
DROPDOWN_LABELS = {
    "search": "dropdown_search",
    "no_options_found": "dropdown_no_options",
    "clear_search": "dropdown_clear_search",
    "clear_selection": "dropdown_clear_selection",
    "select_all": "dropdown_select_all",
    "deselect_all": "dropdown_deselect_all",
    "selected_count": "dropdown_selected_count",
}


@functools.cache
def dropdown_labels(lang: str) -> Dropdown.Labels:
    """The ``labels`` of every ``dcc.Dropdown``: its search box, "no options" and clear buttons in the language
    (Dash's own are English only)."""
    return cast(
        "Dropdown.Labels",
        {prop: entries()["app"][key][lang_of(lang)] for prop, key in DROPDOWN_LABELS.items()},
    )


def scope_name(wh, region: str | None, lang: str) -> str:
    """What a page or download covers: a region's name, the country, or — for a user who sees only some regions —
    those regions (their 'national' figures hold only them)."""
    names = wh.snapshot.names
    if region:
        return names.get(region, region)
    if wh.allowed is None:
        return t("national", lang)
    return f"{t('your_regions', lang)}: " + ", ".join(names.get(r, r) for r in sorted(wh.allowed))


def chart_source(feeds: tuple[str, ...], period: str, lang: str) -> str:
    """A chart's source line, for its PNG: 'Fuente: presupuesto (MEF–SIAF), … · datos de enero a setiembre 2026'."""
    names = section("export", lang)["sources"]
    return t("chart_source", lang, source=", ".join(names.get(f, f) for f in feeds), period=period)
