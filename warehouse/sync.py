"""Copy the catalogue and the shipped territory tables into the warehouse, inside the caller's transaction.

Every load runs this first, so the status view always applies the rules of the catalogue the load was made with,
and the dashboard (which parses ``core_catalogue_file``) labels values with that same catalogue.
"""

from __future__ import annotations

import csv
import hashlib
import math
from pathlib import Path
from typing import Any

import duckdb

from .catalogue_model import STOCK_CLASSES, Catalogue, CatalogueFile
from .catalogue_read import parse_catalogue

TERRITORY = Path(__file__).parent / "territory"


def _replace(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple[Any, ...]]) -> None:
    con.execute(f"delete from {table}")
    if rows:
        # One INSERT … SELECT from a pandas frame: executemany costs a round trip per row. Imported here: only a
        # changed catalogue or territory needs it, and pandas is most of a `semaforo load` process's start.
        import pandas as pd

        columns = [r[0] for r in con.execute(f"select * from {table} limit 0").description]
        frame = pd.DataFrame(rows, columns=columns)  # noqa: F841 — read by DuckDB's replacement scan
        con.execute(f"insert into {table} select * from frame")


def _fingerprint(con: duckdb.DuckDBPyConnection, key: str, value: str) -> bool:
    """Record ``value`` under ``key``; True when it changed (the caller must then copy the data again)."""
    old = con.execute("select value from core_meta where key = ?", [key]).fetchone()
    if old and old[0] == value:
        return False
    con.execute("insert or replace into core_meta values (?, ?)", [key, value])
    return True


def _finite(x: float) -> float:
    # DuckDB stores ±infinity in DOUBLE columns; the first and last band are open-ended.
    return x if math.isfinite(x) else (float("inf") if x > 0 else float("-inf"))


def sync_catalogue(con: duckdb.DuckDBPyConnection, cat: Catalogue) -> None:
    if not _fingerprint(con, "catalogue", cat.version):
        return
    _replace(con, "core_catalogue_file", [(f.name, f.text, f.sha256) for f in cat.files])
    _replace(
        con,
        "core_program",
        [(p.code, p.short, p.name.es, p.name.en, p.mef_name) for p in cat.programs.values()],
    )
    _replace(
        con,
        "core_element",
        [
            (
                e.code,
                e.program,
                e.level,
                e.objective.es,
                e.objective.en,
                e.contributes_to,
                list(e.mef_products),
                e.coverage,
                e.population,
            )
            for e in cat.elements.values()
        ],
    )
    _replace(
        con,
        "core_indicator",
        [
            (
                i.code,
                i.program,
                i.element,
                i.level,
                i.name.es,
                i.name.en,
                i.unit,
                i.multiplier,
                i.direction,
                i.periodicity,
                i.source.code,
                i.feed,
                i.rule.kind,
                i.rule.tolerance,
                i.default_target,
                None if i.budget_products is None else list(i.budget_products),
                i.contributes_to,
                i.min_n,
            )
            for i in cat.indicators.values()
        ],
    )
    bands = []
    for i in cat.indicators.values():
        band_set = (
            i.rule.band_set
            if i.rule.kind == "bands"
            else cat.stock.availability
            if i.rule.kind == "stock"
            else None
        )
        for b in band_set.bands if band_set else ():
            bands.append((i.code, _finite(b.lower), _finite(b.upper), b.status, b.label.es, b.label.en))
    _replace(con, "core_rule_band", bands)
    _replace(
        con,
        "core_stock_class",
        [
            (c, cat.stock.classes[c].status, cat.stock.classes[c].label.es, cat.stock.classes[c].label.en, k)
            for k, c in enumerate(STOCK_CLASSES)
        ],
    )
    _replace(
        con,
        "core_setting",
        [
            ("referential_cv", cat.referential_cv),
            ("expected_lookback_months", float(cat.expected_lookback_months)),
            ("sub_stock_below_months", cat.stock.sub_stock_below_months),
            ("over_stock_above_months", cat.stock.over_stock_above_months),
            ("budget_at_risk_gap", cat.budget_pace.at_risk_gap),
            ("budget_critical_gap", cat.budget_pace.critical_gap),
            *((f"quality_{k}", v) for k, v in cat.quality.items()),
        ],
    )
    _replace(
        con,
        "core_budget_pace",
        [(m + 1, pct) for m, pct in enumerate(cat.budget_pace.expected_cumulative_pct)],
    )


def territory_rows(name: str) -> list[dict[str, str]]:
    """The rows of one of the territory tables shipped in warehouse/territory/."""
    with open(TERRITORY / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def sync_territory(con: duckdb.DuckDBPyConnection) -> None:
    """Departments, provinces and the 26 regions ship with the project; districts come from the official file."""
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(TERRITORY.glob("*.csv")))).hexdigest()[
        :16
    ]
    if not _fingerprint(con, "territory", digest):
        return
    _replace(
        con, "core_department", [(r["department_code"], r["name"]) for r in territory_rows("departments.csv")]
    )
    _replace(
        con,
        "core_province",
        [(r["province_code"], r["department_code"], r["name"]) for r in territory_rows("provinces.csv")],
    )
    _replace(
        con,
        "core_region",
        [
            (
                r["region_code"],
                r["name"],
                r["abbrev"],
                r["department_code"],
                r["province_code"] or None,
                r["endes_labels"],
                int(r["tile_row"]),
                int(r["tile_col"]),
                int(r["sort_order"]),
            )
            for r in territory_rows("regions.csv")
        ],
    )


def sync_reference(con: duckdb.DuckDBPyConnection, cat: Catalogue) -> None:
    sync_catalogue(con, cat)
    sync_territory(con)


def stored_catalogue(con: duckdb.DuckDBPyConnection) -> Catalogue:
    """The catalogue a warehouse was built with."""
    files = con.execute("select name, text from core_catalogue_file order by name").fetchall()
    return parse_catalogue(CatalogueFile(n, t) for n, t in files)
