"""The house is layered one way: ``warehouse`` imports nothing of ours; ``etl`` and ``dashboard`` build on the
warehouse and not on each other (the upload job's call of the loader is the one door from the dashboard into the
ETL); ``semaforo`` composes the command above both; no module imports itself round a circle. Read from the source
with ``ast`` — every import, at the top or inside a function — so an import that would only run later counts too.
"""

from __future__ import annotations

import ast
import functools
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, rows, write

PACKAGES = ("warehouse", "etl", "dashboard", "semaforo", "bench", "tools")

# (importer's package, imported package) pairs that must not exist.
FORBIDDEN = {
    ("warehouse", "etl"),
    ("warehouse", "dashboard"),
    ("warehouse", "semaforo"),
    ("warehouse", "bench"),
    ("etl", "dashboard"),
    ("etl", "semaforo"),
    ("etl", "bench"),
    ("dashboard", "etl"),
    ("dashboard", "semaforo"),
    ("dashboard", "bench"),
}
# The one door through a forbidden pair: the upload job runs the loader's entry point.
DOORS = {("dashboard.upload_job", "etl.load")}


def modules(root: Path = ROOT) -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (root / package).rglob("*.py"):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if package == "bench" and "data" in parts:
                continue
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _type_checking_only(tree: ast.Module) -> set[int]:
    """The ids of imports inside ``if TYPE_CHECKING:`` (never run: annotations only)."""
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return skipped


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of ours that module ``name`` (at ``path``) imports, resolved to the deepest known module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_only(tree)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    targets = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            candidates = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package[: len(package) - (node.level - 1)]
                base = ".".join([*up, *([node.module] if node.module else [])])
            candidates = [f"{base}.{a.name}" for a in node.names] + [base]
        else:
            continue
        for target in candidates:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                targets.add(target)
    # Importing ``a.b.c`` runs ``a/b/__init__.py`` first: an edge to each package above the target, except the
    # importer's own packages (already being imported when it runs).
    own = {".".join(name.split(".")[:k]) for k in range(1, name.count(".") + 1)}
    for target in list(targets):
        parts = target.split(".")
        targets |= {p for k in range(1, len(parts)) if (p := ".".join(parts[:k])) in known and p not in own}
    return targets


@functools.cache  # the tree's graph is read once for its two checks (a CPU-second each)
def graph(root: Path = ROOT) -> dict[str, set[str]]:
    known = modules(root)
    return {name: imports(name, path, known) for name, path in known.items()}


def wrong_way(edges: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"{a} → {b}"
        for a, targets in edges.items()
        for b in targets
        if (a.split(".")[0], b.split(".")[0]) in FORBIDDEN and not _through_door(a, b)
    )


def _through_door(a: str, b: str) -> bool:
    """Whether ``a → b`` is a door, or the import of a package on the way to one."""
    return any(a == importer and (b == target or target.startswith(b + ".")) for importer, target in DOORS)


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each a circle of imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_no_import_goes_the_wrong_way():
    assert wrong_way(graph()) == []


def test_no_import_cycle():
    assert cycles(graph()) == []


def test_the_checks_see_a_wrong_way_import_and_a_cycle(tmp_path):
    """The walker itself: a planted etl → dashboard import and a circle are found (from a function body too)."""
    for package in PACKAGES:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "dashboard" / "pages.py").write_text("from . import views\n")
    (tmp_path / "dashboard" / "views.py").write_text("def f():\n    from .pages import x\n")
    (tmp_path / "etl" / "cli.py").write_text(
        "import click\n\ndef serve():\n    from dashboard.pages import run\n"
    )
    (tmp_path / "dashboard" / "upload_job.py").write_text("from etl.load import load_file\n")
    (tmp_path / "etl" / "load.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import dashboard\n"
    )
    # a circle through a package's __init__: importing etl.loaders.base runs etl/loaders/__init__.py first
    (tmp_path / "etl" / "loaders").mkdir()
    (tmp_path / "etl" / "loaders" / "__init__.py").write_text("from .budget import BudgetLoader\n")
    (tmp_path / "etl" / "loaders" / "base.py").write_text("")
    (tmp_path / "etl" / "loaders" / "budget.py").write_text(
        "from ..places import split\nfrom .base import x\n"
    )
    (tmp_path / "etl" / "places.py").write_text("from .loaders.base import LoadContext\n")
    edges = graph(tmp_path)
    # (the package dashboard is imported on the way to dashboard.pages; the door and TYPE_CHECKING are not edges)
    assert wrong_way(edges) == ["etl.cli → dashboard", "etl.cli → dashboard.pages"]
    assert sorted(cycles(edges)) == [
        ["dashboard.pages", "dashboard.views"],
        ["etl.loaders", "etl.loaders.budget", "etl.places"],
    ]


WEB_STACK = ("dash", "flask", "argon2", "werkzeug", "plotly", "dashboard")
# What ``semaforo`` itself imports of the dashboard: its commands' declarations, nothing they run.
COMMANDS_ONLY = {"dashboard", "dashboard.commands"}


@pytest.mark.parametrize("entry", ["semaforo", "etl.cli"])
def test_semaforo_load_runs_without_the_web_stack(entry, territory_db, tmp_path):
    """``semaforo load`` (and ``python -m etl.cli load``) loads a file without importing Dash, Flask or argon2."""
    (ubigeo,) = rows(territory_db, "select min(ubigeo) from core_district")[0]
    f = write(tmp_path / "eess.csv", f"COD_IPRESS,NOMBRE,UBIGEO\n00099999,P.S. NUEVO,{ubigeo}\n")
    script = (
        "import runpy, sys, atexit\n"
        f"atexit.register(lambda: print('MODULES', ' '.join(m for m in sys.modules if m.split('.')[0] in {WEB_STACK!r} and m not in {COMMANDS_ONLY!r})))\n"
        f"sys.argv = ['semaforo', 'load', '--db', {str(territory_db)!r}, 'facilities', {str(f)!r}]\n"
        f"runpy.run_module({entry!r}, run_name='__main__')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 0, proc.stderr
    assert rows(territory_db, "select name from core_facility where cod_ipress = '00099999'") == [
        ("P.S. NUEVO",)
    ]
    (line,) = [x for x in proc.stdout.splitlines() if x.startswith("MODULES")]
    assert line.split() == ["MODULES"], line
