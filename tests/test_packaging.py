"""What the package declares: every imported package is a declared dependency, pinned in constraints.txt; the
default install is the app and the ETL (PySpark only in the ``spark`` extra)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from tests.conftest import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
LOCAL = {"etl", "warehouse", "dashboard", "semaforo", "tests", "bench", "tools"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def names(requirements: list[str]) -> set[str]:
    return {canonical(re.split(r"[\s<>=!~\[;]", r, maxsplit=1)[0]) for r in requirements}


@cache  # each file is parsed once for the tests that read its imports
def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def imports(*folders: str, top_level_only: bool = False) -> dict[str, set[str]]:
    """Third-party module → the files importing it."""
    found: dict[str, set[str]] = {}
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            tree = parsed(path)
            nodes = tree.body if top_level_only else ast.walk(tree)
            for node in nodes:
                if isinstance(node, ast.Import):
                    mods = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    mods = [node.module]
                else:
                    continue
                for m in mods:
                    top = m.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in LOCAL and top != "__future__":
                        found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


@cache
def installed() -> dict[str, list[str]]:
    return packages_distributions()


def distributions(module: str) -> set[str]:
    return {canonical(d) for d in installed().get(module, [])}


def undeclared(used: dict[str, set[str]], declared: set[str]) -> dict[str, set[str]]:
    return {m: files for m, files in used.items() if not distributions(m) & declared}


def test_every_package_the_program_imports_is_a_declared_dependency():
    used = imports("etl", "warehouse", "dashboard", "semaforo")
    used.pop("pyspark", None)  # the Spark extra's: the next test, where that extra is installed
    assert not undeclared(used, names(PROJECT["dependencies"]))
    # PySpark is optional: imported only inside the Spark engine's functions, never when a module loads.
    assert "pyspark" not in imports("etl", "warehouse", "dashboard", top_level_only=True)


@pytest.mark.spark  # its package's metadata is there only with the extra (`make test`; not `pip install .[test]`)
def test_pyspark_which_the_spark_engine_imports_is_the_spark_extras():
    used = imports("etl", "warehouse", "dashboard", "semaforo")
    assert "pyspark" in used
    assert not undeclared({"pyspark": used["pyspark"]}, names(PROJECT["optional-dependencies"]["spark"]))


def test_every_package_the_tests_and_the_bench_import_is_declared():
    declared = names(PROJECT["dependencies"]) | {
        n for e in PROJECT["optional-dependencies"].values() for n in names(e)
    }
    assert not undeclared(imports("tests", "bench"), declared | {"semaforo-ppr"})


def test_the_default_install_is_the_app_and_the_etl_without_pyspark():
    extras = PROJECT["optional-dependencies"]
    assert "pyspark" not in names(PROJECT["dependencies"]) | names(extras["test"])
    assert "pyspark" in names(extras["spark"]) and "pyspark" in names(extras["bench"])
    recipe = re.search(r"^\$\(VENV\)/\.installed-app:.*\n\t(.+)$", (ROOT / "Makefile").read_text(), re.M)
    assert recipe and recipe[1].strip() == "$(PIP) -e ."  # `make demo`: no extras


def test_every_dependency_is_pinned_in_constraints():
    lines = [x for x in (ROOT / "constraints.txt").read_text().splitlines() if x and not x.startswith("#")]
    pins = dict(x.split("==", 1) for x in lines)
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+==[^=\s]+", x) for x in lines), "constraints are exact pins"
    everything = names(PROJECT["dependencies"]) | {
        n for e in PROJECT["optional-dependencies"].values() for n in names(e)
    }
    assert not everything - {canonical(p) for p in pins}
