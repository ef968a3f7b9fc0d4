"""MEF budget execution: the open-data CSV "Presupuesto y ejecución de gasto" (any of its layouts, streamed by
DuckDB) or a Consulta Amigable XLSX. Reading and layouts live in :mod:`etl.mef`; this module checks the staged
rows and writes them, summed, at the grain the warehouse keeps (year, month, program, product, department of
the meta, province of the executing unit, executing unit).

A file replaces the (year, program) pairs it holds: MEF republishes each year whole, so the newest file of a
year is the year. Annual amounts (Consulta Amigable, ``PIM_2024`` columns, the "Devengado Mensual" file's
``MONTO_*_ANUAL``) are year-to-date figures: they are stored at the cut-off month (``--mes-corte``, the month of
a multi-year table's last year), which may be left out only for years already closed (month 12).

Monthly movements may be negative (reversals) and are stored as published, so that the warehouse sums are the
file's; a year-to-date total that ends below zero is listed as a suspect value, never dropped.
"""

from __future__ import annotations

import datetime as dt

from warehouse.db import scalar
from warehouse.marts import refresh_budget
from warehouse.sources import table

from .. import checks as ck
from ..csvfile import Staged
from ..excel import is_excel
from ..mef import (
    DEVENGADO_TOTAL,
    MEASURES,
    MefCsv,
    MefLayout,
    non_negative_measures,
    stage_consulta_amigable,
)
from ..problems import LoadError, Problem
from ..replace import Grain
from .base import LoadContext, Loader, pad_codes
from .budget_checks import EXTERIOR, budget_checks, negative_totals
from .places import place_split_departments

GRAIN = Grain(
    table("budget"),
    keys=(
        "year",
        "month",
        "program_code",
        "product_code",
        "department_code",
        "ejecutora_province",
        "sec_ejec",
    ),
    # MEF republishes each year whole: a file that covers a (year, program) is that year of that program.
    scope=(("year", "year"), ("program_code", "program_code")),
    describe=(
        ("productos", "product_code"),
        ("unidades ejecutoras", "sec_ejec"),
        ("departamentos", "department_code"),
        ("meses", "year * 100 + month"),
        ("años", "year"),
    ),
    refresh=lambda con, t: refresh_budget(
        con, [y for (y,) in con.execute(f"select distinct year from {t}").fetchall()]
    ),
)


class BudgetLoader(Loader):
    source = "budget"
    description = "ejecución presupuestal MEF (datos abiertos CSV o Consulta Amigable XLSX)"
    raw_table = GRAIN.table
    grain = GRAIN

    def stage(self, ctx: LoadContext) -> Staged:
        self.non_negative = non_negative_measures(ctx.catalogue.mef)
        program = ctx.options.get("program")
        if program is not None:
            program = str(program).strip().zfill(4)
            if program not in ctx.catalogue.programs:
                known = ", ".join(sorted(ctx.catalogue.programs))
                raise LoadError(
                    [Problem(ctx.label, f"--programa {program} no está en el catálogo (programas: {known})")]
                )
        programs = sorted(ctx.catalogue.programs)
        self.csv: MefCsv | None = None
        if is_excel(ctx.path):
            staged, self.mef_layout = stage_consulta_amigable(
                ctx.con, ctx.path, program, programs, sheet=ctx.options.get("sheet")
            )
        else:
            self.csv = MefCsv(ctx.path, program, programs)
            staged = self.csv.stage(ctx.con)
            self.mef_layout = self.csv.layout
        self.cutoff: int | None = ctx.options.get("cutoff_month")
        self._check_closed_years(ctx, staged)
        if self.mef_layout.kind in ("anual", "multianual") and self.cutoff is None:
            staged.warnings.append(
                f"{ctx.label}: montos anuales sin --mes-corte: se toman como cierre de año (diciembre); "
                "si el archivo se descargó antes del cierre, indique el mes con --mes-corte"
            )
        return staged

    def _check_closed_years(self, ctx: LoadContext, staged: Staged) -> None:
        """Year columns (PIM_2025…) of the running year need the cut-off month: refuse before reading rows."""
        if self.mef_layout.kind != "multianual" or self.cutoff is not None:
            return
        open_years = [y for y in self.mef_layout.years if y >= dt.date.today().year]
        if open_years:
            raise LoadError(
                [
                    Problem(
                        ctx.label,
                        f"montos anuales de {open_years[0]}, año aún abierto: indique el mes al que "
                        "corresponden con --mes-corte",
                        row=staged.header_row,
                        sheet=staged.sheet,
                    )
                ]
            )

    def prepare(self, ctx: LoadContext, staged: Staged) -> None:
        pad_codes(ctx, staged, "programa", 4, "códigos de programa")
        if self.mef_layout.has("departamento") or self.mef_layout.has("departamento_texto"):
            pad_codes(ctx, staged, "departamento", 2, "códigos de departamento")
        self.amounts = [a.column for a in self.mef_layout.amounts]
        self.dc = {c: ck.decimal_comma(ctx.con, staged.table, c) for c in self.amounts}
        self.monthly = {a.month: a.column for a in self.mef_layout.amounts if a.month is not None}
        place_split_departments(ctx, staged)
        self._mark_repeated(ctx, staged)

    def _mark_repeated(self, ctx: LoadContext, staged: Staged) -> None:
        """Lines repeated whole (every column) in an open-data CSV: each after the first is a problem, unless the
        user says the source repeats movements on purpose (--suma-repetidas), when they are summed and counted."""
        con, t = ctx.con, staged.table
        self.repeated = 0
        if self.csv is None:
            return
        con.execute(
            f"create or replace temp table _repeated as select _row from (select _row, row_number() over "
            f"(partition by _line_hash order by _row desc) as k from {t}) where k > 1"
        )  # provisional keys run −1, −2… in file order: the first line of a group has the largest
        self.repeated = scalar(con, "select count(*) from _repeated")
        if self.repeated and ctx.options.get("sum_repeated"):
            ctx.warnings.append(
                f"{ctx.label}: {self.repeated:,} líneas repetidas idénticas se suman (--suma-repetidas)"
            )

    def checks(self, ctx: LoadContext, staged: Staged) -> list[ck.Check]:
        return budget_checks(self, ctx, staged)

    def locate(self, ctx: LoadContext, staged: Staged) -> None:
        """The CSV's staged rows carry provisional keys: put real line numbers in when a problem names one."""
        con = ctx.con
        if self.csv is None or not scalar(con, "select count(*) from problems where _row < 0"):
            return
        con.execute(f"alter table {staged.table} add column _provisional bigint")
        con.execute(f"update {staged.table} set _provisional = _row")
        self.csv.number_lines(con, staged.table)
        con.execute(
            f"update problems as p set _row = s._row from {staged.table} as s where p._row = s._provisional"
        )

    def rejected_keys(self, ctx: LoadContext) -> str | None:
        if self.mef_layout.kind != "mensual":  # other layouts spread a row over months or years
            return None
        return (
            "select try_cast(trim(ano) as integer) as year, try_cast(trim(mes) as integer) as month, "
            "programa as program_code, producto as product_code, "
            f"nullif(departamento, '{EXTERIOR}') as department_code, provincia as ejecutora_province, "
            "ejecutora as sec_ejec from rejected"
        )

    def write(self, ctx: LoadContext, staged: Staged, batch_id: int) -> str:
        con = self.con = ctx.con
        if self.mef_layout.kind == "anual" and self.cutoff:
            years = [
                y
                for (y,) in con.execute(
                    "select distinct cast(trim(ano) as integer) from valid order by 1"
                ).fetchall()
            ]
            self.last_year = years[-1]
            if len(years) > 1:
                ctx.warnings.append(
                    f"{ctx.label}: --mes-corte {self.cutoff} se aplica a {self.last_year}, el último año del archivo; "
                    f"{', '.join(map(str, years[:-1]))} se toman al cierre del año (diciembre)"
                )
        if self.mef_layout.kind == "devengado_mensual":
            self.last_month = self.cutoff or self._last_month(self.monthly)
            if self.cutoff is None:
                ctx.warnings.append(
                    f"{ctx.label}: sin --mes-corte: los montos del año (PIA, PIM, certificado, compromiso, "
                    f"girado) se toman al mes {self.last_month:02d}, el último con devengado; si el archivo es "
                    "de otro mes, indíquelo con --mes-corte"
                )
        con.execute(f"create or replace temp table budget_lines as {self._lines_sql()}")
        con.execute(
            """
            create or replace temp table budget_rows as
            select year, month, program_code, product_code, max(product_name) as product_name,
                   nullif(department_code, ?) as department_code, ejecutora_province, sec_ejec,
                   max(ejecutora_name) as ejecutora_name, sum(pia) as pia, sum(pim) as pim, sum(certificado) as certificado,
                   sum(comprometido_anual) as comprometido_anual, sum(comprometido) as comprometido,
                   sum(devengado) as devengado, sum(girado) as girado, count(distinct _row) as source_rows
            from budget_lines
            group by year, month, program_code, product_code, department_code, ejecutora_province, sec_ejec
            """,
            [EXTERIOR],
        )
        scope = con.execute(
            "select year, program_code, max(month) from budget_rows group by all order by all"
        ).fetchall()
        self.replace_rows(ctx, "budget_rows", batch_id)
        con.execute(
            "insert into raw_budget select ?, year, month, program_code, product_code, product_name, "
            "department_code, ejecutora_province, pia, pim, certificado, comprometido_anual, comprometido, "
            "devengado, girado, source_rows, sec_ejec, ejecutora_name from budget_rows order by all",
            [batch_id],
        )
        ctx.warnings += negative_totals(con, self.non_negative, ctx.label)
        years = sorted({y for y, _, _ in scope})
        refresh_budget(con, years)
        parts = [f"{y} programa {p} (hasta el mes {m:02d})" for y, p, m in scope]
        return "; ".join(parts)

    def _last_month(self, monthly: dict[int, str]) -> int:
        """Without --mes-corte, the last month with any devengado: later columns are the year still to come."""
        with_amounts = [
            m
            for m, c in sorted(monthly.items())
            if scalar(
                self.con, f"select coalesce(bool_or(parse_num({c}, {self.dc[c]}) <> 0), false) from valid"
            )
        ]
        return with_amounts[-1] if with_amounts else min(monthly)

    def _lines_sql(self) -> str:
        """One row per staged row and month (and year, for year columns), amounts parsed, at most one of each
        measure per row."""
        layout: MefLayout = self.mef_layout
        keys = (
            "programa as program_code, producto as product_code, producto_nombre as product_name, "
            "departamento as department_code, provincia as ejecutora_province, ejecutora as sec_ejec, "
            "ejecutora_nombre as ejecutora_name, _row"
        )

        def amounts(columns: dict[str, str]) -> str:
            return ", ".join(
                f"parse_num({columns[m]}, {self.dc[columns[m]]}) as {m}"
                if m in columns
                else f"null::double as {m}"
                for m in MEASURES
            )

        if layout.kind == "mensual":
            plain = {a.measure: a.column for a in layout.amounts}
            return (
                f"select cast(trim(ano) as integer) as year, cast(trim(mes) as integer) as month, {keys}, "
                f"{amounts(plain)} from valid"
            )
        if layout.kind == "anual":
            # --mes-corte is the month of the file's last year (the open one); earlier years are closed.
            plain = {a.measure: a.column for a in layout.amounts}
            month_sql = (
                f"case when year = {self.last_year} then {self.cutoff} else 12 end" if self.cutoff else "12"
            )
            return (
                f"select year, {month_sql} as month, * exclude (year) from (select cast(trim(ano) as integer) as year, "
                f"{keys}, {amounts(plain)} from valid)"
            )
        if layout.kind == "devengado_mensual":
            # Each month adds its devengado; the other amounts are the year to date at the cut-off month.
            annual = {
                a.measure: a.column for a in layout.amounts if a.month is None and a.column != DEVENGADO_TOTAL
            }
            last = self.last_month
            parts = []
            for month in range(1, last + 1):
                columns = (annual if month == last else {}) | (
                    {"devengado": self.monthly[month]} if month in self.monthly else {}
                )
                parts.append(
                    f"select cast(trim(ano) as integer) as year, {month} as month, {keys}, {amounts(columns)} "
                    "from valid"
                )
            return "\nunion all\n".join(parts)
        # multianual: one year of columns at a time; closed years at December, the last at the cut-off.
        parts = []
        for year in layout.years:
            columns = {a.measure: a.column for a in layout.amounts if a.year == year}
            month = self.cutoff if (self.cutoff and year == layout.years[-1]) else 12
            parts.append(f"select {year} as year, {month} as month, {keys}, {amounts(columns)} from valid")
        return "\nunion all\n".join(parts)
