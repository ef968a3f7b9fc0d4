-- Version 4: the executing unit of each budget line (MEF's SEC_EJEC and its name; Consulta Amigable's
-- "Municipalidad" or "Unidad Ejecutora" cells), so that execution can be followed per unit as well as per region;
-- and, per product of the logical framework, the indicator whose coverage it buys and the Padrón Nominal age group
-- of its target population (the divisor of budget per beneficiary). Lines loaded before have no unit.
alter table raw_budget add column sec_ejec varchar;
alter table raw_budget add column ejecutora_name varchar;
alter table core_element add column coverage_indicator varchar;
alter table core_element add column population_age_group varchar;
