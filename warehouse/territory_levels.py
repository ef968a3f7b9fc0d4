"""The territory's levels along its two trees — the territorial one (country → regions → provinces → districts →
facilities) and the health network (region → Reds → MicroRedes → facilities) — and what the queries derive from
them: the levels of a list of codes, the status view to read for them, whether codes lie below the region."""

from __future__ import annotations

from collections.abc import Iterable

TERRITORY_LEVELS = ("pais", "region", "provincia", "distrito")


COUNTRY = "PE"
# A territory code's length names its level (INEI's ubigeo: 2 digits a region — or LM / LR for Lima —, 4 a
# province, 6 a district); the country is PE. tests/warehouse/test_territory_levels.py checks this against every
# code of core_territory.
LEVEL_BY_LENGTH = {2: "region", 4: "provincia", 6: "distrito"}


def levels_of(territories: list[str]) -> list[str]:
    """The territory levels of these codes, passed to the queries as a constant so that DuckDB skips the value
    branches of the other levels (the district rows, above all). Read from the codes' shape, not from the
    warehouse: a query on core_territory cost about 10 ms per read, several per callback. Every level when a code
    has no level's shape (it then matches no row of any level anyway)."""
    levels = set()
    for code in territories:
        level = "pais" if code == COUNTRY else LEVEL_BY_LENGTH.get(len(code))
        if level is None:
            return list(TERRITORY_LEVELS)
        levels.add(level)
    return sorted(levels)


TOP_LEVELS = frozenset({"pais", "region"})


def subregional(codes: str | Iterable[str] | None) -> bool:
    """Country and region codes have two characters (PE, 01…25, LM, LR); provinces, districts and facilities more."""
    if codes is None:
        return False
    return any(len(c) > 2 for c in ([codes] if isinstance(codes, str) else codes))


def statuses(levels: Iterable[str]) -> str:
    """The view of statuses to read for these territory levels: the stored ones when only the country and regions
    are asked for (mart_status_top, kept by the marts refresh), else the rules applied at read time."""
    return "mart_status_top" if set(levels) <= TOP_LEVELS else "mart_indicator_status_fast"


CHILD_LEVEL = {"pais": "region", "region": "provincia", "provincia": "distrito", "distrito": "eess"}
TREES = ("territorio", "red")  # the territorial tree (the default) and the health network
NETWORK_CHILD_LEVEL = {"pais": "region", "region": "red", "red": "microred", "microred": "eess"}


def child_level(parent_level: str, tree: str = "territorio") -> str:
    """The level one below ``parent_level`` along ``tree``."""
    return (NETWORK_CHILD_LEVEL if tree == "red" else CHILD_LEVEL)[parent_level]
