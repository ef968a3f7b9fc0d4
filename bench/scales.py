"""The benchmark's data set sizes: the national one of issue 4, and a small one for CI's smoke test."""

from __future__ import annotations

from etl.demo.scale import NATIONAL, Scale

# ≈ 8,000 facilities × 60 series × 60 months, a 2.1-million-row MEF CSV (etl/demo/scale.py).
FULL = NATIONAL

# Every file kind and figure of the full run, at the demo's size and a year of months: about a minute.
SMALL = NATIONAL.replace(
    name="small",
    districts=800,
    facilities=1_300,
    first_month="2025-10",
    budget_lines=900,
    other_rows=2_000,
    big_budget_year=2026,
    big_budget_rows=100_000,
    extra_series=6,
    regional_files=1,
)

__all__ = ["FULL", "SMALL", "Scale", "scale_named"]


def scale_named(name: str) -> Scale:
    return {s.name: s for s in (FULL, SMALL)}[name]
