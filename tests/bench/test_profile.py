"""The load profile's small warehouse and its figures: the same reference files as the national build and only
the measured month's look-back window of HIS months; the ratio names what grows with the warehouse."""

from __future__ import annotations

import re
from pathlib import Path

from bench.profile import LOOKBACK_MONTHS, figures, small_warehouse_files


def test_the_small_warehouse_holds_the_reference_and_the_months_window():
    loads = [
        {"source": "territory", "file": "ubigeo_distritos.csv"},
        {"source": "facilities", "file": "renipress.csv"},
        *({"source": "admin", "file": f"his_2026_{m:02d}.csv"} for m in range(1, 13)),
        {"source": "admin", "file": "his_2026_09_diresa_cusco.csv"},  # a regional file: a fact, left out
        {"source": "stock", "file": "stock_2026_09.csv"},
        {"source": "budget", "file": "gasto_2025.csv"},
        {"source": "targets", "file": "metas_2026.csv"},
    ]
    chosen = small_warehouse_files(loads, Path("/src"), Path("/src/his_2026_09.csv"))
    names = [Path(f["path"]).name for f in chosen]
    months = [f"his_2026_{m:02d}.csv" for m in range(9 - LOOKBACK_MONTHS, 10)]
    assert names == ["ubigeo_distritos.csv", "renipress.csv", *months, "metas_2026.csv"]  # the build's order
    assert all(f["path"].startswith("/src/") for f in chosen)


def test_the_ratio_compares_the_same_month_and_names_what_grows():
    def load(where, role, seconds, phases):
        rows = 200_000 if role == "month" else 50
        return {"warehouse": where, "role": role, "path": f"/x/{role}.csv", "rows_read": rows,
                "seconds": seconds, "phases": phases}  # fmt: skip

    loads = [
        load("national", "first", 5.0, {"verify": 4.0, "copy": 1.0}),
        load("national", "month", 6.0, {"copy": 3.0, "write": 3.0}),
        load("national", "fixed", 3.2, {"copy": 3.0, "marts": 0.2}),
        load("small", "first", 1.0, {"verify": 0.5, "copy": 0.5}),
        load("small", "month", 3.3, {"copy": 0.3, "write": 3.0}),
        load("small", "fixed", 0.3, {"copy": 0.1, "marts": 0.2}),
    ]
    out = figures(loads, {"national": 4000.0, "small": 300.0})
    ratio = out[-1]
    assert ratio.value == 6.0 and ratio.baseline == 3.3 and ratio.met is False
    assert ratio.note == "what grows with the warehouse: copy +2.70 s"
    fixed = [f for f in out if f.conditions]
    assert [f.value for f in fixed] == [3.2, 6.0]  # the national fixed cost, and the ratio
    assert fixed[0].met is False and "copy 3.00 s" in fixed[0].note
    assert "copying the 4,000-MB warehouse and its flush to disk 3.00 s, the rest 0.20 s" in fixed[0].note


def test_the_names_are_the_ones_the_acceptance_check_reads():
    """The check reads results.json by regex: every loader profile says 'phases', the ratio '60-month'."""

    def load(where, role):
        return {"warehouse": where, "role": role, "path": f"/x/{role}.csv", "rows_read": 50, "seconds": 1.0,
                "phases": {"marts": 0.5, "copy": 0.5}}  # fmt: skip

    loads = [load(w, r) for w in ("national", "small") for r in ("first", "month", "fixed")]
    out = figures(loads, {"national": 611.0, "small": 44.0}, {"national": 60, "small": 7})
    assert all(re.search("phase|fase", f.name) for f in out[:-1])
    assert re.search(r"60.?(month|mes)", out[-1].name) and "7 months" in out[-1].name
    assert "national 60-month warehouse (611 MB)" in out[0].name


def test_a_csv_loader_below_read_csv_says_where_its_time_goes():
    from bench.etl import csv_note

    note = csv_note({"read": 0.3, "checks": 0.1, "marts": 2.0, "copy": 1.0}, 200_000, 0.2)
    assert note.startswith("where the time goes: marts 2.00 s, copy 1.00 s, read 0.30 s, checks 0.10 s")
    assert "reading and checking alone 500,000 rows/s (50% of read_csv)" in note
