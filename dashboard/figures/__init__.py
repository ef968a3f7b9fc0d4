"""Figures as pure functions DataFrame → figure, under the app's one template (dashboard.theme).

No Plotly Express (it costs tens of milliseconds per figure), and plain figure dicts rather than ``go.Figure``:
validating twenty panels, or adding thirty annotations one by one, costs more than the query. Values are rounded
before they go on the wire.
"""

from .budget import budget_change, budget_months, budget_results
from .common import stamped
from .indicator import multiples, ranking
from .region import survey, trends

__all__ = [
    "budget_change",
    "budget_months",
    "budget_results",
    "multiples",
    "ranking",
    "stamped",
    "survey",
    "trends",
]
