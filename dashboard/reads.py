"""The dashboard's one door to the warehouse's named reads (``warehouse.query``): every read is named here by its
name, with what the access rules need to know of it. The only module of the dashboard that imports
``warehouse.query``."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from warehouse import query

level_below = query.child_level  # the level one below a parent's, along a tree


def named_query(name: str) -> Callable[..., pd.DataFrame]:
    """The warehouse's read of that name; an unknown name is an error, never an empty answer."""
    fn = getattr(query, name, None)
    if not callable(fn) or name.startswith("_"):
        raise KeyError(f"no hay una consulta «{name}» en warehouse.query")
    return fn
