"""What the region page's drill-down shows, along either tree: the indicator it breaks down, the parent the URL
chooses (a province or district; a Red or MicroRed with ``?arbol=red``) and the rows one level below it. The page
(dashboard/pages/region.py) and the downloads (dashboard/tables.py, ``region-detalle``) both read it from here."""

from __future__ import annotations

import pandas as pd

from warehouse import query
from warehouse.catalogue_model import Indicator
from warehouse.sources import MONTHLY_FEEDS

from .data import Warehouse
from .state import Filters

DRILL_FEEDS = MONTHLY_FEEDS  # the feeds reported per facility: the only ones below the region


def drill_indicators(wh: Warehouse, f: Filters) -> list[Indicator]:
    return [i for i in wh.snapshot.catalogue.indicators_for(program=f.program) if i.feed in DRILL_FEEDS]


def drill_indicator(wh: Warehouse, f: Filters) -> Indicator | None:
    inds = drill_indicators(wh, f)
    chosen = next((i for i in inds if i.code == f.indicator), None)
    return chosen or next((i for i in inds if i.key and i.level == "product"), inds[0] if inds else None)


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


def drill_table(wh: Warehouse, f: Filters, region: str) -> pd.DataFrame:
    """The rows of the drill-down (and of its export), along the URL's tree and within the region."""
    ind = drill_indicator(wh, f)
    if ind is None:
        return pd.DataFrame()
    parent, level = drill_target(wh, f, region)
    period = wh.resolve_period(f.program, f.period)
    return wh.query(query.children, ind.code, parent, level, period, tree=f.tree, region=region)
