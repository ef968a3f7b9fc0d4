"""A query's rows as Python values, for the pages that read them one value at a time (cells, lights, links).

pandas 3 keeps text in Arrow arrays and walks them element by element in ``to_dict("records")``, and
``itertuples`` slices the frame once per column: on the national warehouse both cost more than the query that
made the frame. These read each column once, as a list."""

from __future__ import annotations

import collections
from typing import Any

import numpy as np
import pandas as pd


def records(df: pd.DataFrame) -> list[dict]:
    """The frame's rows as plain dicts, as ``df.to_dict("records")`` gives them (missing integers as None), about
    eight times faster: a column at a time (pandas 3 walks arrow-backed text columns element by element), which
    the pages' cells, lights and links read one value at a time."""
    names = list(df.columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*_columns(df), strict=True)]


def tuples(df: pd.DataFrame) -> list[Any]:  # named tuples: their fields are the frame's columns
    """The frame's rows as named tuples, as ``df.itertuples(index=False)`` gives them (missing integers as None),
    without its cost: itertuples slices the frame once per column (``iloc[:, k]``, about 0.3 ms each), so a
    one-row frame of 26 columns cost 8 ms."""
    row = collections.namedtuple("Row", list(df.columns), rename=True)  # type: ignore[misc]
    return [row(*values) for values in zip(*_columns(df), strict=True)]


def _columns(df: pd.DataFrame) -> list[list]:
    """Each column as a Python list (a column at a time: pandas 3 walks arrow-backed text element by element),
    read from the frame's arrays: a Series per column (``df[c]``) cost as much as the lists themselves.
    ``_iter_column_arrays`` is pandas' own (private) walk of them: tests/dashboard/test_rows.py holds the rows
    to pandas' ``to_dict``/``itertuples``, value for value and type for type."""
    return [column(a) for a in df._iter_column_arrays()]


def column(values: pd.Series | pd.api.extensions.ExtensionArray | np.ndarray) -> list:
    """A column (a Series or a frame's array) as a Python list, missing integers as None."""
    if isinstance(values, np.ndarray):
        return values.tolist()
    if pd.api.types.is_extension_array_dtype(values.dtype) and not pd.api.types.is_string_dtype(values.dtype):
        return values.to_numpy(dtype=object, na_value=None).tolist()
    return values.tolist()
