-- Rows the loaders kept aside, with where they are in the publisher's file and why: nothing is dropped without a
-- trace. Newest batch first. Parameters: $source (a source or NULL for all).
select
    q.batch_id,
    q.source,
    q.file_name,
    q.sheet,
    q.row_number,
    q.column_name,
    q.value,
    q.reason,
    b.finished_at as loaded_at,
    b.status as batch_status
from etl_quarantine as q
left join etl_batch as b using (batch_id)
where $source is null or q.source = $source
order by q.batch_id desc, q.row_number, q.column_name
