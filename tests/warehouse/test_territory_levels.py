"""A territory code's level read from its shape (warehouse.territory_levels.levels_of) agrees with the warehouse."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import rows
from warehouse.territory_levels import TERRITORY_LEVELS, levels_of


def test_every_territory_code_has_its_level_by_shape(territory_db: Path) -> None:
    territories = rows(territory_db, "select territory_code, territory_level from core_territory")
    assert {level for _, level in territories} == set(TERRITORY_LEVELS)
    wrong = [(code, level) for code, level in territories if levels_of([code]) != [level]]
    assert wrong == []


def test_a_list_of_codes_gives_each_of_their_levels_once() -> None:
    assert levels_of(["PE", "09", "LM"]) == ["pais", "region"]
    assert levels_of(["0901", "090107", "0902"]) == ["distrito", "provincia"]


def test_a_code_of_no_level_s_shape_gives_every_level() -> None:
    assert levels_of(["09", "12345"]) == list(TERRITORY_LEVELS)
    assert levels_of(["09", "20_05"]) == list(TERRITORY_LEVELS)
