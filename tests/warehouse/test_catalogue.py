"""The catalogue parses into frozen objects and refuses, with every problem listed, what is not well formed."""

from __future__ import annotations

import dataclasses

import pytest
import yaml

from warehouse.catalogue_model import CatalogueError, CatalogueFile
from warehouse.catalogue_read import CATALOGUE_DIR, load_catalogue, parse_catalogue


def files(**overrides: str) -> list[CatalogueFile]:
    out = {p.name: p.read_text(encoding="utf-8") for p in CATALOGUE_DIR.glob("*.yaml")}
    out.update(overrides)
    return [CatalogueFile(n, t) for n, t in sorted(out.items())]


def edit(name: str, change) -> str:
    doc = yaml.safe_load((CATALOGUE_DIR / name).read_text(encoding="utf-8"))
    change(doc)
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def test_shipped_catalogue_has_pan_in_full_and_a_second_program():
    cat = load_catalogue()
    assert set(cat.programs) == {"0001", "0002"}
    pan = cat.indicators_for(program="0001")
    levels = {i.level for i in pan}
    assert levels == {"budget", "critical_input", "product", "intermediate_result", "final_result"}
    assert cat.indicators["PAN_DCI"].level == "final_result" and cat.indicators["PAN_DCI"].direction == "down"
    assert cat.indicators["PAN_ANEMIA"].code != cat.indicators["PAN_ANEMIA_REV"].code
    assert cat.indicators["PAN_I_HIERRO_GOTAS"].contributes_to == "PAN_P_HIERRO"
    assert cat.indicators["PAN_P_HIERRO"].contributes_to == "PAN_RI_ANEMIA"
    assert cat.indicators["PAN_ANEMIA"].contributes_to == "PAN_RF"
    for i in cat.indicators.values():
        assert i.name.es and i.name.en and i.source.feed in ("admin", "stock", "survey", "budget")
    assert len(cat.indicators_for(program="0002")) >= 4


def test_catalogue_objects_are_frozen():
    cat = load_catalogue()
    with pytest.raises(dataclasses.FrozenInstanceError):
        cat.indicators["PAN_DCI"].unit = "count"


def test_unknown_rule_missing_english_and_overlapping_bands_are_all_reported():
    def break_pan(doc):
        doc["indicators"][0]["rule"] = {"kind": "vibes"}
        doc["indicators"][1]["name"] = {"es": "Solo español"}

    def break_bands(doc):
        doc["band_sets"]["who_stunting"]["bands"][2]["below"] = 5  # below the previous band's 10

    with pytest.raises(CatalogueError) as e:
        parse_catalogue(
            files(
                **{
                    "program_0001_pan.yaml": edit("program_0001_pan.yaml", break_pan),
                    "settings.yaml": edit("settings.yaml", break_bands),
                }
            )
        )
    text = str(e.value)
    assert "regla desconocida 'vibes'" in text
    assert "necesita textos en español e inglés" in text
    assert "se superponen" in text
    assert len(e.value.problems) >= 3


def test_links_must_point_upwards_to_known_elements():
    def break_links(doc):
        doc["elements"][1]["contributes_to"] = "NO_EXISTE"
        doc["indicators"][0]["element"] = "OTRO"

    with pytest.raises(CatalogueError) as e:
        parse_catalogue(files(**{"program_0001_pan.yaml": edit("program_0001_pan.yaml", break_links)}))
    assert "contribuye a un elemento desconocido 'NO_EXISTE'" in str(e.value)
    assert "elemento desconocido 'OTRO'" in str(e.value)


def test_a_product_names_a_coverage_indicator_of_its_own():
    cat = load_catalogue()
    assert cat.elements["PAN_P_CRED"].coverage == "PAN_P_CRED"

    def wrong_coverage(doc):
        for e in doc["elements"]:
            if e["code"] == "PAN_P_CRED":
                e["coverage"] = "PAN_DCI"  # a result, not this product's coverage

    with pytest.raises(CatalogueError, match=r"elemento PAN_P_CRED.*coverage 'PAN_DCI'"):
        parse_catalogue(files(**{"program_0001_pan.yaml": edit("program_0001_pan.yaml", wrong_coverage)}))


def test_target_rule_needs_a_default_target():
    def drop_target(doc):
        for i in doc["indicators"]:
            if i["code"] == "PAN_LME":
                del i["default_target"]

    with pytest.raises(CatalogueError, match="default_target"):
        parse_catalogue(files(**{"program_0001_pan.yaml": edit("program_0001_pan.yaml", drop_target)}))


def test_band_classification_is_contiguous():
    cat = load_catalogue()
    who = cat.band_sets["who_stunting"]
    assert who.classify(2.4).label.es.startswith("Muy baja")
    assert who.classify(2.5).label.es.startswith("Baja")
    assert who.classify(19.99).status == "en_riesgo"
    assert who.classify(45).status == "critico"
