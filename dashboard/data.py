"""The dashboard's access to the warehouse: one read-only DuckDB connection per process, one cursor per thread,
reopened when the ETL swaps in a new warehouse file. Slow-changing lookups (catalogue, territories, periods) are
cached per opened file."""

from __future__ import annotations

import datetime as dt
import os
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import duckdb
import pandas as pd

from warehouse import query
from warehouse.catalogue import Catalogue
from warehouse.db import connect_readonly
from warehouse.sync import stored_catalogue

from . import format as fmt
from .state import Filters


@dataclass(frozen=True)
class Snapshot:
    """What one opened warehouse file holds that the pages need again and again."""

    catalogue: Catalogue
    territories: pd.DataFrame
    regions: pd.DataFrame
    months: dict[str, list[dt.date]]  # program → months with data
    years: dict[str, list[int]]  # program → survey years
    loaded: pd.DataFrame
    budget_cutoffs: dict[str, dict[int, int]]  # program → fiscal year → last month with budget data
    result_years: dict[str, list[int]]  # program → years with a final-result estimate for some region

    @cached_property
    def names(self) -> dict[str, str]:
        return dict(zip(self.territories.territory_code, self.territories.name, strict=True))

    @cached_property
    def levels(self) -> dict[str, str]:
        return dict(zip(self.territories.territory_code, self.territories.territory_level, strict=True))

    @cached_property
    def parents(self) -> dict[str, str | None]:
        return dict(zip(self.territories.territory_code, self.territories.parent_code, strict=True))

    def children_of(self, code: str) -> pd.DataFrame:
        return self.territories[self.territories.parent_code == code]


class Warehouse:
    def __init__(self, path: str | os.PathLike, allowed: frozenset[str] | None = None):
        self.path = Path(path)
        self.allowed = allowed
        self._lock = threading.Lock()
        self._local = threading.local()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._stamp: tuple[int, int] | None = None
        self._snapshot: Snapshot | None = None
        self._generation = 0
        self.shapes = None  # region polygons when the app was given a boundaries GeoJSON

    def _file_stamp(self) -> tuple[int, int]:
        st = self.path.stat()
        return st.st_ino, st.st_mtime_ns

    def _ensure_open(self) -> None:
        stamp = self._file_stamp()
        if self._con is not None and stamp == self._stamp:
            return
        with self._lock:
            if self._con is not None and stamp == self._stamp:
                return
            if self._con is not None:
                self._con.close()
            self._con = connect_readonly(self.path)
            self._stamp = stamp
            self._snapshot = None
            self._generation += 1

    @property
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor on the current warehouse file."""
        self._ensure_open()
        local = self._local
        if getattr(local, "generation", None) != self._generation:
            local.cursor = self._con.cursor()
            local.generation = self._generation
        return local.cursor

    @property
    def snapshot(self) -> Snapshot:
        cur = self.cursor
        if self._snapshot is None:
            periods = query.periods(cur)
            months: dict[str, list[dt.date]] = {}
            years: dict[str, list[int]] = {}
            for program, grain, period in periods[["program_code", "period_grain", "period"]].itertuples(
                index=False
            ):
                d = pd.Timestamp(period).date()
                if grain == "M":
                    months.setdefault(program, []).append(d)
                else:
                    years.setdefault(program, []).append(d.year)
            self._snapshot = Snapshot(
                catalogue=stored_catalogue(cur),
                territories=query.territories(cur),
                regions=query.regions(cur),
                months={k: sorted(set(v)) for k, v in months.items()},
                years={k: sorted(set(v)) for k, v in years.items()},
                loaded=query.batches_summary(cur),
                budget_cutoffs=query.budget_cutoffs(cur),
                result_years=query.result_years(cur),
            )
        return self._snapshot

    def checked(self, f: Filters) -> Filters:
        """Filters this warehouse can answer: a program the catalogue does not hold (a mistyped or stale link)
        opens the first program, and a period without data the latest one, which the filter bar then shows,
        instead of an error page or a page of empty lights. (Exports of such links are 404: dashboard.export.)"""
        programs = self.snapshot.catalogue.programs
        if f.program not in programs:
            f = f.with_(program=next(iter(programs)))
        return f if self.has_period(f.program, f.period) else f.with_(period=None)

    def has_period(self, program: str, period: str | None) -> bool:
        """Whether a period filter names a month, or a year, with data of the program (a survey year counts:
        the period chooser offers it)."""
        if period is None:
            return True
        months = self.snapshot.months.get(program) or []
        if any(m.strftime("%Y-%m") == period or str(m.year) == period for m in months):
            return True
        return len(period) == 4 and int(period) in self.snapshot.years.get(program, [])  # a survey year

    def period_label(self, program: str, period: str | None, lang: str) -> str:
        """How a page names the period it shows: 'setiembre 2026' for a month; for a year, the year and the month
        its monthly figures are from ('2025 · diciembre 2025'), or the year alone when it has only survey data."""
        d = self.resolve_period(program, period)
        if not period or len(period) != 4:
            return fmt.month(d, lang)
        has_months = any(m.year == d.year for m in self.snapshot.months.get(program) or [])
        return f"{period} · {fmt.month(d, lang)}" if has_months else period

    def resolve_period(self, program: str, period: str | None) -> dt.date:
        """The month a filter means: a 'YYYY-MM' month, the last month with data of a 'YYYY' year, or the latest."""
        months = self.snapshot.months.get(program) or [m for ms in self.snapshot.months.values() for m in ms]
        if not months:
            return dt.date.today().replace(day=1)
        if period and len(period) == 7:
            return dt.date(int(period[:4]), int(period[5:]), 1)
        if period and len(period) == 4:
            in_year = [m for m in months if m.year == int(period)]
            return max(in_year) if in_year else dt.date(int(period), 12, 1)
        return max(months)
