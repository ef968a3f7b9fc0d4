"""How `make test` shares the tests between its two pytest-xdist workers: one work unit per test module (its
module fixtures, a served copy, a module's warehouse or a generated data set, are made once, on one worker), and
one for all the browser tests (dash[testing] serves every app on port 8050, so they must not run at once).

``--dist loadgroup`` with ``xdist_group`` markers used to do this, but pytest-xdist 3.8 marks a group by
rewriting the test's id, which pytest 9.2 no longer reads (pytest-xdist issue #1386): every test became its own
unit, modules were split across the workers and their module fixtures built twice. The unit is decided here
from the test's id alone, in the controller, which needs no marker to travel between processes."""

from __future__ import annotations

import math
from typing import Any

import pytest
from xdist.scheduler import LoadScopeScheduling

BROWSER = "tests/browser/"

# What a module's tests cost in `make test-fast`, in CPU-seconds (measured 2026-12-07 21:00 on two shared cores; only the
# modules of two seconds or more), so that the costliest units are handed out first and the last ones to start
# are small: a module of three tests and 5 CPU-seconds must not be the tail. Any other module counts PER_TEST a test
# (the fast subset's median); a listed module counts that too when it is more (`make test`'s extra tests).
COST = {
    "tests/etl/test_cli.py": 9.6,
    "tests/etl/test_replace.py": 9.1,
    "tests/etl/test_faults.py": 8.2,
    "tests/warehouse/test_status_rules.py": 6.5,
    "tests/dashboard/test_views.py": 6.4,
    "tests/etl/test_budget.py": 6.3,
    "tests/etl/test_damaged.py": 6.0,
    "tests/dashboard/test_budget_exports.py": 5.4,
    "tests/etl/test_budget_variants.py": 5.2,
    "tests/warehouse/test_marts_scope.py": 5.0,
    "tests/dashboard/test_view_access.py": 4.4,
    "tests/etl/test_admin.py": 4.4,
    "tests/etl/test_records.py": 4.3,
    "tests/etl/test_survey.py": 4.3,
    "tests/etl/test_records_denominator.py": 4.2,
    "tests/etl/test_records_his.py": 4.1,
    "tests/etl/test_territory_codes.py": 3.7,
    "tests/warehouse/test_integrity_stamp.py": 3.7,
    "tests/dashboard/test_network_drill.py": 3.7,
    "tests/etl/test_network.py": 3.7,
    "tests/dashboard/test_context_scope.py": 3.7,
    "tests/etl/test_plausible.py": 3.6,
    "tests/etl/test_demo_calibration.py": 3.6,
    "tests/etl/test_demo_his.py": 2.4,
    "tests/etl/test_territory_real.py": 2.3,
    "tests/warehouse/test_quality.py": 2.3,
    "tests/dashboard/test_server.py": 2.1,
    "tests/test_packaging.py": 2.0,
    "tests/warehouse/test_constraints_scope.py": 2.0,
}
PER_TEST = 0.15


def unit_of(nodeid: str) -> str:
    """The work unit of a test: ``browser`` for every browser test, else its module's path."""
    return "browser" if nodeid.startswith(BROWSER) else nodeid.split("::", 1)[0]


def cost(unit: str, tests: int) -> float:
    """What a unit of ``tests`` tests is expected to cost: the browser unit most (minutes of Chromium)."""
    return math.inf if unit == "browser" else max(COST.get(unit, 0.0), PER_TEST * tests)


class ModuleUnits(LoadScopeScheduling):
    """pytest-xdist's scope scheduler with :func:`unit_of` as the scope, handing out the costliest unit left
    (:func:`cost`) whenever a worker is about to run dry: the browser unit first, to one worker while the other
    starts on the modules, then the modules, biggest first, so that both workers finish together."""

    def _split_scope(self, nodeid: str) -> str:
        return unit_of(nodeid)

    def _assign_work_unit(self, node: Any) -> None:
        costliest = max(self.workqueue, key=lambda unit: cost(unit, len(self.workqueue[unit])))
        self.workqueue.move_to_end(costliest, last=False)
        super()._assign_work_unit(node)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> ModuleUnits | None:
    """Under ``-n 2 --dist loadscope`` (``make test``; ``loadgroup`` alike) the work units above."""
    if config.getvalue("dist") not in ("loadscope", "loadgroup"):
        return None
    return ModuleUnits(config, log)
