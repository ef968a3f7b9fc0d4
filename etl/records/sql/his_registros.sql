-- HIS-MINSA exports → the records layout of `semaforo compute` (one row per item of an attention).
-- Reads the views his.py creates: his_trama (every trama's rows, text, with _archivo/_fila and _excluida),
-- his_pacientes (one row per Id_Paciente, already pseudonymised), his_establecimientos, his_centros,
-- his_distritos. A value that cannot be resolved stays null and `problema` says why: the records checks then
-- quarantine the row with the trama's file and line; nothing is guessed.
with citas as (
    -- Hemoglobina and Id_Centro_Poblado belong to the attention, repeated (or left empty) on its rows: the
    -- attention's value when it has exactly one. (A group-by joined back costs less than a window here; only
    -- the rows that carry either value are grouped — most items carry neither.)
    select
        trim(id_cita) as cita,
        trim(id_paciente) as paciente,
        trim(fecha_atencion) as fecha,
        min(nullif(trim(hemoglobina), '')) as hb_min,
        max(nullif(trim(hemoglobina), '')) as hb_max,
        min(nullif(trim(id_centro_poblado), '')) as cp_min,
        max(nullif(trim(id_centro_poblado), '')) as cp_max
    from his_trama
    where _excluida is null
      and (nullif(trim(hemoglobina), '') is not null or nullif(trim(id_centro_poblado), '') is not null)
    group by all
),
nominal as (
    select t.*, c.hb_min, c.hb_max, c.cp_min, c.cp_max
    from his_trama as t
    left join citas as c
        on c.cita = trim(t.id_cita) and c.paciente = trim(t.id_paciente) and c.fecha = trim(t.fecha_atencion)
    where t._excluida is null
),
resolved as (
    select
        n.*,
        p.id_nino,
        p.fecha_nacimiento,
        p.sexo,
        p.versiones,
        e.codigo_unico,
        e.ubigeo,
        try_cast(nullif(trim(n.renipress), '') as bigint) as renipress_n,
        case when n.cp_min = n.cp_max then n.cp_max end as centro_poblado,
        c.altitud as altitud_cp,
        d.altitud as altitud_distrito
    from nominal as n
    left join his_pacientes as p on p.id_paciente = trim(n.id_paciente)
    left join his_establecimientos as e on e.id_establecimiento = trim(n.id_establecimiento)
    left join his_centros as c on c.id_centro_poblado = case when n.cp_min = n.cp_max then n.cp_max end
    left join his_distritos as d on d.ubigeo = e.ubigeo
)
select
    left(trim(fecha_atencion), 10) as fecha_atencion,
    case
        when renipress_n is not null and codigo_unico is not null and renipress_n <> codigo_unico then null
        else lpad(cast(coalesce(renipress_n, codigo_unico) as varchar), 8, '0')
    end as cod_ipress,
    ubigeo,
    case when versiones = 1 then id_nino end as id_nino,
    case when versiones = 1 then fecha_nacimiento end as fecha_nacimiento,
    case when versiones = 1 then sexo end as sexo,
    upper(trim(codigo_item)) as codigo,
    case when hb_min = hb_max then hb_max else nullif(trim(hemoglobina), '') end as valor,
    cast(coalesce(altitud_cp, altitud_distrito) as varchar) as altitud,
    upper(trim(valor_lab)) as lab,
    upper(trim(tipo_diagnostico)) as tipo_diagnostico,
    trim(id_cita) as cita,
    nullif(concat_ws('; ',
        case when versiones is null then 'Id_Paciente ' || trim(id_paciente) || ' no está en MaestroPaciente' end,
        case when versiones > 1 then 'Id_Paciente ' || trim(id_paciente)
            || ' tiene documentos o fechas de nacimiento distintos en los MaestroPaciente leídos' end,
        case when ubigeo is null then 'Id_Establecimiento ' || coalesce(trim(id_establecimiento), '')
            || ' no está en MAESTRO_HIS_ESTABLECIMIENTO' end,
        case when renipress_n is not null and codigo_unico is not null and renipress_n <> codigo_unico
            then 'renipress ' || cast(renipress_n as varchar) || ' no es el Codigo_Unico '
            || cast(codigo_unico as varchar) || ' de Id_Establecimiento ' || trim(id_establecimiento) end,
        case when renipress_n is null and codigo_unico is null and ubigeo is not null
            then 'Id_Establecimiento ' || trim(id_establecimiento) || ' sin Codigo_Unico' end
    ), '') as problema,
    _archivo,
    _fila
from resolved
