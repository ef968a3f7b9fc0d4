"""What a warehouse holds: batches, rows per source and period, quarantined rows (``semaforo status``)."""

from __future__ import annotations

import os

from warehouse.db import connect_readonly, one, scalar, schema_version
from warehouse.sources import SOURCES


def warehouse_status(db: str | os.PathLike) -> dict:
    con = connect_readonly(db)
    try:
        version, _ = schema_version(con)
        batches = [
            dict(
                zip(
                    (
                        "batch_id",
                        "source",
                        "file_name",
                        "status",
                        "rows_read",
                        "rows_loaded",
                        "rows_rejected",
                        "scope",
                        "finished_at",
                    ),
                    row,
                    strict=True,
                )
            )
            for row in con.execute(
                "select batch_id, source, file_name, status, rows_read, rows_loaded, rows_rejected, scope, "
                "finished_at from etl_batch order by batch_id"
            ).fetchall()
        ]
        sources = {}
        for src, source in SOURCES.items():
            period = source.period or "null"
            rows, lo, hi = one(con, f"select count(*), min({period}), max({period}) from {source.table}")
            sources[src] = {
                "rows": rows,
                "first_period": lo,
                "last_period": hi,
                "batches": sum(
                    1 for b in batches if b["source"] == src and b["status"] in ("loaded", "partial")
                ),
            }
        periods = {}
        for src in ("admin", "stock", "budget", "survey"):
            source = SOURCES[src]
            periods[src] = dict(
                con.execute(
                    f"select {source.period} as p, count(*) from {source.table} group by p order by p"
                ).fetchall()
            )
        mart_rows, mart_ind = one(
            con, "select count(*), count(distinct indicator_code) from mart_indicator_agg"
        )
        catalogue = scalar(con, "select max(catalogue_version) from etl_batch")
        return {
            "database": str(db),
            "schema_version": version,
            "catalogue_version": catalogue,
            "sources": sources,
            "rows_per_period": periods,
            "mart": {"rows": mart_rows, "indicators": mart_ind},
            "quarantine_rows": scalar(con, "select count(*) from etl_quarantine"),
            "batches": batches,
        }
    finally:
        con.close()
