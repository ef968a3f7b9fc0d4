"""A query's rows as Python values (dashboard.rows) are the rows pandas gives, value for value and type for type,
on real frames of the small fixture warehouse (text in Arrow arrays, nullable integers, dates, lists)."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from dashboard.rows import records, tuples
from warehouse import query


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if a is pd.NaT or b is pd.NaT:
        return a is b
    if isinstance(a, list | tuple) or hasattr(a, "tolist"):
        return list(a) == list(b)  # type: ignore[call-overload]
    return type(a) is type(b) and a == b


def _frames(small_db: Path) -> list[pd.DataFrame]:
    con = duckdb.connect(str(small_db), read_only=True)
    try:
        period = con.execute("select max(period) from mart_status_top where period_grain = 'M'").fetchone()[0]
        regions = [r[0] for r in con.execute("select region_code from core_region").fetchall()]
        return [
            query.snapshot(con, "0001", ["PE", *regions], period),
            query.children(con, "PAN_P_CRED", regions[0], "region", period),
            query.quality_outliers(con, "0001", period),
            query.snapshot(con, "0001", ["PE"], dt.date(1990, 1, 1)),  # no rows
        ]
    finally:
        con.close()


def test_records_are_to_dict_records(small_db: Path) -> None:
    for df in _frames(small_db):
        mine, theirs = records(df), df.to_dict("records")
        assert len(mine) == len(theirs) == len(df)
        for m, t in zip(mine, theirs, strict=True):
            assert list(m) == list(t)
            assert all(_same(m[k], t[k]) for k in t), (m, t)
    assert any(len(df) and df.isna().any().any() for df in _frames(small_db))  # missing values were compared


def test_tuples_are_itertuples_in_python_values(small_db: Path) -> None:
    for df in _frames(small_db):
        mine, theirs = tuples(df), list(df.itertuples(index=False))
        assert len(mine) == len(theirs) == len(df)
        for m, t in zip(mine, theirs, strict=True):
            assert m._fields == t._fields
            assert all(_same(x, _native(y)) for x, y in zip(m, t, strict=True)), (m, t)


def _native(value: object) -> object:
    """itertuples gives numpy scalars where a column is numpy's, and pandas' NA for a missing nullable integer;
    tuples gives Python's (as to_dict does) and None."""
    if value is pd.NA:
        return None
    return value.item() if isinstance(value, np.generic) else value
