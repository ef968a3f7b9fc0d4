"""Write every demo source file into a folder, in the publishers' formats, and list them in load order."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from warehouse.catalogue_model import Catalogue
from warehouse.catalogue_read import load_catalogue

from . import admin, budget, records, stock, survey
from .extra import write_extra_catalogue
from .facilities import write_renipress
from .network import write_network
from .population import write_padron
from .scale import DEMO, NATIONAL, Scale
from .targets import target_years, write_targets
from .territory import write_ubigeo
from .world import World

# The order the warehouse is built in: reference data first, then facts.
LOAD_ORDER = ("territory", "facilities", "red", "population", "targets", "budget", "survey", "admin", "stock")


@dataclass(frozen=True, slots=True)
class SourceFile:
    source: str  # the loader: semaforo load <source> <path>
    path: Path


@dataclass(frozen=True, slots=True)
class Generated:
    folder: Path
    files: tuple[SourceFile, ...]  # in load order
    catalogue_dir: Path | None  # a catalogue with the benchmark's extra series, when the scale asks for them

    def of(self, source: str) -> list[Path]:
        return [f.path for f in self.files if f.source == source]


def extra_catalogue(folder: str | Path, scale: Scale) -> Path | None:
    """The catalogue directory with the scale's extra series (written once), or None for the shipped one."""
    if not scale.extra_series:
        return None
    return write_extra_catalogue(Path(folder) / "catalogo", scale.extra_series)


def generate(
    folder: str | Path,
    seed: int = 2026,
    scale: Scale = DEMO,
    *,
    only: tuple[str, ...] = LOAD_ORDER,
    echo: Callable[[str], None] = lambda _m: None,
    on_file: Callable[[SourceFile], None] = lambda _f: None,
) -> Generated:
    """Write the source files of the loaders in ``only`` into ``folder``, in load order; the same seed gives
    the same bytes. ``on_file`` is called as each file is complete (the demo loads while it generates)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    catalogue_dir = extra_catalogue(folder, scale)
    catalogue: Catalogue = load_catalogue(catalogue_dir)
    started = time.perf_counter()
    world = World.build(seed, scale, catalogue)
    echo(
        f"Mundo generado: {len(world.districts):,} distritos, {len(world.facilities):,} establecimientos "
        f"({time.perf_counter() - started:.1f} s)"
    )
    files: list[SourceFile] = []

    def add(source: str, *paths: Path) -> None:
        for p in paths:
            files.append(SourceFile(source, p))
            on_file(files[-1])

    last = scale.months[-1]
    for source in (s for s in LOAD_ORDER if s in only):
        started = time.perf_counter()
        if source == "territory":
            add(source, write_ubigeo(world.districts, folder / "ubigeo_distritos.csv"))
        elif source == "facilities":
            add(source, write_renipress(world.facilities, seed, folder / "renipress.csv"))
        elif source == "red":
            add(
                source, write_network(world.facilities, seed, folder / "red")
            )  # masters apart from the monthly files
        elif source == "population":
            for y in scale.population_years:
                add(source, write_padron(world.population, y, folder / f"padron_{y}.csv"))
        elif source == "targets":
            years = target_years(scale.budget_years[-1])
            add(source, write_targets(catalogue, seed, years, folder / f"metas_{years[0]}_{years[-1]}.csv"))
        elif source == "budget":
            for y in scale.budget_years:
                add(source, budget.write_year(world, y, folder))
        elif source == "survey":
            add(source, *survey.write_survey(seed, catalogue, folder))
        elif source == "admin":
            model = admin.AdminModel.build(world)
            regional = admin.regional_months(world)
            # The figures computed from nominal records first: the monthly HIS files then stay the newest admin
            # batches, as a month's file is in real use (they cover other indicators and erase none of these).
            add(source, records.write_demo_records(world, folder))
            for y, m in scale.months:
                add(source, *admin.write_month(model, y, m, folder, (y, m) == last, regional.get((y, m))))
        elif source == "stock":
            stock_model = stock.StockModel.build(world)
            for y, m in scale.months:
                add(source, stock.write_month(stock_model, y, m, folder, (y, m) == last))
        n = sum(1 for f in files if f.source == source)
        echo(f"  {source:<11} {n:>3} archivo(s) en {time.perf_counter() - started:.1f} s")
    return Generated(folder, tuple(files), catalogue_dir)


def generate_national(
    folder: str | Path,
    seed: int = 2026,
    scale: Scale = NATIONAL,
    echo: Callable[[str], None] = lambda _m: None,
) -> Generated:
    """The benchmark's national data set (≈ 8,000 facilities × 60 series × 60 months, a national MEF CSV of
    more than 2 million rows). Load it with the catalogue of ``Generated.catalogue_dir``: its extra series are
    declared there (point SEMAFORO_CATALOGUE at it)."""
    return generate(folder, seed, scale, echo=echo)
