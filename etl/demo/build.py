"""``semaforo demo``: generate the demo source files, load every one through the real loaders into a new
warehouse beside the target, and switch it in atomically (readers of the old file are never disturbed).

Generation runs in a thread ahead of the loads: each file is loaded as soon as it is written.
"""

from __future__ import annotations

import datetime as dt
import os
import queue
import re
import shutil
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from warehouse.catalogue_read import load_catalogue

from ..load import load_file
from ..loaders import LOADERS
from .generate import LOAD_ORDER, Generated, SourceFile, extra_catalogue, generate
from .scale import DEMO, Scale

_MONTHLY = re.compile(r"^(?:his|stock)_(\d{4})_(\d{2})\.")


def received_on(name: str) -> dt.date | None:
    """When the demo pretends a monthly file came in: most a week or three after the month closed, about a
    quarter a month or more later (a fixed draw per file name), so that timeliness has something to show."""
    m = _MONTHLY.match(name)
    if not m:
        return None
    year, month = int(m[1]), int(m[2])
    closed = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    r = zlib.crc32(name.encode()) % 100
    return closed + dt.timedelta(days=5 + r // 4 if r < 75 else 30 + (r - 75))


def build_demo(
    db: str | os.PathLike,
    sources: str | os.PathLike | None = None,
    seed: int = 2026,
    echo: Callable[[str], None] = print,
    scale: Scale = DEMO,
) -> list[str]:
    """Build the demo warehouse at ``db``; return the failures (empty when every file loaded cleanly).

    Source files are kept in ``sources`` when given, else written to a temporary folder and removed.
    """
    db = Path(db)
    started = time.perf_counter()
    tmp_sources: str | None = None
    if sources is None:
        tmp_sources = tempfile.mkdtemp(prefix="semaforo-demo-")
        folder = Path(tmp_sources)
    else:
        folder = Path(sources)
    try:
        for s in LOAD_ORDER:
            if s not in LOADERS:
                echo(f"aviso: la fuente {s!r} aún no tiene cargador: sus archivos no se generan ni se cargan")
        echo(f"Generando los archivos fuente (semilla {seed}) en {folder} y cargándolos …")
        only = tuple(s for s in LOAD_ORDER if s in LOADERS)
        failures = load_all(
            _generated(folder, seed, scale, only, echo), db, extra_catalogue(folder, scale), echo
        )
    finally:
        if tmp_sources:
            shutil.rmtree(tmp_sources, ignore_errors=True)
    if failures:
        echo(f"La demostración no se construyó: {len(failures)} archivo(s) con problemas:")
        for f in failures:
            echo(f"  {f}")
    else:
        size = db.stat().st_size / 2**20
        echo(f"Almacén de demostración listo: {db} ({size:,.0f} MB) en {time.perf_counter() - started:.0f} s")
    return failures


def _generated(folder: Path, seed: int, scale: Scale, only: tuple[str, ...], echo) -> Iterator[SourceFile]:
    """The files of :func:`generate`, yielded as they are written by a generator thread."""
    done = object()
    q: queue.Queue = queue.Queue()

    def produce() -> None:
        try:
            generate(folder, seed, scale, only=only, echo=echo, on_file=q.put)
            q.put(done)
        except BaseException as e:  # re-raised in the loading thread
            q.put(e)

    thread = threading.Thread(target=produce, name="demo-generator", daemon=True)
    thread.start()
    while (item := q.get()) is not done:
        if isinstance(item, BaseException):
            raise item
        yield item
    thread.join()


def load_all(
    files: Generated | Iterator[SourceFile], db: Path, catalogue_dir: Path | None, echo: Callable[[str], None]
) -> list[str]:
    """Load the files in order into a new file beside ``db``; rename it over ``db`` if every one loaded."""
    catalogue = load_catalogue(catalogue_dir)
    db.parent.mkdir(parents=True, exist_ok=True)
    tmp = db.with_name(f"{db.name}.tmp-demo-{os.getpid()}")
    for p in (tmp, Path(f"{tmp}.wal")):
        p.unlink(missing_ok=True)
    failures: list[str] = []
    current, count, since = None, 0, time.perf_counter()
    try:
        for f in files.files if isinstance(files, Generated) else files:
            if f.source != current:
                if current:
                    echo(f"Cargado {current}: {count} archivo(s) en {time.perf_counter() - since:.1f} s")
                current, count, since = f.source, 0, time.perf_counter()
            received = received_on(f.path.name)
            options = {"received": received} if received else None
            r = load_file(tmp, f.source, f.path, catalogue=catalogue, options=options, in_place=True)
            count += 1
            if r.status != "loaded":
                detail = r.message or "; ".join(str(p) for p in r.problems[:5])
                failures.append(f"{f.path.name}: {r.status} — {detail}")
        if current:
            echo(f"Cargado {current}: {count} archivo(s) en {time.perf_counter() - since:.1f} s")
        if not failures:
            Path(f"{db}.wal").unlink(
                missing_ok=True
            )  # a stale log of an old file must not replay on the new one
            os.replace(tmp, db)
    finally:
        for p in (tmp, Path(f"{tmp}.wal"), Path(f"{tmp}.lock")):
            p.unlink(missing_ok=True)
    return failures
