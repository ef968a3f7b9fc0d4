"""Which catalogue indicator an INEI cuadro holds, from its number and its title.

Each survey indicator of the catalogue says how its tables are recognised (``endes``): the cuadro number,
words the title must all have (``title_all``), words of which it needs one (``title_any``) and words that
exclude it (``title_none``). A table is an indicator when its number or its title points to it and its title
does not exclude it. It must come out as exactly one indicator; when the number and the title point to
different indicators, or to none, nothing is guessed (the two anemia series above all) and the user names the
indicator with --indicador.
"""

from __future__ import annotations

import re
import unicodedata

from warehouse.catalogue_model import Catalogue

_CUADRO = re.compile(r"\bcuadro\s*(?:n\s*\.?\s*[°o]?\s*\.?\s*)?(\d+(?:\.\d+)*)([a-z])?(?![a-z0-9])")


class NotRecognised(ValueError):
    """The title points to no indicator, or to several (``candidates``)."""

    def __init__(self, message: str, candidates: list[str]):
        super().__init__(message)
        self.candidates = candidates


def fold(text: str) -> str:
    """Lower case without accents; punctuation kept."""
    s = unicodedata.normalize("NFKD", text)
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def plain(text: str) -> str:
    """Lower case, no accents, punctuation as spaces: 'CRÓNICA (PATRÓN OMS)' → 'cronica patron oms'."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


def cuadro_number(title: str) -> str | None:
    """'Cuadro N° 04A PERÚ: …' → '04A'; 'CUADRO Nº 06.1A' → '06.1A'; None when the title names no cuadro."""
    m = _CUADRO.search(fold(title))
    return m.group(1) + (m.group(2) or "").upper() if m else None


def _same_cuadro(a: str, b: str) -> bool:
    """'04A' and '4A' are the same cuadro; '06.1A' and '6.1A' too."""

    def key(n: str) -> tuple:
        m = re.fullmatch(r"(\d+(?:\.\d+)*)([A-Za-z]?)", n.strip())
        return (tuple(int(p) for p in m.group(1).split(".")), m.group(2).upper()) if m else (n,)

    return key(a) == key(b)


def survey_indicator(title: str, catalogue: Catalogue) -> str:
    """The code of the one survey indicator the cuadro title names; NotRecognised otherwise."""
    number = cuadro_number(title)
    text = plain(title)
    by_number, by_words, excluded = [], [], {}
    for ind in catalogue.indicators_for(feed="survey"):
        m = ind.endes
        if m is None:
            continue
        excluding = [w for w in m.title_none if plain(w) in text]
        if excluding:
            excluded[ind.code] = excluding[0]
        if number and m.cuadro and _same_cuadro(number, m.cuadro):
            by_number.append(ind.code)
        if (
            not excluding
            and all(plain(w) in text for w in m.title_all)
            and (not m.title_any or any(plain(w) in text for w in m.title_any))
        ):
            by_words.append(ind.code)
    candidates = sorted(set(by_number) | set(by_words))
    shown = f"«{' '.join(title.split())}»"
    if len(candidates) == 1 and candidates[0] not in excluded:
        return candidates[0]
    if len(candidates) == 1:
        code = candidates[0]
        raise NotRecognised(
            f"el número de cuadro {number} corresponde a {code}, pero el título lo excluye (dice "
            f"«{excluded[code]}»): {shown}; indique el indicador con --indicador CÓDIGO",
            candidates,
        )
    if candidates:

        def why(code: str) -> str:
            said = [f"por el número de cuadro {number}"] if code in by_number else []
            return f"{code} ({' y '.join([*said, 'por el título'] if code in by_words else said)})"

        raise NotRecognised(
            f"el título del cuadro corresponde a varios indicadores: {', '.join(map(why, candidates))}: "
            f"{shown}; indique cuál con --indicador CÓDIGO",
            candidates,
        )
    codes = ", ".join(i.code for i in catalogue.indicators_for(feed="survey"))
    raise NotRecognised(
        "el título del cuadro no corresponde a ningún indicador de encuesta del catálogo: "
        f"{shown}; indique el indicador con --indicador CÓDIGO (indicadores de encuesta: {codes})",
        [],
    )
