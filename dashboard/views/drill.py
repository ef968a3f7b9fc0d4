"""What the region page's drill-down shows, along either tree: the indicator it breaks down, the parent the URL
chooses (a province or district; a Red or MicroRed with ``?arbol=red``) and the rows one level below it. The page
(dashboard/pages/region.py) and the downloads both read it from here: the view ``region-detalle``."""

from __future__ import annotations

import pandas as pd

from warehouse.catalogue_model import Indicator
from warehouse.rules import status
from warehouse.sources import MONTHLY_FEEDS

from ..data import Warehouse
from ..i18n import level_name, words
from ..state import FACILITY_LIST, Filters
from .indicators import region_snapshot
from .model import Column, View
from .red_list import worst_first

DRILL_FEEDS = MONTHLY_FEEDS  # the feeds reported per facility: the only ones below the region
LIGHTS = ("critico", "en_riesgo", "adecuado")  # the states that are a light (not muestra pequeña, no data...)


def drill_indicators(wh: Warehouse, f: Filters) -> list[Indicator]:
    return [i for i in wh.snapshot.catalogue.indicators_for(program=f.program) if i.feed in DRILL_FEEDS]


def drill_indicator(wh: Warehouse, f: Filters, region: str | None = None) -> Indicator | None:
    """The URL's indicator; else, in a region, :func:`opening_indicator`; else the program's first key product."""
    inds = drill_indicators(wh, f)
    chosen = next((i for i in inds if i.code == f.indicator), None)
    if chosen is None and region is not None:
        chosen = opening_indicator(wh, f, region)
    return chosen or next((i for i in inds if i.key and i.level == "product"), inds[0] if inds else None)


def opening_indicator(wh: Warehouse, f: Filters, region: str) -> Indicator | None:
    """The indicator the region's drill-down opens on: the worst (the red list's order, :func:`worst_first`) of
    its Crítico and En riesgo indicators reported per facility that has at least one light one level below the
    region along the URL's tree (a province, or a Red) — one whose every province is "Muestra pequeña" or
    unreported gives a manager nothing to act on. None when no red indicator has one, or the user may not see
    below the region."""
    if not wh.below_region:
        return None
    by_code = {i.code: i for i in drill_indicators(wh, f)}
    snap = region_snapshot(wh, f, region)
    period = wh.resolve_period(f.program, f.period)
    for code in worst_first(wh.snapshot.catalogue, f.program, snap):
        if code in by_code:
            rows = wh.read(
                "children", code, region, "region", period, tree=f.tree, region=region, within=None
            )
            if rows.status.isin(LIGHTS).any():
                return by_code[code]
    return None


def drill_target(wh: Warehouse, f: Filters, region: str) -> tuple[str, str]:
    """(parent code, parent level) of the table along the URL's tree: the district, else the province, else the
    region; or on the network tree (?arbol=red) the MicroRed, else the Red, else the region. A code that is not
    the region's (a stale or crafted link) falls back to its parent."""
    if f.tree == "red":
        snap = wh.snapshot
        red, microred = f.red, f.microred
        if red is not None and red in set(snap.network_children(region, region).territory_code):
            if microred is not None and microred in set(snap.network_children(region, red).territory_code):
                return microred, "microred"
            return red, "red"
        return region, "region"
    parents = wh.snapshot.parents
    if (
        f.district
        and f.province is not None
        and parents.get(f.district) == f.province
        and parents.get(f.province) == region
    ):
        return f.district, "distrito"
    if f.province and parents.get(f.province) == region:
        return f.province, "provincia"
    return region, "region"


def facility_list(wh: Warehouse, f: Filters, region: str) -> list[str] | None:
    """With ``?establecimientos=todos`` on a province (or a Red): the parents of its facilities — its districts
    (its MicroRedes) — whose facilities the drill-down lists all at once; else None (one level below)."""
    if f.facilities != FACILITY_LIST:
        return None
    parent, level = drill_target(wh, f, region)
    snap = wh.snapshot
    if level == "provincia":
        return list(snap.children_of(parent).territory_code)
    if level == "red":
        return list(snap.network_children(region, parent).territory_code)
    return None


def drill_table(wh: Warehouse, f: Filters, region: str, ind: Indicator | None = None) -> pd.DataFrame:
    """The rows of the drill-down of one indicator (the URL's, else the default), along the URL's tree and
    within the region, worst first."""
    ind = ind or drill_indicator(wh, f, region)
    if ind is None:
        return pd.DataFrame()
    parent, level = drill_target(wh, f, region)
    period = wh.resolve_period(f.program, f.period)
    within = facility_list(wh, f, region)
    rows = wh.read("children", ind.code, parent, level, period, tree=f.tree, region=region, within=within)
    return worst_rows(rows, ind)


def worst_rows(df: pd.DataFrame, ind: Indicator) -> pd.DataFrame:
    """Rows worst first: by light (Crítico, En riesgo, Adecuado, then the states that are not a light), then by
    value in the indicator's bad direction (highest first when lower is better), then by code. A facility's stock
    light follows its class, so stock-outs come first."""
    if df.empty:
        return df
    rank = [status(s).rank for s in df.status]
    value = df.value.astype(float)
    bad = -value if ind.direction == "down" else value
    return (
        df.assign(_rank=rank, _bad=bad)
        .sort_values(["_rank", "_bad", "territory_code"], na_position="last", kind="stable")
        .drop(columns=["_rank", "_bad"])
        .reset_index(drop=True)
    )


def _drill(wh: Warehouse, f: Filters, region: str | None) -> pd.DataFrame:
    """The view's rows: the drill-down of the URL's indicator, as the page's grid shows it (the page's downloads
    name it), or — with no indicator in the filters — of every indicator reported per facility, one after the
    other (the region's whole detail at that level, as ``semaforo export --vista region-detalle`` gives it)."""
    if region is None:
        return pd.DataFrame()
    chosen = f.indicator and next((i for i in drill_indicators(wh, f) if i.code == f.indicator), None)
    frames = [drill_table(wh, f, region, ind) for ind in ([chosen] if chosen else drill_indicators(wh, f))]
    frames = [df for df in frames if len(df)]
    if not frames:
        return pd.DataFrame()
    df = pd.concat(frames, ignore_index=True)
    return df.assign(level_name=[level_name(x, f.lang) for x in df.territory_level])


REGION_DRILL = View(
    "region-detalle",
    words("region-detalle.title"),
    (
        Column("level_name", words("region-detalle.level_name"), "text"),
        Column("territory_level", words("region-detalle.territory_level"), "code", screen=False),
        Column("territory_code", words("region-detalle.territory_code"), "code"),
        Column("name", words("region-detalle.name"), "text"),
        Column(
            "district_name",
            words("region-detalle.district_name"),
            "text",
            help=words("region-detalle.district_name.help"),
        ),
        Column(
            "microred_name",
            words("region-detalle.microred_name"),
            "text",
            help=words("region-detalle.microred_name.help"),
        ),
        Column("indicator_code", words("region-detalle.indicator_code"), "code"),
        Column("period", words("region-detalle.period"), "month"),
        Column("value", words("region-detalle.value"), "number"),
        Column(
            "denominator",
            words("region-detalle.denominator"),
            "number",
            help=words("region-detalle.denominator.help"),
        ),
        Column("numerator", words("region-detalle.numerator"), "number"),
        Column("status", words("region-detalle.status"), "status"),
        Column("units_reporting", words("region-detalle.units_reporting"), "count"),
        Column("units_expected", words("region-detalle.units_expected"), "count"),
        Column("batch_id", words("region-detalle.batch_id"), "batch"),
    ),
    _drill,
    MONTHLY_FEEDS,
    notes=words("region-detalle.notes"),
    page="/region",
    scope="below_region",
    arg_required=True,
    filters=("tree", "province", "district", "red", "microred", "indicator", "facilities"),
)
