"""Indicators from nominal records: definitions as data, compiled to one SQL, run on DuckDB or Spark.

Records are personal data: they are read where the operator keeps them, and only monthly aggregates per facility
leave this package (year-partitioned Parquet that ``semaforo load admin`` reads). No column beyond the layout in
:mod:`etl.records.layout` is ever selected, and a file that carries names or document numbers is refused.
"""
