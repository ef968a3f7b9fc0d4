"""Callbacks declared where they belong (each page's module) and given to every app that is created.

``dash.callback`` hands its callbacks to the first app that serves a request and to no other, so a second app
in the same process (a test, a benchmark, a restricted server beside a national one) would render pages that
never update. Declaring with :func:`callback` and registering with :func:`register` gives each app all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dash

_DECLARED: list[tuple[tuple, dict, Callable]] = []
_CLIENTSIDE: list[tuple[dash.ClientsideFunction, tuple, dict]] = []


def callback(*args: Any, **kwargs: Any) -> Callable[[Callable], Callable]:
    """Same arguments as ``dash.callback``; the function itself is returned unchanged (tests call it)."""

    def declare(fn: Callable) -> Callable:
        _DECLARED.append((args, kwargs, fn))
        return fn

    return declare


def clientside(function: str | dash.ClientsideFunction, *args: Any, **kwargs: Any) -> None:
    """A callback run in the browser by ``function`` (defined in assets/, so no inline script; a name alone is
    ``window.dash_clientside.semaforo[name]`` in ``assets/clientside.js``), given to every app as
    :func:`callback`'s are."""
    if isinstance(function, str):
        function = dash.ClientsideFunction("semaforo", function)
    _CLIENTSIDE.append((function, args, kwargs))


def register(app: dash.Dash) -> None:
    for args, kwargs, fn in _DECLARED:
        app.callback(*args, **kwargs)(fn)
    for function, args, kwargs in _CLIENTSIDE:
        app.clientside_callback(function, *args, **kwargs)
