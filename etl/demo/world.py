"""The generated world every file is written from: districts, facilities, children, and the catalogue.

Built once per run from the seed; each file's generator reads it and draws its own randomness (files.rng_for).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from warehouse.catalogue_model import Catalogue

from .calibration import REGION_CODES
from .facilities import build_facilities
from .population import build_population
from .scale import Scale
from .territory import build_districts


@dataclass
class World:
    seed: int
    scale: Scale
    catalogue: Catalogue
    districts: pd.DataFrame
    facilities: pd.DataFrame
    population: pd.DataFrame
    _pop: dict = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, seed: int, scale: Scale, catalogue: Catalogue) -> World:
        districts = build_districts(seed, scale)
        facilities = build_facilities(seed, scale, districts)
        population = build_population(seed, scale, districts)
        return cls(seed, scale, catalogue, districts, facilities, population)

    @cached_property
    def facility_region(self) -> np.ndarray:
        """Index into calibration.REGIONS of each facility's region."""
        index = {c: k for k, c in enumerate(REGION_CODES)}
        return self.facilities.region.map(index).to_numpy()

    @cached_property
    def _district_index(self) -> np.ndarray:
        pos = pd.Series(np.arange(len(self.districts)), index=self.districts.ubigeo)
        return pos.loc[self.facilities.ubigeo].to_numpy()

    def district_children(self, year: int, group: str) -> np.ndarray:
        """Children of an age group per district (districts order); the nearest year when out of range."""
        years = self.scale.population_years
        year = min(max(year, years[0]), years[-1])
        key = (year, group)
        if key not in self._pop:
            p = self.population
            rows = p[(p.year == year) & (p.age_group == group)]
            self._pop[key] = rows.set_index("ubigeo").children.reindex(self.districts.ubigeo).to_numpy(float)
        return self._pop[key]

    def facility_children(self, year: int, group: str) -> np.ndarray:
        """Children of an age group in each facility's catchment (a share of its district's)."""
        return (
            self.district_children(year, group)[self._district_index] * self.facilities.catchment.to_numpy()
        )

    def codes(self, feed: str) -> list[str]:
        """Catalogue indicators of a feed generated per facility (admin: HIS and SIGA; stock: SISMED)."""
        return [i.code for i in self.catalogue.indicators.values() if i.feed == feed]
