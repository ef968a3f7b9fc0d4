"""Deterministic randomness and file writing for the generator.

Every file gets its own random generator, seeded by the run's seed and the file's name, so that a file's bytes
depend on nothing else (not on the order files are written, nor on today's date). Large tables are written by
DuckDB from Arrow (fast, order preserved); small files with Python's csv module when they need Latin-1 or a
BOM.
"""

from __future__ import annotations

import csv
import io
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa


def rng_for(seed: int, name: str) -> np.random.Generator:
    """The random generator of one file (or one part of the world), from the seed and a stable name."""
    return np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])


def _connection() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("set preserve_insertion_order = true")
    con.execute("set enable_progress_bar = false")
    return con


def copy_csv(table: pa.Table, path: Path, select: str = "*", delimiter: str = ",") -> int:
    """Write an Arrow table as CSV through DuckDB (quotes only where needed, LF line ends, UTF-8).

    ``select`` may format columns in SQL over the registered table ``t``. Returns the number of rows.
    """
    con = _connection()
    try:
        con.register("t", table)
        options = f"format csv, header true, delimiter '{delimiter}'"
        con.execute(f"copy (select {select} from t) to '{_sql_path(path)}' ({options})")
    finally:
        con.close()
    return table.num_rows


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def write_rows(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    bom: bool = False,
    crlf: bool = False,
) -> None:
    """A small CSV written the way some publishers do: a chosen encoding, delimiter, BOM and line ends."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n")
    w.writerow(header)
    w.writerows(rows)
    data = buf.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


def logit(p):
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def expit(x):
    return 1.0 / (1.0 + np.exp(-x))
