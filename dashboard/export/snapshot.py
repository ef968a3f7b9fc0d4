"""One download of a view: its rows as the grid shows them (dashboard.views.frame), headings in the language, and
what it needs to explain itself (period, link, sources, indicators, column help)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .. import format as fmt
from ..data import Warehouse
from ..i18n import lang_of
from ..state import Filters, href
from ..views import View, frame, labelled
from ..views.model import Period


@dataclass
class Snapshot:
    """One download: its rows, how each column reads, and what it needs to explain itself."""

    name: str  # file name, without extension
    title: str
    data: (
        pd.DataFrame
    )  # headed by the columns' names in the language (Column.heading), cells as the CSV writes
    kinds: dict[str, str]  # name → views.model.KINDS
    indicators: list[str] = field(default_factory=list)  # catalogue codes its figures involve
    sources: tuple[str, ...] = ()
    territory: str = "PE"
    period_text: str = ""
    upto: str = ""  # the period viewed, 'YYYY-MM': the context's data dates are of it, not of the latest load
    link: str = ""
    notes: str = ""  # how to read it, for a reader who never saw the dashboard
    help: dict[str, str] = field(default_factory=dict)  # name → what the column means
    labels: dict[str, str] = field(default_factory=dict)  # name → the screen's label (Excel's heading)
    exact: pd.DataFrame | None = None  # the same rows with every number unrounded (the JSON)
    filters: Filters | None = None  # as applied (an unknown product, say, dropped)
    level: str = ""  # the level of its rows, where it is one level of a tree (the drill-down)


INDICATOR_KEYS = ("indicator_code", "admin_indicator", "survey_indicator", "coverage_indicator")


def _indicators(df: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(c for k in INDICATOR_KEYS if k in df for c in df[k].dropna().unique()))


def applied(view: View, f: Filters) -> Filters:
    """The filters the view's rows follow: program, period, language and the view's own (View.filters); any
    other filter of the URL is left out, so that the export's context and link say only what was applied."""
    kept = {"program", "period", "lang", *view.filters}
    return Filters(**{k: getattr(f, k) for k in kept})


def snapshot(view: View, wh: Warehouse, f: Filters, arg: str | None) -> Snapshot:
    """The view as a download: exactly the rows of the page's grid, with its context."""
    lang = lang_of(f.lang)
    if view.effective is not None:
        f = view.effective(wh, f, arg)
    f = applied(view, f)
    df = frame(view, wh, f, arg)
    if view.period is not None:
        when = view.period(wh, f, arg)
    else:
        d = wh.resolve_period(f.program, f.period)
        when = Period(fmt.month(d, lang), f"{d:%Y-%m}")
    territory = arg if view.arg == "region" and arg else "PE"
    indicators = view.indicators(wh, f, arg, df) if view.indicators is not None else _indicators(df)
    cat = wh.snapshot.catalogue
    sources = view.sources or tuple(
        sorted({cat.indicators[c].feed for c in indicators if c in cat.indicators})
    )
    return Snapshot(
        name=view.file_name(wh, f, arg, when)
        if view.file_name
        else f"semaforo_{view.key}_{f.program}_{territory}_{when.stamp}",
        title=view.heading(wh, f, arg) if view.heading else view.title.get(lang),
        data=labelled(view, df, lang),
        kinds={c.heading(lang): c.kind for c in view.columns},
        indicators=indicators,
        sources=sources,
        territory=territory,
        period_text=when.text,
        upto=when.stamp,
        link=href(view.page.rstrip("/") + (f"/{arg}" if arg else "") or "/", f),
        notes=view.notes.get(lang) if view.notes else "",
        help={c.heading(lang): c.help.get(lang) for c in view.columns if c.help},
        labels={c.heading(lang): c.label.get(lang) for c in view.columns},
        exact=labelled(view, df, lang, exact=True),
        filters=f,
        level=str(df.territory_level.iloc[0]) if "territory_level" in df and len(df) else "",
    )
