"""The region page's drill-down grid: one row per child territory (or Red, MicroRed, facility) with its light,
value, numerator and denominator; for facilities their district and MicroRed, stock class or data-quality mark."""

from __future__ import annotations

import dash_ag_grid as dag
import pandas as pd

from warehouse.catalogue_model import Indicator
from warehouse.rules import status as status_of

from .. import format as fmt
from ..i18n import grid_words, lang_of, level_name, section, t
from ..rows import tuples
from .scorecard import GRID_THEME, NO_DECIMALS, ONE_DECIMAL

WRAP = {"wrapText": True, "autoHeight": True}  # long names wrap rather than being cut


def _drill_rows(
    df: pd.DataFrame, ind: Indicator, lang: str, flags: dict[str, list[str]] | None = None
) -> list[dict]:
    flags = flags or {}
    out = []
    for r in tuples(df):
        reasons = flags.get(r.territory_code) if r.territory_level == "eess" else None
        s = status_of(r.status)
        stock = r.territory_level == "eess" and ind.feed == "stock"
        value = (
            None if fmt.missing(r.value) else round(float(r.value), 1)
        )  # rounded once: badge and column agree
        out.append(
            {
                "code": r.territory_code,
                "name": r.name or r.territory_code,
                "value": value,
                "value_text": "–"
                if value is None
                else fmt.number(value, 1)
                + (f" {t('months_word', lang)}" if stock else "")
                + (" ⚑" if reasons else ""),
                "status": s.code,
                "status_label": s.label.get(lang),
                "status_icon": s.icon,
                "status_rank": s.rank,
                "detail": "; ".join(
                    ([getattr(r, f"rule_label_{lang_of(lang)}")] if isinstance(r.rule_label_es, str) else [])
                    + (
                        [
                            f"⚑ {t('quality_mark', lang)}: "
                            + ", ".join(section("outlier_reason", lang)[x] for x in reasons)
                        ]
                        if reasons
                        else []
                    )
                ),
                "numerator": None if fmt.missing(r.numerator) else round(float(r.numerator), 1),
                "denominator": None if fmt.missing(r.denominator) else round(float(r.denominator), 1),
                "reporting": ""
                if fmt.missing(r.units_expected)
                else f"{int(r.units_reporting)}/{int(r.units_expected)}",
                # a facility names both its places: its district and its MicroRed of the month
                "district": getattr(r, "district_name", None) or "",
                "microred": getattr(r, "microred_name", None) or "",
            }
        )
    return out


def drill_grid(
    df: pd.DataFrame,
    ind: Indicator,
    child_level: str,
    lang: str,
    flags: dict[str, list[str]] | None = None,
    grid_id: str = "drill-grid",
    opens: bool | None = None,
) -> dag.AgGrid:
    """``opens``: whether a row opens its own breakdown (default: every level above facilities; the region page's
    callbacks listen to ``drill-grid`` only)."""
    opens = child_level != "eess" if opens is None else opens
    stock = child_level == "eess" and ind.feed == "stock"
    # A facility list has three more columns: narrower minimums (names and places wrap) so that it fits a laptop's
    # panel, the stock class in view, without sideways scrolling.
    eess = child_level == "eess"
    number = 90
    cols = [
        {
            "headerName": level_name(child_level, lang),
            "field": "name",
            "pinned": "left",
            "minWidth": 200 if eess else 180,
            "flex": 2,
            "filter": True,
            "wrapText": True,  # facility names are long ("CENTRO DE SALUD …"): wrap rather than cut
            "autoHeight": True,
        },
        {"headerName": t("code", lang), "field": "code", "width": 100 if eess else 90},
        {
            "headerName": t("status", lang),
            "field": "status_rank",
            "cellRenderer": "LightCell",  # rows come worst first (views/drill.py), as the downloads have them
            "minWidth": 200,  # "100.0 Muestra pequeña" whole
            "flex": 1,
        },
        {
            "headerName": t("months_of_supply" if stock else "value", lang),
            "field": "value",
            "type": "numericColumn",
            "minWidth": 100,
            "flex": 1,
            "valueFormatter": ONE_DECIMAL,
        },
        {  # the n beside the value: below the indicator's minimum the light is held back (muestra pequeña)
            "headerName": t("cpm" if stock else "n_denominator", lang),
            "headerTooltip": t("cpm_help", lang) if stock else None,
            "field": "denominator",
            "type": "numericColumn",
            "minWidth": number if eess else 140,  # "n (denominador)" whole on its header's two lines
            "flex": 1,
            "valueFormatter": NO_DECIMALS,
        },
        {
            "headerName": ("Stock" if stock else t("numerator", lang)),
            "field": "numerator",
            "type": "numericColumn",
            "minWidth": number if eess else 120,
            "flex": 1,
            "valueFormatter": NO_DECIMALS,
        },
    ]
    if child_level == "eess":
        cols[1:1] = [
            {
                "headerName": t("district", lang),
                "field": "district",
                "minWidth": 150,
                "flex": 1,
                "filter": True,
                **WRAP,
            },
            {
                "headerName": t("level_microred", lang),
                "field": "microred",
                "minWidth": 150,
                "flex": 1,
                "filter": True,
                **WRAP,
            },
        ]
    cols.append(
        {
            "headerName": t("stock_class", lang),
            "field": "detail",
            "minWidth": 170,
            "flex": 2,
            **WRAP,
        }
        if stock
        else {"headerName": t("reporting", lang).capitalize(), "field": "reporting", "width": 95}
    )
    if flags and not stock:  # the reason of each ⚑, beside the value it marks
        cols.append(
            {
                "headerName": t("quality_col", lang),
                "field": "detail",
                "minWidth": 240,
                "wrapText": True,
                "autoHeight": True,
            }
        )
    return dag.AgGrid(
        id=grid_id,
        columnDefs=cols,
        rowData=_drill_rows(df, ind, lang, flags),
        defaultColDef={
            "resizable": True,
            "sortable": True,
            "suppressHeaderMenuButton": True,
            "wrapHeaderText": True,  # "Meses de stock", "Consumo promedio mensual": whole, not cut
            "autoHeaderHeight": True,
        },
        dashGridOptions={
            "theme": GRID_THEME,
            "loadThemeGoogleFonts": False,
            "domLayout": "autoHeight",
            "pagination": len(df) > 20,
            "paginationPageSize": 20,
            "paginationPageSizeSelector": False,  # its list is absent until opened: invalid ARIA
            # cells take the keyboard's focus (arrows move it); Enter or Space opens a row (assets/keyboard.js)
            "suppressCellFocus": False,
            "getRowId": {
                "function": "params.data.code"
            },  # a click names its row (pages/region_drill.open_row)
            "enableCellTextSelection": True,
            **grid_words(lang),
        },
        style={"width": "100%"},
        className="drill-grid" + (" drill-clickable" if opens else ""),
    )
