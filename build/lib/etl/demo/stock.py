"""Monthly critical-input stock per facility (SISMED): ``stock_YYYY_MM.csv`` with stock and CPM.

Consumption (CPM) follows the children behind each input; months of supply are log-normal around the input's
typical level, shifted per region and facility, with chronic over-stock at a few facilities, stock-outs at
the input's rate (higher in lagging regions) and national shortage episodes (calibration.STOCK).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .admin import _LATE, denominator_population, region_effects
from .calibration import LAGGING_REGIONS, REGION_CODES, STOCK, STOCK_DEFAULT, StockProfile
from .files import copy_csv, rng_for
from .world import World

_LAGGING = np.isin(np.array(REGION_CODES), LAGGING_REGIONS)


@dataclass
class StockModel:
    world: World
    codes: list[str]
    profiles: list[StockProfile]
    region_level: np.ndarray  # effect on log months of supply [region, input]
    cpm_factor: np.ndarray  # fixed per facility × input
    supply_effect: np.ndarray  # fixed per facility × input, on log months of supply
    fragile: np.ndarray  # facilities × inputs with frequent stock-outs
    idle: np.ndarray  # facilities × inputs that consume nothing (no turnover)

    @classmethod
    def build(cls, world: World) -> StockModel:
        codes = world.codes("stock")
        rng = rng_for(world.seed, "stock-facility-effects")
        n, k = len(world.facilities), len(codes)
        level, _ = region_effects(world.seed, "stock-region-effects", codes)
        supply = world.facilities.quality.to_numpy()[:, None] * 0.4 + rng.normal(0, 0.22, (n, k))
        supply += np.where(rng.random((n, k)) < 0.04, 1.3, 0.0)  # chronic over-stock: orders never adjusted
        return cls(
            world,
            codes,
            [STOCK.get(c, STOCK_DEFAULT) for c in codes],
            level * 0.6,
            rng.lognormal(0, 0.35, (n, k)),
            supply,
            rng.random((n, k)) < 0.05,
            rng.random((n, k)) < 0.008,
        )

    def month(self, year: int, month: int, last: bool) -> pa.Table:
        w = self.world
        rng = rng_for(w.seed, f"stock-{year}-{month:02d}")
        f = w.facilities
        n = len(f)
        reg = w.facility_region
        period = f"{year}-{month:02d}"
        reported = rng.random(n) >= f.skip.to_numpy()
        if last:
            reported &= ~_LATE[reg]
        sel = np.flatnonzero(reported)
        stocks, cpms = [], []
        for k, prof in enumerate(self.profiles):
            pop = denominator_population(w, year, month, prof.population)
            cpm = np.rint(pop * prof.per_child * self.cpm_factor[:, k] * rng.lognormal(0, 0.08, n))
            cpm = np.where(self.idle[:, k], 0, np.maximum(cpm, 1))
            log_months = np.log(prof.months_median) + self.region_level[reg, k] + self.supply_effect[:, k]
            months = np.exp(log_months + rng.normal(0, 0.36, n))
            p_out = prof.stockout * np.where(_LAGGING[reg], 2.0, 1.0) * np.where(self.fragile[:, k], 4.0, 1.0)
            p_out = p_out + sum(extra for a, b, extra in prof.episodes if a <= period <= b)
            out = rng.random(n) < np.clip(p_out, 0, 0.9)
            base = np.where(self.idle[:, k], np.rint(pop * prof.per_child * 2), cpm)
            stock = np.where(out, 0, np.maximum(np.rint(base * months), 1))
            stocks.append(stock[sel])
            cpms.append(cpm[sel])
        k = len(self.codes)
        fi = np.repeat(sel, k)
        ii = np.tile(np.arange(k), len(sel))
        return pa.table(
            {
                "periodo": pa.array(np.full(len(fi), period)),
                "cod_ipress": pc.take(pa.array(f.cod_ipress.to_numpy()), pa.array(fi)),
                "ubigeo": pc.take(pa.array(f.ubigeo.to_numpy()), pa.array(fi)),
                "insumo": pc.take(pa.array(self.codes), pa.array(ii)),
                "stock": pa.array(np.stack(stocks, axis=1).ravel().astype(np.int64)),
                "cpm": pa.array(np.stack(cpms, axis=1).ravel().astype(np.int64)),
            }
        )


def write_month(model: StockModel, year: int, month: int, folder: Path, last: bool) -> Path:
    path = folder / f"stock_{year}_{month:02d}.csv"
    copy_csv(model.month(year, month, last), path)
    return path
