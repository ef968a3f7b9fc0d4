"""Where a load spends its time: named phases timed by ``with phase("marts"):`` anywhere below ``profiled()``.

A phase inside another is counted once, in its own name (the outer one keeps only its own time), so the phases
of a load add up to its wall time. Outside ``profiled()`` a phase costs one context-variable lookup."""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_profile: ContextVar[Profile | None] = ContextVar("semaforo_load_profile", default=None)


class Profile:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._stack: list[list[Any]] = []  # [name, started, time spent in nested phases]

    def start(self, name: str) -> None:
        self._stack.append([name, time.perf_counter(), 0.0])

    def stop(self) -> None:
        name, started, nested = self._stack.pop()
        spent = time.perf_counter() - started
        self.seconds[name] = self.seconds.get(name, 0.0) + spent - nested
        if self._stack:
            self._stack[-1][2] += spent


@contextlib.contextmanager
def profiled() -> Iterator[Profile]:
    """Collect the phases run inside the block (this thread or task)."""
    p = Profile()
    token = _profile.set(p)
    try:
        yield p
    finally:
        _profile.reset(token)


@contextlib.contextmanager
def phase(name: str) -> Iterator[None]:
    p = _profile.get()
    if p is None:
        yield
        return
    p.start(name)
    try:
        yield
    finally:
        p.stop()


def timed(name: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorator: the whole call is phase ``name``."""

    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def inner(*args: P.args, **kwargs: P.kwargs) -> R:
            with phase(name):
                return fn(*args, **kwargs)

        return inner

    return wrap
