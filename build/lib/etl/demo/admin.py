"""Monthly administrative records (HIS, SIGA) per facility: ``his_YYYY_MM.csv``.

Coverage of each indicator follows its national path (calibration.ADMIN), a fixed effect per region (some lag
far behind their targets, some improve fast) and per facility, and monthly noise. Facilities skip months now
and then; the regions of calibration.LATE_REGIONS have not reported the last month yet. A few DIRESAs send
their month apart, in Latin-1 with ``;`` and decimal commas, as some do.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .calibration import (
    ADMIN,
    ADMIN_DEFAULT,
    IMPROVING_REGIONS,
    LAGGING_REGIONS,
    LATE_REGIONS,
    REGION,
    REGION_CODES,
    REGIONAL_FILE_REGIONS,
    AdminProfile,
)
from .files import copy_csv, expit, logit, rng_for, write_rows
from .records import DEMO_INDICATORS
from .world import World

_LATE = np.isin(np.array(REGION_CODES), LATE_REGIONS)


def region_effects(seed: int, name: str, codes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(level effect [region, indicator] on the logit scale, yearly slope [region]), for admin and stock."""
    rng = rng_for(seed, name)
    quality = rng.normal(0.0, 0.25, len(REGION_CODES))
    quality[np.isin(REGION_CODES, LAGGING_REGIONS)] = -0.6 + rng.normal(0, 0.05, len(LAGGING_REGIONS))
    improving = np.isin(REGION_CODES, IMPROVING_REGIONS)
    quality[improving] = -0.35
    slope = np.where(improving, 0.4, rng.normal(0.0, 0.05, len(REGION_CODES)))
    level = quality[:, None] + rng.normal(0.0, 0.18, (len(REGION_CODES), len(codes)))
    return level, slope


def months_since_2023(year: int, month: int) -> float:
    return (year - 2023) + (month - 1) / 12


def denominator_population(world: World, year: int, month: int, kind: str) -> np.ndarray:
    """Children (or cases, births) behind a denominator, per facility, for one month."""
    if kind == "unit":
        return np.ones(len(world.facilities))
    if kind == "births":
        return world.facility_children(year, "<1") / 12
    if kind == "cases":  # ARI and diarrhoea cases peak in the southern winter
        return world.facility_children(year, "<5") * 0.035 * (1 + 0.35 * np.cos(2 * np.pi * (month - 7) / 12))
    if kind == "6-11m":
        return world.facility_children(year, "<1") / 2
    if kind == "<3":  # families with a child under 3
        return world.facility_children(year, "<3") * 0.85
    return world.facility_children(year, kind)


@dataclass
class AdminModel:
    """Fixed effects of one run: per region and per facility, for every administrative indicator."""

    world: World
    codes: list[str]
    profiles: list[AdminProfile]
    region_level: np.ndarray
    region_slope: np.ndarray
    facility_effect: np.ndarray
    facility_draw: np.ndarray  # fixed uniform per facility × indicator: keeps equipment status steady

    @classmethod
    def build(cls, world: World) -> AdminModel:
        # Indicators only nominal records give (records.DEMO_INDICATORS) are computed from them, not drawn here.
        codes = [c for c in world.codes("admin") if c not in DEMO_INDICATORS]
        rng = rng_for(world.seed, "admin-facility-effects")
        n = len(world.facilities)
        level, slope = region_effects(world.seed, "admin-region-effects", codes)
        effect = world.facilities.quality.to_numpy()[:, None] + rng.normal(0, 0.2, (n, len(codes)))
        return cls(
            world,
            codes,
            [ADMIN.get(c, ADMIN_DEFAULT) for c in codes],
            level,
            slope,
            effect,
            rng.random((n, len(codes))),
        )

    def month(self, year: int, month: int, last: bool) -> pa.Table:
        """Every facility row of one month, sorted by ubigeo, facility and indicator."""
        w = self.world
        rng = rng_for(w.seed, f"admin-{year}-{month:02d}")
        f = w.facilities
        n = len(f)
        reg = w.facility_region
        t = months_since_2023(year, month)
        reported = rng.random(n) >= f.skip.to_numpy()
        if last:
            reported &= ~_LATE[reg]
        fidx, iidx, num, den, frac = [], [], [], [], []
        for k, prof in enumerate(self.profiles):
            rows = reported & (f.category_index.to_numpy() >= prof.min_category)
            base = (
                prof.level_2023 + prof.slope * t + prof.season * np.cos(2 * np.pi * (month - 2) / 12)
            ) / 100
            lo = logit(base) + self.region_level[reg, k] + self.region_slope[reg] * t
            if prof.denominator == "unit":  # equipment works or not, and stays so month after month
                p = expit(lo + 2.5 * self.facility_effect[:, k])
                n_k = (self.facility_draw[:, k] + rng.normal(0, 0.03, n) < p).astype(np.int64)
                d_k = np.ones(n)
            else:
                p = expit(lo + self.facility_effect[:, k] + rng.normal(0, 0.12, n))
                pop = denominator_population(w, year, month, prof.denominator)
                if prof.fractional:
                    d_k = np.maximum(np.round(pop * rng.lognormal(0, 0.03, n), 1), 0.5)
                else:
                    d_k = np.maximum(np.rint(pop * rng.lognormal(0, 0.03, n)), 1)
                n_k = rng.binomial(np.floor(d_k).astype(np.int64), np.clip(p, 0, 1))
            sel = np.flatnonzero(rows)
            fidx.append(sel)
            iidx.append(np.full(len(sel), k))
            num.append(n_k[sel])
            den.append(d_k[sel])
            frac.append(np.full(len(sel), prof.fractional))
        fi, ii = np.concatenate(fidx), np.concatenate(iidx)
        order = np.lexsort((ii, fi))  # facilities are in ubigeo order already
        fi, ii = fi[order], ii[order]
        return pa.table(
            {
                "periodo": pa.array(np.full(len(fi), f"{year}-{month:02d}")),
                "ubigeo": pc.take(pa.array(f.ubigeo.to_numpy()), pa.array(fi)),
                "cod_ipress": pc.take(pa.array(f.cod_ipress.to_numpy()), pa.array(fi)),
                "indicador": pc.take(pa.array(self.codes), pa.array(ii)),
                "numerador": pa.array(np.concatenate(num)[order]),
                "denominador": pa.array(np.concatenate(den)[order].astype(float)),
                "fraccion": pa.array(np.concatenate(frac)[order]),
                "region": pc.take(pa.array(np.array(REGION_CODES)), pa.array(reg[fi])),
            }
        )


_SELECT = (
    "periodo, ubigeo, cod_ipress, indicador, numerador, "
    "case when fraccion then printf('%.1f', denominador) else cast(cast(denominador as bigint) as varchar) "
    "end as denominador"
)


def regional_months(world: World) -> dict[tuple[int, int], str]:
    """(year, month) → region whose DIRESA sends that month apart (never the last month)."""
    months = world.scale.months[:-1]
    k = min(world.scale.regional_files, len(months))
    rng = rng_for(world.seed, "regional-files")
    picks = sorted(rng.choice(len(months), size=k, replace=False))
    return {months[p]: REGIONAL_FILE_REGIONS[j % len(REGIONAL_FILE_REGIONS)] for j, p in enumerate(picks)}


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "_".join(plain.replace(".", " ").split())


def write_month(
    model: AdminModel, year: int, month: int, folder: Path, last: bool, regional: str | None = None
) -> list[Path]:
    """The month's national file, and the regional file of a DIRESA that sent its month apart."""
    table = model.month(year, month, last)
    path = folder / f"his_{year}_{month:02d}.csv"
    if regional is None:
        copy_csv(table, path, _SELECT)
        return [path]
    is_regional = pc.equal(table["region"], regional)
    copy_csv(table.filter(pc.invert(is_regional)), path, _SELECT)
    return [path, _write_regional(model, table.filter(is_regional), year, month, regional, folder)]


def _write_regional(
    model: AdminModel, table: pa.Table, year: int, month: int, region: str, folder: Path
) -> Path:
    """A DIRESA's own export: Latin-1, ';', decimal commas, CRLF, upper-case headers, a row number (Nº) and
    the facility's name (columns the loader ignores with a warning)."""
    names = dict(zip(model.world.facilities.cod_ipress, model.world.facilities.name, strict=True))
    rows = []
    for k, r in enumerate(table.to_pylist(), 1):
        den = f"{r['denominador']:.1f}".replace(".", ",") if r["fraccion"] else str(int(r["denominador"]))
        rows.append(
            (
                k,
                r["periodo"],
                r["ubigeo"],
                r["cod_ipress"],
                names[r["cod_ipress"]],
                r["indicador"],
                r["numerador"],
                den,
            )
        )
    path = folder / f"his_{year}_{month:02d}_diresa_{slug(REGION[region].endes)}.csv"
    write_rows(
        path,
        ["Nº", "PERIODO", "UBIGEO", "COD_IPRESS", "ESTABLECIMIENTO", "INDICADOR", "NUMERADOR", "DENOMINADOR"],
        rows,
        delimiter=";",
        encoding="latin-1",
        crlf=True,
    )
    return path
