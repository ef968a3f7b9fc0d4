"""What `make test-fast` leaves out is left out before it is imported, and only that."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.conftest import ROOT, pytest_ignore_collect

FAST = "not (browser or serving or spark or bench or install or demo or slow)"


def ignored(folder: str, markexpr: str) -> bool:
    config = SimpleNamespace(option=SimpleNamespace(markexpr=markexpr))
    return bool(pytest_ignore_collect(ROOT / "tests" / folder, config))


@pytest.mark.parametrize("folder", ["browser", "serving", "bench", "install"])
def test_the_fast_run_does_not_import_the_marked_folders(folder):
    assert ignored(folder, FAST)
    assert not ignored(folder, "")  # make test: everything


@pytest.mark.parametrize("markexpr", ["browser", "slow", "not demo", "slow and not demo", "browser or spark"])
def test_a_folder_is_imported_when_one_of_its_tests_could_be_chosen(markexpr):
    assert not ignored("browser", markexpr)


def test_other_folders_are_always_imported():
    assert not ignored("etl", FAST)
    assert not ignored("dashboard", "browser")
    assert ignored("serving", "not serving")
    assert not ignored("serving", "browser")  # a serving test could also carry the browser mark
