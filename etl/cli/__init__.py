"""The ETL's ``semaforo`` commands: load, check, status, migrate, compute, demo.

The whole ``semaforo`` command, the dashboard's commands included, is composed above both in :mod:`semaforo.cli`;
``python -m etl.cli`` runs the ETL's alone, without the web stack. The warehouse is ``--db FILE`` or the
``SEMAFORO_DB`` environment variable; exit codes are :mod:`warehouse.command`'s and the README's.
"""

from __future__ import annotations

import click

from warehouse.version import program_version

from .. import crash
from .building import compute, demo
from .loading import load
from .warehouse import check, migrate, status

COMMANDS: tuple[click.Command, ...] = (load, check, status, migrate, compute, demo)


def command_group(*commands: click.Command, cls: type[click.Group] = click.Group) -> click.Group:
    """A ``semaforo`` group (of class ``cls``) of these commands, with ``--version`` and ``-h``."""

    @click.group(cls=cls, context_settings={"help_option_names": ["-h", "--help"]})
    @click.version_option(program_version(), prog_name="semaforo")
    def semaforo() -> None:
        """Semáforo PpR: almacén DuckDB y tablero del Presupuesto por Resultados (PAN 0001)."""

    for command in commands:
        semaforo.add_command(command)
    return semaforo


main = command_group(*COMMANDS)


def run() -> None:
    """``python -m etl.cli``: the ETL's commands, errors as :func:`etl.crash.run` says them."""
    crash.run(main)
