"""One loader per source format; ``semaforo load <source> FILE`` picks it from :data:`LOADERS`."""

from __future__ import annotations

from .admin import AdminLoader
from .base import Loader
from .budget import BudgetLoader
from .facilities import FacilitiesLoader
from .network import NetworkLoader
from .population import PopulationLoader
from .stock import StockLoader
from .survey import SurveyLoader
from .targets import TargetsLoader
from .territory import TerritoryLoader

LOADERS: dict[str, type[Loader]] = {
    loader.source: loader
    for loader in (
        TerritoryLoader,
        FacilitiesLoader,
        NetworkLoader,
        PopulationLoader,
        TargetsLoader,
        BudgetLoader,
        AdminLoader,
        StockLoader,
        SurveyLoader,
    )
}
