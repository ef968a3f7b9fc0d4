"""The budget's serving mart (mart_budget): what a load's scoped refresh leaves equals a refresh of everything,
a refused load leaves it as it was, and undoing a year's file puts the year's sums back."""

from __future__ import annotations

from etl.undo import undo_batch
from tests.conftest import copy_warehouse, load, rows
from tests.etl.test_budget import LAST_YEAR, line, mef_csv
from warehouse.db import open_writer
from warehouse.marts import refresh_all

MART = "select * from mart_budget order by all"
# The lines summed as the mart's definition says, straight from the view (the test's own reading of the rule).
SUMMED = """
    select program_code, year, month, region_code, product_code, max(product_name), sum(pia), sum(pim),
           sum(certificado), sum(comprometido_anual), sum(comprometido), sum(devengado), sum(girado), max(batch_id)
    from core_budget_line group by all order by all
"""


def year_file(path, year, pim, dev):
    """A year of two products in two departments, Lima split by executing unit (1501 → Lima Metropolitana) and a
    line executed abroad (no department: the country's total only)."""
    return mef_csv(
        path,
        [
            line(year, 1, pim=pim, dev=dev),
            line(year, 2, pim=0, dev=dev / 2),
            line(year, 1, product="3033256", pim=pim / 4, dev=dev / 4),
            line(year, 1, dept="15", dep_ejec="15", prov_ejec="01", pim=pim, dev=dev),
            line(year, 1, dept="15", dep_ejec="15", prov_ejec="05", pim=pim / 2, dev=dev / 2),
            line(year, 2, dept="98", dep_ejec="15", prov_ejec="01", pim=pim / 8, dev=dev / 8),
        ],
    )


def test_a_years_load_refreshes_that_year_only_as_a_full_refresh_would(territory_db, tmp_path):
    earlier, later = LAST_YEAR - 1, LAST_YEAR
    first = load(territory_db, "budget", year_file(tmp_path / "a.csv", earlier, 1000, 100))
    assert first.status == "loaded", (first.message, first.problems)
    assert load(territory_db, "budget", year_file(tmp_path / "b.csv", later, 2000, 300)).status == "loaded"
    kept = rows(territory_db, "select * from mart_budget where year = ? order by all", [earlier])
    replaced = load(territory_db, "budget", year_file(tmp_path / "c.csv", later, 3000, 900))
    assert replaced.status == "loaded"

    scoped = rows(territory_db, MART)
    assert rows(territory_db, "select * from mart_budget where year = ? order by all", [earlier]) == kept
    assert scoped == rows(territory_db, SUMMED)
    assert {r[3] for r in scoped} == {"09", "LM", "LR", None}  # Lima split by its units; abroad kept apart
    full = copy_warehouse(territory_db, tmp_path / "full.duckdb")
    with open_writer(full) as con:
        refresh_all(con)
    assert rows(full, MART) == scoped
    # The year's PIM on the mart is the file's: 3000 + 750 + 3000 + 1500 + 375 (not added to the first file's)
    assert rows(territory_db, "select sum(pim) from mart_budget where year = ?", [later]) == [(8625.0,)]

    undone = undo_batch(territory_db, replaced.batch_id)
    assert undone.status == "loaded", undone.message
    assert rows(territory_db, "select sum(pim) from mart_budget where year = ?", [later]) == [(5750.0,)]
    assert rows(territory_db, MART) == rows(territory_db, SUMMED)


def test_a_refused_load_leaves_the_mart_as_it_was(territory_db, tmp_path):
    assert (
        load(territory_db, "budget", year_file(tmp_path / "a.csv", LAST_YEAR, 1000, 100)).status == "loaded"
    )
    before = rows(territory_db, MART)
    bad = mef_csv(tmp_path / "bad.csv", [line(month=1, pim=5, dev=1), line(month=2, MONTO_DEVENGADO="1-")])
    r = load(territory_db, "budget", bad, strict=True)
    assert r.status == "refused"
    assert rows(territory_db, MART) == before
