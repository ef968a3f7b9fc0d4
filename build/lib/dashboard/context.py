"""The warehouse the running app serves. Set once by :func:`dashboard.app.create_app`; callbacks read it."""

from __future__ import annotations

from .data import Warehouse
from .state import Filters, parse

_current: Warehouse | None = None


def set_warehouse(wh: Warehouse) -> None:
    global _current
    _current = wh


def warehouse() -> Warehouse:
    if _current is None:
        raise RuntimeError("No warehouse: create the app with dashboard.app.create_app(db)")
    return _current


def filters(search: str | None) -> Filters:
    """The page's filters from its query string, checked against the warehouse served."""
    return warehouse().checked(parse(search))
