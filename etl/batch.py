"""The record of a load: its row in ``etl_batch`` (file, SHA-256, rows, scope, versions) and its problems in
``etl_quarantine`` — for a load, and for a refused attempt, which changes no data."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from warehouse.sqlfiles import scalar
from warehouse.version import program_version

from .parquet import parquet_files


def file_sha256(path: Path) -> str:
    """The file's SHA-256; for a Parquet folder, of its files' relative names and contents in order."""
    h = hashlib.sha256()
    for f in parquet_files(path) if path.is_dir() else [path]:
        if path.is_dir():
            h.update(str(f.relative_to(path)).encode() + b"\0")
        with open(f, "rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
    return h.hexdigest()


def record(con, batch_id, source, path, sha, started_at, report, fmt, cat, received=None) -> None:
    con.execute(
        "insert into etl_batch values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            batch_id,
            source,
            path.name,
            sha,
            path.stat().st_size,
            started_at,
            dt.datetime.now(),
            report.status,
            report.rows_read,
            report.rows_loaded,
            report.rows_rejected,
            report.scope,
            json.dumps(fmt, ensure_ascii=False, default=str),
            program_version(),
            cat.version,
            "\n".join(report.warnings) or None,
            received or dt.date.today(),
        ],
    )
    if report.problems:
        # One statement for every problem, its columns as lists (executemany runs one insert per problem).
        con.execute(
            "insert into etl_quarantine select ?, ?, unnest(?::varchar[]), unnest(?::varchar[]), "
            "unnest(?::bigint[]), unnest(?::varchar[]), unnest(?::varchar[]), unnest(?::varchar[])",
            [
                batch_id,
                source,
                [p.file for p in report.problems],
                [_text(p.sheet) for p in report.problems],
                [p.row for p in report.problems],
                [_text(p.column) for p in report.problems],
                [_text(p.value) for p in report.problems],
                [p.reason for p in report.problems],
            ],
        )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def record_attempt(con, source, path, sha, started_at, report, cat) -> None:
    """A refused file changes no data, but the attempt and its problems are kept for the record."""
    con.execute("begin")
    batch_id = scalar(con, "select nextval('etl_batch_seq')")
    report.batch_id = batch_id
    record(con, batch_id, source, path, sha, started_at, report, {}, cat)
    con.execute("commit")
