"""Resident memory of a bench task: this process's peak, now, and its tree's (children included) while it runs."""

from __future__ import annotations

import contextlib
import os
import resource
import threading


def peak_rss_mb() -> float:
    """This process's peak resident memory (Linux reports ru_maxrss in kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class TreePeak:
    """Peak resident memory of this process and its children (Spark's JVM is one), sampled every 0.2 s."""

    def __init__(self) -> None:
        import psutil

        self.me, self.peak, self.stop = psutil.Process(), 0.0, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> None:
        import psutil

        total = 0
        for p in [self.me, *self.me.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss
        self.peak = max(self.peak, total / 2**20)

    def _run(self) -> None:
        while not self.stop.wait(0.2):
            self.sample()

    def __enter__(self) -> TreePeak:
        self.sample()
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()
        self.sample()
        # A short task may end between samples: never report less than this process's own peak.
        self.peak = max(self.peak, peak_rss_mb())
