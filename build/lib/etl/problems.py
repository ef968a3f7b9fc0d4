"""Problems found in a source file: data with a location, reported all at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a file, located as the publisher numbers it (header line = row 1, Excel row)."""

    file: str
    reason: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:  # a sheet of a workbook, or a part of a Parquet folder
            where.append(f"{'archivo' if self.sheet.endswith('.parquet') else 'hoja'} {self.sheet!r}")
        if self.row is not None:
            where.append(f"fila {self.row}")
        if self.column:
            where.append(f"columna {self.column!r}")
        shown = "" if self.value is None else f" (valor {_short(self.value)!r})"
        return f"{', '.join(where)}: {self.reason}{shown}"


def _short(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


class LoadError(Exception):
    """A file that cannot be loaded at all: unreadable, empty, or missing required columns. Nothing is loaded."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
