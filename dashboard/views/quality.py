"""The Calidad de datos page's views: completeness and timeliness, units that did not report, suspect values,
records against the survey, and (administrators only) the load history and the quarantined rows."""

from __future__ import annotations

from warehouse.sources import MONTHLY_FEEDS

from ..i18n import words
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

TREE = ("tree", "red", "province")  # the heat-map's place along its tree (views.quality_rows.quality_scope)

QUALITY_COMPLETENESS = View(
    "calidad-completitud",
    words("calidad-completitud.title"),
    (
        Column("territory_code", words("calidad-completitud.territory_code"), "code"),
        Column("name", words("calidad-completitud.name"), "text"),
        Column("period", words("calidad-completitud.period"), "month"),
        Column("expected", words("calidad-completitud.expected"), "count"),
        Column("reporting", words("calidad-completitud.reporting"), "count"),
        Column("missing", words("calidad-completitud.missing"), "count"),
        Column("completeness_pct", words("calidad-completitud.completeness_pct"), "pct"),
        Column("completeness_status", words("calidad-completitud.completeness_status"), "status"),
        Column("received", words("calidad-completitud.received"), "count", screen=False),
        Column("on_time", words("calidad-completitud.on_time"), "count"),
        Column("timeliness_pct", words("calidad-completitud.timeliness_pct"), "pct"),
        Column("timeliness_status", words("calidad-completitud.timeliness_status"), "status"),
        Column("last_received", words("calidad-completitud.last_received"), "date"),
    ),
    _completeness,
    MONTHLY_FEEDS,
    notes=words("calidad-completitud.notes"),
    page="/calidad",
    scope="below_region",
    filters=TREE,
)

QUALITY_MISSING = View(
    "calidad-sin-reporte",
    words("calidad-sin-reporte.title"),
    (
        Column("region_name", words("calidad-sin-reporte.region_name"), "text"),
        Column("province_name", words("calidad-sin-reporte.province_name"), "text"),
        Column("district_name", words("calidad-sin-reporte.district_name"), "text"),
        Column("microred_name", words("calidad-sin-reporte.microred_name"), "text"),
        Column("cod_ipress", words("calidad-sin-reporte.cod_ipress"), "code"),
        Column("facility_name", words("calidad-sin-reporte.facility_name"), "text"),
        Column("indicators_missing", words("calidad-sin-reporte.indicators_missing"), "count"),
        Column("sources", words("calidad-sin-reporte.sources"), "code"),
        Column("indicators", words("calidad-sin-reporte.indicators"), "text", screen=False),
        Column("last_reported", words("calidad-sin-reporte.last_reported"), "month"),
        Column("ubigeo", words("calidad-sin-reporte.ubigeo"), "code", screen=False),
    ),
    _missing,
    MONTHLY_FEEDS,
    page="/calidad",
    scope="below_region",
    filters=TREE,
)

QUALITY_OUTLIERS = View(
    "calidad-atipicos",
    words("calidad-atipicos.title"),
    (
        Column("facility_name", words("calidad-atipicos.facility_name"), "text"),
        Column("cod_ipress", words("calidad-atipicos.cod_ipress"), "code"),
        Column("microred_name", words("calidad-atipicos.microred_name"), "text"),
        Column("indicator", words("calidad-atipicos.indicator"), "text"),
        Column("reasons_text", words("calidad-atipicos.reasons_text"), "text"),
        Column("indicator_code", words("calidad-atipicos.indicator_code"), "code", screen=False),
        Column("value", words("calidad-atipicos.value"), "number"),
        Column("prev_value", words("calidad-atipicos.prev_value"), "number"),
        Column("history_median", words("calidad-atipicos.history_median"), "number"),
        Column("modified_z", words("calidad-atipicos.modified_z"), "number"),
        Column("denominator", words("calidad-atipicos.denominator"), "number"),
        Column("numerator", words("calidad-atipicos.numerator"), "number", screen=False),
        Column(
            "prev_denominator",
            words("calidad-atipicos.prev_denominator"),
            "number",
            screen=False,
        ),
        Column("region_code", words("calidad-atipicos.region_code"), "code", screen=False),
        Column("ubigeo", words("calidad-atipicos.ubigeo"), "code", screen=False),
        Column("period", words("calidad-atipicos.period"), "month", screen=False),
        Column("batch_id", words("calidad-atipicos.batch_id"), "batch", screen=False),
        Column("row_number", words("calidad-atipicos.row_number"), "count", screen=False),
    ),
    _outliers,
    ("admin",),
    _outlier_names,
    words("calidad-atipicos.notes"),
    page="/calidad",
    scope="below_region",
    filters=TREE,
)

QUALITY_TRIANGULATION = View(
    "calidad-triangulacion",
    words("calidad-triangulacion.title"),
    (
        Column("region_name", words("calidad-triangulacion.region_name"), "text"),
        Column("year", words("calidad-triangulacion.year"), "year"),
        Column("admin_indicator", words("calidad-triangulacion.admin_indicator"), "code"),
        Column("admin_value", words("calidad-triangulacion.admin_value"), "pct"),
        Column("survey_indicator", words("calidad-triangulacion.survey_indicator"), "code"),
        Column("survey_value", words("calidad-triangulacion.survey_value"), "pct"),
        Column("ci_low", words("calidad-triangulacion.ci_low"), "pct"),
        Column("ci_high", words("calidad-triangulacion.ci_high"), "pct"),
        Column("gap", words("calidad-triangulacion.gap"), "number"),
        Column("outside_ci", words("calidad-triangulacion.outside_ci"), "bool"),
        Column("survey_referential", words("calidad-triangulacion.survey_referential"), "bool"),
        Column("admin_months", words("calidad-triangulacion.admin_months"), "count", screen=False),
        Column("territory_code", words("calidad-triangulacion.territory_code"), "code", screen=False),
    ),
    _triangulation,
    ("admin", "survey"),
    notes=words("calidad-triangulacion.notes"),
    page="/calidad",
    scope="below_region",
)

QUALITY_BATCHES = View(
    "calidad-cargas",
    words("calidad-cargas.title"),
    (
        Column("batch_id", words("calidad-cargas.batch_id"), "batch"),
        Column("source", words("calidad-cargas.source"), "code"),
        Column("file_name", words("calidad-cargas.file_name"), "text"),
        Column("received_on", words("calidad-cargas.received_on"), "date"),
        Column("finished_at", words("calidad-cargas.finished_at"), "datetime"),
        Column("status", words("calidad-cargas.status"), "code"),
        Column("rows_read", words("calidad-cargas.rows_read"), "count"),
        Column("rows_loaded", words("calidad-cargas.rows_loaded"), "count"),
        Column("rows_rejected", words("calidad-cargas.rows_rejected"), "count"),
        Column("scope", words("calidad-cargas.scope"), "text"),
        Column("file_sha256", words("calidad-cargas.file_sha256"), "code"),
        Column("file_bytes", words("calidad-cargas.file_bytes"), "count", screen=False),
        Column("program_version", words("calidad-cargas.program_version"), "code", screen=False),
        Column("catalogue_version", words("calidad-cargas.catalogue_version"), "code", screen=False),
        Column("message", words("calidad-cargas.message"), "text", screen=False),
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
    words("calidad-cuarentena.title"),
    (
        Column("batch_id", words("calidad-cuarentena.batch_id"), "batch"),
        Column("source", words("calidad-cuarentena.source"), "code"),
        Column("file_name", words("calidad-cuarentena.file_name"), "text"),
        Column("sheet", words("calidad-cuarentena.sheet"), "code"),
        Column("row_number", words("calidad-cuarentena.row_number"), "count"),
        Column("column_name", words("calidad-cuarentena.column_name"), "code"),
        Column("value", words("calidad-cuarentena.value"), "text"),
        Column("reason", words("calidad-cuarentena.reason"), "text"),
        Column("loaded_at", words("calidad-cuarentena.loaded_at"), "datetime", screen=False),
        Column("batch_status", words("calidad-cuarentena.batch_status"), "code", screen=False),
    ),
    _whole("quality_quarantine"),
    (),
    page="/calidad",
    scope="admin",
    arg="none",
)
