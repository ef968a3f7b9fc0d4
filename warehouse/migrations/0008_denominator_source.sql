-- Version 8: the denominator an indicator computed from nominal records used (`semaforo compute` writes it in
-- `denominador_fuente`): `padron` (the children of the Padrón Nominal) or `registros` (the children attended).
-- The two give different coverages for the same month, so the warehouse keeps which one each row is; null for
-- rows of files that do not say (the monthly HIS aggregate files). Its etl_replaced_ table changes with it.
alter table raw_admin add column denominator_source varchar;
alter table etl_replaced_raw_admin add column denominator_source varchar;
