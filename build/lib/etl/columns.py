"""Header matching: a loader declares its columns with aliases; a file's headers are matched whatever their case,
accents, spaces or language."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .problems import Problem


def normalize(header: object) -> str:
    """'Año ' → 'ano', 'Cod. IPRESS' → 'cod_ipress', '\\ufeffPERIODO' → 'periodo'."""
    text = unicodedata.normalize("NFKD", str(header or "").replace("\ufeff", ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


@dataclass(frozen=True, slots=True)
class Column:
    name: str  # canonical name used by the loader
    aliases: tuple[str, ...] = ()  # other accepted headers, any case/accents
    required: bool = True

    def matches(self, header: str) -> bool:
        n = normalize(header)
        return n == self.name or n in {normalize(a) for a in self.aliases}


@dataclass(frozen=True, slots=True)
class Layout:
    columns: tuple[Column, ...]
    one_of: tuple[tuple[str, ...], ...] = ()  # groups where at least one column must be present

    def match(
        self, headers: Sequence[str], file: str, sheet: str | None = None
    ) -> tuple[dict[str, str], list[str]]:
        """Map canonical name → header as written in the file. Returns (mapping, warnings); raises nothing but
        returns problems through :meth:`missing` so the caller can report every structural problem at once."""
        mapping: dict[str, str] = {}
        warnings = []
        unknown = []
        for h in headers:
            col = next((c for c in self.columns if c.matches(h)), None)
            if col is None:
                if str(h).strip():
                    unknown.append(str(h))
            elif col.name in mapping:
                warnings.append(f"{file}: columna {str(h)!r} repetida; se usa {mapping[col.name]!r}")
            else:
                mapping[col.name] = h
        if unknown:
            warnings.insert(0, f"{file}: columnas desconocidas ignoradas: {', '.join(unknown)}")
        return mapping, warnings

    def text_select(self, mapping: dict[str, str], quote: str = '"', text: str = "varchar") -> list[str]:
        """Each column of the layout as text under its canonical name, from the header a file wrote it under
        (absent optional columns as nulls): the select list of a stage read by column name."""
        return [
            f"cast({quote}{mapping[c.name]}{quote} as {text}) as {c.name}"
            if c.name in mapping
            else f"cast(null as {text}) as {c.name}"
            for c in self.columns
        ]

    def missing(self, mapping: dict[str, str], file: str, sheet: str | None = None) -> list[Problem]:
        problems = [
            Problem(
                file,
                f"falta la columna obligatoria {c.name!r}"
                + (f" (también se acepta: {', '.join(c.aliases)})" if c.aliases else ""),
                row=1,
                sheet=sheet,
            )
            for c in self.columns
            if c.required and c.name not in mapping
        ]
        for group in self.one_of:
            if not any(g in mapping for g in group):
                problems.append(
                    Problem(
                        file,
                        f"se necesita al menos una de las columnas {', '.join(group)}",
                        row=1,
                        sheet=sheet,
                    )
                )
        return problems
