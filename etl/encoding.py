"""Text files as DuckDB reads them: UTF-8, or a UTF-8 copy of a Windows-1252 original.

Most Peruvian offices save CSV from Excel as Windows-1252 (Latin-1 plus “curly quotes”, – dashes and €, which
DuckDB's Latin-1 reader refuses). A file that is not valid UTF-8 is decoded as Windows-1252 into a temporary
UTF-8 copy, and the load says so; a file that is neither (a byte Windows-1252 leaves undefined, or a NUL of a
UTF-16 or binary file) is refused naming the line of the first such byte.
"""

from __future__ import annotations

import codecs
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .problems import LoadError, Problem

UTF8, CP1252 = "utf-8", "windows-1252"
_CHUNK = 1 << 24


@dataclass
class TextFile:
    """What DuckDB reads (``path``, always UTF-8) for an original in ``encoding``. A Windows-1252 original's copy
    lives as long as this object."""

    original: Path
    path: Path
    encoding: str
    _copy: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)

    def __enter__(self) -> TextFile:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._copy is not None:
            self._copy.cleanup()

    @property
    def warning(self) -> str | None:
        if self.encoding == UTF8:
            return None
        return f"{self.original.name}: no es UTF-8; se leyó como Windows-1252 (Latin-1 de Excel)"


def is_utf8(path: Path) -> bool:
    """Whether the whole file is valid UTF-8 (a BOM allowed)."""
    decoder = codecs.getincrementaldecoder(UTF8)()
    with open(path, "rb") as f:
        try:
            while chunk := f.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def as_utf8(path: Path) -> TextFile:
    """The file itself if it is UTF-8, else its Windows-1252 text copied as UTF-8; :class:`LoadError` (a refusal)
    naming the line of the first byte that is neither."""
    if is_utf8(path):
        return TextFile(path, path, UTF8)
    copy = tempfile.TemporaryDirectory(prefix="semaforo-cp1252-")
    target = Path(copy.name) / path.name
    decoder = codecs.getincrementaldecoder("cp1252")()
    line, offset = 1, 0
    with open(path, "rb") as src, open(target, "w", encoding=UTF8, newline="") as out:
        while chunk := src.read(_CHUNK):
            bad = _first_bad_byte(chunk)
            if bad is not None:
                copy.cleanup()
                byte = chunk[bad]
                raise LoadError(
                    [
                        Problem(
                            path.name,
                            f"el archivo no es texto UTF-8 ni Windows-1252: byte 0x{byte:02X} en la posición "
                            f"{offset + bad + 1:,} (guárdelo como «CSV UTF-8» o «CSV delimitado por comas»)",
                            row=line + chunk.count(b"\n", 0, bad),
                            value=f"0x{byte:02X}",
                        )
                    ]
                )
            out.write(decoder.decode(chunk))
            line += chunk.count(b"\n")
            offset += len(chunk)
    return TextFile(path, target, CP1252, copy)


# Bytes Windows-1252 leaves undefined, and NUL (UTF-16 text or a binary file): never in a Windows-1252 CSV.
_UNDEFINED = frozenset(b"\x00\x81\x8d\x8f\x90\x9d")


def _first_bad_byte(chunk: bytes) -> int | None:
    positions = [p for b in _UNDEFINED if (p := chunk.find(bytes([b]))) >= 0]
    return min(positions) if positions else None
