"""The documented layout of nominal records, and the columns that must never be read."""

from __future__ import annotations

from ..columns import Column, Layout, normalize

LAYOUT = Layout(
    (
        Column("fecha_atencion", ("fecha", "fecha_de_atencion", "fec_atencion", "date")),
        Column("cod_ipress", ("codigo_ipress", "renipress", "cod_renipress", "cod_eess", "ipress")),
        Column("ubigeo", ("cod_ubigeo", "ubigeo_eess", "ubigeo_establecimiento")),
        Column("id_nino", ("id_nino_seudonimo", "id_paciente", "id_persona", "child_id")),
        Column("fecha_nacimiento", ("fec_nacimiento", "fecha_nac", "birth_date")),
        Column("sexo", ("genero", "sex"), required=False),
        Column("codigo", ("codigo_item", "cod_item", "codigo_actividad", "procedimiento", "code")),
        Column("valor", ("valor_lab", "resultado", "value"), required=False),
        Column("altitud", ("altitud_m", "altura", "altitude"), required=False),
        # HIS items also carry their LAB value and type of diagnosis (D/P/R), which official definitions read.
        Column("lab", ("lab_valor",), required=False),
        Column("tipo_diagnostico", ("tipo_dx",), required=False),
        # The attention (HIS Id_Cita): a definition may refuse an item whose attention also carries a code. Without
        # it, an attention is the child's day at one facility.
        Column("cita", ("id_cita",), required=False),
        # Set by the HIS reader when a row cannot be resolved (patient or facility not in its master).
        Column("problema", (), required=False),
    )
)
COLUMNS = tuple(c.name for c in LAYOUT.columns)

# Headers that carry names, document numbers or contact data: a file with any of them is refused whole, so
# that personal data never enters a stage table (the operator removes them or exports the pseudonymised view).
PERSONAL = frozenset(
    normalize(h)
    for h in (
        "nombre", "nombres", "apellido", "apellidos", "apellido_paterno", "apellido_materno", "ape_pat", "ape_mat",
        "nombre_madre", "nombre_completo", "dni", "dni_madre", "num_doc", "numero_documento", "nro_documento",
        "documento", "nro_doc", "cnv", "numero_cnv", "cui", "historia_clinica", "num_hc", "direccion",
        "domicilio", "telefono", "celular", "correo", "email",
    )
)  # fmt: skip


def personal_columns(headers: list[str]) -> list[str]:
    return [h for h in headers if normalize(h) in PERSONAL]
