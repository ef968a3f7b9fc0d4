"""``python -m bench [--small]``: generate the national data set, build the warehouse with the real loaders,
measure, print one table and write it as JSON (``bench/results.json``; ``--small`` writes results-small.json).

The built data set is kept in ``bench/data/<scale>/`` and reused while nothing that shapes it changed (the
generator, the loaders, the warehouse's SQL, the scale): a fingerprint of those files says so. ``--rebuild``
builds it anew whatever the fingerprint.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from . import cold_start, etl, his, load, network, profile, records, web, web_browser
from .report import Figure, machine, table, write_json
from .scales import FULL, SMALL, Scale
from .worker import ROOT, run_task

HERE = Path(__file__).resolve().parent
SEED = 2026
SHAPING = (
    "etl/**/*.py",
    "warehouse/**/*.py",
    "warehouse/**/*.sql",
    "warehouse/**/*.yaml",
    "warehouse/**/*.csv",
)


def fingerprint(scale: Scale, seed: int) -> str:
    """What the built data set depends on: the scale, the seed and the code that generates and loads it."""
    h = hashlib.sha256(repr((scale, seed)).encode())
    for pattern in SHAPING:
        for p in sorted(ROOT.glob(pattern)):
            h.update(p.relative_to(ROOT).as_posix().encode())
            h.update(p.read_bytes())
    h.update((HERE / "worker.py").read_bytes())
    return h.hexdigest()[:20]


def dataset(folder: Path, scale: Scale, rebuild: bool, echo) -> tuple[dict[str, Any], Path, str]:
    """(build record, warehouse, note): the data set built now, or the one kept from an earlier run."""
    db, manifest = folder / "warehouse.duckdb", folder / "manifest.json"
    fp = fingerprint(scale, SEED)
    if not rebuild and manifest.exists() and db.exists():
        kept = json.loads(manifest.read_text(encoding="utf-8"))
        if kept.get("fingerprint") == fp:
            echo(f"Reusing the data set built {kept['built']} in {folder} (same fingerprint {fp})")
            return kept["build"], db, f" (kept from {kept['built'][:16]})"
    echo(f"Generating the {scale.name} data set and loading it with the real loaders into {db} …")
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    build = run_task(
        "build", {"folder": str(folder / "sources"), "db": str(db), "scale": scale.name, "seed": SEED}, folder
    )
    manifest.write_text(
        json.dumps(
            {"fingerprint": fp, "built": time.strftime("%Y-%m-%d %H:%M:%S"), "build": build}, indent=1
        ),
        encoding="utf-8",
    )
    return build, db, ""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--small", action="store_true", help="the demo-sized data set (about a minute; CI)")
    ap.add_argument("--data", type=Path, help="where the data set is kept (default bench/data/<scale>)")
    ap.add_argument(
        "--out", type=Path, help="the JSON file (default bench/results.json or results-small.json)"
    )
    ap.add_argument("--rebuild", action="store_true", help="build the data set anew even if it is unchanged")
    ap.add_argument("--repeats", type=int, help="passes over the scripted session (default 3, small 2)")
    ap.add_argument(
        "--only",
        choices=["network", "browser", "profile", "his"],
        help="one part alone, on the warehouse given by --db (e.g. the demo's; his needs none); writes --out "
        "(default bench/results-<part>.json), never results.json",
    )
    ap.add_argument(
        "--ninos",
        type=int,
        help=f"children of the national HIS year (--only his: default all; the whole bench: default "
        f"{his.BENCH_CHILDREN:,}, {his.NATIONAL['children']:,} for the whole year)",
    )
    ap.add_argument(
        "--skip",
        action="append",
        choices=["records", "his"],
        default=[],
        help="leave out a long part (nominal records on DuckDB and Spark; the HIS year): its figures are then "
        "absent from the results, which say so",
    )
    ap.add_argument("--db", type=Path, help="with --only: the warehouse to serve or load into")
    ap.add_argument("--month", type=Path, help="with --only profile: a month of HIS records (CSV) to load")
    args = ap.parse_args(argv)
    if args.only == "his":
        return only_his(args.ninos, args.data or HERE / "data" / "his", args.out)
    if args.only:
        return only(args.only, args.db, args.out, args.month)
    scale = SMALL if args.small else FULL
    folder = args.data or HERE / "data" / scale.name
    out = args.out or HERE / ("results-small.json" if args.small else "results.json")
    repeats = args.repeats or (2 if args.small else 3)

    def echo(msg: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f} s] {msg}", flush=True)

    started = time.perf_counter()
    build, db, note = dataset(folder, scale, args.rebuild, echo)
    catalogue_dir = build["catalogue_dir"]
    env = {"SEMAFORO_CATALOGUE": catalogue_dir} if catalogue_dir else {}
    os.environ.update(env)
    scratch = folder / "scratch"
    figures: list[Figure] = []
    echo("ETL: each loader on its representative file, then read_csv / calamine on the same files …")
    files = etl.representative(Path(folder / "sources"), scale.months, scale.big_budget_year)
    figures += etl.measure(files, db, catalogue_dir, scratch)
    figures += etl.build_figures(build, note)
    echo("Where a load's time goes: a month and a 50-row file into the national and a small warehouse …")
    month = next(Path(f["path"]) for f in files if f["source"] == "admin" and f["path"].endswith(".csv"))
    figures += profile.measure(db, month, scratch / "profile", env, build["loads"], folder / "sources")
    echo(f"Dashboard: scripted session ({repeats} passes) through /_dash-update-component …")
    figures += web.session(db, repeats, scratch, env)
    echo("Cold start of semaforo serve …")
    figures += cold_start.cold_start(db, env)
    echo("Many users on semaforo serve (gunicorn) while a month of data is loaded …")
    figures += load.load_test(db, Path(folder / "sources"), scratch / "load", env, args.small)
    echo("The provincial link: every page in Chromium at 2 Mbit/s, 150 ms, first and repeat visit …")
    figures += network.measure(db, scratch / "network", env, best=not args.small)
    echo("What a user waits for: /calidad usable, a region switch, the language toggle (Chromium) …")
    figures += web_browser.measure(db, scratch / "browser", env)
    if "records" not in args.skip:
        echo("Indicators from nominal records, on DuckDB and on Spark …")
        figures += records.measure(folder / "registros", args.small, echo)
    if "his" not in args.skip:
        echo("A year of HIS-MINSA exports through semaforo compute, with and without --memoria …")
        # The whole national year takes about an hour on 2 cores; the whole bench measures a stated share of it.
        his_size = None if args.small else his.part_of_national(args.ninos or his.BENCH_CHILDREN)
        figures += his.measure(folder / "his", args.small, echo, his_size)
    shutil.rmtree(scratch, ignore_errors=True)
    order = [
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
    ]
    figures.sort(key=lambda f: order.index(f.group))
    total = time.perf_counter() - started
    meta: dict[str, Any] = {
        "scale": scale.name,
        "seed": SEED,
        "machine": machine(),
        "bench_seconds": round(total, 1),
        "skipped": sorted(args.skip),
        "data_set": {
            "facilities": scale.facilities,
            "months": len(scale.months),
            "first_month": scale.first_month,
            "last_month": scale.last_month,
            "big_budget_rows": scale.big_budget_rows,
            "extra_series": scale.extra_series,
            "built": "kept from an earlier run" if note else "built in this run",
        },
    }
    m = meta["machine"]
    print()
    print(
        f"Semáforo PpR bench — {scale.name} scale — {m['cpus']} CPU ({m['cpu_model']}), {m['ram_gb']} GB RAM, "
        f"Python {m['python']}, DuckDB {m['duckdb']}, {m['date']}"
    )
    print(table(figures))
    missed = [f for f in figures if f.met is False]
    explain(missed)
    skipped = f" (parts left out: {', '.join(sorted(args.skip))})" if args.skip else ""
    print(
        f"\n{len(figures)} figures, {len(missed)} targets missed{skipped}; bench took {total:.0f} s → {out}"
    )
    write_json(out, figures, meta)
    return 0


def explain(missed: list[Figure]) -> None:
    """Under the table: each missed target's explanation, with its figures, where the bench has one."""
    for f in (f for f in missed if f.note):
        print(f"MISSED {f.group}: {f.name.split(':')[0]} — {f.note}")


def _built_beside(db: Path) -> tuple[dict[str, str], list[dict[str, Any]] | None, Path | None]:
    """(env, build loads, sources) of a bench data set whose warehouse is ``db`` (its manifest.json beside it),
    so that ``--only profile`` on it builds the small warehouse too; ({}, None, None) for any other warehouse."""
    manifest = db.parent / "manifest.json"
    if not manifest.exists():
        return {}, None, None
    build = json.loads(manifest.read_text(encoding="utf-8"))["build"]
    env = {"SEMAFORO_CATALOGUE": build["catalogue_dir"]} if build.get("catalogue_dir") else {}
    return env, build["loads"], db.parent / "sources"


def only(part: str, db: Path | None, out: Path | None, month: Path | None) -> int:
    """One part of the bench alone on a given warehouse, written to its own JSON file."""
    if db is None or not db.exists():
        print("--only necesita --db con un almacén existente / needs --db with an existing warehouse")
        return 2
    if part == "profile" and (month is None or not month.exists()):
        print("--only profile necesita --month con un archivo HIS / needs --month with a HIS CSV file")
        return 2
    out = out or HERE / f"results-{part}.json"
    scratch = Path(os.environ.get("TMPDIR", "/tmp")) / f"semaforo-bench-{os.getpid()}"
    started = time.perf_counter()
    try:
        if part == "network":
            figures = network.measure(db, scratch, {})
        elif part == "browser":
            figures = web_browser.measure(db, scratch, {})
        else:
            figures = profile.measure(db, month, scratch, *_built_beside(db))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    meta: dict[str, Any] = {"only": part, "warehouse": str(db), "machine": machine()}
    meta["bench_seconds"] = round(time.perf_counter() - started, 1)
    print(table(figures))
    missed = [f for f in figures if f.met is False]
    explain(missed)
    print(f"\n{len(figures)} figures, {len(missed)} targets missed → {out}")
    write_json(out, figures, meta)
    return 0


def only_his(children: int | None, folder: Path, out: Path | None) -> int:
    """The HIS part alone: ``children`` of the national year (all of it without), its exports kept in ``folder``."""
    started = time.perf_counter()
    size = his.part_of_national(children) if children else his.NATIONAL
    figures = his.measure(folder, False, lambda m: print(m, flush=True), size)
    meta: dict[str, Any] = {"only": "his", "children": size["children"], "machine": machine()}
    meta["bench_seconds"] = round(time.perf_counter() - started, 1)
    out = out or HERE / "results-his.json"
    print(table(figures))
    write_json(out, figures, meta)
    return 0


if __name__ == "__main__":
    sys.exit(main())
