"""``semaforo``: the one place where the ETL's commands (load, check, status, migrate, compute, demo) and the
dashboard's (serve, usuarios, export) meet. Neither package imports the other for it: the house is layered
warehouse ← etl, warehouse ← dashboard, and this module above both. The installed ``semaforo`` is :func:`run`."""

from __future__ import annotations

import importlib

import click

from dashboard.commands import COMMANDS as DASHBOARD_COMMANDS
from dashboard.commands import LAZY_COMMANDS
from etl import crash
from etl.cli import COMMANDS as ETL_COMMANDS
from etl.cli import command_group


class _Commands(click.Group):
    """The group, with the commands of :data:`LAZY_COMMANDS` imported only when named (``semaforo load`` then
    never loads the views and the web stack behind them)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY_COMMANDS:
            module, attribute = LAZY_COMMANDS[name].split(":")
            return getattr(importlib.import_module(module), attribute)
        return super().get_command(ctx, name)


main = command_group(*ETL_COMMANDS, *DASHBOARD_COMMANDS, cls=_Commands)


def run() -> None:
    """The ``semaforo`` command: an unexpected error as one line and its trace in a file (:mod:`etl.crash`)."""
    crash.run(main)
