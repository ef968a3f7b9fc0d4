"""The keyed pseudonym of a child: HMAC-SHA256 of (document type, document number) under a key the operator keeps.

The same key gives the same pseudonym for the same document in every month's export and in the Padrón Nominal, so
records join across files; without the key nobody can go back from the pseudonym to the document, nor test a guessed
document number. The hash runs inside DuckDB's SQL, in the statement that reads the master, so the document number
never lands in any table, file or log.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..problems import LoadError, Problem

ENV = "SEMAFORO_CLAVE"
MIN_KEY_BYTES = 16
PSEUDONYM_HEX = 32  # 128 bits: no collision among a country's children, half the bytes of a full digest


def load_key(path: Path | None) -> bytes:
    """The key from ``--clave ARCHIVO`` (the file's content) or, failing that, ``SEMAFORO_CLAVE`` (the key itself).
    Refuses to go on without one, or with one too short to resist guessing."""
    if path is not None:
        try:
            key = Path(path).read_bytes().strip()
        except OSError as e:
            raise LoadError([Problem(str(path), f"no se puede leer la clave: {e.strerror}")]) from e
        where = str(path)
    else:
        key = os.environ.get(ENV, "").strip().encode()
        where = ENV
    if not key:
        raise LoadError(
            [
                Problem(
                    "clave",
                    "las exportaciones del HIS traen números de documento: se necesita una clave para "
                    f"seudonimizarlos (--clave ARCHIVO o la variable {ENV}); guárdela, la misma clave da los "
                    "mismos seudónimos cada mes",
                )
            ]
        )
    if len(key) < MIN_KEY_BYTES:
        raise LoadError(
            [Problem(where, f"la clave es demasiado corta ({len(key)} bytes; al menos {MIN_KEY_BYTES})")]
        )
    return key


def hmac_sql(key: bytes, message_sql: str) -> str:
    """DuckDB SQL computing HMAC-SHA256(key, message) as hex, truncated to PSEUDONYM_HEX characters (RFC 2104:
    H(K ⊕ opad ‖ H(K ⊕ ipad ‖ m)), the key padded to the 64-byte block). ``message_sql`` is a varchar expression."""
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    block = key.ljust(64, b"\0")
    inner = bytes(b ^ 0x36 for b in block).hex()
    outer = bytes(b ^ 0x5C for b in block).hex()
    return (
        f"left(sha256(unhex('{outer}') || unhex(sha256(unhex('{inner}') || encode({message_sql})))), "
        f"{PSEUDONYM_HEX})"
    )


def document_sql(doc_type: str, number: str) -> str:
    """The message hashed: the document type code and the number, as the official scripts compare them (as
    integers: a DNI that lost its leading zeros in a spreadsheet is the same DNI); other documents trimmed."""
    n = f"trim({number})"
    return (
        f"concat(ltrim(trim({doc_type}), '0'), '|', "
        f"case when regexp_matches({n}, '^[0-9]+$') then ltrim({n}, '0') else upper({n}) end)"
    )
