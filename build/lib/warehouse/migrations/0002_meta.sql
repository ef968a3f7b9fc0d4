-- Fingerprints of the reference data copied into the warehouse (catalogue files, shipped territory tables), so a
-- load skips re-copying what has not changed.
create table core_meta (key varchar primary key, value varchar not null);
