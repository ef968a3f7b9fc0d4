"""The filter bar shared by every page: program, period (month or year), chain level, region. Its values mirror
the URL (see dashboard.app: one callback keeps both in step, so the back button works)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from warehouse.catalogue_model import LEVELS

from .. import format as fmt
from ..data import Warehouse
from ..i18n import dropdown_labels, level_name, t
from ..state import Filters

NATIONAL = "PE"


def period_options(wh: Warehouse, program: str, lang: str) -> list[dict]:
    snap = wh.snapshot
    months = sorted(snap.months.get(program, []), reverse=True)
    years = sorted({m.year for m in months} | set(snap.years.get(program, [])), reverse=True)
    opts = [{"label": fmt.month(m, lang), "value": m.strftime("%Y-%m")} for m in months]
    opts += [{"label": t("year_option", lang, year=y), "value": str(y)} for y in years]
    return opts


def _field(label: str, control, width: int, hint: str | None = None, hint_id: str | None = None) -> dbc.Col:
    """A labelled control; ``hint`` says, when the control is disabled, why (shown only then, by CSS)."""
    parts = [dbc.Label(label, html_for=control.id, className="filter-label"), control]
    if hint:
        parts.append(html.Small(hint, id=hint_id, className="filter-hint"))
    return dbc.Col(html.Div(parts, className="filter-field"), xs=12, sm=6, lg=width)


def filter_bar(
    wh: Warehouse,
    f: Filters,
    region: str | None,
    level_disabled: bool = False,
    region_disabled: bool = False,
) -> html.Div:
    lang = f.lang
    cat = wh.snapshot.catalogue
    labels = dropdown_labels(lang)
    program = dcc.Dropdown(
        id="f-program",
        labels=labels,
        clearable=False,
        value=f.program,
        options=[{"label": f"{p.code} · {p.name.get(lang)}", "value": p.code} for p in cat.programs.values()],
    )
    period = dcc.Dropdown(
        id="f-period",
        labels=labels,
        clearable=False,
        value=f.period or wh.resolve_period(f.program, None).strftime("%Y-%m"),
        options=period_options(wh, f.program, lang),
    )
    level = dcc.Dropdown(
        id="f-level",
        labels=labels,
        clearable=False,
        disabled=level_disabled,
        value=f.level or "all",
        options=[{"label": t("all_levels", lang), "value": "all"}]
        + [{"label": level_name(lv, lang), "value": lv} for lv in LEVELS],
    )
    regions = wh.snapshot.regions
    allowed = wh.allowed
    region_dd = dcc.Dropdown(
        id="f-region",
        labels=labels,
        clearable=False,
        disabled=region_disabled,
        value=region or NATIONAL,
        options=[{"label": t("national", lang), "value": NATIONAL}]
        + [
            {"label": r.name, "value": r.region_code}
            for r in regions.itertuples()
            if allowed is None or r.region_code in allowed
        ],
    )
    return html.Div(
        dbc.Row(
            [
                _field(t("program", lang), program, 3),
                _field(t("period", lang), period, 3),
                _field(
                    t("region", lang), region_dd, 3, hint=t("region_not_here", lang), hint_id="f-region-hint"
                ),
                _field(t("level", lang), level, 3),
            ],
            className="g-2",
        ),
        className="filter-bar",
        role="search",
    )
