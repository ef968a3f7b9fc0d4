"""The Calidad de datos page's views: completeness and timeliness, units that did not report, suspect values,
records against the survey, and (administrators only) the load history and the quarantined rows."""

from __future__ import annotations

from warehouse.catalogue_model import Text
from warehouse.sources import MONTHLY_FEEDS

from .model import Column, View
from .quality_rows import (
    _batch_words,
    _completeness,
    _missing,
    _outlier_names,
    _outliers,
    _triangulation,
    _whole,
)

T = Text
TREE = ("tree", "red", "province")  # the heat-map's place along its tree (views.quality_rows.quality_scope)

QUALITY_COMPLETENESS = View(
    "calidad-completitud",
    T("Completitud y oportunidad", "Completeness and timeliness"),
    (
        Column("territory_code", T("Código", "Code"), "code"),
        Column("name", T("Territorio", "Territory"), "text"),
        Column("period", T("Mes", "Month"), "month"),
        Column("expected", T("Reportes esperados", "Reports expected"), "count"),
        Column("reporting", T("Reportes recibidos", "Reports received"), "count"),
        Column("missing", T("Faltan", "Missing"), "count"),
        Column("completeness_pct", T("Completitud (%)", "Completeness (%)"), "pct"),
        Column("completeness_status", T("Estado de la completitud", "Completeness status"), "status"),
        Column(
            "received", T("Reportes en lotes cargados", "Reports in loaded batches"), "count", screen=False
        ),
        Column("on_time", T("A tiempo", "On time"), "count"),
        Column("timeliness_pct", T("Oportunidad (%)", "Timeliness (%)"), "pct"),
        Column("timeliness_status", T("Estado de la oportunidad", "Timeliness status"), "status"),
        Column("last_received", T("Último archivo recibido", "Last file received"), "date"),
    ),
    _completeness,
    MONTHLY_FEEDS,
    notes=T(
        "Un reporte es un indicador de una unidad (establecimiento, o distrito si la fuente reporta por distrito) "
        "en un mes. Se espera cuando la unidad lo reportó en los meses de la ventana (settings.yaml). A tiempo: "
        "su archivo se recibió dentro del plazo tras el cierre del mes (semaforo load --recibido).",
        "A report is one indicator of one unit (a facility, or a district where the source reports by district) in "
        "a month. It is expected when the unit reported it in the look-back window (settings.yaml). On time: its "
        "file was received within the deadline after the month closed (semaforo load --recibido).",
    ),
    page="/calidad",
    scope="below_region",
    filters=TREE,
)

QUALITY_MISSING = View(
    "calidad-sin-reporte",
    T("Unidades que no reportaron", "Units that did not report"),
    (
        Column("region_name", T("Región", "Region"), "text"),
        Column("province_name", T("Provincia", "Province"), "text"),
        Column("district_name", T("Distrito", "District"), "text"),
        Column("microred_name", T("MicroRed", "MicroRed"), "text"),
        Column("cod_ipress", T("Código IPRESS", "IPRESS code"), "code"),
        Column("facility_name", T("Establecimiento", "Facility"), "text"),
        Column("indicators_missing", T("Indicadores que faltan", "Indicators missing"), "count"),
        Column("sources", T("De qué fuente", "From which source"), "code"),
        Column("indicators", T("Cuáles", "Which"), "text", screen=False),
        Column("last_reported", T("Último mes reportado", "Last month reported"), "month"),
        Column("ubigeo", T("Ubigeo", "Ubigeo"), "code", screen=False),
    ),
    _missing,
    MONTHLY_FEEDS,
    page="/calidad",
    scope="below_region",
    filters=TREE,
)

QUALITY_OUTLIERS = View(
    "calidad-atipicos",
    T("Valores sospechosos", "Suspect values"),
    (
        Column("facility_name", T("Establecimiento", "Facility"), "text"),
        Column("cod_ipress", T("Código IPRESS", "IPRESS code"), "code"),
        Column("microred_name", T("MicroRed", "MicroRed"), "text"),
        Column("indicator", T("Indicador", "Indicator"), "text"),
        Column("reasons_text", T("Por qué", "Why"), "text"),
        Column("indicator_code", T("Código del indicador", "Indicator code"), "code", screen=False),
        Column("value", T("Valor", "Value"), "number"),
        Column("prev_value", T("Mes anterior", "Month before"), "number"),
        Column("history_median", T("Mediana de su historia", "Median of its history"), "number"),
        Column("modified_z", T("z modificado", "Modified z"), "number"),
        Column("denominator", T("Denominador", "Denominator"), "number"),
        Column("numerator", T("Numerador", "Numerator"), "number", screen=False),
        Column(
            "prev_denominator",
            T("Denominador del mes anterior", "Denominator the month before"),
            "number",
            screen=False,
        ),
        Column("region_code", T("Región", "Region"), "code", screen=False),
        Column("ubigeo", T("Ubigeo", "Ubigeo"), "code", screen=False),
        Column("period", T("Mes", "Month"), "month", screen=False),
        Column("batch_id", T("Lote", "Batch"), "batch", screen=False),
        Column("row_number", T("Fila en el archivo", "Row in the file"), "count", screen=False),
    ),
    _outliers,
    ("admin",),
    _outlier_names,
    T(
        "Valores de establecimientos listados con su motivo, nunca descartados: lejos de su propia historia (z "
        "modificado de Iglesias y Hoaglin con la mediana y la MAD de sus meses previos), salto brusco frente al "
        "mes anterior, o denominador que cambió más de lo plausible. Umbrales en settings.yaml (data_quality).",
        "Facility values listed with their reason, never dropped: far from its own history (Iglesias & Hoaglin "
        "modified z with the median and MAD of its previous months), abrupt jump from the month before, or a "
        "denominator that changed implausibly. Thresholds in settings.yaml (data_quality).",
    ),
    page="/calidad",
    scope="below_region",
    filters=TREE,
)

QUALITY_TRIANGULATION = View(
    "calidad-triangulacion",
    T("Registros frente a la encuesta", "Records against the survey"),
    (
        Column("region_name", T("Región", "Region"), "text"),
        Column("year", T("Año", "Year"), "year"),
        Column("admin_indicator", T("Indicador de registros", "Records indicator"), "code"),
        Column("admin_value", T("Registros (%)", "Records (%)"), "pct"),
        Column("survey_indicator", T("Indicador ENDES", "ENDES indicator"), "code"),
        Column("survey_value", T("ENDES (%)", "ENDES (%)"), "pct"),
        Column("ci_low", T("IC 95 % inferior", "95% CI low"), "pct"),
        Column("ci_high", T("IC 95 % superior", "95% CI high"), "pct"),
        Column("gap", T("Diferencia (puntos)", "Gap (points)"), "number"),
        Column("outside_ci", T("Fuera del intervalo", "Outside the interval"), "bool"),
        Column("survey_referential", T("ENDES referencial", "ENDES referential"), "bool"),
        Column("admin_months", T("Meses de registros", "Months of records"), "count", screen=False),
        Column("territory_code", T("Código", "Code"), "code", screen=False),
    ),
    _triangulation,
    ("admin", "survey"),
    notes=T(
        "Cobertura de registros del año (suma de numeradores entre suma de denominadores de la región) frente a "
        "la estimación de la ENDES del mismo producto, región y año, con su intervalo de confianza al 95 %. Fuera "
        "del intervalo: la encuesta no es compatible con el registro.",
        "The year's records coverage (summed numerators over summed denominators of the region) against the ENDES "
        "estimate of the same product, region and year, with its 95% confidence interval. Outside the interval: "
        "the survey is not compatible with the records.",
    ),
    page="/calidad",
    scope="below_region",
)

QUALITY_BATCHES = View(
    "calidad-cargas",
    T("Historial de cargas", "Load history"),
    (
        Column("batch_id", T("Lote", "Batch"), "batch"),
        Column("source", T("Fuente", "Source"), "code"),
        Column("file_name", T("Archivo", "File"), "text"),
        Column("received_on", T("Recibido", "Received"), "date"),
        Column("finished_at", T("Cargado", "Loaded"), "datetime"),
        Column("status", T("Resultado", "Result"), "code"),
        Column("rows_read", T("Filas leídas", "Rows read"), "count"),
        Column("rows_loaded", T("Filas cargadas", "Rows loaded"), "count"),
        Column("rows_rejected", T("Filas rechazadas", "Rows rejected"), "count"),
        Column("scope", T("Alcance", "Scope"), "text"),
        Column("file_sha256", T("SHA-256", "SHA-256"), "code"),
        Column("file_bytes", T("Bytes", "Bytes"), "count", screen=False),
        Column("program_version", T("Versión", "Version"), "code", screen=False),
        Column("catalogue_version", T("Catálogo", "Catalogue"), "code", screen=False),
        Column("message", T("Avisos", "Warnings"), "text", screen=False),
    ),
    _whole("quality_batches"),
    (),
    _batch_words,
    page="/calidad",
    scope="admin",
    arg="none",
)

QUALITY_QUARANTINE = View(
    "calidad-cuarentena",
    T("Filas en cuarentena", "Quarantined rows"),
    (
        Column("batch_id", T("Lote", "Batch"), "batch"),
        Column("source", T("Fuente", "Source"), "code"),
        Column("file_name", T("Archivo", "File"), "text"),
        Column("sheet", T("Hoja", "Sheet"), "code"),
        Column("row_number", T("Fila", "Row"), "count"),
        Column("column_name", T("Columna", "Column"), "code"),
        Column("value", T("Valor", "Value"), "text"),
        Column("reason", T("Motivo", "Reason"), "text"),
        Column("loaded_at", T("Cargado", "Loaded"), "datetime", screen=False),
        Column("batch_status", T("Resultado del lote", "Batch result"), "code", screen=False),
    ),
    _whole("quality_quarantine"),
    (),
    page="/calidad",
    scope="admin",
    arg="none",
)
