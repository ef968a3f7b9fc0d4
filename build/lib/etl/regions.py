"""The 26 regions of ENDES and the regional governments, recognised however a file writes them.

A region may be written as its code (``01``, ``LM``), its name, or any ENDES label of
warehouse/territory/regions.csv (``Prov. Const. del Callao``, ``Departamento de Lima`` …), in any case, with
or without accents, with INEI's footnote marks (``Lima Metropolitana 1/``). ``Total``, ``Perú`` and
``Nacional`` are the country, ``PE``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import duckdb

COUNTRY = "PE"
COUNTRY_LABELS = ("PE", "Perú", "Total", "Nacional", "Total nacional")
# Lima as a whole department: ENDES splits it into Lima Metropolitana and Departamento de Lima, so "Lima"
# alone is an aggregate of two regions, not a region.
WHOLE_LIMA = "lima"

_FOOTNOTE_MARK = re.compile(r"\d+\s*/|(?<![a-z])[a-z]\s*/(?![a-z])")


@lru_cache(maxsize=4096)  # a table repeats its few labels in every load
def normalize_label(text: object) -> str:
    """'Lima Metropolitana 1/' → 'lima metropolitana'; 'Prov. Const. del Callao' → 'prov const del callao'."""
    s = unicodedata.normalize("NFKD", str(text or ""))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = _FOOTNOTE_MARK.sub(" ", s)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", s).split())


@dataclass(frozen=True)
class RegionLabels:
    codes: Mapping[str, str]  # normalised label → region code (or PE)

    @classmethod
    def from_warehouse(cls, con: duckdb.DuckDBPyConnection) -> RegionLabels:
        codes = {normalize_label(label): COUNTRY for label in COUNTRY_LABELS}
        for code, name, labels in con.execute(
            "select region_code, name, endes_labels from core_region"
        ).fetchall():
            for label in (code, name, *labels.split("|")):
                codes[normalize_label(label)] = code
            if code.isdigit():
                codes[str(int(code))] = code  # a code typed as a number loses its leading zero
        return cls(codes)

    def code(self, label: object) -> str | None:
        return self.codes.get(normalize_label(label))
