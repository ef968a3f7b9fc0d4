"""Small typed accessors of the ETL: each says what is wrong instead of passing a wrong type along."""

from __future__ import annotations

import pytest

from etl.csvfile import Staged
from etl.records.definitions import Definition, Definitions


def test_header_row_defaults_to_the_first_line_and_keeps_a_spreadsheets():
    assert Staged("s", 0, {}, {"format": "csv"}).header_row == 1
    assert Staged("s", 0, {}, {"format": "xlsx", "header_row": 4}).header_row == 4
    with pytest.raises(TypeError, match="header_row debe ser un entero"):
        _ = Staged("s", 0, {}, {"header_row": "4"}).header_row


def test_measured_codes_carry_their_range_and_refuse_a_measure_without_one():
    hb = Definition("anemia", "medicion", codes=("85018", "D509"), valid_range=(3.0, 20.0))
    visit = Definition("cred", "mes", codes=("Z001",))
    defs = Definitions((hb, visit), {}, "x")
    assert defs.measured_codes == {"85018": (3.0, 20.0), "D509": (3.0, 20.0)}
    with pytest.raises(ValueError, match="anemia: una medición necesita valor_valido"):
        _ = Definitions((Definition("anemia", "medicion", codes=("85018",)),), {}, "x").measured_codes
