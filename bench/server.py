"""A server process for the bench: a free loopback port, started with the bench's environment, waited on
until it answers, stopped."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import psutil

from .worker import ROOT

_logs: dict[int, IO[str]] = {}  # each launched server's output, by process id


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, referer: str | None = None) -> bytes:
    req = urllib.request.Request(url, headers={"Referer": referer} if referer else {})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.read()


def wait_listening(url: str, proc: subprocess.Popen, limit: float = 60) -> None:
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode}): {said(proc)[-2000:]}")
        try:
            get(url)  # urlopen raises unless 2xx
            return
        except OSError:
            time.sleep(0.01)
    raise RuntimeError(f"no answer from {url} after {limit} s")


def launch(cmd: list[str], env: dict[str, str]) -> subprocess.Popen:
    """The server's output goes to an unnamed temporary file, not a pipe: nobody reads a pipe while the bench runs,
    and once its 64 kB were full of request logs the server's workers blocked writing to it — past ``stop`` too,
    left behind as orphans that held memory and a share of the CPU for the rest of the bench."""
    log = tempfile.TemporaryFile("w+")  # noqa: SIM115 (closed by stop)
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT, text=True
    )
    _logs[proc.pid] = log
    return proc


def said(proc: subprocess.Popen) -> str:
    """What the server wrote so far."""
    log = _logs.get(proc.pid)
    if log is None:
        return ""
    log.seek(0)
    return log.read()


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM, as an operator stops the server (its workers finish their requests and end: dashboard.serving);
    after 10 s the master and any worker still there are killed — none is left to take CPU from the next part."""
    try:
        workers = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        workers = []
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    _gone, left = psutil.wait_procs(workers, timeout=2)
    for w in left:
        with contextlib.suppress(psutil.NoSuchProcess):
            w.kill()
    log = _logs.pop(proc.pid, None)
    if log is not None:
        log.close()


@contextmanager
def served_copy(db: Path, scratch: Path, name: str, env: dict[str, str]) -> Iterator[str]:
    """``semaforo serve`` on a copy of ``db`` (its compressed files in ``scratch/compressed``, a new
    installation's), answering on a free loopback port: yields its URL, then stops it and removes the copy."""
    scratch.mkdir(parents=True, exist_ok=True)
    served = scratch / f"{name}.duckdb"
    shutil.copy2(db, served)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    semaforo = str(Path(sys.executable).with_name("semaforo"))
    env = {**env, "SEMAFORO_CACHE_DIR": str(scratch / "compressed")}
    proc = launch([semaforo, "serve", "--db", str(served), "--port", str(port)], env)
    try:
        wait_listening(url + "/healthz", proc, 120)
        yield url
    finally:
        stop(proc)
        served.unlink(missing_ok=True)
