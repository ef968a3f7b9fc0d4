"""The program's version (from git, stamped by setuptools-scm at install): stamped on every load batch and
export, shown by ``semaforo --version``. Here, at the bottom of the house, so that the ETL and the dashboard
read the same one without importing each other."""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, version


@cache  # read from the installed metadata once per process: every download names it (90 ms under load)
def program_version() -> str:
    try:
        return version("semaforo-ppr")
    except PackageNotFoundError:
        return "dev"
