"""What one opened version of the warehouse holds that the pages need again and again: the catalogue, the
territories and the health network, the months and years with data, the budget's cut-off months. Read once per
version (dashboard.data.Version) and never changed: a version of the file never changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import duckdb
import pandas as pd

from warehouse.catalogue_model import Catalogue
from warehouse.sync import stored_catalogue

from .reads import named_query


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
    network: pd.DataFrame  # the health network's Reds and MicroRedes, once per region they reach

    def network_children(self, region: str, parent: str) -> pd.DataFrame:
        """The Reds of a region (``parent`` = the region) or the MicroRedes of one of its Reds, in that region."""
        n = self.network
        return n[(n.region_code == region) & (n.parent_code == parent)]

    def network_name(self, region: str, code: str) -> str:
        n = self.network
        names = n.name[(n.region_code == region) & (n.territory_code == code)]
        return names.iloc[0] if len(names) else code

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


def read_snapshot(cur: duckdb.DuckDBPyConnection) -> Snapshot:
    periods = named_query("periods")(cur)
    months: dict[str, list[dt.date]] = {}
    years: dict[str, list[int]] = {}
    for program, grain, period in periods[["program_code", "period_grain", "period"]].itertuples(index=False):
        d = pd.Timestamp(period).date()
        if grain == "M":
            months.setdefault(program, []).append(d)
        else:
            years.setdefault(program, []).append(d.year)
    return Snapshot(
        catalogue=stored_catalogue(cur),
        territories=named_query("territories")(cur),
        regions=named_query("regions")(cur),
        months={k: sorted(set(v)) for k, v in months.items()},
        years={k: sorted(set(v)) for k, v in years.items()},
        loaded=named_query("batches_summary")(cur),
        budget_cutoffs=named_query("budget_cutoffs")(cur),
        result_years=named_query("result_years")(cur),
        network=named_query("network")(cur),
    )
