-- Version 9: each indicator's minimum denominator (its n) below which the status macro holds the light back as
-- "muestra pequeña" (catalogue: the indicator's min_n, else settings.yaml's small_sample.min_n for figures from
-- records; 0 = never). The catalogue's fingerprint is forgotten so that the next sync writes the column.
alter table core_indicator add column min_n double;
delete from core_meta where key = 'catalogue';
