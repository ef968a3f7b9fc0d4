"""The Resumen page's panel of money against results: spending per child against the final result, per region, in
the latest year with budget, population and a survey estimate."""

from __future__ import annotations

from dash import dcc, html

from .. import figures, theme
from ..data import Warehouse
from ..i18n import chart_source, t
from ..state import Filters
from ..views.charts import budget_year


def budget_section(wh: Warehouse, f: Filters) -> list:
    title = html.H2(t("budget_vs_results", f.lang), className="section-title")
    cat = wh.snapshot.catalogue
    program = cat.programs.get(f.program)
    if program is None or program.beneficiaries is None:
        return [title, html.P(t("budget_vs_results_no_population", f.lang), className="hint")]
    age_group, who_text = program.beneficiaries
    who = who_text.get(f.lang)
    found = budget_year(wh, f, age_group)
    if found is None:
        return [title, html.P(t("budget_vs_results_none", f.lang), className="hint")]
    year, df = found
    codes = df.result_indicator.dropna()
    result = cat.indicators.get(codes.iloc[0]) if len(codes) else None
    regions = wh.snapshot.regions
    abbrevs = dict(zip(regions.region_code, regions.abbrev, strict=True))
    corner = "corner_bottom_right" if result is not None and result.direction == "up" else "corner_top_right"
    return [
        title,
        html.P(
            t(
                "budget_vs_results_sub",
                f.lang,
                year=year,
                who=who,
                result=result.short.get(f.lang) if result else "",
            ),
            className="hint",
        ),
        dcc.Graph(
            id="budget-results",
            figure=figures.stamped(
                figures.budget_results(df, wh.snapshot.names, abbrevs, result, who, f.lang),
                f"{t('budget_vs_results', f.lang)} · {year}",
                chart_source(("budget", "population", "survey"), str(year), f.lang),
            ),
            config=theme.graph_config(f.lang, png="presupuesto_y_resultados"),
        ),
        html.P(t("budget_vs_results_hint", f.lang, corner=t(corner, f.lang), who=who), className="hint"),
    ]
