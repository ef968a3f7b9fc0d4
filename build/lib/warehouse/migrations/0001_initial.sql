-- Semáforo PpR warehouse, version 1.
-- Layers, by table-name prefix (everything lives in DuckDB's main schema):
--   etl_*   load batches and quarantined rows (provenance)
--   core_*  catalogue (synced from warehouse/catalogue/*.yaml), territory, targets
--   raw_*   facts as the loaders read them: typed and validated, one row per source row or aggregate, with batch_id
--   mart_*  what the dashboard reads: pre-aggregated indicator values per territory level and period
-- Views (core_*_v, mart_indicator_value, mart_indicator_status) are in warehouse/views/ and re-created on migrate.

create sequence etl_batch_seq start 1;

create table etl_batch (
    batch_id        integer primary key,
    source          varchar not null,      -- admin | stock | budget | survey | territory | facilities | population | targets
    file_name       varchar not null,
    file_sha256     varchar not null,
    file_bytes      bigint,
    started_at      timestamp not null,
    finished_at     timestamp,
    status          varchar not null,      -- loaded | partial | rejected | failed | superseded
    rows_read       bigint,
    rows_loaded     bigint,
    rows_rejected   bigint,
    scope           varchar,               -- what the batch replaced, human readable
    options         varchar,               -- loader options and detected format, JSON
    program_version varchar not null,
    catalogue_version varchar,
    message         varchar
);

create table etl_quarantine (
    batch_id    integer not null,
    source      varchar not null,
    file_name   varchar not null,
    sheet       varchar,
    row_number  bigint,                    -- as the publisher numbers it: header line = 1 in CSV, Excel row
    column_name varchar,
    value       varchar,
    reason      varchar not null
);

-- Catalogue ---------------------------------------------------------------------------------------------------
create table core_catalogue_file (name varchar primary key, text varchar not null, sha256 varchar not null);
create table core_program (
    program_code varchar primary key, short varchar not null, name_es varchar not null, name_en varchar not null,
    mef_name varchar
);
create table core_element (
    element_code varchar primary key, program_code varchar not null, chain_level varchar not null,
    objective_es varchar not null, objective_en varchar not null, contributes_to varchar, mef_products varchar[]
);
create table core_indicator (
    indicator_code varchar primary key, program_code varchar not null, element_code varchar not null,
    chain_level varchar not null, name_es varchar not null, name_en varchar not null, unit varchar not null,
    multiplier double not null, direction varchar not null, periodicity varchar not null, source_code varchar not null,
    feed varchar not null, rule_kind varchar not null, tolerance double, default_target double,
    budget_products varchar[],            -- NULL unless feed = budget; empty list = every product of the program
    contributes_to varchar
);
create table core_rule_band (                -- bands of 'bands' rules and availability bands of 'stock' rules
    indicator_code varchar not null, lower_bound double not null, upper_bound double not null,
    status varchar not null, label_es varchar not null, label_en varchar not null
);
create table core_stock_class (class_code varchar primary key, status varchar not null, label_es varchar not null,
                               label_en varchar not null, sort_order integer not null);
create table core_setting (key varchar primary key, num_value double not null);
create table core_budget_pace (month integer primary key, expected_pct double not null);

-- Territory ---------------------------------------------------------------------------------------------------
create table core_department (department_code varchar primary key, name varchar not null);
create table core_province (province_code varchar primary key, department_code varchar not null, name varchar not null);
create table core_region (
    region_code varchar primary key, name varchar not null, abbrev varchar not null, department_code varchar not null,
    province_code varchar, endes_labels varchar not null, tile_row integer not null, tile_col integer not null,
    sort_order integer not null
);
create table core_district (
    ubigeo varchar primary key, province_code varchar not null, department_code varchar not null, name varchar not null,
    reniec_code varchar, altitude_m double, latitude double, longitude double, batch_id integer
);
create table core_facility (
    cod_ipress varchar primary key, name varchar not null, ubigeo varchar not null, institucion varchar,
    clasificacion varchar, tipo varchar, categoria varchar, estado varchar, batch_id integer
);
create table core_target (
    indicator_code varchar not null, territory_code varchar not null, year integer not null, target double not null,
    batch_id integer, primary key (indicator_code, territory_code, year)
);

-- Raw facts ---------------------------------------------------------------------------------------------------
create table raw_admin (
    batch_id integer not null, row_number bigint, period date not null, ubigeo varchar not null, cod_ipress varchar,
    indicator_code varchar not null, numerator double not null, denominator double
);
create table raw_stock (
    batch_id integer not null, row_number bigint, period date not null, cod_ipress varchar not null,
    ubigeo varchar not null, indicator_code varchar not null, stock double not null, cpm double not null
);
create table raw_budget (
    batch_id integer not null, year integer not null, month integer not null, program_code varchar not null,
    product_code varchar not null, product_name varchar, department_code varchar, ejecutora_province varchar,
    pia double, pim double, certificado double, comprometido_anual double, comprometido double, devengado double,
    girado double, source_rows bigint
);
create table raw_survey (
    batch_id integer not null, row_number bigint, sheet varchar, year integer not null, region_code varchar not null,
    indicator_code varchar not null, value double, ci_low double, ci_high double, cv double, n integer,
    printed_referential boolean not null default false
);
create table raw_population (
    batch_id integer not null, row_number bigint, year integer not null, ubigeo varchar not null,
    age_group varchar not null, children bigint not null
);

-- Marts -------------------------------------------------------------------------------------------------------
-- Indicator values above the facility: country, region, province, district. Facility rows stay in raw_* and are
-- joined in by the mart_indicator_value view only when a query asks for them.
create table mart_indicator_agg (
    indicator_code varchar not null, territory_level varchar not null, territory_code varchar not null,
    region_code varchar not null, parent_code varchar, period date not null, period_grain varchar not null,
    value double, numerator double, denominator double, ci_low double, ci_high double, cv double, n integer,
    printed_referential boolean, units_reporting integer, units_expected integer, batch_id integer
);
create table mart_stock_summary (
    indicator_code varchar not null, territory_level varchar not null, territory_code varchar not null,
    region_code varchar not null, period date not null, facilities integer not null, desabastecido integer,
    substock integer, normostock integer, sobrestock integer, sin_rotacion integer, months_median double,
    stock_total double, cpm_total double
);
create table mart_population (
    year integer not null, territory_level varchar not null, territory_code varchar not null,
    region_code varchar not null, age_group varchar not null, children bigint not null
);
