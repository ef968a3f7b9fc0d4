"""`make bench`: national-scale figures of the ETL and the dashboard against raw DuckDB (issue 4)."""
