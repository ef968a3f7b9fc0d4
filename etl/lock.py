"""One writer at a time: the lock file beside the warehouse that every writer takes before it opens it."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover — not POSIX: no writer lock
    fcntl = None  # type: ignore[assignment]

from warehouse.errors import WarehouseError


def lock_wait_seconds() -> float:
    return float(os.environ.get("SEMAFORO_LOCK_WAIT", "600"))


@contextlib.contextmanager
def writer_lock(
    db: str | os.PathLike, echo: Callable[[str], None] = lambda _msg: None, wait: float | None = None
) -> Iterator[None]:
    """One writer at a time. DuckDB's own file lock cannot tell a reading dashboard (which the writer works
    around by writing the next version beside the file and swapping it in) from another writer, whose committed
    load that swap would silently discard. So every writer also takes an exclusive lock on ``<db>.lock`` and
    waits its turn (up to ``SEMAFORO_LOCK_WAIT`` seconds, then WarehouseError). The kernel releases the lock
    when a process dies, even by SIGKILL; the lock file itself stays."""
    if fcntl is None:
        yield
        return
    wait = lock_wait_seconds() if wait is None else wait
    path = Path(f"{os.fspath(db)}.lock")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        f = open(path, "a+b")  # noqa: SIM115 — closed by the with below
    except OSError as e:
        raise WarehouseError(f"no se puede crear el cerrojo de escritura {path}: {e.strerror}") from e
    with f:
        deadline, told = time.monotonic() + wait, False
        while True:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseError(
                        f"otro proceso sigue escribiendo en el almacén {db} después de {wait:.0f} s de espera"
                    ) from None
                if not told:
                    echo(f"Otro proceso está escribiendo en el almacén {db}; esperando su turno …")
                    told = True
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
