"""Reading Parquet files, or a folder of year-partitioned Parquet (``anio=YYYY/*.parquet``, as ``semaforo compute``
writes), into a DuckDB stage table of text columns — the same stage a CSV gives, so the same checks apply.

Each staged row keeps ``_sheet`` (its file, relative to the folder) and ``_line`` (its row in that file, from 1),
so that a problem is located in the file that holds it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.db import scalar

from .columns import Layout
from .csvfile import Staged
from .problems import LoadError, Problem


def parquet_files(path: Path) -> list[Path]:
    """The Parquet files of ``path`` (a file or a folder), or [] when it holds none."""
    if path.is_file():
        return [path] if path.suffix.lower() == ".parquet" else []
    if path.is_dir():
        return sorted(p for p in path.rglob("*.parquet") if p.is_file())
    return []


def is_parquet(path: Path) -> bool:
    return bool(parquet_files(path))


def parquet_columns(con: duckdb.DuckDBPyConnection, files: list[Path], label: str) -> list[str]:
    """The columns of Parquet files read together (by name; a ``key=value`` folder adds none)."""
    try:
        return [
            r[0]
            for r in con.execute(
                "describe select * from read_parquet(?, union_by_name = true, hive_partitioning = false)",
                [[str(f) for f in files]],
            ).fetchall()
        ]
    except duckdb.Error as e:
        raise LoadError([Problem(label, f"Parquet ilegible: {e}")]) from e


def stage_parquet(con: duckdb.DuckDBPyConnection, path: Path, layout: Layout, table: str = "stage") -> Staged:
    label = path.name
    files = parquet_files(path)
    listed = [str(f) for f in files]
    mapping, warnings = layout.match(parquet_columns(con, files, label), label)
    missing = layout.missing(mapping, label)
    if missing:
        raise LoadError(missing)
    select = ", ".join(layout.text_select(mapping))
    base = path if path.is_dir() else path.parent
    con.execute(f"drop table if exists {table}")
    con.execute(
        f"create temp table {table} as select {select}, "
        f"replace(filename, ?, '') as _sheet, file_row_number + 1 as _line, "
        "row_number() over (order by filename, file_row_number) as _row "
        "from read_parquet(?, filename = true, file_row_number = true, hive_partitioning = false, "
        "union_by_name = true)",
        [f"{base}/", listed],
    )
    rows = scalar(con, f"select count(*) from {table}")
    if rows == 0:
        raise LoadError([Problem(label, "el Parquet no tiene filas")])
    fmt = {"format": "parquet", "files": len(files), "columns": mapping}
    return Staged(table, rows, mapping, fmt, [], warnings)
