"""A web upload's load, run in a child process of its own under a memory and a CPU-time limit, so that a file built
to exhaust memory or time (a zip bomb, a pathological CSV) costs that child, never a server worker and the users it
serves. The parent (``dashboard.upload``) waits with a wall-clock limit and kills the child past it; a killed load
leaves the warehouse as it was (the writer builds the next version beside the served one).

Child: ``python -m dashboard.upload_job`` reads its job as JSON on stdin and writes the report as JSON on stdout.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import signal
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("semaforo.upload")


@dataclass(frozen=True)
class Limits:
    memory_mb: int  # address space of the child (RLIMIT_AS): DuckDB, calamine and Python together
    seconds: int  # wall-clock time before the child is killed (its CPU time is capped at the same)


def run_load(
    db: Path,
    source: str,
    path: Path,
    limits: Limits,
    strict: bool = False,
    force: bool = False,
    received: str | None = None,
) -> tuple[list[tuple[str, str]], str]:
    """Load ``path`` into ``db`` in a limited child process: (report lines, status) as ``semaforo load`` reports
    them, or an 'error' naming the limit the load passed."""
    job = {
        "db": str(db),
        "source": source,
        "path": str(path),
        "strict": strict,
        "force": force,
        "received": received,
        "memory_mb": limits.memory_mb,
        "seconds": limits.seconds,
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard.upload_job"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: a kill reaches anything it started
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    try:
        out, err = proc.communicate(json.dumps(job).encode(), timeout=limits.seconds)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return [
            (
                "error",
                f"{path.name}: la carga superó el tiempo máximo de {limits.seconds} s y se detuvo; "
                "no se cargó nada (el almacén quedó como estaba)",
            )
        ], "error"
    if err:
        log.warning("carga de %s: %s", path.name, err.decode("utf-8", "replace")[-4000:])
    try:
        doc = json.loads(out.decode("utf-8"))
        return [(str(level), str(line)) for level, line in doc["lines"]], str(doc["status"])
    except (ValueError, KeyError, TypeError):
        pass
    log.error("la carga de %s terminó sin informe (código %s)", path.name, proc.returncode)
    # No report: the child died — killed by a limit (SIGKILL/SIGXCPU) or out of memory in a native library.
    memory = proc.returncode in (-signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT)
    reason = (
        f"la carga superó el límite de memoria de {limits.memory_mb:,} MB"
        if memory
        else f"la carga terminó sin informe (código {proc.returncode})"
    )
    return [("error", f"{path.name}: {reason}; no se cargó nada (el almacén quedó como estaba)")], "error"


def _out_of_memory(e: BaseException) -> bool:
    """Whether an error is the memory limit's: Python's, DuckDB's, or a library that could not be mapped."""
    text = str(e).lower()
    return (
        isinstance(e, MemoryError)
        or type(e).__name__ == "OutOfMemoryException"
        or ("failed to map segment" in text or "cannot allocate memory" in text)
    )


def _child() -> int:
    job = json.loads(sys.stdin.read())
    name = Path(job["path"]).name
    memory = job["memory_mb"] << 20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (job["seconds"], job["seconds"] + 5))
    try:
        import datetime as dt

        from etl.load import load_file, report_lines

        options = {"received": dt.date.fromisoformat(job["received"])} if job["received"] else None
        report = load_file(
            Path(job["db"]),
            job["source"],
            Path(job["path"]),
            strict=job["strict"],
            force=job["force"],
            options=options,
        )
        doc = {"lines": report_lines(report), "status": report.status}
    except Exception as e:  # reported to the page in words, the traceback to the server's log only
        if _out_of_memory(e):
            reason = f"la carga superó el límite de memoria de {job['memory_mb']:,} MB"
        else:
            traceback.print_exc()
            reason = f"la carga falló por un error interno ({type(e).__name__}; detalle en el registro del servidor)"
        doc = {
            "lines": [("error", f"{name}: {reason}; no se cargó nada (el almacén quedó como estaba)")],
            "status": "error",
        }
    sys.stdout.write(json.dumps(doc, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(_child())
