"""`make bench-small` end to end: every figure present with a positive number (no timing asserts: CI machines
differ; the national figures and their targets are `make bench`'s job)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GROUPS = {
    "etl",
    "profile",
    "callbacks",
    "payload",
    "network",
    "browser",
    "memory",
    "start",
    "load",
    "records",
    "his",
    "build",
}
SOURCES = {"territory", "facilities", "population", "targets", "budget", "survey", "admin", "stock"}


def test_small_bench_writes_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--small",
            "--repeats",
            "1",
            "--data",
            str(tmp_path / "data"),
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["machine"]["cpus"] > 0 and data["machine"]["duckdb"]
    figures = data["figures"]
    assert {f["group"] for f in figures} == GROUPS
    load = {f["name"].split(": ", 1)[1]: f for f in figures if f["group"] == "load"}
    # Correctness under load is asserted (timings are not): no failed request, no response mixing versions.
    assert load["failed requests"]["value"] == 0 and load["failed requests"]["baseline"] > 0, load
    assert load["snapshots mixing two data versions"]["value"] == 0, load
    assert load["snapshots mixing two data versions"]["baseline"] > 0  # some were checked
    assert 0 <= load["new data served after the load ended"]["value"] <= 60
    # The same definitions on DuckDB and Spark: identical output, every row compared.
    (same,) = [f for f in figures if "differ between DuckDB and Spark" in f["name"]]
    assert same["value"] == 0 and same["baseline"] > 0, same
    for f in figures:
        if (f["group"] == "load" and f["unit"] in ("requests", "responses")) or "after the load" in f["name"]:
            continue
        if f is same:
            continue
        assert isinstance(f["value"], int | float) and f["value"] > 0, f
        if f["baseline"] is not None:
            assert f["baseline"] > 0 and f["ratio"] > 0, f
    # The provincial link: every page, first and repeat visit, with bytes, requests and the lights shown.
    network = [f for f in figures if f["group"] == "network"]
    assert len(network) == 6 * 4, [f["name"] for f in network]
    assert all(0 < f["value"] < 120 for f in network if f["unit"] == "s"), network  # lights were shown
    # What a user waits for in the browser: Calidad usable (twice), a region switch, the language toggle, and the
    # region page's charts once scrolled to (information: drawn when they come into view).
    browser = [f for f in figures if f["group"] == "browser"]
    assert len(browser) == 5 and all(0 < f["value"] < 90 for f in browser), browser
    assert sum("drawn once scrolled to" in f["name"] for f in browser) == 1, browser
    # The load profile: its phases add up to the load's time.
    for f in (f for f in figures if f["group"] == "profile"):
        assert abs(sum(f["extra"]["phases"].values()) - f["value"]) < 0.02, f
    # A load's cost against the warehouse's size: the month into the full and into the small warehouse.
    (ratio,) = [f for f in figures if f["group"] == "profile" and f["name"].startswith("one HIS month")]
    assert ratio["baseline"] > 0 and ratio["conditions"] == [["ratio", "<=", 1.5]], ratio
    assert sum("the fixed cost" in f["name"] for f in figures if f["group"] == "profile") == 2
    # A year of HIS exports: every nominal item row written was read back, with and without --memoria.
    his = [f for f in figures if f["group"] == "his" and "rows_read" in f["extra"]]
    assert len(his) == 2 and all(f["extra"]["rows_read"] == f["extra"]["rows"] > 0 for f in his), his
    names = " ".join(f["name"] for f in figures)
    assert all(f"{s} loader" in names for s in SOURCES)
    assert ".xlsx" in names and "first map" in names and "map update" in names
    assert "district → facilities" in names and "serving worker" in names and "first page served" in names
    assert "targets missed" in proc.stdout  # the table was printed, with its closing line
