"""tools/installed.py, which lets `make test-fast` skip a pip install that would change nothing: a venv is held
against pyproject.toml's requirements, followed through the installed packages', and constraints.txt's pins."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tools import installed

PYTEST = version("pytest")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout that asks for pytest (installed here), and in its ``test`` extra for a package nobody has."""
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "proyecto-no-instalado"\ndependencies = ["pytest>=1"]\n'
        '[project.optional-dependencies]\ntest = ["paquete-inexistente>=1"]\n',
        encoding="utf-8",
    )
    (tmp_path / "constraints.txt").write_text(f"# pins\npytest=={PYTEST}\n", encoding="utf-8")
    monkeypatch.setattr(installed, "ROOT", tmp_path)
    return tmp_path


def test_what_is_installed_at_its_pin_passes_and_an_uninstalled_checkout_does_not(project):
    assert installed.missing([]) == ["proyecto-no-instalado no está instalado"]


def test_a_missing_package_of_an_extra_is_named(project):
    assert "falta paquete-inexistente>=1" in installed.missing(["test"])
    assert "pyproject.toml no declara el extra 'spark'" in installed.missing(["spark"])


def test_a_version_other_than_the_pin_is_named_unless_any_allowed_version_will_do(project):
    (project / "constraints.txt").write_text("pytest==0.0.1\n", encoding="utf-8")
    assert f"pytest {PYTEST}, constraints.txt fija 0.0.1" in installed.missing([])
    assert not any("pytest" in p for p in installed.missing([], pinned_only=False))
    (project / "pyproject.toml").write_text(
        '[project]\nname = "proyecto-no-instalado"\ndependencies = ["pytest>=999"]\n', encoding="utf-8"
    )
    assert f"pytest {PYTEST} no cumple pytest>=999" in installed.missing([], pinned_only=False)


def test_a_packages_own_requirements_count_only_for_the_extras_asked():
    optional = Requirement('selenium>=4; extra == "testing"')
    assert not installed._wanted(optional, ())
    assert installed._wanted(optional, ("testing",))
    assert installed._wanted(Requirement("flask>=3"), ())
