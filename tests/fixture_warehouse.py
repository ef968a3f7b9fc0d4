"""The small fixture warehouse: every source of the demo, one month, a few hundred places, in seconds.

Its files are written by the demo's own writers (the publishers' layouts) for a small world and loaded by the
demo's loading loop (the real loaders, in the same order, with the same "received" dates). Only the records-based
admin figures (two HIS anemia indicators computed from 30,000 children's nominal records, about 20 s) are left
out: the monthly HIS file carries every other admin indicator.

Tests that check views, figures, exports and callbacks against the warehouse itself use it; tests that need the
demo's calibrated numbers (its survey trends, its years of history) keep ``demo_db``.
"""

from __future__ import annotations

from pathlib import Path

from etl.demo import admin
from etl.demo.build import load_all
from etl.demo.generate import LOAD_ORDER, SourceFile, generate
from etl.demo.scale import Scale
from etl.demo.world import World
from warehouse.catalogue_read import load_catalogue

SEED = 2026
MONTH = (2026, 9)

# Every region, about 200 districts and facilities (the generator gives every province at least one district),
# one month of admin, stock and budget data; the survey tables and the targets as the demo writes them.
SCALE = Scale(
    name="fixture",
    districts=80,
    facilities=100,
    first_month=f"{MONTH[0]}-{MONTH[1]:02d}",
    last_month=f"{MONTH[0]}-{MONTH[1]:02d}",
    budget_lines=60,
    other_rows=40,
    regional_files=0,
)


def source_files(folder: Path) -> list[SourceFile]:
    """Write the fixture's source files into ``folder``; return them in load order."""
    files = list(generate(folder, SEED, SCALE, only=tuple(s for s in LOAD_ORDER if s != "admin")).files)
    model = admin.AdminModel.build(World.build(SEED, SCALE, load_catalogue()))
    monthly = [SourceFile("admin", p) for p in admin.write_month(model, *MONTH, folder, last=True)]
    stock_at = next(i for i, f in enumerate(files) if f.source == "stock")
    return files[:stock_at] + monthly + files[stock_at:]  # LOAD_ORDER: admin before stock


def build(db: Path, folder: Path) -> None:
    """Build the fixture warehouse at ``db`` from source files written into ``folder``."""
    failures = load_all(iter(source_files(folder)), db, None, echo=lambda _msg: None)
    if failures:
        raise RuntimeError("the fixture warehouse did not build: " + "; ".join(failures))
