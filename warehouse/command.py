"""What every ``semaforo`` command shares, whichever layer registers it (the ETL's or the dashboard's): the
warehouse option, the exit codes and how an error line is written."""

from __future__ import annotations

from pathlib import Path

import click

# Exit codes (README, "`semaforo load`: what happens to a file, and exit codes"): 0 done; 1 loaded with rejected rows; 3 refused, nothing loaded;
# 4 the warehouse, the catalogue or the input cannot be used. 5 and 130 are etl.crash's.
EXIT_OK, EXIT_PARTIAL, EXIT_REFUSED, EXIT_ERROR = 0, 1, 3, 4

DB = click.option(
    "--db",
    envvar="SEMAFORO_DB",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Archivo DuckDB del almacén (o variable SEMAFORO_DB).",
)


def err(msg: str) -> None:
    """One line on standard error."""
    click.echo(msg, err=True)
