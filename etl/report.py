"""What a load says: its report (status, rows, problems, phases) and the lines the CLI and the upload page show.

Outcomes and exit codes (``semaforo load``): see :mod:`etl.load`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from warehouse.command import EXIT_ERROR, EXIT_OK, EXIT_PARTIAL, EXIT_REFUSED

from .problems import Problem
from .replace import Replacement


@dataclass
class LoadReport:
    source: str
    file: str
    status: str  # loaded | partial | skipped | refused | error
    batch_id: int | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    scope: str = ""
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    message: str = ""
    dry_run: bool = False  # --dry-run: what the load would do; nothing was changed
    replacement: Replacement | None = None  # what it replaced (or would replace)
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase (warehouse.phases)

    @property
    def exit_code(self) -> int:
        return {"loaded": EXIT_OK, "skipped": EXIT_OK, "partial": EXIT_PARTIAL, "refused": EXIT_REFUSED}.get(
            self.status, EXIT_ERROR
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "file": self.file,
            "status": self.status,
            "batch_id": self.batch_id,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "scope": self.scope,
            "dry_run": self.dry_run,
            "replacement": None
            if self.replacement is None
            else {
                "replaced": self.replacement.replaced,
                "gone": self.replacement.gone,
                "kept": self.replacement.kept,
                "thin_scopes": self.replacement.thin,
                "whole_scopes": self.replacement.whole,
            },
            "seconds": round(self.seconds, 3),
            "message": self.message,
            "warnings": self.warnings,
            "problems": [str(p) for p in self.problems],
            "problem_details": [
                {
                    "file": p.file,
                    "sheet": p.sheet,
                    "row": p.row,
                    "column": p.column,
                    "value": p.value,
                    "reason": p.reason,
                }
                for p in self.problems
            ],
        }


def report_lines(r: LoadReport, limit: int = 200) -> list[tuple[str, str]]:
    """What a load says to the person who asked for it, as (level, line) with level 'ok', 'aviso' or 'error': the
    CLI prints these lines and the web upload page shows the same ones."""
    lines = [("aviso", f"aviso: {w}") for w in r.warnings]
    if r.problems:
        lines.append(("error", f"{len(r.problems)} problema(s) en {r.file}:"))
        lines += [("error", f"  {p}") for p in r.problems[:limit]]
        if len(r.problems) > limit:
            lines.append(
                (
                    "error",
                    f"  … y {len(r.problems) - limit} más (todos en la tabla etl_quarantine, lote {r.batch_id})",
                )
            )
    if r.dry_run and r.status in ("loaded", "partial"):
        lines.append(
            (
                "ok",
                f"{r.file}: SIMULACIÓN (--dry-run), no se cambió nada: se cargarían {r.rows_loaded:,} filas "
                f"({r.scope})" + (f" y se rechazarían {r.rows_rejected:,}" if r.rows_rejected else ""),
            )
        )
    elif r.status == "loaded":
        lines.append(
            (
                "ok",
                f"{r.file}: {r.rows_loaded:,} filas cargadas en el lote {r.batch_id} ({r.scope}) en {r.seconds:.1f} s",
            )
        )
    elif r.status == "partial":
        lines.append(
            (
                "ok",
                f"{r.file}: {r.rows_loaded:,} filas válidas cargadas en el lote {r.batch_id} ({r.scope}); "
                f"{r.rows_rejected:,} filas rechazadas",
            )
        )
    elif r.message:
        lines.append(("ok" if r.status == "skipped" else "error", r.message))
    return lines
