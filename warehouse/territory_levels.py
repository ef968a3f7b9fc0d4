"""The territory's levels along its two trees — the territorial one (country → regions → provinces → districts →
facilities) and the health network (region → Reds → MicroRedes → facilities) — and what the queries derive from
them: the levels of a list of codes, the status view to read for them, whether codes lie below the region."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

TERRITORY_LEVELS = ("pais", "region", "provincia", "distrito")


def levels_of(con: duckdb.DuckDBPyConnection, territories: list[str]) -> list[str]:
    """The territory levels of these codes, passed to the queries as a constant so that DuckDB skips the value
    branches of the other levels (the district rows, above all). A code names one territory at one level
    (core_territory, from which the marts take their codes); every level when a code is unknown."""
    known = con.execute(
        "select territory_code, territory_level from core_territory where list_contains(?, territory_code)",
        [territories],
    ).fetchall()
    if {code for code, _ in known} != set(territories):
        return list(TERRITORY_LEVELS)
    return sorted({level for _, level in known})


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
