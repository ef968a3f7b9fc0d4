"""The budget loader's checks (:class:`etl.loaders.budget.BudgetLoader`): its row checks, one list per file layout,
and after writing, the year-to-date totals that went negative (listed, never dropped)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

from .. import checks as ck
from ..csvfile import Staged
from ..mef import CODE_COLUMNS, DEVENGADO_TOTAL
from .base import LoadContext

if TYPE_CHECKING:
    from .budget import BudgetLoader

EXTERIOR = "98"  # Consulta Amigable's department "Exterior": counted in the national total only


def budget_checks(loader: BudgetLoader, ctx: LoadContext, staged: Staged) -> list[ck.Check]:
    """The budget file's row checks, by layout: codes, year and month, departments, amounts, repeated lines,
    the devengado within the PIM and, for the monthly devengado file, its months against their total."""
    found: list[ck.Check] = [
        ck.Check(
            "programa",
            "not regexp_full_match(coalesce(trim(programa), ''), '\\d{4}')",
            ck.lit("código de programa presupuestal vacío o mal formado (4 dígitos, p. ej. 0001)"),
        )
    ]
    if loader.mef_layout.kind != "multianual":
        found += [ck.required("ano"), *ck.year("ano")]
    if loader.mef_layout.kind == "anual" and loader.cutoff is None:
        found.append(
            ck.Check(
                "ano",
                "try_cast(trim(ano) as integer) >= year(current_date)",
                ck.lit("montos anuales del año en curso: indique el mes al que corresponden con --mes-corte"),
            )
        )
    if loader.mef_layout.kind == "mensual":
        found += [
            ck.required("mes"),
            ck.Check(
                "mes",
                "nullif(trim(mes), '') is not null and coalesce(try_cast(trim(mes) as integer) "
                "not between 1 and 12, true)",
                ck.lit("mes fuera del rango 1–12"),
            ),
            ck.Check(
                "mes",
                "case when try_cast(trim(mes) as integer) between 1 and 12 "
                "and try_cast(trim(ano) as integer) between 1900 and 2999 "
                "then make_date(cast(trim(ano) as integer), cast(trim(mes) as integer), 1) "
                "> date_trunc('month', current_date) else false end",
                ck.lit("mes futuro"),
                value="ano || '-' || mes",
            ),
        ]
    if "departamento" in staged.mapping:
        found += [
            ck.required("departamento"),
            ck.Check(
                "departamento",
                f"nullif(trim(departamento), '') is not null and departamento <> '{EXTERIOR}' "
                "and departamento not in (select department_code from core_department)",
                ck.lit("departamento desconocido (código de 2 dígitos del ubigeo, o 98 Exterior)"),
            ),
        ]
    for column, (form, what) in CODE_COLUMNS.items():
        if loader.mef_layout.has(column):
            found.append(
                ck.Check(
                    column,
                    f"nullif({column}, '') is not null and not regexp_full_match({column}, '{form}')",
                    ck.lit(f"{what} mal formado"),
                )
            )
    if loader.mef_layout.kind == "devengado_mensual":
        found += _monthly_checks(loader)
    # Amounts may be negative: a month's movement can reverse an earlier one. Only year-to-date totals
    # must not be, and those are checked after summing (write), never row by row.
    limit = ctx.catalogue.plausible_max.get("budget.monto")
    plain = loader.csv is not None and loader.mef_layout.kind in ("mensual", "anual")
    for a in loader.mef_layout.amounts:
        dc = loader.dc[a.column]
        found.append(ck.number(a.column, dc))
        found += ck.at_most(a.column, f"abs(parse_num({a.column}, {dc}))", limit, "budget.monto")
        if plain:  # the open data write 0 for no movement: a blank is a damaged or cut value, not 0
            found.append(
                ck.Check(a.column, ck.blank(a.column), ck.lit("monto vacío: un vacío no se toma como 0"))
            )
    if loader.repeated and not ctx.options.get("sum_repeated"):
        found.append(
            ck.Check(
                loader.amounts[0],
                "_row in (select _row from _repeated)",
                ck.lit(
                    "línea repetida, idéntica en todas sus columnas a una anterior: no se suma dos veces "
                    "(si la fuente repite movimientos a propósito, cargue con --suma-repetidas)"
                ),
            )
        )
    found += _devengado_within_pim(loader)
    return found


def _monthly_checks(loader: BudgetLoader) -> list[ck.Check]:
    """The "Devengado Mensual" file: the year's devengado is the sum of its months, and no month after the
    cut-off (--mes-corte) has any."""
    month_sum = " + ".join(
        f"coalesce(try_cast(parse_num({c}, {loader.dc[c]}) as decimal(38, 2)), 0)"
        for c in loader.monthly.values()
    )
    found = []
    if loader.mef_layout.has(DEVENGADO_TOTAL):
        total = f"try_cast(parse_num({DEVENGADO_TOTAL}, {loader.dc[DEVENGADO_TOTAL]}) as decimal(38, 2))"
        found.append(
            ck.Check(
                DEVENGADO_TOTAL,
                f"abs({total} - ({month_sum})) > 0.01",
                f"'no es la suma del devengado de los meses (' || ({month_sum}) || ')'",
            )
        )
    if loader.cutoff is not None:
        for month, c in loader.monthly.items():
            if month > loader.cutoff:
                found.append(
                    ck.Check(
                        c,
                        f"coalesce(parse_num({c}, {loader.dc[c]}), 0) <> 0",
                        ck.lit(
                            f"devengado en un mes posterior al mes de corte (--mes-corte {loader.cutoff})"
                        ),
                    )
                )
    return found


def _devengado_within_pim(loader: BudgetLoader) -> list[ck.Check]:
    """The devengado of a budget line, summed over the file's months, cannot exceed its PIM."""
    by = {a.measure: a.column for a in loader.mef_layout.amounts if a.month is None and a.year is None}
    if loader.mef_layout.kind not in ("mensual", "anual") or not {"pim", "devengado"} <= by.keys():
        return []
    dev, pim = (f"parse_num({by[m]}, {loader.dc[by[m]]})" for m in ("devengado", "pim"))
    line = "partition by ano, programa, producto, departamento, provincia, ejecutora"
    total_dev, total_pim = f"sum({dev}) over ({line})", f"sum({pim}) over ({line})"
    # A line with an unreadable amount is not judged: that row's own problem says why, and the line's sums
    # without it would blame its other rows.
    readable = f"bool_and({dev} is not null and {pim} is not null) over ({line})"
    return [
        ck.Check(
            by["devengado"],
            f"{total_dev} > {total_pim} + 0.005 and {readable}",
            f"'el devengado de su línea presupuestal (año, programa, producto, departamento, unidad ejecutora), "
            f"' || {total_dev} || ', supera su PIM, ' || {total_pim}",
        )
    ]


def negative_totals(
    con: duckdb.DuckDBPyConnection, non_negative: tuple[str, ...], label: str, shown: int = 20
) -> list[str]:
    """Year-to-date totals below zero per year × program × product × department (reversals larger than what
    was executed before them): suspect values, loaded as they are and listed, never dropped."""
    if not non_negative:
        return []
    movements = "\nunion all\n".join(
        f"select year, month, program_code, product_code, department_code, '{m}' as measure, {m} as amount "
        "from budget_rows"
        for m in non_negative
    )
    found = con.execute(
        f"""
        with movements as ({movements}),
        monthly as (
            select year, month, program_code, product_code, department_code, measure, sum(amount) as amount
            from movements
            where amount is not null
            group by all
        ),
        to_date as (
            select *, sum(amount) over (
                partition by year, program_code, product_code, department_code, measure order by month
            ) as total
            from monthly
        )
        select year, program_code, product_code, coalesce(department_code, 'sin departamento'), measure,
               min(month), arg_min(total, total), count(*)
        from to_date
        where total < -0.005
        group by all
        order by all
        """
    ).fetchall()
    lines = [
        f"{label}: valor sospechoso: {measure} acumulado negativo en {year} (programa {program}, producto "
        f"{product}, departamento {dept}) desde el mes {first:02d}: {lowest:,.2f} en {months} mes(es); "
        "se carga tal como viene en el archivo (las reversiones superan lo ejecutado antes)"
        for year, program, product, dept, measure, first, lowest, months in found[:shown]
    ]
    if len(found) > shown:
        lines.append(f"{label}: … y {len(found) - shown} totales acumulados negativos más")
    return lines
