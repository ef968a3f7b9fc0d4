"""``fmt.present`` is ``not fmt.missing`` that the type checker understands: the helpers that do arithmetic on
possibly missing figures keep their answers for None, pandas' NA and NaN."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard import format as fmt


@pytest.mark.parametrize("x", [None, pd.NA, math.nan, float("nan")])
def test_missing_values_are_not_present(x):
    assert fmt.missing(x) and not fmt.present(x)


@pytest.mark.parametrize("x", [0.0, -1.5, 3, math.inf])
def test_numbers_are_present(x):
    assert fmt.present(x) and not fmt.missing(x)


def test_delta_and_soles_keep_their_missing_answers():
    assert fmt.delta(12.5, 10.0) == 2.5
    assert fmt.delta(None, 10.0) is None
    assert fmt.delta(12.5, math.nan) is None
    assert fmt.soles(None) == "–"
    assert fmt.soles(math.nan) == "–"
    assert fmt.soles(2_845_300_000.0) == "S/ 2,845.3 mill."
    assert fmt.soles(2_845_300_000.0, "en") == "S/ 2,845.3 M"  # English writes millions as M
    assert fmt.soles(-12_345.0) == "S/ -12,345"
