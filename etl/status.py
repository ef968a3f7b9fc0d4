"""What a warehouse holds: batches, rows per source and period, quarantined rows (``semaforo status``)."""

from __future__ import annotations

import os

from warehouse.db import connect_readonly, one, scalar, schema_version

SOURCES = {
    "admin": ("raw_admin", "strftime(min(period), '%Y-%m')", "strftime(max(period), '%Y-%m')"),
    "stock": ("raw_stock", "strftime(min(period), '%Y-%m')", "strftime(max(period), '%Y-%m')"),
    "budget": (
        "raw_budget",
        "min(year) || '-' || lpad(min(month)::varchar, 2, '0')",
        "max(year) || '-' || lpad(max(month)::varchar, 2, '0')",
    ),
    "survey": ("raw_survey", "min(year)::varchar", "max(year)::varchar"),
    "population": ("raw_population", "min(year)::varchar", "max(year)::varchar"),
    "territory": ("core_district", "null", "null"),
    "facilities": ("core_facility", "null", "null"),
    "red": ("core_network", "null", "null"),
    "targets": ("core_target", "min(year)::varchar", "max(year)::varchar"),
}


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
        for src, (table, first, last) in SOURCES.items():
            rows, lo, hi = one(con, f"select count(*), {first}, {last} from {table}")
            sources[src] = {
                "rows": rows,
                "first_period": lo,
                "last_period": hi,
                "batches": sum(
                    1 for b in batches if b["source"] == src and b["status"] in ("loaded", "partial")
                ),
            }
        periods = {}
        for src, table, expr in (
            ("admin", "raw_admin", "strftime(period, '%Y-%m')"),
            ("stock", "raw_stock", "strftime(period, '%Y-%m')"),
            ("budget", "raw_budget", "year || '-' || lpad(month::varchar, 2, '0')"),
            ("survey", "raw_survey", "year::varchar"),
        ):
            periods[src] = dict(
                con.execute(f"select {expr} as p, count(*) from {table} group by p order by p").fetchall()
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
