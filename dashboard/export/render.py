"""A snapshot's bytes in one format: CSV (its rows alone), Excel (with its context sheets) or JSON (rows and
context). ``generated`` is the only thing that differs between two runs."""

from __future__ import annotations

import datetime as dt

from ..data import Warehouse
from ..state import Filters
from .context import context_rows, sheets
from .snapshot import Snapshot
from .writers import to_csv, to_json, to_xlsx

MIMETYPES = {
    "csv": "text/csv",  # Flask adds "; charset=utf-8"
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
FORMATS = tuple(MIMETYPES)


def render(
    wh: Warehouse, f: Filters, s: Snapshot, fmt_: str, generated: dt.datetime, base_url: str = ""
) -> bytes:
    if fmt_ == "csv":
        return to_csv(s.data)
    if fmt_ == "xlsx":
        return to_xlsx(s, sheets(wh, f, s, generated, base_url))
    return to_json(s, context_rows(wh, f, s, generated, base_url))
