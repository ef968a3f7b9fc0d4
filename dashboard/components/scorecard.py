"""The scorecard matrix: territories × key indicators grouped by chain level; each cell the traffic light, the
value and a trend arrow; sortable by any column with the national row pinned on top (dash-ag-grid)."""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
import pandas as pd

from warehouse.catalogue_model import LEVELS, Catalogue
from warehouse.rules import STATUSES, status

from .. import format as fmt
from ..i18n import level_name, t
from .traffic_light import arrow

# Number cells as the app writes numbers elsewhere (dashboard/assets/dashAgGridFunctions.js `fixed`): es-PE, fixed decimals.
ONE_DECIMAL = {"function": "fixed(params.value, 1)"}
NO_DECIMALS = {"function": "fixed(params.value, 0)"}
GRID_THEME = {
    # plain header colours (not the theme's mixes), read at WCAG AA contrast by people and by axe-core; one theme
    # object for every grid (assets/dashAgGridFunctions.js sharedTheme), its CSS injected once per page
    "function": "sharedTheme(themeQuartz, {fontFamily: 'inherit', headerFontWeight: 600, spacing: 5,"
    " headerBackgroundColor: '#f3f5f8', headerTextColor: '#1f2d3d', foregroundColor: '#1f2d3d'})"
}


def cell(row: dict, unit: str, direction: str, lang: str) -> dict:
    """What one scorecard cell carries to the browser: sortable value, text, status, arrow, tooltip."""
    s = status(row["status"])
    text = fmt.value(row["value"], unit)
    if row["status"] == "referencial":
        text = f"({text})"
    a, _cls = arrow(row["value"], row.get("prev_value"), direction)
    when = fmt.period(pd.Timestamp(row["period"]).date(), row["period_grain"], lang, short=True)
    tip = f"{s.label.get(lang)} · {text} · {when}"
    if not fmt.missing(row.get("target")):
        tip += f" · {t('target', lang)} {fmt.value(row['target'], unit)}"
    if not fmt.missing(row.get("batch_id")):
        tip += f" · {t('batch', lang)} {int(row['batch_id'])}"  # provenance: Calidad de datos → Historial
    # The status's word and icon are not repeated in each cell: the grid's context holds them once (grid_options).
    return {
        "v": None if fmt.missing(row["value"]) else round(float(row["value"]), 3),
        "t": text,
        "s": s.code,
        "a": a,
        "h": tip,
    }


def rows(
    snap: list[dict],
    cat: Catalogue,
    names: dict[str, str],
    order: list[str],
    lang: str,
    links: dict[str, str],
) -> list[dict]:
    """One dict per territory (in ``order``), one key per indicator code."""
    out: dict[str, dict[str, Any]] = {
        code: {"territory_code": code, "name": names.get(code, code), "href": links.get(code)}
        for code in order
    }
    for r in snap:  # plain dicts (rows.records): iterrows built a Series per row (10× slower)
        ind = cat.indicators[r["indicator_code"]]
        if r["territory_code"] in out:
            out[r["territory_code"]][ind.code] = cell(r, ind.unit, ind.direction, lang)
    return [out[c] for c in order]


def column_defs(indicator_codes: list[str], cat: Catalogue, lang: str, first_header: str) -> list:
    groups = []
    for level in reversed(LEVELS):  # results first: what a manager scans for, then what explains it
        children = [
            {
                "headerName": cat.indicators[c].short.get(lang),
                "headerTooltip": cat.indicators[c].name.get(lang),
                "colId": c,
                "valueGetter": {
                    "function": f"params.data && params.data['{c}'] ? params.data['{c}'].v : null"
                },
                "cellRenderer": "StatusCell",
                "minWidth": 150,
                "sortable": True,
                "comparator": {"function": "nullsLast"},
            }
            for c in indicator_codes
            if cat.indicators[c].level == level
        ]
        if children:
            groups.append(
                {"headerName": level_name(level, lang), "children": children, "headerClass": f"level-{level}"}
            )
    first = {
        "headerName": first_header,
        "field": "name",
        "pinned": "left",
        "minWidth": 170,
        "sortable": True,
        "cellRenderer": "TerritoryLink",
        "filter": True,
    }
    return [first, *groups]


def grid_options(pinned: list[dict], lang: str) -> dict:
    """The grid's options; its context gives each status code its word and icon in ``lang`` (StatusCell)."""
    return {
        "pinnedTopRowData": pinned,
        "context": {
            "statuses": {code: {"l": s.label.get(lang), "i": s.icon} for code, s in STATUSES.items()}
        },
        "theme": GRID_THEME,
        "loadThemeGoogleFonts": False,
        "domLayout": "autoHeight",
        "tooltipShowDelay": 300,
        "suppressCellFocus": True,
        "enableCellTextSelection": True,
        "animateRows": False,
    }


def scorecard(
    grid_id: str,
    snap: list[dict],
    cat: Catalogue,
    names: dict[str, str],
    parent: str,
    children_order: list[str],
    indicator_codes: list[str],
    lang: str,
    links: dict[str, str],
    first_header: str,
) -> dag.AgGrid:
    data = rows(snap, cat, names, [parent, *children_order], lang, links)
    return dag.AgGrid(
        id=grid_id,
        columnDefs=column_defs(indicator_codes, cat, lang, first_header),
        rowData=data[1:],
        defaultColDef={
            "resizable": True,
            "suppressHeaderMenuButton": True,
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
        },
        dashGridOptions=grid_options(data[:1], lang),
        className="scorecard",
        style={"width": "100%"},
    )
