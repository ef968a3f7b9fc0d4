"""Where the compiled SQL runs: DuckDB in this process (default), or Spark through PySpark (local mode here, a
cluster URL in production). An engine exposes the records as the text view ``registros_texto`` and runs SQL
written in DuckDB's dialect, translated for Spark by :func:`etl.records.compile.translate`."""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path
from typing import Any

import duckdb

from ..csvfile import read_head, stage_csv
from ..encoding import CP1252
from ..parquet import parquet_columns
from ..problems import LoadError, Problem
from .compile import translate
from .layout import COLUMNS, LAYOUT, personal_columns


def record_files(path: Path) -> tuple[str, list[Path]]:
    """('csv' | 'parquet', files) of a records path: a file, or a folder of CSV files or of (year-partitioned)
    Parquet files. One format per run."""
    if path.is_file():
        files = [path]
    elif path.is_dir():
        files = sorted(
            p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (".csv", ".txt", ".parquet")
        )
    else:
        raise LoadError([Problem(path.name, f"no existe: {path}")])
    kinds = {p.suffix.lower() for p in files}
    if not files or not kinds <= {".csv", ".parquet", ".txt"}:
        raise LoadError([Problem(path.name, "se esperan registros en CSV o Parquet (.csv, .parquet)")])
    if len(kinds - {".txt"} | ({".csv"} if ".txt" in kinds else set())) > 1:
        raise LoadError([Problem(path.name, "la carpeta mezcla CSV y Parquet: use un solo formato")])
    return ("parquet" if kinds == {".parquet"} else "csv"), files


def _mapping(headers: list[str], label: str) -> dict[str, str]:
    personal = personal_columns(headers)
    if personal:
        raise LoadError(
            [
                Problem(
                    label,
                    "el archivo trae datos personales (nombres, documentos o contacto) que no se leen ni se "
                    "guardan: quite esas columnas o exporte la vista seudonimizada",
                    row=1,
                    column=h,
                )
                for h in personal
            ]
        )
    mapping, _warnings = LAYOUT.match(headers, label)
    missing = LAYOUT.missing(mapping, label)
    if missing:
        raise LoadError(missing)
    return mapping


def _label(files: list[Path]) -> str:
    """How problems name a set of Parquet files: the folder, or the one file."""
    return files[0].parent.name if len(files) > 1 else files[0].name


def _union(parts: list) -> Any:
    """Spark DataFrames read apart (each with its own schema or CSV settings) as one, by column name."""
    return functools.reduce(lambda a, b: a.unionByName(b), parts)


def _origin(columns: list[str], file_sql: str, row_sql: str) -> str:
    """Where each row came from: records converted from another source (the HIS reader's Parquet) carry their own
    ``_archivo`` and ``_fila``; other Parquet files are located by file and row."""
    if {"_archivo", "_fila"} <= set(columns):
        return "cast(_archivo as string) as _archivo, cast(_fila as bigint) as _fila"
    return f"{file_sql} as _archivo, {row_sql} as _fila"


def _list(files: list[Path]) -> str:
    """A DuckDB list literal of paths (a view cannot take parameters)."""
    return "[" + ", ".join("'" + str(f).replace("'", "''") + "'" for f in files) + "]"


class DuckDBEngine:
    name = "duckdb"

    def __init__(self, scratch: Path, threads: int | None = None, memory_limit: str | None = None):
        # A file of its own in the output's scratch folder: stages larger than memory spill there.
        self.con = duckdb.connect(str(scratch / "registros.duckdb"))
        self.con.execute("set temp_directory = ?", [str(scratch / "tmp")])
        self.con.execute("set preserve_insertion_order = false")
        self.con.execute("set enable_progress_bar = false")
        if threads:
            self.con.execute(f"set threads = {int(threads)}")
        if memory_limit:
            self.con.execute("set memory_limit = ?", [memory_limit])

    def register(self, kind: str, files: list[Path]) -> list[str]:
        """Create ``registros_texto``; return warnings about the files."""
        warnings: list[str] = []
        if kind == "parquet":
            columns = parquet_columns(self.con, files, _label(files))
            mapping = _mapping(columns, _label(files))
            self.con.execute(
                f"create or replace temp view registros_texto as select {', '.join(LAYOUT.text_select(mapping))}, "
                f"{_origin(columns, 'filename', 'file_row_number + 1')} from read_parquet({_list(files)}, "
                "filename = true, file_row_number = true, hive_partitioning = false, union_by_name = true)"
            )
            return warnings
        parts = []
        for k, f in enumerate(files):
            _enc, _delim, headers = read_head(f)
            _mapping(headers, f.name)  # refuses personal columns before anything is staged
            staged = stage_csv(self.con, f, LAYOUT, table=f"registros_{k}")
            warnings += staged.warnings
            if staged.problems:  # lines the reader could not split: nothing guessed, the file is refused
                raise LoadError(staged.problems)
            label = f.name.replace("'", "''")
            parts.append(
                f"select {', '.join(COLUMNS)}, '{label}' as _archivo, _row as _fila from registros_{k}"
            )
        self.con.execute("create or replace temp view registros_texto as " + " union all ".join(parts))
        return warnings

    def register_padron(self, path: Path) -> None:
        """The Padrón's children (pseudonym, birth date, district) as the view ``padron``."""
        self.con.execute(f"create or replace temp view padron as select * from read_parquet({_list([path])})")

    def execute(self, sql: str) -> None:
        self.con.execute(sql)

    def materialize(self, name: str, sql: str) -> None:
        """A table in the scratch database (spills to disk, never kept)."""
        self.con.execute(f"create or replace table {name} as {sql}")

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return self.con.execute(sql).fetchall()

    def write_parquet(self, sql: str, folder: Path) -> None:
        self.con.execute("set preserve_insertion_order = true")  # the query's order is the files' order
        self.con.execute(
            f"copy ({sql}) to '{folder}' (format parquet, partition_by (anio), overwrite_or_ignore true)"
        )

    def write_csv(self, sql: str, path: Path) -> None:
        self.con.execute(f"copy ({sql}) to '{path}' (header true)")

    def close(self) -> None:
        self.con.close()


def spark_session(master: str | None = None, driver_memory: str = "4g", local_dir: Path | None = None):
    """A Spark session as the engine wants it: UTC dates, no UI, few shuffle partitions (results are small)."""
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(master or os.environ.get("SPARK_MASTER", "local[2]"))
        .appName("semaforo-compute")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", driver_memory)
        .config("spark.sql.shuffle.partitions", "8")
    )
    if local_dir:
        builder = builder.config("spark.local.dir", str(local_dir))
    return builder.getOrCreate()


class SparkEngine:
    name = "spark"

    def __init__(self, scratch: Path, master: str | None = None, driver_memory: str = "4g"):
        from pyspark.sql import SparkSession  # optional dependency: only this engine needs it

        self.scratch = scratch
        # A session already running in this process (a test's, a notebook's) is used and left running.
        active = SparkSession.getActiveSession()
        self.owned = active is None
        self.spark = active or spark_session(master, driver_memory, scratch / "spark")
        self.spark.sparkContext.setLogLevel("ERROR")

    def register(self, kind: str, files: list[Path]) -> list[str]:
        paths = [str(f) for f in files]
        if kind == "parquet":

            def text(df):
                return df.selectExpr(
                    *LAYOUT.text_select(_mapping(df.columns, _label(files)), "`", "string"),
                    *_origin(df.columns, "_metadata.file_path", "_metadata.row_index + 1").split(", "),
                )

            try:
                df = text(self.spark.read.option("mergeSchema", "true").parquet(*paths))
            except Exception:
                # Files whose types differ (a date here, text there): each read as text, then one.
                df = _union([text(self.spark.read.parquet(p)) for p in paths])
        else:
            # Each file with its own delimiter and encoding, as sniffed (a DIRESA's folder mixes them). Spark splits
            # a file among its workers: a CSV row cannot be numbered (Parquet rows can); problems name the file,
            # the child and the date instead.
            parts = []
            for f in files:
                enc, delim, headers = read_head(f)
                _mapping(headers, f.name)
                part = (
                    self.spark.read.option("header", "true")
                    .option("sep", delim)
                    .option("encoding", "windows-1252" if enc == CP1252 else "UTF-8")
                    .csv(str(f))
                )
                parts.append(
                    part.selectExpr(
                        *LAYOUT.text_select(_mapping(part.columns, f.name), "`", "string"),
                        "_metadata.file_path as _archivo",
                        "cast(null as bigint) as _fila",
                    )
                )
            df = _union(parts)
        df.createOrReplaceTempView("registros_texto")
        return []

    def register_padron(self, path: Path) -> None:
        self.spark.read.parquet(str(path)).createOrReplaceTempView("padron")

    def execute(self, sql: str) -> None:
        self.spark.sql(translate(sql, "spark"))

    def materialize(self, name: str, sql: str) -> None:
        """Written once as Parquet in the scratch folder (on a cluster, the job's own storage) and read back."""
        folder = self.scratch / name
        self.spark.sql(translate(sql, "spark")).write.mode("overwrite").parquet(str(folder))
        self.spark.read.parquet(str(folder)).createOrReplaceTempView(name)

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.spark.sql(translate(sql, "spark")).collect()]

    def write_parquet(self, sql: str, folder: Path) -> None:
        self.spark.sql(translate(sql, "spark")).write.mode("overwrite").partitionBy("anio").parquet(
            str(folder)
        )
        for junk in folder.rglob("*"):  # Spark's markers and checksums are not data
            if junk.is_file() and (junk.name.startswith(("_", ".")) or junk.suffix == ".crc"):
                junk.unlink()

    def write_csv(self, sql: str, path: Path) -> None:
        tmp = self.scratch / "csv"
        self.spark.sql(translate(sql, "spark")).coalesce(1).write.mode("overwrite").option(
            "header", "true"
        ).csv(str(tmp))
        part = next(tmp.glob("part-*.csv"))
        shutil.move(part, path)

    def close(self) -> None:
        for view in ("registros_texto", "registros_tipados", "padron"):
            self.spark.catalog.dropTempView(view)
        if self.owned:
            self.spark.stop()


def engine(name: str, scratch: Path, **options: Any) -> DuckDBEngine | SparkEngine:
    if name == "duckdb":
        return DuckDBEngine(scratch, options.get("threads"), options.get("memory_limit"))
    if name == "spark":
        try:
            import pyspark  # noqa: F401
        except ImportError as e:
            raise LoadError(
                [Problem("spark", "PySpark no está instalado: pip install 'semaforo-ppr[spark]' (y Java 17)")]
            ) from e
        return SparkEngine(scratch, options.get("master"), options.get("driver_memory") or "4g")
    raise ValueError(f"motor desconocido {name!r}")
