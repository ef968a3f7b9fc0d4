"""A real server: ``semaforo serve`` (gunicorn, two worker processes with threads) on a copy of the demo
warehouse, in its own process, as in production; tests load files into it with ``semaforo load`` processes."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

SEMAFORO = [str(Path(sys.executable).with_name("semaforo"))]


@dataclass
class Served:
    url: str
    db: Path
    sources: Path
    process: subprocess.Popen
    log: Path

    def get(self, path: str, **kw) -> requests.Response:
        return requests.get(self.url + path, timeout=30, **kw)

    def load(self, source: str, file: Path, *extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*SEMAFORO, "load", source, str(file), "--db", str(self.db), "--force", *extra],
            capture_output=True,
            text=True,
            timeout=300,
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    db: Path, *args: str, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen, str, Path]:
    port = free_port()
    log = db.with_suffix(f".{port}.log")
    proc = subprocess.Popen(
        [*SEMAFORO, "serve", "--db", str(db), "--port", str(port), "--workers", "2", "--threads", "4", *args],
        stdout=open(log, "wb"),  # noqa: SIM115 — the child owns it
        stderr=subprocess.STDOUT,
        env={**os.environ, **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server stopped ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url + "/healthz", timeout=2).status_code == 200:
                return proc, url, log
        except (requests.ConnectionError, requests.Timeout):  # a worker still starting on a busy machine
            pass
        time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"the server did not answer in 90 s:\n{log.read_text()[-3000:]}")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def served(demo_db: Path, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("served")
    db = folder / "served.duckdb"
    shutil.copy2(demo_db, db)
    proc, url, log = start_server(db)
    yield Served(url, db, demo_db.parent / "sources", proc, log)
    stop_server(proc)
