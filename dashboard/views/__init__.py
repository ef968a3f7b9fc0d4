"""Every table a person can see or download, declared once (dashboard.views.model.View), by its key in URLs:
``/export/<key>.<csv|xlsx|json>``, ``/api/<key>`` and ``semaforo export --vista <key>``."""

from __future__ import annotations

from .budget import (
    BUDGET_CHANGE,
    BUDGET_MONTHS,
    BUDGET_NETWORK,
    BUDGET_PRODUCTS,
    BUDGET_REGIONS,
    BUDGET_UNITS,
)
from .budget_bottlenecks import BUDGET_BOTTLENECKS
from .drill import REGION_DRILL
from .indicators import INDICATOR, REGION, RESUMEN
from .model import Column, View, cell, frame, labelled
from .quality import (
    QUALITY_BATCHES,
    QUALITY_COMPLETENESS,
    QUALITY_MISSING,
    QUALITY_OUTLIERS,
    QUALITY_QUARANTINE,
    QUALITY_TRIANGULATION,
)
from .red_list import REGION_RED

VIEWS: dict[str, View] = {
    v.key: v
    for v in (
        RESUMEN,
        REGION,
        REGION_RED,
        INDICATOR,
        REGION_DRILL,
        BUDGET_PRODUCTS,
        BUDGET_MONTHS,
        BUDGET_UNITS,
        BUDGET_REGIONS,
        BUDGET_CHANGE,
        BUDGET_NETWORK,
        BUDGET_BOTTLENECKS,
        QUALITY_COMPLETENESS,
        QUALITY_MISSING,
        QUALITY_OUTLIERS,
        QUALITY_TRIANGULATION,
        QUALITY_BATCHES,
        QUALITY_QUARANTINE,
    )
}

__all__ = ["VIEWS", "Column", "View", "cell", "frame", "labelled"]
