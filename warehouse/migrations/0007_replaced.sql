-- Version 6: every stored row a load deletes is kept, with the batch that replaced it (`replaced_by`), so that
-- `semaforo load --deshacer LOTE` can put back what a batch replaced. Same columns as the raw table, in order:
-- a migration that changes a raw table changes its etl_replaced_ table too.
create table etl_replaced_raw_admin as select null::integer as replaced_by, * from raw_admin limit 0;
create table etl_replaced_raw_stock as select null::integer as replaced_by, * from raw_stock limit 0;
create table etl_replaced_raw_budget as select null::integer as replaced_by, * from raw_budget limit 0;
create table etl_replaced_raw_survey as select null::integer as replaced_by, * from raw_survey limit 0;
create table etl_replaced_raw_population as select null::integer as replaced_by, * from raw_population limit 0;
-- Registries are upserted by key: the rows a load updated are kept the same way.
create table etl_replaced_core_district as select null::integer as replaced_by, * from core_district limit 0;
create table etl_replaced_core_facility as select null::integer as replaced_by, * from core_facility limit 0;
create table etl_replaced_core_target as select null::integer as replaced_by, * from core_target limit 0;
