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


def test_the_browser_unit_is_handed_out_first():
    from collections import OrderedDict

    from tests.xdist_units import ModuleUnits

    sent = []
    units = ModuleUnits.__new__(ModuleUnits)  # only the work queue is needed to see the order
    units.workqueue = OrderedDict(
        [("tests/etl/test_cli.py", {"a": False}), ("browser", {"b": False}), ("tests/x.py", {"c": False})]
    )
    units.assigned_work = {}
    node = type("Node", (), {"send_runtest_some": lambda self, indexes: sent.append(indexes)})()
    units.registered_collections = {node: ["a", "b", "c"]}
    units._assign_work_unit(node)
    units._assign_work_unit(node)
    assert sent == [[1], [0]]
