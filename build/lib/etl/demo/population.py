"""Children by district, year and age group, written as Padrón Nominal extracts (``padron_YYYY.csv``).

National totals follow calibration.UNDER3_NATIONAL (≈ 1.95 million under 3 in 2023); each region gets its
share of the country's children, and each district a share of its region's (capitals larger).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from .calibration import AGE_SHARE_OF_UNDER3, REGIONS, UNDER3_NATIONAL, child_weights
from .files import copy_csv, rng_for
from .scale import Scale

# Groups written to the file; '<3', '<5' and '6-35m' are the totals the Padrón's reports print too.
AGE_GROUPS = ("<1", "1", "2", "3", "4", "<3", "<5", "6-35m")


def build_population(seed: int, scale: Scale, districts: pd.DataFrame) -> pd.DataFrame:
    """Long table: year, ubigeo, age_group, children (integers)."""
    rng = rng_for(seed, "population")
    region_share = dict(zip([r.code for r in REGIONS], child_weights(), strict=True))
    # A district's share of its region: capitals of departments and provinces hold most children.
    w = rng.gamma(1.5, 1.0, len(districts)) * np.where(districts.capital, 4.0, 1.0)
    w = w * np.where(districts.ubigeo.str[2:] == "0101", 3.0, 1.0)
    share = w / pd.Series(w).groupby(districts.region.to_numpy()).transform("sum").to_numpy()
    frames = []
    for year in scale.population_years:
        under3 = UNDER3_NATIONAL[year] * districts.region.map(region_share).to_numpy() * share
        under3 = under3 * rng.lognormal(0, 0.02, len(districts))  # registers drift a little year to year
        ages = {a: np.rint(under3 * s).astype(np.int64) for a, s in AGE_SHARE_OF_UNDER3.items()}
        groups = {
            **ages,
            "<3": ages["<1"] + ages["1"] + ages["2"],
            "<5": ages["<1"] + ages["1"] + ages["2"] + ages["3"] + ages["4"],
            "6-35m": np.rint(ages["<1"] / 2).astype(np.int64) + ages["1"] + ages["2"],
        }
        for g in AGE_GROUPS:
            frames.append(
                pd.DataFrame(
                    {"year": year, "ubigeo": districts.ubigeo, "age_group": g, "children": groups[g]}
                )
            )
    return pd.concat(frames, ignore_index=True)


def write_padron(population: pd.DataFrame, year: int, path: Path) -> Path:
    rows = population[population.year == year]
    table = rows.rename(columns={"year": "anio", "age_group": "grupo_edad", "children": "ninos"})
    copy_csv(
        pa.Table.from_pandas(table[["anio", "ubigeo", "grupo_edad", "ninos"]], preserve_index=False), path
    )
    return path
