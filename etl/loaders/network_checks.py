"""The health network file's row checks (:class:`etl.loaders.network.NetworkLoader`): RENIPRESS codes, DISA,
Red and MicroRed codes and names (one name per code), and the facility's district."""

from __future__ import annotations

from .. import checks as ck

NO_UNIT = "00"  # Codigo_Red / Codigo_MicroRed of a facility that belongs to no Red / MicroRed

CHECKS: tuple[ck.Check, ...] = (
    ck.required("codigo_unico"),
    ck.Check(
        "codigo_unico",
        f"{ck.filled('codigo_unico')} and coalesce(_ipress, 0) = 0",
        ck.lit("el código RENIPRESS (Codigo_Unico) debe ser un número de hasta 9 dígitos"),
    ),
    ck.Check(
        "codigo_unico",
        "_ipress is not null and _ipress_row < _row",
        "'código RENIPRESS repetido en el archivo (primera aparición en la fila ' || _ipress_row || ')'",
    ),
    ck.required("codigo_disa"),
    ck.Check(
        "codigo_disa",
        f"{ck.filled('codigo_disa')} and not regexp_full_match(codigo_disa, '0*[1-9]\\d?')",
        ck.lit("el código de DISA/DIRESA debe ser un número de 1 a 99"),
    ),
    ck.required("disa"),
    *(
        check
        for code, name, what in (
            ("codigo_red", "red", "Red"),
            ("codigo_microred", "microred", "MicroRed"),
        )
        for check in (
            ck.required(code),
            ck.Check(
                code,
                f"{ck.filled(code)} and not regexp_full_match({code}, '[0-9A-Za-z]{{2}}')",
                ck.lit(f"el código de {what} debe tener 2 caracteres (00 = ninguna)"),
            ),
            ck.Check(
                name,
                f"{ck.blank(name)} and coalesce({code}, '') <> '{NO_UNIT}'",
                ck.lit(f"nombre de {what} vacío"),
            ),
        )
    ),
    # A composite code names one Red / MicroRed: a file that names it twice must name it alike.
    *(
        ck.Check(
            name,
            f"{ck.filled(name)} and {name} is distinct from _{name}_first",
            f"'el código ' || _{name}_key || ' se llama ' || coalesce(_{name}_first, '') || "
            f"' en la fila ' || _{name}_row",
        )
        for name in ("red", "microred")
    ),
    ck.Check(
        "ubigeo",
        "ubigeo is null or trim(ubigeo) = ''",
        ck.lit(
            "sin ubigeo del establecimiento (ni en el archivo ni en el registro de establecimientos cargado)"
        ),
    ),
    ck.known("ubigeo", "core_district", "ubigeo", "ubigeo (cargue antes la tabla de ubigeos)"),
)
