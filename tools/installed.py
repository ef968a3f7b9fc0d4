"""Whether this virtualenv already holds what ``pip install -c constraints.txt -e ".[EXTRAS]"`` would give it:
``python -m tools.installed test,spark`` exits 0 if so, else 1, naming what is missing; with ``--any-version``,
whether it holds what ``pip install -e ".[EXTRAS]"`` would (any version pyproject.toml allows).

The Makefile asks before it installs. A venv made by ``pip install -e ".[test]"`` from this checkout (as the
acceptance checks make theirs) has no stamp file of ours; inside a timed ``make test-fast`` a pip install that
changes nothing still builds the package (6 CPU-seconds), and one that brings four packages back to their pins
20 CPU-seconds, a minute on a busy machine. What counts: this checkout installed editable, its console scripts,
and every requirement of the project and the extras, followed through the installed packages' own requirements.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from importlib import metadata
from pathlib import Path

try:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
except ImportError:  # a venv pip has just made: nothing is installed in it yet
    sys.exit("por instalar / to install: packaging, y lo demás / and the rest")

ROOT = Path(__file__).resolve().parents[1]


def pins() -> dict[str, str]:
    """constraints.txt's ``name==version`` lines, by canonical name."""
    lines = (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
    pairs = (line.partition("==") for line in lines if line.strip() and not line.startswith("#"))
    return {canonicalize_name(name.strip()): version.strip() for name, _, version in pairs}


def _project_problems(project: dict) -> list[str]:
    # Not the checkout's own ``*.egg-info`` (``python -m`` puts the working folder first on the path): the venv's.
    site = [p for p in sys.path if p and Path(p).resolve() != ROOT]
    dist = next(iter(metadata.distributions(name=project["name"], path=site)), None)
    if dist is None:
        return [f"{project['name']} no está instalado"]
    url = json.loads(dist.read_text("direct_url.json") or "{}")
    problems = []
    if url.get("url") != ROOT.as_uri() or not url.get("dir_info", {}).get("editable"):
        problems.append(f"{project['name']} no está instalado en modo editable desde {ROOT}")
    scripts = {e.name: e.value for e in dist.entry_points if e.group == "console_scripts"}
    if scripts != project.get("scripts", {}):
        problems.append(f"los comandos instalados {scripts} no son los de pyproject.toml")
    return problems


def _wanted(requirement: Requirement, extras: tuple[str, ...]) -> bool:
    """Whether a requirement applies here, for a package asked for with ``extras``."""
    marker = requirement.marker
    return marker is None or any(marker.evaluate({"extra": extra}) for extra in ("", *extras))


def missing(extras: list[str], pinned_only: bool = True) -> list[str]:
    """What ``pip install -c constraints.txt -e ".[extras]"`` would still change (empty: nothing); with
    ``pinned_only`` false, what ``pip install -e ".[extras]"`` would (any version pyproject.toml allows)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    problems = _project_problems(project)
    pinned = pins() if pinned_only else {}
    asked = list(project["dependencies"])
    for extra in extras:
        if extra not in project["optional-dependencies"]:
            problems.append(f"pyproject.toml no declara el extra {extra!r}")
        asked += project["optional-dependencies"].get(extra, [])
    todo = [Requirement(r) for r in asked]
    seen: set[tuple[str, frozenset[str]]] = set()
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if (name, frozenset(req.extras)) in seen or not _wanted(req, ()):
            continue
        seen.add((name, frozenset(req.extras)))
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            problems.append(f"falta {req}")
            continue
        version = dist.version
        if name in pinned and version != pinned[name]:
            problems.append(f"{req.name} {version}, constraints.txt fija {pinned[name]}")
        elif not req.specifier.contains(version, prereleases=True):
            problems.append(f"{req.name} {version} no cumple {req}")
        extras_asked = tuple(sorted(req.extras))
        todo += [r for r in map(Requirement, dist.requires or []) if _wanted(r, extras_asked)]
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.installed", description=__doc__.split("\n")[0])
    parser.add_argument(
        "extras", nargs="?", default="", help="extras, separated by commas (test,spark,bench)"
    )
    parser.add_argument(
        "--any-version",
        action="store_true",
        help="any version pyproject.toml allows, not only constraints.txt's",
    )
    args = parser.parse_args(argv)
    problems = missing([e for e in args.extras.split(",") if e], pinned_only=not args.any_version)
    for problem in problems:
        print(f"por instalar / to install: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
