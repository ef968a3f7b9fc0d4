-- Version 6: the health-network tree (DISA/DIRESA → Red → MicroRed → facility) beside the territorial one, as
-- MAESTRO_HIS_ESTABLECIMIENTO or RENIPRESS publish it (`semaforo load … red`). Codes are composite: a Red code is
-- unique only within its DISA and a MicroRed code only within its (DISA, Red), so the keys the marts and the pages
-- use are red_key = 'DISA_RED' and microred_key = 'DISA_RED_MICRORED' (views/02_territory.sql). A facility's
-- assignment has a validity: a facility that moves to another MicroRed moves from the month of the load on, and
-- the months before keep the MicroRed they were reported under. Facilities are joined by their RENIPRESS code as
-- an integer (the master writes it with 9 characters, RENIPRESS and the HIS facts with 8).
create table core_network (
    ipress          bigint not null,       -- Codigo_Unico as an integer
    disa_code       varchar not null,      -- 1–36 as written, without leading zeros
    disa            varchar not null,
    red_code        varchar not null,      -- two characters; '00' = no Red (hospitals, private facilities)
    red             varchar not null,
    microred_code   varchar not null,      -- two characters; '00' = no MicroRed
    microred        varchar not null,
    ubigeo          varchar,               -- the facility's district as the master gives it (names the tree's regions)
    facility_name   varchar,
    valid_from      date not null,         -- first month of this assignment (1900-01-01: before any load)
    valid_to        date,                  -- first month of the next assignment; null = the current one
    batch_id        integer not null
);
