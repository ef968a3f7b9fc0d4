"""``semaforo``: the one place where the ETL's commands (load, check, status, migrate, compute, demo) and the
dashboard's (serve, usuarios, export) meet. Neither package imports the other for it: the house is layered
warehouse ← etl, warehouse ← dashboard, and this module above both. The installed ``semaforo`` is :func:`run`."""

from __future__ import annotations

from dashboard.commands import COMMANDS as DASHBOARD_COMMANDS
from etl import crash
from etl.cli import COMMANDS as ETL_COMMANDS
from etl.cli import command_group

main = command_group(*ETL_COMMANDS, *DASHBOARD_COMMANDS)


def run() -> None:
    """The ``semaforo`` command: an unexpected error as one line and its trace in a file (:mod:`etl.crash`)."""
    crash.run(main)
