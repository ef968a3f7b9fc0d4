"""`make test`'s work units: a module's tests on one worker, every browser test on the same one."""

from __future__ import annotations

from tests.xdist_units import unit_of


def test_a_modules_tests_are_one_unit_whatever_their_parameters():
    ids = [
        "tests/etl/test_cli.py::test_unknown_source_is_a_usage_error",
        "tests/etl/test_cli.py::test_bad_rows_are_all_listed_quarantined_and_never_loaded[survey]",
        "tests/etl/test_cli.py::test_odd[a::b@c]",
        "tests/etl/test_cli.py::TestClass::test_method",
    ]
    assert {unit_of(i) for i in ids} == {"tests/etl/test_cli.py"}
    assert unit_of("tests/etl/test_budget.py::test_x") == "tests/etl/test_budget.py"


def test_every_browser_test_shares_one_unit():
    assert unit_of("tests/browser/test_pages.py::test_resumen") == "browser"
    assert unit_of("tests/browser/test_network.py::test_drill[red]") == "browser"
    assert unit_of("tests/dashboard/test_browser_words.py::test_x") == "tests/dashboard/test_browser_words.py"


def handed_out(queue: list[tuple[str, list[str]]]) -> list[str]:
    """The order in which the scheduler hands out the units of ``queue`` (unit, its test ids), as queued."""
    from collections import OrderedDict

    from tests.xdist_units import ModuleUnits

    sent = []
    units = ModuleUnits.__new__(ModuleUnits)  # only the work queue is needed to see the order
    units.workqueue = OrderedDict((unit, dict.fromkeys(ids, False)) for unit, ids in queue)
    units.assigned_work = {}
    node = type("Node", (), {"send_runtest_some": lambda self, indexes: sent.append(indexes)})()
    collection = [i for _, ids in queue for i in ids]
    units.registered_collections = {node: collection}
    while units.workqueue:
        units._assign_work_unit(node)
    return [unit_of(collection[indexes[0]]) for indexes in sent]


def test_the_browser_unit_is_handed_out_first():
    queue = [
        ("tests/etl/test_cli.py", ["tests/etl/test_cli.py::a"]),
        ("browser", ["tests/browser/test_p.py::b"]),
    ]
    assert handed_out([*queue, ("tests/x.py", ["tests/x.py::c"])])[:2] == ["browser", "tests/etl/test_cli.py"]


def test_the_costliest_modules_go_first_whatever_their_number_of_tests():
    many = [f"tests/etl/test_many.py::t{k}" for k in range(30)]  # not measured: 30 × PER_TEST
    few = [f"tests/etl/test_faults.py::t{k}" for k in range(3)]  # measured: COST
    small = ["tests/x.py::a", "tests/x.py::b"]
    order = handed_out(
        [("tests/x.py", small), ("tests/etl/test_many.py", many), ("tests/etl/test_faults.py", few)]
    )
    assert order == ["tests/etl/test_faults.py", "tests/etl/test_many.py", "tests/x.py"]
