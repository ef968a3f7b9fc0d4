"""The files a regional health office downloads from MINSA's HIS reports, recognised by their headers (never by
column positions): the monthly trama (40 or 48 columns), MaestroPaciente (export or database naming), the facility
and centro poblado masters. Only the columns below are ever selected; the others — names, addresses, staff — are
never read into a table."""

from __future__ import annotations

from ..columns import Column, Layout, normalize

TRAMA = Layout(
    (
        Column("id_cita"),
        Column("fecha_atencion"),
        Column("id_establecimiento"),
        Column("id_paciente"),
        Column("tipo_edad"),
        Column("codigo_item", ("codi_item",)),
        Column("tipo_diagnostico", ("tipo_dx",)),
        Column("valor_lab", ("lab",)),
        Column("hemoglobina", ("hb",)),
        Column("id_centro_poblado", required=False),
        Column("id_correlativo", ("id_correlativo_item", "id_corr_diag"), required=False),
        Column("renipress", required=False),  # newer exports (48 columns)
    )
)

PACIENTE = Layout(
    (
        Column("id_paciente"),
        Column("id_tipo_documento", ("id_tipo_documento_paciente", "id_tipo_doc_paciente")),
        Column("numero_documento", ("numero_documento_paciente", "nro_documento_paciente")),
        Column("fecha_nacimiento", ("fecha_nacimiento_paciente",)),
        Column("genero", ("id_genero", "genero_paciente"), required=False),
    )
)

ESTABLECIMIENTO = Layout(
    (
        Column("id_establecimiento"),
        Column("codigo_unico", ("renipress", "renaes")),
        Column("ubigueo_establecimiento", ("ubigeo_establecimiento",)),
    )
)

CENTRO_POBLADO = Layout(
    (
        Column("id_centro_poblado"),
        Column("id_codigo_centro_poblado", required=False),
        Column("id_ubigueo_centro_poblado", ("id_ubigeo_centro_poblado",)),
        Column("altitud_centro_poblado"),
    )
)

# The Padrón Nominal as a flat CSV with its database column names (HIS.md §6; that flat layout is an assumption).
PADRON = Layout(
    (
        Column("nu_dni_menor", ("dni", "num_dni")),
        Column("nu_cnv", ("cnv", "num_cnv")),
        Column("fe_nac_menor", ("fecha_de_nacimiento_menor", "fecha_nacimiento_nino")),
        Column("co_ubigeo_inei", ("ubigeo_distrito",)),
    )
)

# What each kind of file is called in messages, and the headers that say a file is of that kind.
KINDS: dict[str, tuple[str, frozenset[str]]] = {
    "trama": ("NominalTrama", frozenset({"id_cita", "codigo_item", "fecha_atencion", "id_paciente"})),
    "paciente": ("MaestroPaciente", frozenset({"id_paciente", "numero_documento", "fecha_nacimiento"})),
    "paciente_bd": (
        "MaestroPaciente",
        frozenset({"id_paciente", "numero_documento_paciente", "fecha_nacimiento_paciente"}),
    ),
    "establecimiento": ("MAESTRO_HIS_ESTABLECIMIENTO", frozenset({"id_establecimiento", "codigo_unico"})),
    "centro_poblado": (
        "MAESTRO_HIS_CENTRO_POBLADO",
        frozenset({"id_centro_poblado", "altitud_centro_poblado"}),
    ),
    "padron": ("Padrón Nominal", frozenset({"nu_dni_menor", "nu_cnv", "fe_nac_menor", "co_ubigeo_inei"})),
    "personal": ("MaestroPersonal", frozenset({"id_personal", "id_profesion"})),
    "registrador": ("MaestroRegistrador", frozenset({"id_registrador", "nombres_registrador"})),
}


def kind_of(headers: list[str]) -> str | None:
    """The kind of HIS file these headers belong to, or None (a code master, or not a HIS file)."""
    names = {normalize(h) for h in headers}
    for kind, (_label, needed) in KINDS.items():
        if needed <= names:
            return "paciente" if kind == "paciente_bd" else kind
    return None


def trama_variant(headers: list[str]) -> str:
    """How a trama's header is described to the operator: its width and whether it names the RENIPRESS code."""
    names = {normalize(h) for h in headers}
    width = len([h for h in headers if str(h).strip()])
    return f"{width} columnas" + (", con renipress" if "renipress" in names else ", sin renipress")


def paciente_variant(headers: list[str]) -> str:
    names = {normalize(h) for h in headers}
    return (
        "nombres de base de datos (…_Paciente)"
        if "numero_documento_paciente" in names
        else "nombres de la exportación"
    )
