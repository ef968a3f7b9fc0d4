"""Every SQL statement of one load, with its CPU time (issue 23's fixed cost):
``python -m bench.statements SOURCE FILE --db DB [--loads N] [--top K]``.

The file is loaded (forced) ``N`` times into a copy of ``DB`` (left untouched) through the real loader; the
statements of the last load are listed, costliest first. DuckDB plans every statement anew, so on a small file a
load's cost is the number of its statements as much as their work.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import warehouse.db as db_module
from warehouse.integrity import stamp_verified


@dataclass
class Load:
    cpu: float  # the whole load, this process's CPU-seconds (DuckDB's threads included)
    status: str
    statements: list[tuple[float, str]] = field(default_factory=list)  # (CPU-seconds, SQL as one line)


class _Timed:
    """The writer's connection, timing each statement; anything else goes to the connection itself."""

    def __init__(self, con: Any, log: list[tuple[float, str]]) -> None:
        self._con, self._log = con, log

    def execute(self, sql: str, *args: Any, **kwargs: Any) -> _Timed:
        started = time.process_time()
        self._con.execute(sql, *args, **kwargs)
        self._log.append((time.process_time() - started, " ".join(str(sql).split())))
        return self

    def executemany(self, sql: str, *args: Any, **kwargs: Any) -> _Timed:
        started = time.process_time()
        self._con.executemany(sql, *args, **kwargs)
        self._log.append((time.process_time() - started, "(executemany) " + " ".join(str(sql).split())))
        return self

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


@contextmanager
def _timing(log: list[tuple[float, str]]) -> Iterator[None]:
    """The writer's connections (``warehouse.db._attach``) wrapped in :class:`_Timed` while the block runs."""
    attach = db_module._attach

    def timed(path: Path) -> tuple[Any, str]:
        con, alias = attach(path)
        return _Timed(con, log), alias

    def detach(con: Any, alias: str) -> None:
        real_detach(con._con if isinstance(con, _Timed) else con, alias)

    real_detach = db_module._detach
    db_module._attach, db_module._detach = timed, detach  # type: ignore[assignment]
    try:
        yield
    finally:
        db_module._attach, db_module._detach = attach, real_detach  # type: ignore[assignment]


def measure(db: Path, source: str, path: Path, loads: int = 3) -> list[Load]:
    """``loads`` forced loads of ``path`` into a stamped copy of ``db`` (as a served warehouse is: not read
    whole again), each with its statements."""
    from etl.load import load_file

    out = []
    with tempfile.TemporaryDirectory(prefix="semaforo-statements-") as scratch:
        copy = Path(scratch) / "w.duckdb"
        shutil.copy(db, copy)
        stamp_verified(copy)
        for _ in range(loads):
            log: list[tuple[float, str]] = []
            started = time.process_time()
            with _timing(log):
                report = load_file(copy, source, path, force=True)
            out.append(Load(time.process_time() - started, report.status, log))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.statements", description=__doc__.splitlines()[0])
    ap.add_argument("source")
    ap.add_argument("file", type=Path)
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--loads", type=int, default=3)
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args(argv)
    loads = measure(args.db, args.source, args.file, args.loads)
    for k, ld in enumerate(loads, 1):
        in_sql = sum(s for s, _ in ld.statements)
        print(
            f"load {k}: {ld.status}, {ld.cpu * 1000:.0f} ms CPU, {len(ld.statements)} statements "
            f"({in_sql * 1000:.0f} ms)"
        )
    for cpu, sql in sorted(loads[-1].statements, key=lambda s: -s[0])[: args.top]:
        print(f"{cpu * 1000:7.1f} ms  {sql[:140]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
