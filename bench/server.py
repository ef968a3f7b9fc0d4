"""A server process for the bench: a free loopback port, started with the bench's environment, waited on
until it answers, stopped."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request

from .worker import ROOT


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
            said = proc.stdout.read() if proc.stdout else ""
            raise RuntimeError(f"the server exited ({proc.returncode}): {said[-2000:]}")
        try:
            get(url)  # urlopen raises unless 2xx
            return
        except OSError:
            time.sleep(0.01)
    raise RuntimeError(f"no answer from {url} after {limit} s")


def launch(cmd: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        cmd,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
