"""What the user sees of an error nobody anticipated: one line, and the full trace in a file for whoever fixes it.

Every ``semaforo`` command runs inside :func:`run`; anything its own checks did not turn into a message
ends here, with exit code :data:`EXIT_UNEXPECTED` (never 0, nor 1, which means a partial load).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import tempfile
import traceback
from pathlib import Path

import click

from warehouse.version import program_version

EXIT_UNEXPECTED = 5
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report a process ended by SIGINT


def trace_dir() -> Path:
    """``SEMAFORO_TRAZAS`` when set, else ``semaforo`` in the system's temporary folder."""
    return Path(os.environ.get("SEMAFORO_TRAZAS") or Path(tempfile.gettempdir()) / "semaforo")


def write_trace(exc: BaseException, argv: list[str], version: str) -> Path | None:
    """The trace, the command line and the versions in a new file; None if even that cannot be written."""
    now = dt.datetime.now()
    try:
        folder = trace_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"error-{now:%Y%m%d-%H%M%S}-{os.getpid()}.txt"
        path.write_text(
            f"semaforo {version} · Python {platform.python_version()} · {platform.platform()}\n"
            f"{now.isoformat(timespec='seconds')} · {' '.join(argv)}\n\n"
            + "".join(traceback.format_exception(exc)),
            encoding="utf-8",
        )
    except OSError:
        return None
    return path


def one_line(exc: BaseException, command: str, trace: Path | None) -> str:
    what = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    where = f"detalle completo en {trace}" if trace else f"no se pudo escribir el detalle en {trace_dir()}"
    return (
        f"Error inesperado en «semaforo {command}»: {type(exc).__name__}{': ' + what if what else ''} — {where} "
        f"(código {EXIT_UNEXPECTED}; por favor repórtelo{' con ese archivo' if trace else ''})"
    )


def handle(exc: BaseException, argv: list[str], version: str) -> None:
    """Tell the user in one line (stderr) and exit with :data:`EXIT_UNEXPECTED`."""
    command = next((a for a in argv[1:] if not a.startswith("-")), "")
    print(one_line(exc, command, write_trace(exc, argv, version)), file=sys.stderr)
    sys.exit(EXIT_UNEXPECTED)


def run(group: click.Group) -> None:
    """Run a ``semaforo`` command group: an unexpected error as one line and its trace in a file, and Ctrl-C as
    exit 130 (click's own "Aborted!" would exit 1, which means a partial load here)."""
    try:
        code = group(standalone_mode=False)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except click.Abort:
        click.echo("Interrumpido (Ctrl-C)", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as e:
        handle(e, sys.argv, program_version())
    sys.exit(code if isinstance(code, int) else 0)
