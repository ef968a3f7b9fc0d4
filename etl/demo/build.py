"""``semaforo demo``: generate the demo source files, load every one through the real loaders into a new
warehouse beside the target, and switch it in atomically (readers of the old file are never disturbed)."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from warehouse.catalogue import load_catalogue

from ..load import load_file
from ..loaders import LOADERS
from .generate import LOAD_ORDER, Generated, generate
from .scale import DEMO, Scale


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
    tmp_sources = None
    if sources is None:
        tmp_sources = tempfile.mkdtemp(prefix="semaforo-demo-")
        sources = tmp_sources
    try:
        missing = [s for s in LOAD_ORDER if s not in LOADERS]
        for s in missing:
            echo(f"aviso: la fuente {s!r} aún no tiene cargador: sus archivos no se generan ni se cargan")
        echo(f"Generando los archivos fuente (semilla {seed}) en {sources} …")
        generated = generate(
            sources, seed, scale, only=tuple(s for s in LOAD_ORDER if s in LOADERS), echo=echo
        )
        failures = load_all(generated, db, echo)
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


def load_all(generated: Generated, db: Path, echo: Callable[[str], None]) -> list[str]:
    """Load the generated files in order into a new file beside ``db``; rename it over ``db`` if all load."""
    catalogue = load_catalogue(generated.catalogue_dir)
    db.parent.mkdir(parents=True, exist_ok=True)
    tmp = db.with_name(f"{db.name}.tmp-demo-{os.getpid()}")
    for p in (tmp, Path(f"{tmp}.wal")):
        p.unlink(missing_ok=True)
    failures: list[str] = []
    current = None
    try:
        for f in generated.files:
            if f.source != current:
                current = f.source
                n = len(generated.of(current))
                echo(f"Cargando {current} ({n} archivo{'s' if n > 1 else ''}) …")
            r = load_file(tmp, f.source, f.path, catalogue=catalogue)
            if r.status != "loaded":
                detail = r.message or "; ".join(str(p) for p in r.problems[:5])
                failures.append(f"{f.path.name}: {r.status} — {detail}")
        if not failures:
            Path(f"{db}.wal").unlink(
                missing_ok=True
            )  # a stale log of an old file must not replay on the new one
            os.replace(tmp, db)
    finally:
        for p in (tmp, Path(f"{tmp}.wal")):
            p.unlink(missing_ok=True)
    return failures
