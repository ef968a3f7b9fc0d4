"""A view (dashboard.views) as a grid: the same rows its downloads write, formatted as the app writes
numbers, statuses as lights, with its download buttons."""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
import pandas as pd
from dash import html

from warehouse.rules import STATUSES

from ..i18n import grid_words, t
from ..rows import column
from ..state import Filters, href
from ..views import View, cell
from ..views.model import DECIMALS
from .scorecard import GRID_THEME

# The numbers' decimals as the Excel download rounds them (one rule: views.model.DECIMALS).
_FORMAT = {kind: {"function": f"fixed(params.value, {d})"} for kind, d in DECIMALS.items()}
NUMERIC = frozenset(_FORMAT)
FIT_MIN_WIDTH = {
    "text": 200,
    "status": 110,
    **dict.fromkeys(NUMERIC, 80),
}  # px, for grids sized to their panel


# What every table's grid shares, whether it holds its rows or asks for them (components.paged_grid).
DEFAULT_COLUMN = {
    "resizable": True,
    "sortable": True,
    "suppressHeaderMenuButton": True,
    "wrapHeaderText": True,
    "autoHeaderHeight": True,
    "minWidth": 100,
}


def grid_options(lang: str) -> dict[str, Any]:
    """The grid options every table's grid shares: theme, height, 50-row pages, words in ``lang``."""
    return {
        "theme": GRID_THEME,
        "loadThemeGoogleFonts": False,
        "domLayout": "autoHeight",
        "paginationPageSize": 50,
        "paginationPageSizeSelector": False,  # its list is absent until opened: invalid ARIA
        "suppressCellFocus": True,
        "enableCellTextSelection": True,
        "animateRows": False,
        **grid_words(lang),
    }


def records(table: View, df: pd.DataFrame, lang: str) -> list[dict]:
    """The grid's rows: each value as the downloads write it (dashboard.views.cell), statuses as codes for the renderer."""
    cols = table.screen
    # each column read once as a list: selecting the screen columns as a frame would copy every one of them
    values = [column(df[c.key]) for c in cols]
    return [
        {c.key: cell(v, c.kind, lang, words=False) for c, v in zip(cols, row, strict=True)}
        for row in zip(*values, strict=True)
    ]


def column_defs(table: View, lang: str, sort: tuple[str, str] | None = None, fit: bool = False) -> list[dict]:
    """The grid's columns: the view's screen columns, headed by their labels; ``sort``: (column, asc|desc)."""
    statuses = {s.code: {"l": s.label.get(lang), "i": s.icon} for s in STATUSES.values()}
    defs = []
    shown = [c for c in table.columns if c.screen]
    # One column stays in view when scrolling sideways (on a phone, two would leave no room): the name.
    pinned = next((c.key for c in shown[:2] if c.kind == "text"), shown[0].key)
    for c in shown:
        d: dict = {"field": c.key, "headerName": c.label.get(lang), "headerTooltip": c.label.get(lang)}
        if c.kind in NUMERIC:
            d |= {
                "valueFormatter": _FORMAT[c.kind],
                "type": "rightAligned",
                "comparator": {"function": "nullsLast"},
            }
        elif c.kind == "status":
            d |= {"cellRenderer": "StatusKey", "cellRendererParams": {"statuses": statuses}, "minWidth": 130}
        elif c.kind == "bool":
            d |= {"valueFormatter": {"function": f"params.value ? '{t('yes', lang)}' : ''"}}
        elif c.kind in ("code", "month", "year"):
            d |= {"width": 120, "minWidth": 90}
        elif c.kind == "text":
            d |= {"minWidth": 260, "wrapText": True, "autoHeight": True, "filter": True}
        if c.key == pinned:  # narrower, so that numbers show beside it on a phone
            d |= {"pinned": "left", "minWidth": 150, "width": 230}
        if fit:  # sized to the panel: numbers and lights narrow, names with room not to wrap word by word
            d["minWidth"] = FIT_MIN_WIDTH.get(c.kind, 90) if c.key != pinned else 130
            if c.kind == "text":  # a larger share of the width as the grid fits it
                d["width"] = 320
        if sort and c.key == sort[0]:
            d["sort"] = sort[1]
        defs.append(d)
    return defs


def table_grid(
    grid_id: str,
    table: View,
    df: pd.DataFrame,
    lang: str,
    empty: str | None = None,
    pinned: pd.Series | None = None,
    sort: tuple[str, str] | None = None,
    fit: bool = False,
) -> dag.AgGrid | html.P:
    """The view's rows as a grid; ``pinned`` marks rows kept on top (the country's), ``sort`` its first order;
    ``fit`` shrinks the columns to the panel's width (down to their minimum) as the window changes, so that a
    narrow panel shows its amounts without sideways scrolling."""
    if df.empty:
        return html.P(empty or t("no_data_period", lang), className="hint")
    if pinned is None:
        rows, top = records(table, df, lang), []
    else:
        rows, top = records(table, df[~pinned], lang), records(table, df[pinned], lang)
    return dag.AgGrid(
        id=grid_id,
        columnDefs=column_defs(table, lang, sort, fit),
        rowData=rows,
        defaultColDef=DEFAULT_COLUMN,
        dashGridOptions={
            **grid_options(lang),
            "pagination": len(df) > 30,
            "pinnedTopRowData": top,
        },
        className="table-grid",
        style={"width": "100%"},
        **({"columnSize": "responsiveSizeToFit"} if fit else {}),
    )


def download_buttons(base: str, f: Filters, what: str) -> html.Div:
    """CSV, Excel and JSON of a view (``base``: its export path without extension) with these filters."""
    icons = {"csv": "filetype-csv", "xlsx": "file-earmark-spreadsheet", "json": "filetype-json"}
    return html.Div(
        [
            html.A(
                [html.I(className=f"bi bi-{icons[ext]} me-1"), ext.upper() if ext != "xlsx" else "Excel"],
                href=href(f"{base}.{ext}", f),
                className="btn btn-sm btn-outline-secondary me-1",
                id={"type": "export", "view": base, "format": ext},
                download="",
                title=f"{t('download', f.lang)} {what} ({ext.upper()})",
            )
            for ext in ("csv", "xlsx", "json")
        ],
        className="exports",
    )


def export_buttons(table: View, f: Filters, arg: str | None, lang: str) -> html.Div:
    """The downloads of exactly this table with these filters (dashboard.export)."""
    return download_buttons(f"/export/{table.key}" + (f"/{arg}" if arg else ""), f, table.title.get(lang))


def panel(
    title: str,
    view: View | None,
    f: Filters,
    region: str | None,
    body: list,
    anchor: str,
    notes: bool = False,
) -> html.Section:
    """A page's section around a view: its title, the downloads of exactly that view, how to read it (with
    ``notes``), then its body (the grid, or charts beside it)."""
    head: list = [html.H2(title, className="section-title")]
    if view is not None:
        head.append(export_buttons(view, f, region, f.lang))
    hint = [html.P(view.notes.get(f.lang), className="hint")] if notes and view and view.notes else []
    return html.Section(
        [html.Div(head, className="section-head"), *hint, *body], className="panel", id=anchor
    )
