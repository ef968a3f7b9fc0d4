"""A view as a grid that holds one page of rows at a time: AG Grid's infinite row model, whose pages a callback
answers from the view's rows (:func:`rows_page`), sorted and filtered on the server as the grid asks. A long list
(hundreds of suspect values at national scale) costs the wire one page of 50, not the whole list; the downloads
keep every row of the view, in its own order.

A grid's first page travels with the page that draws it (:func:`first_page`, a ``dcc.Store`` beside the grid):
the browser answers the grid's first request from it (``assets/calidad.js``, ``firstPage``) and the server is asked
only when the grid is sorted, filtered or turned — a round trip and a callback less per grid before the page is
usable. The server's callback listens to the ``<grid>-ask`` store, which the browser fills with those requests.

Rows of the infinite model all have one height (the model draws rows it has not fetched yet), so long texts
are cut with an ellipsis and shown whole on hover and in the downloads."""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
import pandas as pd
from dash import dcc

from ..views import View
from .table_grid import DEFAULT_COLUMN, NUMERIC, column_defs, grid_options, records

PAGE_ROWS = 50
MAX_ROWS = 500  # per request: a page or a few (the grid asks for one block at a time)

# AG Grid's text filter, as its client-side model applies it (case-insensitive), for the server's rows.
TEXT_TESTS = {
    "contains": lambda v, x: v.str.contains(x, regex=False),
    "notContains": lambda v, x: ~v.str.contains(x, regex=False),
    "equals": lambda v, x: v == x,
    "notEqual": lambda v, x: v != x,
    "startsWith": lambda v, x: v.str.startswith(x),
    "endsWith": lambda v, x: v.str.endswith(x),
}


def first_request(sort: tuple[str, str] | None = None) -> dict:
    """The request a grid sends first: its first page, in its first order, unfiltered."""
    order = [{"colId": sort[0], "sort": sort[1]}] if sort else []
    return {"startRow": 0, "endRow": PAGE_ROWS, "sortModel": order, "filterModel": {}}


def first_page(
    grid_id: str, answer: dict, told: list | None = None, sort: tuple[str, str] | None = None
) -> list[dcc.Store]:
    """The grid's first page (``answer``: :func:`rows_page` of :func:`first_request`) sent with the page, with what
    else its answer sets (``told``: the values of the browser callback's other outputs, in order, e.g. the line
    counting its rows); beside it the store the browser fills with the requests it cannot answer (``<grid>-ask``)."""
    data = {"request": first_request(sort), "answer": answer, "told": told or []}
    return [dcc.Store(id=f"{grid_id}-first", data=data), dcc.Store(id=f"{grid_id}-ask")]


class BadRequest(ValueError):
    """A rows request the grid would never send (a script's): unknown column, filter or shape."""


def paged_grid(grid_id: str, table: View, lang: str, sort: tuple[str, str] | None = None) -> dag.AgGrid:
    """The view's screen columns, with no rows: the grid asks for its pages (``getRowsRequest``)."""
    defs = column_defs(table, lang, sort)
    for d in defs:
        if d.pop("wrapText", None):  # one row height: the text cut, whole on hover
            d.pop("autoHeight", None)
            d["tooltipField"] = d["field"]
    return dag.AgGrid(
        id=grid_id,
        columnDefs=defs,
        rowModelType="infinite",
        defaultColDef=DEFAULT_COLUMN,
        dashGridOptions={
            **grid_options(lang),
            "pagination": True,
            "paginationPageSize": PAGE_ROWS,
            "cacheBlockSize": PAGE_ROWS,
            "maxBlocksInCache": 4,
            "infiniteInitialRowCount": 1,
            "tooltipShowDelay": 300,
        },
        className="table-grid",
        style={"width": "100%"},
    )


def _text_mask(values: pd.Series, condition: dict) -> pd.Series:
    kind = condition.get("type")
    if kind == "blank":
        return values.isna() | (values.astype("string") == "")
    if kind == "notBlank":
        return values.notna() & (values.astype("string") != "")
    test = TEXT_TESTS.get(kind) if isinstance(kind, str) else None
    needle = condition.get("filter")
    if test is None or not isinstance(needle, str):
        raise BadRequest(f"filtro de texto desconocido: {condition!r}")
    return test(values.astype("string").str.lower(), needle.lower()).fillna(False).astype(bool)


def _filtered(df: pd.DataFrame, model: dict, shown: dict[str, str]) -> pd.DataFrame:
    """The rows that pass the grid's filters (text columns only: the others have none)."""
    for key, spec in model.items():
        if shown.get(key) != "text" or not isinstance(spec, dict):
            raise BadRequest(f"no se filtra por la columna {key!r}")
        conditions = spec.get("conditions") if "conditions" in spec else [spec]
        if (
            not isinstance(conditions, list)
            or not conditions
            or not all(isinstance(c, dict) for c in conditions)
        ):
            raise BadRequest(f"filtro mal formado en {key!r}")
        masks = [_text_mask(df[key], c) for c in conditions]
        mask = masks[0]
        for m in masks[1:]:
            mask = (mask | m) if spec.get("operator") == "OR" else (mask & m)
        df = df[mask]
    return df


def _sorted(df: pd.DataFrame, model: list, shown: dict[str, str]) -> pd.DataFrame:
    """The rows in the grid's order (columns in the order clicked; empty values last, as the grid puts them)."""
    if not model:
        return df
    keys, ascending = [], []
    for s in model:
        if not isinstance(s, dict) or s.get("colId") not in shown or s.get("sort") not in ("asc", "desc"):
            raise BadRequest(f"orden mal formado: {s!r}")
        keys.append(s["colId"])
        ascending.append(s["sort"] == "asc")
    return df.sort_values(keys, ascending=ascending, na_position="last", kind="stable")


def rows_page(table: View, df: pd.DataFrame, request: Any, lang: str) -> dict:
    """The grid's answer to a rows request: the rows ``startRow``..``endRow`` of the view's rows ``df`` after the
    grid's filters and sort, as the grid shows them, and how many there are in all (so that it knows its pages)."""
    if not isinstance(request, dict):
        raise BadRequest("petición de filas mal formada")
    start, end = request.get("startRow"), request.get("endRow")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= start + MAX_ROWS):
        raise BadRequest(f"filas pedidas fuera de rango: {start!r}..{end!r}")
    filters, order = request.get("filterModel"), request.get("sortModel")
    filters, order = {} if filters is None else filters, [] if order is None else order
    if not (isinstance(filters, dict) and isinstance(order, list)):
        raise BadRequest("filtros u orden mal formados")
    shown = {c.key: ("number" if c.kind in NUMERIC else c.kind) for c in table.columns if c.screen}
    df = _sorted(_filtered(df, filters, shown), order, shown)
    return {"rowData": records(table, df.iloc[start:end], lang), "rowCount": len(df)}
