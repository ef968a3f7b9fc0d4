-- The load history: every file the ETL read, newest first — what it was, when it came in and was loaded, its
-- SHA-256, rows read, loaded and rejected, what it replaced and the program version that loaded it.
select
    batch_id,
    source,
    file_name,
    file_sha256,
    file_bytes,
    received_on,
    finished_at,
    status,
    rows_read,
    rows_loaded,
    rows_rejected,
    scope,
    program_version,
    catalogue_version,
    message
from etl_batch
order by batch_id desc
