"""How `make test` shares the tests between its two pytest-xdist workers: one work unit per test module (its
module fixtures, a served copy, a module's warehouse or a generated data set, are made once, on one worker), and
one for all the browser tests (dash[testing] serves every app on port 8050, so they must not run at once).

``--dist loadgroup`` with ``xdist_group`` markers used to do this, but pytest-xdist 3.8 marks a group by
rewriting the test's id, which pytest 9.2 no longer reads (pytest-xdist issue #1386): every test became its own
unit, modules were split across the workers and their module fixtures built twice. The unit is decided here
from the test's id alone, in the controller, which needs no marker to travel between processes."""

from __future__ import annotations

from typing import Any

import pytest
from xdist.scheduler import LoadScopeScheduling

BROWSER = "tests/browser/"


def unit_of(nodeid: str) -> str:
    """The work unit of a test: ``browser`` for every browser test, else its module's path."""
    return "browser" if nodeid.startswith(BROWSER) else nodeid.split("::", 1)[0]


class ModuleUnits(LoadScopeScheduling):
    """pytest-xdist's scope scheduler with :func:`unit_of` as the scope. The browser unit, the longest (minutes
    of Chromium), goes first, to one worker while the other starts on the modules; then the modules with the
    most tests (``--loadscope-reorder``, pytest-xdist's default), so that a big one does not start last."""

    def _split_scope(self, nodeid: str) -> str:
        return unit_of(nodeid)

    def _assign_work_unit(self, node: Any) -> None:
        if "browser" in self.workqueue:
            self.workqueue.move_to_end("browser", last=False)
        super()._assign_work_unit(node)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> ModuleUnits | None:
    """Under ``-n 2 --dist loadscope`` (``make test``; ``loadgroup`` alike) the work units above."""
    if config.getvalue("dist") not in ("loadscope", "loadgroup"):
        return None
    return ModuleUnits(config, log)
