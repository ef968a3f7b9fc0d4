"""Where a worker's CPU goes, per kind of request: ``SEMAFORO_PROFILE=<folder>`` wraps the app so that every request
runs under ``cProfile`` (one profiler per request, in its own thread) and adds its thread's CPU time to its kind's
total; each worker writes ``<folder>/<kind>-<pid>.prof`` (read with ``pstats``) and ``cpu-<pid>.json`` when it
exits (``dashboard.serving.worker_exit``). A diagnosis tool for the bench's load part, off unless the variable is set: profiling slows requests."""

from __future__ import annotations

import cProfile
import json
import os
import pstats
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

VARIABLE = "SEMAFORO_PROFILE"
_active: list[Profiled] = []  # this process's, written by finish()


def kind_of(path: str) -> str:
    """A request's kind as the bench's crowd names them, for the totals."""
    if path == "/_dash-layout":
        return "layout"
    if path == "/_dash-update-component":
        return "callback"
    if path.startswith("/export/"):
        return "export"
    if path.startswith(("/_dash-component-suites/", "/assets/", "/vendor/", "/_favicon")):
        return "static"
    return "page"


class Profiled:
    """A WSGI app wrapped so that each request's CPU time and call profile are added to its kind's."""

    def __init__(self, app: Callable, folder: Path) -> None:
        self.app, self.folder = app, folder
        self.lock = threading.Lock()
        self.stats: dict[str, pstats.Stats] = {}
        self.cpu: dict[str, list[float]] = {}
        folder.mkdir(parents=True, exist_ok=True)
        _active.append(self)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        kind = kind_of(environ.get("PATH_INFO", ""))
        prof = cProfile.Profile()
        cpu = time.thread_time()
        prof.enable()
        try:
            body = list(self.app(environ, start_response))  # the whole answer made here, compression included
        finally:
            prof.disable()
            spent = time.thread_time() - cpu
            with self.lock:
                self.cpu.setdefault(kind, []).append(spent)
                if kind in self.stats:
                    self.stats[kind].add(prof)
                else:
                    self.stats[kind] = pstats.Stats(prof)
        return body

    def write(self) -> None:
        pid = os.getpid()
        with self.lock:
            for kind, stats in self.stats.items():
                stats.dump_stats(str(self.folder / f"{kind}-{pid}.prof"))
            totals: dict[str, object] = {
                k: {"requests": len(v), "cpu_s": sum(v)} for k, v in self.cpu.items()
            }
        times = os.times()  # every thread's, DuckDB's own included: what the requests' threads did not spend
        totals["process_cpu_s"] = times.user + times.system
        (self.folder / f"cpu-{pid}.json").write_text(json.dumps(totals, indent=1))


def finish() -> None:
    """Write this process's profiles (``semaforo serve``'s worker, as it exits)."""
    for p in _active:
        p.write()


def wrap(app: Any) -> Any:
    """``app`` profiled when ``SEMAFORO_PROFILE`` names a folder, else ``app`` itself."""
    folder = os.environ.get(VARIABLE)
    return Profiled(app, Path(folder)) if folder else app
