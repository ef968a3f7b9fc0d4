"""The ``semaforo`` command, composed above the ETL and the dashboard (:mod:`semaforo.cli`)."""
