"""A web upload's load, run in a child process of its own under a memory and a CPU-time limit, so that a file built
to exhaust memory or time (a zip bomb, a pathological CSV) costs that child, never a server worker and the users it
serves. The parent (``dashboard.upload``) waits with a wall-clock limit and kills the child past it; a killed load
leaves the warehouse as it was (the writer builds the next version beside the served one).

The child runs one of three actions, each as the CLI would: ``preview`` (``semaforo load --dry-run``: nothing
changes), ``load``, and ``undo`` (``semaforo load --deshacer LOTE``).

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

# The dashboard's one door to the ETL: the loader's entry point and what the upload page shows of it (the sources,
# the file hash that recognises a file already loaded).
from etl.load import LOADERS as LOADERS
from etl.load import file_sha256 as file_sha256

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
    completo: bool = False,
    preview: bool = False,
) -> tuple[list[tuple[str, str]], str]:
    """Load ``path`` into ``db`` (or, with ``preview``, say what loading it would do and change nothing) in a
    limited child process: (report lines, status) as ``semaforo load`` (``--dry-run``) reports them, or an
    'error' naming the limit the load passed."""
    job = {
        "action": "preview" if preview else "load",
        "source": source,
        "path": str(path),
        "strict": strict,
        "force": force,
        "completo": completo,
        "received": received,
    }
    return _run(db, job, path.name, limits)


def run_undo(db: Path, batch_id: int, limits: Limits) -> tuple[list[tuple[str, str]], str]:
    """Undo batch ``batch_id`` as ``semaforo load --deshacer`` does, in a limited child process."""
    return _run(db, {"action": "undo", "batch": batch_id}, f"lote {batch_id}", limits)


def _run(db: Path, job: dict, name: str, limits: Limits) -> tuple[list[tuple[str, str]], str]:
    job = {**job, "db": str(db), "name": name, "memory_mb": limits.memory_mb, "seconds": limits.seconds}
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
                f"{name}: la carga superó el tiempo máximo de {limits.seconds} s y se detuvo; "
                "no se cargó nada (el almacén quedó como estaba)",
            )
        ], "error"
    if err:
        log.warning("carga de %s: %s", name, err.decode("utf-8", "replace")[-4000:])
    try:
        doc = json.loads(out.decode("utf-8"))
        return [(str(level), str(line)) for level, line in doc["lines"]], str(doc["status"])
    except (ValueError, KeyError, TypeError):
        pass
    log.error("la carga de %s terminó sin informe (código %s)", name, proc.returncode)
    # No report: the child died — its CPU time ran out (SIGXCPU: on a busy machine that can come before the
    # wall clock's), or memory ran out in a native library (SIGKILL/SIGSEGV/SIGABRT).
    if proc.returncode == -signal.SIGXCPU:
        reason = f"la carga superó el tiempo máximo de {limits.seconds} s y se detuvo"
    elif proc.returncode in (-signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT):
        reason = f"la carga superó el límite de memoria de {limits.memory_mb:,} MB"
    else:
        reason = f"la carga terminó sin informe (código {proc.returncode})"
    return [("error", f"{name}: {reason}; no se cargó nada (el almacén quedó como estaba)")], "error"


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
    name = job["name"]
    memory = job["memory_mb"] << 20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (job["seconds"], job["seconds"] + 5))
    try:
        doc = _act(job)
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


def _act(job: dict) -> dict:
    import datetime as dt

    from etl.load import load_file, report_lines, undo_batch

    if job["action"] == "undo":
        r = undo_batch(Path(job["db"]), int(job["batch"]))
        # as the CLI says it: one line, the batch's message
        return {"lines": [("ok" if r.status == "loaded" else "error", r.message)], "status": r.status}
    options: dict = {"received": dt.date.fromisoformat(job["received"])} if job["received"] else {}
    if job.get("completo"):
        options["completo"] = True
    report = load_file(
        Path(job["db"]),
        job["source"],
        Path(job["path"]),
        strict=job["strict"],
        force=job["force"],
        dry_run=job["action"] == "preview",
        options=options or None,
    )
    return {"lines": report_lines(report), "status": report.status}


if __name__ == "__main__":
    sys.exit(_child())
