"""Every screen in its language (issue 22 part 7), on the small fixture warehouse: the dropdowns' own words, the
unknown codes' messages, English amounts, the lights' contrast. The browser's side is tests/browser/test_screens.py
and test_a11y.py."""

from __future__ import annotations

import pytest

from dashboard import format as fmt
from dashboard.app import route
from dashboard.i18n import DROPDOWN_LABELS, dropdown_labels
from tests.dashboard.test_callbacks import texts
from warehouse.rules import STATUSES


def _dropdowns(component) -> list:
    found = []
    if type(component).__name__ == "Dropdown":
        found.append(component)
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and hasattr(child, "to_plotly_json"):
            found += _dropdowns(child)
    return found


def test_dropdown_words_in_both_languages():
    es, en = dropdown_labels("es"), dropdown_labels("en")
    assert set(es) == set(en) == set(DROPDOWN_LABELS)
    assert es["search"] == "Buscar" and es["no_options_found"] == "No hay opciones"
    assert en["search"] == "Search" and en["no_options_found"] == "No options found"
    assert es["selected_count"].format(num_selected=3) == "3 seleccionados"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_dropdown_of_the_pages_speaks_the_page_language(app, lang):
    from dashboard.app import shell
    from dashboard.context import warehouse

    for path in ("/", "/region/09", "/presupuesto/09"):
        with app.server.test_request_context(path):
            page = shell(warehouse(), path, f"?periodo=2026-09&lang={lang}", known=True)
        dropdowns = _dropdowns(page)
        assert len(dropdowns) >= 4, path  # the filter bar's four, and the page's own
        for d in dropdowns:
            assert d.labels == dropdown_labels(lang), (path, d.id)


def test_unknown_codes_say_so(app):
    page, _key = route("/region/99", "?lang=es", None)
    assert "«99»" in texts(page) and "Elija una" in texts(page)
    page, _key = route("/indicador/NO_EXISTE", "?lang=en", None)
    assert "'NO_EXISTE'" in texts(page) and "Choose one" in texts(page)
    page, _key = route("/indicador", "?lang=es", None)  # no code: the chooser alone, no message
    assert "unknown-code" not in texts(page)


def test_english_amounts_write_millions_as_m():
    assert fmt.soles(14_300_000.0, "en") == "S/ 14.3 M"
    assert fmt.soles(14_300_000.0, "es") == "S/ 14.3 mill."


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


@pytest.mark.parametrize("code", list(STATUSES))
def test_every_light_word_reads_on_its_colour_at_wcag_aa(code):
    s = STATUSES[code]
    light, dark = sorted((_luminance(s.colour), _luminance(s.text_colour)), reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 4.5, (code, s.colour, s.text_colour)
