"""What a ``semaforo compute`` run says: the report (status, what was read, the problems, the figures written)
and the quarantine file read back into located problems."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..load import EXIT_ERROR, EXIT_OK, EXIT_PARTIAL, EXIT_REFUSED
from ..problems import Problem

SUMMARY = "_resumen.json"
PROBLEMS = "_problemas.csv"  # the quarantine: every rejected row, located, beside the output and never loaded
SHOWN_PROBLEMS = 200


@dataclass
class ComputeReport:
    engine: str
    records: str
    out: str
    status: str = "error"  # computed | partial | refused | error
    message: str = ""
    found: list[str] = field(default_factory=list)  # what was read: the layout of each file
    rows_read: int = 0
    rows_rejected: int = 0
    problems: list[Problem] = field(default_factory=list)  # the first SHOWN_PROBLEMS
    problems_total: int = 0
    problem_kinds: dict[str, int] = field(default_factory=dict)  # "column: reason" → rows
    warnings: list[str] = field(default_factory=list)
    months: tuple[str, str] | None = None
    rows_out: dict[str, int] = field(default_factory=dict)  # indicator → output rows
    skipped: dict[str, list[str]] = field(default_factory=dict)  # indicator → months left out, and why
    definitions: str = ""
    seconds: float = 0.0
    seconds_by_step: dict[str, float] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return {"computed": EXIT_OK, "partial": EXIT_PARTIAL, "refused": EXIT_REFUSED}.get(
            self.status, EXIT_ERROR
        )

    def as_dict(self) -> dict:
        d = asdict(self)
        d["problems"] = [str(p) for p in self.problems]
        return d

    def lines(self) -> list[str]:
        out = [f"leído: {f}" for f in self.found]
        out += [str(p) for p in self.problems]
        if self.problems_total > len(self.problems):
            out.append(
                f"… y {self.problems_total - len(self.problems):,} problemas más (todos en {PROBLEMS}); por tipo:"
            )
            out += [f"  {n:>10,} × {kind}" for kind, n in self.problem_kinds.items()]
        out += [f"aviso: {w}" for w in self.warnings]
        for code, months in self.skipped.items():
            span = months[0] if len(months) == 1 else f"{months[0]} a {months[-1]} ({len(months)} meses)"
            out.append(
                f"aviso: {code}: sin cifra para {span}: los registros no cubren la historia de su cohorte"
            )
        if self.message:
            out.append(self.message)
        if self.status in ("computed", "partial"):
            out.append(
                f"{self.records}: {self.rows_read:,} registros leídos, {self.rows_rejected:,} en cuarentena; "
                f"{sum(self.rows_out.values()):,} filas de indicadores ({', '.join(f'{k} {v:,}' for k, v in self.rows_out.items())}) "
                f"en {self.out} con {self.engine}, {self.seconds:.1f} s"
            )
        return out


def where(file: str, root: Path) -> str:
    """A problem's file as the operator knows it: relative to the records path given (Spark says file: URIs)."""
    path = Path(file.removeprefix("file://").removeprefix("file:"))
    if not path.is_absolute():  # already as the operator knows it (a HIS file, a ZIP member)
        return str(path)
    base = root if root.is_dir() else root.parent
    try:
        return str(path.relative_to(base))
    except ValueError:
        return path.name


def read_problems(path: Path, root: Path) -> tuple[int, list[Problem], dict[str, int]]:
    """The problems file read as a stream: the first SHOWN_PROBLEMS located, every one counted by kind."""
    shown: list[Problem] = []
    kinds: Counter[str] = Counter()
    total = 0
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            total += 1
            kinds[f"{r['columna']}: {r['motivo']}"] += 1
            if len(shown) < SHOWN_PROBLEMS:
                shown.append(
                    Problem(
                        where(r["_archivo"], root),
                        r["motivo"]
                        + ("" if r["_fila"] else f" (id_nino {r['id_nino']}, fecha {r['fecha_atencion']})"),
                        row=int(r["_fila"]) if r["_fila"] else None,
                        column=r["columna"],
                        value=r["valor"] or None,
                    )
                )
    return total, shown, dict(kinds.most_common())
