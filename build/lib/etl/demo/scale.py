"""How big a generated data set is: the demo's size, and the national size the benchmark needs.

Periods are fixed dates, never relative to today, so that the same seed gives the same bytes on any day.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Scale:
    name: str
    districts: int  # about how many districts (the country has about 1,891)
    facilities: int  # about how many public first-level facilities report PAN activities
    first_month: str = "2023-01"  # first month of administrative, stock and budget data
    last_month: str = "2026-09"  # last month (budget years run January to December up to this month)
    budget_lines: int = 900  # PAN and SMN budget lines (meta × classifier × funding source) per year
    other_rows: int = 2_000  # rows of other programs per yearly MEF file, which the budget loader must skip
    big_budget_year: int | None = None  # a year whose MEF file is filled with other programs ...
    big_budget_rows: int = 0  # ... up to this many rows (the benchmark's national MEF CSV)
    extra_series: int = 0  # synthetic facility series declared in an extra catalogue file (benchmark only)
    regional_files: int = 3  # admin files a few DIRESAs send apart: Latin-1, ';' and decimal commas

    def replace(self, **changes) -> Scale:
        return dataclasses.replace(self, **changes)

    @property
    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month from ``first_month`` to ``last_month``."""
        y, m = (int(x) for x in self.first_month.split("-"))
        last = tuple(int(x) for x in self.last_month.split("-"))
        out = []
        while (y, m) <= last:
            out.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    @property
    def budget_years(self) -> list[int]:
        return sorted({y for y, _ in self.months})

    @property
    def last_budget_month(self) -> dict[int, int]:
        """Months of data in each fiscal year: every month, up to ``last_month`` in its year."""
        last_year, last_m = (int(x) for x in self.last_month.split("-"))
        return {y: (last_m if y == last_year else 12) for y in self.budget_years}

    @property
    def population_years(self) -> list[int]:
        """Padrón Nominal years: two before the first month's year (for context) up to the last."""
        years = self.budget_years
        return list(range(years[0] - 2, years[-1] + 1))


# `semaforo demo`: about 1,300 facilities, 45 months; builds in well under a minute on 2 cores.
DEMO = Scale(name="demo", districts=800, facilities=1_300)

# The benchmark's national data set: ≈ 8,000 facilities × 60 series × 60 months, a national MEF CSV of more
# than 2 million rows (2025), ENDES tables as in the demo.
NATIONAL = Scale(
    name="national",
    districts=1_880,
    facilities=8_000,
    first_month="2021-10",
    budget_lines=12_000,
    other_rows=20_000,
    big_budget_year=2025,
    big_budget_rows=2_100_000,
    extra_series=39,
    regional_files=6,
)
