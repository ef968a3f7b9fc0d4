"""The MEF's headers as publishers write them: the measures, months and dimensions each layout names, and
how an amount's header reads (measure, and its year or month)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..columns import normalize

MEASURES = ("pia", "pim", "certificado", "comprometido_anual", "comprometido", "devengado", "girado")
MONTHS = {
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
}  # fmt: skip
NO_PRODUCT = ("0000000", "(sin desglose por producto)")
DEVENGADO_TOTAL = "devengado_anual"  # stage column: the year's devengado beside the monthly columns
HEADER_SEARCH_ROWS = 30

# Normalised header → measure; MEF writes "MONTO_" before the open-data names, Consulta Amigable its own words.
_MEASURE_NAMES = {
    "pia": "pia", "pim": "pim", "certificado": "certificado", "certificacion": "certificado",
    "comprometido_anual": "comprometido_anual", "compromiso_anual": "comprometido_anual",
    "comprometido": "comprometido", "compromiso_mensual": "comprometido",
    "atencion_de_compromiso_mensual": "comprometido", "devengado": "devengado", "girado": "girado",
}  # fmt: skip
_AMOUNT = re.compile(
    r"(?:monto_)?(?P<measure>" + "|".join(sorted(_MEASURE_NAMES, key=len, reverse=True)) + r")"
    r"(?:_(?P<suffix>\d{4}|[a-z]+))?"
)
# Stage column → the normalised headers it is read from, in order of preference.
DIMENSIONS = {
    "ano": ("ano_eje", "ano", "anio", "year", "ejercicio"),
    "mes": ("mes_eje", "mes", "month"),
    # Consulta Amigable's "Categoría Presupuestal" cells are '0001: PROGRAMA ARTICULADO NUTRICIONAL'.
    "programa": (
        "programa_ppto",
        "programa_presupuestal",
        "programa",
        "cod_programa",
        "categoria_presupuestal",
    ),
    "producto": ("producto_proyecto", "producto", "cod_producto", "producto_actividad_proyecto"),
    "producto_nombre": ("producto_proyecto_nombre", "producto_nombre"),
    "departamento": ("departamento_meta", "ubi_dpto"),
    # Consulta Amigable: '01: AMAZONAS', or a bare name next to UBI_DPTO
    "departamento_texto": ("departamento",),
    "departamento_ejecutora": ("departamento_ejecutora",),
    "provincia_ejecutora": ("provincia_ejecutora",),
    "provincia": ("provincia",),
    # Processed Consulta Amigable exports split the codes into their own columns: these win over the names.
    "provincia_codigo": ("ubi_prov",),
    "distrito_codigo": ("ubi_dist",),
    "ejecutora_codigo": ("cod_siaf",),
    # The executing unit: SEC_EJEC in the open data; Consulta Amigable's '010101-300001: MUNICIPALIDAD …' cells
    # (ubigeo-SEC_EJEC: NAME). The open data's EJECUTORA is a number within the pliego, not a unit code.
    "ejecutora": ("sec_ejec", "unidad_ejecutora", "municipalidad"),
    "ejecutora_nombre": ("ejecutora_nombre",),
}
# Processed exports' code columns: stage column → the form a code must have, and what it is.
CODE_COLUMNS = {
    "provincia_codigo": (r"\d{1,4}", "código de provincia (UBI_PROV: 4 dígitos, o 2 dentro de UBI_DPTO)"),
    "distrito_codigo": (r"\d{5,6}", "ubigeo del distrito (UBI_DIST: 6 dígitos)"),
    "ejecutora_codigo": (r"\d{1,6}", "código de la unidad ejecutora (COD_SIAF: SEC_EJEC, hasta 6 dígitos)"),
}
# Columns of the open-data file and of Consulta Amigable that the warehouse does not use: ignored without a word.
# fmt: off
_UNUSED = (
    "NIVEL_GOBIERNO", "NIVEL_GOBIERNO_NOMBRE", "SECTOR", "SECTOR_NOMBRE", "PLIEGO", "PLIEGO_NOMBRE",
    "EJECUTORA", "DEPARTAMENTO_EJECUTORA_NOMBRE", "PROVINCIA_EJECUTORA_NOMBRE",
    "DISTRITO_EJECUTORA", "DISTRITO_EJECUTORA_NOMBRE", "SEC_FUNC", "PROGRAMA_PPTO_NOMBRE", "TIPO_ACT_PROY",
    "TIPO_ACT_PROY_NOMBRE", "ACTIVIDAD_ACCION_OBRA", "ACTIVIDAD_ACCION_OBRA_NOMBRE", "FUNCION", "FUNCION_NOMBRE",
    "DIVISION_FUNCIONAL", "DIVISION_FUNCIONAL_NOMBRE", "GRUPO_FUNCIONAL", "GRUPO_FUNCIONAL_NOMBRE", "META",
    "FINALIDAD", "META_NOMBRE", "DEPARTAMENTO_META_NOMBRE", "FUENTE_FINANCIAMIENTO", "FUENTE_FINANCIAMIENTO_NOMBRE",
    "RUBRO", "RUBRO_NOMBRE", "TIPO_RECURSO", "TIPO_RECURSO_NOMBRE", "CATEGORIA_GASTO", "CATEGORIA_GASTO_NOMBRE",
    "TIPO_TRANSACCION", "TIPO_TRANSACCION_NOMBRE", "GENERICA", "GENERICA_NOMBRE", "SUBGENERICA", "SUBGENERICA_NOMBRE", "SUBGENERICA_DET",
    "SUBGENERICA_DET_NOMBRE", "ESPECIFICA", "ESPECIFICA_NOMBRE", "ESPECIFICA_DET", "ESPECIFICA_DET_NOMBRE",
    "Distrito", "Avance %", "Nivel de Gobierno", "Sector", "Pliego", "Ejecutora", "Función", "Genérica", "Fuente de Financiamiento",
)
# fmt: on
KNOWN = {normalize(h) for h in _UNUSED}
PROGRAM_CODE = r"\d{1,4}"


@dataclass(frozen=True, slots=True)
class Amount:
    """A column of amounts: which measure, and for which year or month when the header says so."""

    measure: str
    column: str  # stage column
    year: int | None = None  # multianual layout
    month: int | None = None  # devengado_mensual layout


def amount_of(normalized: str) -> Amount | None:
    m = _AMOUNT.fullmatch(normalized)
    if not m:
        return None
    measure, suffix = _MEASURE_NAMES[m["measure"]], m["suffix"]
    if suffix is None:
        return Amount(measure, measure)
    if suffix.isdigit():
        return Amount(measure, f"{measure}_{suffix}", year=int(suffix))
    if suffix == "anual":  # the "Devengado Mensual" file: MONTO_CERTIFICADO_ANUAL… are the year to date
        return Amount(measure, measure)
    if suffix in MONTHS and measure == "devengado":
        return Amount(measure, f"devengado_m{MONTHS[suffix]:02d}", month=MONTHS[suffix])
    return None
