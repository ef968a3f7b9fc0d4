-- One month of the demo's items (table `items`, one row per item of a cita) and group activities (`grupales`)
-- written as MINSA's 48-column NominalTramaNuevo (HIS.md §2): Mes and Dia unpadded, the age registered as
-- Edad_Reg + Tipo_Edad (D under a month, M under a year, A) and as years/months/days, the cita's haemoglobin
-- on each of its rows with its request and result dates, empty fields as nothing. Written one file per month.
with nominal as (
    select
        cast(cita as varchar) as id_cita, fecha, cast(id_est as varchar) as id_est, paciente,
        case when codigo in ('Z001', '99381.01') then '301202' when codigo like '90%' then '301204' else '301203' end as ups,
        case when edad < 30 then greatest(edad, 1) when edad < 365 then edad // 30 else edad // 365 end as edad_reg,
        case when edad < 30 then 'D' when edad < 365 then 'M' else 'A' end as tipo_edad,
        edad // 365 as anios, (edad % 365) // 30 as meses, (edad % 365) % 30 as dias,
        codigo, lab, corr, hb, cp, renipress, 'PER' as pais, '2' as financiador, 'C' as condicion
    from items
),
grupal as (
    select
        cast(800000000 + row_number() over (order by fecha, id_est) as varchar), fecha, cast(id_est as varchar),
        'AP' || cast(id_est as varchar), '301203', null, null, null, null, null, 'C0009', '1', 1, null, '',
        renipress, null, null, null
    from grupales
)
select
    id_cita as Id_Cita, year(fecha) as Anio, month(fecha) as Mes, day(fecha) as Dia,
    strftime(fecha, '%Y-%m-%d') as Fecha_Atencion, 'N5' as Lote, 1 + (hash(id_cita) % 40) as Num_Pag,
    1 + (hash(id_cita) % 25) as Num_Reg, ups as Id_Ups, id_est as Id_Establecimiento, paciente as Id_Paciente,
    '510' || id_est as Id_Personal, '880' || id_est as Id_Registrador, financiador as Id_Financiador,
    condicion as Id_Condicion_Establecimiento, condicion as Id_Condicion_Servicio, edad_reg as Edad_Reg,
    tipo_edad as Tipo_Edad, anios as Anio_Actual_Paciente, meses as Mes_Actual_Paciente,
    dias as Dia_Actual_Paciente, 'M' as Id_Turno, codigo as Codigo_Item, 'D' as Tipo_Diagnostico,
    nullif(lab, '') as Valor_Lab, corr as Id_Correlativo, 1 as Id_Correlativo_Lab, null as Peso, null as Talla,
    printf('%.1f', hb) as Hemoglobina, null as Perimetro_Abdominal, null as Perimetro_Cefalico,
    null as Id_Otra_Condicion, nullif(cp, '') as Id_Centro_Poblado, null as Fecha_Ultima_Regla,
    case when hb is not null then strftime(fecha, '%Y-%m-%d') end as Fecha_Solicitud_Hb,
    case when hb is not null then strftime(fecha, '%Y-%m-%d') end as Fecha_Resultado_Hb,
    strftime(fecha, '%Y-%m-%d') || ' 16:30:00' as Fecha_Registro, null as Fecha_Modificacion, pais as Id_Pais,
    null as gruporiesgo_desc, null as condicion_gestante, null as peso_pregestacional, null as Id_dosis,
    renipress, null as Id_Institucion_Edu, '1' as Id_AplicacionOrigen, null as Alerta
from (select * from nominal union all select * from grupal)
order by Fecha_Atencion, Id_Cita, Id_Correlativo
