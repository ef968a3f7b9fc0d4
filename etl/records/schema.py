"""The declared shape of the record definitions (``warehouse/catalogue/registros/*.yaml``): every key a file may
hold and its type, unknown keys forbidden (see :mod:`warehouse.yaml_schema`). What the values mean is checked in
:mod:`etl.records.definitions`."""

from __future__ import annotations

from warehouse.catalogue_schema import Text
from warehouse.yaml_schema import Strict


class AltitudeBand(Strict):
    desde_m: float
    ajuste: float


class Adjustment(Strict):
    name: Text | None = None
    formula: str | None = None
    bands: list[AltitudeBand] | None = None


class Requirement(Strict):
    nombre: str | None = None
    codigos: list[str] | None = None
    minimo: int | None = None
    edad_dias: list[int] | None = None
    primera_edad_dias: list[int] | None = None
    separacion_min_dias: int | list[int] | None = None  # one spacing, or one per next dose
    separacion_max_dias: int | None = None
    tipo_diagnostico: list[str] | None = None
    lab: list[str] | None = None
    ventanas_dias: list[list[int]] | None = None  # one delivery per window (iron schemes)
    peso_lab: dict[str, int] | None = None  # LAB value → weight of the delivery
    peso_minimo: int | None = None
    atencion_sin: list[str] | None = None  # codes that, in the same attention, keep a delivery from counting


class Exclusion(Strict):
    nombre: str | None = None
    codigos: list[str] | None = None
    edad_dias: list[int] | None = None


class Threshold(Strict):
    edad_meses: list[int] | None = None
    menor_que: float | None = None


class Definition(Strict):
    indicator: str | None = None
    kind: str | None = None
    edad_meses: int | list[int] | None = None  # cohorte: the age turned; mes, medicion: [from, to]
    codigos: list[str] | None = None
    requisitos: list[Requirement] | None = None
    valor_valido: list[float] | None = None
    menor_que: float | None = None
    umbrales: list[Threshold] | None = None
    ajuste: str | None = None
    excluir: list[Exclusion] | None = None
    denominador: str | None = None
    fuente: str | None = None
    no_verificado: str | None = None


class RecordsFile(Strict):
    program: str | None = None
    adjustments: dict[str, Adjustment] | None = None
    definitions: list[Definition] | None = None


class HisReading(Strict):
    prefijos_actividad_grupal: list[str] | None = None
    altitud_distrito: str | None = None
    tipo_documento_padron: dict[str, str] | None = None


class HisSettingsFile(Strict):
    """``registros/his_minsa.yaml``: how HIS-MINSA exports are read (not a definitions file)."""

    his: HisReading
