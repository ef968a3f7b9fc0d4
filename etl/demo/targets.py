"""Targets per indicator × region × year for the indicators lit against a target (``metas_AAAA_AAAA.csv``).

The national target rises to the catalogue's default target by the last year
(calibration.TARGET_RISE_PER_YEAR, or a path of calibration.TARGET_PATHS); regions get a few points around it,
lower where they lag far behind. Regions are written by name, as a planning office would type them, and the
country as ``PE``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from warehouse.catalogue_model import Catalogue
from warehouse.sync import TERRITORY

from .calibration import LAGGING_REGIONS, TARGET_PATHS, TARGET_RISE_PER_YEAR
from .files import rng_for, write_rows


def target_years(last_year: int) -> list[int]:
    return list(range(2021, last_year + 1))


def write_targets(catalogue: Catalogue, seed: int, years: list[int], path: Path) -> Path:
    rng = rng_for(seed, path.name)
    with open(TERRITORY / "regions.csv", encoding="utf-8") as f:
        regions = [(r["region_code"], r["name"]) for r in csv.DictReader(f)]
    rows = []
    for ind in catalogue.indicators.values():
        if ind.rule.kind != "target" or ind.default_target is None:
            continue
        sign = 1 if ind.direction == "up" else -1
        rise = TARGET_RISE_PER_YEAR["survey" if ind.feed == "survey" else "admin"]
        offsets = rng.normal(0, 1.5, len(regions))
        for year in years:
            path_ = TARGET_PATHS.get(ind.code)
            national = (
                path_[year]
                if path_ and year in path_
                else ind.default_target - sign * rise * (years[-1] - year)
            )
            rows.append((ind.code, "PE", year, _fmt(national, ind.unit)))
            for (code, name), off in zip(regions, offsets, strict=True):
                lag = -3.0 * sign if code in LAGGING_REGIONS else 0.0
                rows.append((ind.code, name, year, _fmt(national + lag + sign * off, ind.unit)))
    write_rows(path, ["indicador", "region", "anio", "meta"], rows)
    return path


def _fmt(value: float, unit: str) -> str:
    value = float(np.clip(value, 0, 100)) if unit == "pct" else max(value, 0.0)
    return f"{round(value * 2) / 2:.1f}"
