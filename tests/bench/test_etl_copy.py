"""The ETL figures load the facts into a copy of the national warehouse: a copy of the stamped version is
stamped too (the next load does not read it whole, as on a running system), a copy of an unstamped file is not."""

from __future__ import annotations

import shutil

from bench.etl import copy_as_written
from warehouse.integrity import identity, stamp_path, verified_before


def test_a_copy_of_the_stamped_version_is_stamped_and_nothing_else_is(territory_db, tmp_path):
    copy = tmp_path / "copy.duckdb"
    copy_as_written(territory_db, copy)
    assert verified_before(copy, identity(copy))

    unstamped = shutil.copy(territory_db, tmp_path / "restored.duckdb")
    again = tmp_path / "again.duckdb"
    copy_as_written(unstamped, again)
    assert not stamp_path(again).exists()
