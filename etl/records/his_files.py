"""The files of a HIS-MINSA download, found and recognised: a folder of ZIPs (one CSV each) or of their CSVs,
each classified by its header (etl.records.his_layout), never by its name or column positions; only the kinds that
are read are extracted from their ZIPs (never the staff masters)."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..csvfile import SNIFF_BYTES, _decode, read_head, sniff_delimiter, sniff_encoding
from ..problems import LoadError, Problem
from .his_layout import KINDS, kind_of, paciente_variant, trama_variant

TEXT_SUFFIXES = (".csv", ".txt")
READ = ("trama", "paciente", "establecimiento", "centro_poblado", "padron")  # the kinds whose rows are read


@dataclass
class HisFile:
    kind: str  # trama | paciente | establecimiento | centro_poblado | personal | registrador
    path: Path  # the CSV (extracted from its ZIP into the scratch folder when it came zipped)
    label: str  # as the operator knows it: "NominalTrama…zip/NominalTramaNuevo.csv" or the CSV's own path
    headers: list[str]
    encoding: str


@dataclass
class HisRead:
    """What was found and what was left out, for the report."""

    files: list[HisFile]
    found: list[str] = field(default_factory=list)  # one line per file: its kind and layout
    warnings: list[str] = field(default_factory=list)
    rows: int = 0
    group_rows: int = 0
    ageless_rows: int = 0
    padron: Path | None = None  # the Padrón's children (pseudonym, birth date, district), when one was given


def looks_like_his(path: Path) -> bool:
    """True when ``path`` holds HIS exports (a ZIP, or a CSV whose header is a HIS file's) rather than records in
    the project's layout."""
    files = (
        [path]
        if path.is_file()
        else sorted(p for p in path.rglob("*") if p.is_file())
        if path.is_dir()
        else []
    )
    for f in files:
        if f.suffix.lower() == ".zip":
            return True
        if f.suffix.lower() in TEXT_SUFFIXES:
            try:
                if kind_of(read_head(f)[2]) is not None:
                    return True
            except LoadError:
                continue
    return False


def discover(path: Path, scratch: Path) -> list[HisFile]:
    """Every HIS file under ``path``, ZIPs extracted (member names flattened: nothing is written outside the
    scratch folder). A file of no known kind (a code master) is named and skipped."""
    root = path if path.is_dir() else path.parent
    sources = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    out: list[HisFile] = []
    for k, src in enumerate(sources):
        rel = str(src.relative_to(root))
        if src.suffix.lower() == ".zip":
            try:
                with zipfile.ZipFile(src) as z:
                    members = [m for m in z.infolist() if not m.is_dir()]
                    for j, m in enumerate(members):
                        if Path(m.filename).suffix.lower() not in TEXT_SUFFIXES:
                            continue
                        label = f"{rel}/{Path(m.filename).name}"
                        with z.open(m) as r:
                            found = _classify_head(r.read(SNIFF_BYTES), src, label)
                        if found.kind in READ:  # only what is read is extracted: not the staff masters
                            found.path = scratch / f"{k}_{j}_{Path(m.filename).name}"
                            with z.open(m) as r, open(found.path, "wb") as w:
                                shutil.copyfileobj(r, w, 1 << 20)
                        out.append(found)
            except zipfile.BadZipFile as e:
                raise LoadError([Problem(rel, f"no es un ZIP legible: {e}")]) from e
        elif src.suffix.lower() in TEXT_SUFFIXES:
            out.append(_classify(src, rel))
    return out


def _classify(path: Path, label: str) -> HisFile:
    encoding, _delim, headers = read_head(path)
    return HisFile(kind_of(headers) or "otro", path, label, headers, encoding)


def _classify_head(head: bytes, path: Path, label: str) -> HisFile:
    """The same, from the first bytes of a ZIP member (read without extracting it)."""
    encoding = sniff_encoding(head)
    lines = _decode(head, encoding).splitlines()
    first = lines[0] if lines else ""
    headers = next(csv.reader(io.StringIO(first), delimiter=sniff_delimiter(first)), [])
    return HisFile(kind_of(headers) or "otro", path, label, headers, encoding)


def describe(f: HisFile) -> str:
    name = KINDS[f.kind][0] if f.kind in KINDS else None
    enc = {"utf-8": "UTF-8", "windows-1252": "Windows-1252"}.get(f.encoding, f.encoding)
    if f.kind == "trama":
        return f"{f.label}: NominalTrama, {trama_variant(f.headers)} ({enc})"
    if f.kind == "paciente":
        return f"{f.label}: MaestroPaciente, {paciente_variant(f.headers)} ({enc}); solo tipo y número de documento (seudonimizados), nacimiento y sexo"
    if f.kind == "padron":
        return f"{f.label}: Padrón Nominal ({enc}); solo DNI y CNV (seudonimizados), nacimiento y distrito"
    if f.kind in ("personal", "registrador"):
        return f"{f.label}: {name}: no se lee (datos del personal, ningún indicador los usa)"
    if name:
        return f"{f.label}: {name} ({enc})"
    return f"{f.label}: no es un archivo del HIS que se use aquí; no se lee"
