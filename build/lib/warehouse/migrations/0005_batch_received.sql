-- Version 5: the date a file was received from whoever reports it (`semaforo load --recibido AAAA-MM-DD`; the
-- load date when not given). Timeliness of monthly reporting is judged by it against the reporting deadline
-- (settings.yaml, data_quality.reporting_deadline_days). Batches loaded before take their load date.
alter table etl_batch add column received_on date;
update etl_batch set received_on = cast(finished_at as date);
