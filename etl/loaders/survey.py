"""ENDES estimates per region and year: a tidy CSV/XLSX, or INEI's wide "A" tables (see :mod:`etl.inei`).

Tidy columns: ``anio``, ``region`` (code, name or ENDES label of one of the 26 regions; Total/Perú/Nacional
for the country), ``indicador`` (a survey indicator of the catalogue), ``valor``, and optionally ``ic_inf``,
``ic_sup``, ``cv``, ``n``; English names accepted. A value in parentheses, ``(15.2)``, is INEI's referential
estimate; ``-`` or an empty value means no estimate (stored as NULL: "Sin datos"). A file replaces the
(indicator, year) pairs it holds.
"""

from __future__ import annotations

from warehouse.marts import refresh_survey
from warehouse.sources import table

from .. import checks as ck
from ..columns import Column, Layout
from ..csvfile import Staged, stage_csv
from ..excel import find_header, is_excel, stage_excel
from ..inei import FORMAT, read_sheets
from ..inei_stage import stage_cuadros
from ..problems import LoadError, Problem
from ..regions import RegionLabels
from ..replace import Grain
from .base import LoadContext, Loader

LAYOUT = Layout(
    (
        Column("anio", ("ano", "year")),
        Column(
            "region",
            (
                "region_code",
                "cod_region",
                "territorio",
                "territory",
                "ambito",
                "ambito_geografico",
                "departamento",
            ),
        ),
        Column("indicador", ("indicator", "cod_indicador", "indicator_code", "codigo_indicador")),
        Column("valor", ("value", "estimacion", "estimate", "porcentaje")),
        Column("ic_inf", ("ci_low", "lower", "ci_lower", "limite_inferior", "ic_inferior"), required=False),
        Column("ic_sup", ("ci_high", "upper", "ci_upper", "limite_superior", "ic_superior"), required=False),
        Column("cv", ("coef_var", "coeficiente_de_variacion"), required=False),
        Column("n", ("casos", "n_casos", "casos_sin_ponderar", "sample_size"), required=False),
    )
)

# INEI's ways of printing "no estimate".
NO_ESTIMATE = r"(?i)[-–—]+|\.\.+|…|n\.?\s*d\.?"
UNKNOWN_REGION = (
    "región desconocida (use el código, el nombre o la etiqueta ENDES de una de las 26 regiones, con "
    "Lima Metropolitana y Lima Región por separado, o Total/Perú/Nacional para el país)"
)
PCT = "indicador in (select indicator_code from core_indicator where unit = 'pct')"


GRAIN = Grain(
    table("survey"),
    keys=("indicator_code", "year", "region_code"),
    scope=(("indicator_code", "indicator_code"), ("year", "year")),
    describe=(("regiones", "region_code"), ("indicadores", "indicator_code"), ("años", "year")),
    refresh=lambda con, t: refresh_survey(
        con, con.execute(f"select distinct indicator_code, year from {t}").fetchall()
    ),
)


class SurveyLoader(Loader):
    source = "survey"
    description = "estimaciones ENDES por región y año (tabla ordenada o cuadro INEI)"
    layout = LAYOUT
    raw_table = GRAIN.table
    grain = GRAIN

    def stage(self, ctx: LoadContext) -> Staged:
        if not is_excel(ctx.path):
            return stage_csv(ctx.con, ctx.path, LAYOUT)
        sheet = ctx.options.get("sheet")
        sheets = read_sheets(ctx.path, sheet)
        if find_header(sheets[0][1], LAYOUT) is not None:
            return stage_excel(ctx.con, ctx.path, LAYOUT, sheet=sheets[0][0])
        return stage_cuadros(ctx.con, ctx.path, sheets, ctx.catalogue, self._indicator_option(ctx))

    def _indicator_option(self, ctx: LoadContext) -> str | None:
        code = (ctx.options.get("indicator") or "").strip().upper() or None
        survey = [i.code for i in ctx.catalogue.indicators_for(feed="survey")]
        if code and code not in survey:
            raise LoadError(
                [
                    Problem(
                        ctx.label,
                        f"--indicador {code}: no es un indicador de encuesta del catálogo "
                        f"(use uno de: {', '.join(survey)})",
                    )
                ]
            )
        return code

    def prepare(self, ctx: LoadContext, staged: Staged) -> None:
        con, t = ctx.con, staged.table
        self.cuadro = staged.format.get("format") == FORMAT
        con.execute(f"update {t} set indicador = upper(trim(indicador))")
        # Region labels are matched in Python (footnote marks, accents, ENDES spellings), once per label.
        regions = RegionLabels.from_warehouse(con)
        labels = [
            r[0] for r in con.execute(f"select distinct region from {t} where region is not null").fetchall()
        ]
        con.execute("create or replace temp table region_map (region varchar, region_code varchar)")
        if labels:
            con.executemany("insert into region_map values (?, ?)", [(x, regions.code(x)) for x in labels])
        con.execute(f"alter table {t} add column region_code varchar")
        con.execute(
            f"update {t} set region_code = m.region_code from region_map as m where {t}.region = m.region"
        )
        # valor as written stays for the problem list; estimate is the number's text without INEI's marks.
        con.execute(f"alter table {t} add column referencial boolean")
        con.execute(f"alter table {t} add column estimate varchar")
        con.execute(
            f"update {t} set referencial = coalesce(regexp_full_match(trim(valor), '\\(.*\\)'), false), "
            "estimate = nullif(trim(regexp_replace(trim(valor), '^\\((.*)\\)$', '\\1')), '')"
        )
        con.execute(f"update {t} set estimate = null where regexp_full_match(estimate, '{NO_ESTIMATE}')")
        self.dc = {c: ck.decimal_comma(con, t, c) for c in ("estimate", "ic_inf", "ic_sup", "cv")}

    def _num(self, col: str) -> str:
        return f"parse_num({col}, {self.dc[col]})"

    def checks(self, ctx: LoadContext, staged: Staged) -> list[ck.Check]:
        value, low, high, cv = (self._num(c) for c in ("estimate", "ic_inf", "ic_sup", "cv"))
        checks = [
            ck.required("anio"),
            *ck.year("anio"),
            ck.required("region"),
            ck.Check(
                "region",
                "nullif(trim(region), '') is not null and region_code is null",
                ck.lit(UNKNOWN_REGION),
            ),
            ck.required("indicador"),
            ck.Check(
                "indicador",
                "nullif(indicador, '') is not null and indicador not in "
                "(select indicator_code from core_indicator where feed = 'survey')",
                ck.lit("indicador desconocido: no está en el catálogo como indicador de encuesta"),
            ),
            ck.Check(
                "valor",
                f"estimate is not null and not coalesce(isfinite({value}), false)",
                ck.lit("no es un número (ni «-» para «sin estimación»)"),
            ),
            ck.Check("valor", f"{value} < 0 and not {PCT}", ck.lit("valor negativo")),
            ck.Check("cv", f"{cv} < 0", ck.lit("el coeficiente de variación no puede ser negativo")),
            ck.Check(
                "ic_inf",
                f"{low} > {high}",
                ck.lit("intervalo de confianza invertido (ic_inf > ic_sup)"),
                value="ic_inf || ' > ' || ic_sup",
            ),
            ck.Check(
                "valor",
                f"{low} <= {high} and {value} not between {low} and {high}",
                ck.lit("el valor está fuera de su intervalo de confianza (ic_inf ≤ valor ≤ ic_sup)"),
                value="valor || ' fuera de [' || ic_inf || '; ' || ic_sup || ']'",
            ),
            ck.Check(
                "n",
                "nullif(trim(n), '') is not null and "
                "(not regexp_full_match(trim(n), '\\d+') or try_cast(trim(n) as integer) is null)",
                ck.lit("n (casos de la muestra) debe ser un entero no negativo"),
            ),
            ck.Check(
                "n",
                "regexp_full_match(trim(n), '0+')",
                ck.lit("n = 0: una estimación sin casos en la muestra no es una estimación"),
            ),
            self._duplicates(),
        ]
        for col, expr in (("valor", value), ("ic_inf", low), ("ic_sup", high)):
            checks.append(
                ck.Check(
                    col, f"{expr} not between 0 and 100 and {PCT}", ck.lit("porcentaje fuera del rango 0–100")
                )
            )
        checks += [ck.number(c, self.dc[c]) for c in ("ic_inf", "ic_sup", "cv")]
        return checks

    def _duplicates(self) -> ck.Check:
        key = "partition by trim(anio), region_code, indicador"
        first = (
            "'la hoja ' || _sheet || ', fila ' || _line || ', columna ' || _header_valor"
            if self.cuadro
            else "'la fila ' || _row"
        )
        return ck.Check(
            "region",
            f"region_code is not null and count(*) over ({key}) > 1",
            f"'clave duplicada en el archivo (año, región, indicador; primera aparición en ' "
            f"|| first_value({first}) over ({key} order by _row) || ')'",
        )

    def rejected_keys(self, ctx: LoadContext) -> str | None:
        return (
            "select upper(trim(indicador)) as indicator_code, try_cast(trim(anio) as integer) as year, region_code "
            "from rejected where region_code is not null"
        )

    def write(self, ctx: LoadContext, staged: Staged, batch_id: int) -> str:
        con = ctx.con
        line, sheet = (
            ("_line", "_sheet") if self.cuadro else ("_row", ck.lit(staged.sheet) if staged.sheet else "null")
        )
        num = self._num
        con.execute(f"""
            create or replace temp table survey_rows as
            select
                {line} as row_number,
                {sheet} as sheet,
                cast(trim(anio) as integer) as year,
                region_code,
                indicador as indicator_code,
                {num("estimate")} as value,
                {num("ic_inf")} as ci_low,
                {num("ic_sup")} as ci_high,
                {num("cv")} as cv,
                try_cast(nullif(trim(n), '') as integer) as n,
                referencial as printed_referential
            from valid
        """)
        pairs = con.execute("select distinct indicator_code, year from survey_rows order by all").fetchall()
        self.replace_rows(ctx, "survey_rows", batch_id)
        con.execute(
            """
            insert into raw_survey (batch_id, row_number, sheet, year, region_code, indicator_code, value,
                                    ci_low, ci_high, cv, n, printed_referential)
            select ?, * from survey_rows order by indicator_code, year, region_code
            """,
            [batch_id],
        )
        refresh_survey(con, pairs)
        years: dict[str, list[int]] = {}
        for code, year in pairs:
            years.setdefault(code, []).append(year)
        return "; ".join(f"{code} {_span(ys)}" for code, ys in years.items())


def _span(years: list[int]) -> str:
    """[2020, 2021, 2022] → '2020–2022'; [2019, 2024] → '2019, 2024'."""
    if len(years) > 1 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(map(str, years))
