"""The region page's top, "Qué está en rojo y por qué" (dashboard/views/red_list.py), and its drill-down order, on
the small fixture warehouse: the list is the region's red lights as the warehouse lit them, worst first; each
cause sentence reads its chain's figures from the warehouse (budget pace, stock counts, coverage); a chain that
contradicts itself says so; the page, its download and the drill-down's default agree."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest

from dashboard import context
from dashboard import format as fmt
from dashboard.pages import region, region_drill
from dashboard.state import parse
from dashboard.views import VIEWS, frame
from dashboard.views.drill import drill_indicator, drill_table, worst_rows
from dashboard.views.indicators import region_snapshot
from dashboard.views.red_list import gap, worst_first
from warehouse.rules import status

from .page_nodes import is_link
from .page_nodes import walk as _walk

SEARCH = "?periodo=2026-09"
MONTH = "2026-09-01"


def red(region_code: str, lang: str = "es"):
    return frame(VIEWS["region-rojo"], context.warehouse(), parse(SEARCH + f"&lang={lang}"), region_code)


@pytest.mark.parametrize("code", ["09", "10"])
def test_the_list_is_the_regions_red_lights_worst_first(app, sql, code):
    df = red(code)
    cat = context.warehouse().snapshot.catalogue
    # Every monthly indicator the warehouse lit Crítico or En riesgo this month is listed, and nothing else is.
    monthly_red = {
        c
        for (c,) in sql(
            "select indicator_code from mart_indicator_status as s join core_indicator as i using (indicator_code) "
            "where territory_code = ? and period = ? and i.periodicity = 'monthly' and i.program_code = '0001' "
            "and status in ('critico', 'en_riesgo')",
            code,
            MONTH,
        )
    }
    assert monthly_red  # the fixture has problems in these regions
    listed = set(df.indicator_code)
    assert monthly_red <= listed
    assert set(df.status) <= {"critico", "en_riesgo"}
    assert list(df.order) == list(range(1, len(df) + 1))

    def badness(r) -> tuple:  # Crítico before En riesgo; within one colour, the larger gap to target or pace
        row = {"value": r.value, "target": r.reference, "expected_pct": r.reference}
        return (status(r.status).rank, -gap(cat.indicators[r.indicator_code], row))

    # Grouped by cause: the causes in the order of their worst indicator, each cause's indicators worst first.
    assert list(df.cause_group) == sorted(df.cause_group)
    groups = [g for _n, g in df.groupby("cause_group", sort=False)]
    heads = [badness(next(g.itertuples())) for g in groups]
    assert heads == sorted(heads)
    for g in groups:
        within = [badness(r) for r in g.itertuples()]
        assert within == sorted(within)


def test_indicators_sharing_a_cause_are_listed_under_it_once(app):
    """Huancavelica's anemia and its iron inputs share one cause, the iron chain: one group, one sentence; two
    causes are never the same sentence."""
    df = red("09")
    by_code = df.set_index("indicator_code")
    iron = {"PAN_ANEMIA", "PAN_I_HIERRO_GOTAS", "PAN_I_MICROCUBETAS"} & set(df.indicator_code)
    assert len(iron) == 3
    assert len({by_code.loc[c, "cause_group"] for c in iron}) == 1
    assert by_code.loc["PAN_ANEMIA", "chain"] == "Suplemento de hierro"
    causes = df.groupby("cause_group", sort=False).cause.agg(lambda c: set(c))
    assert all(len(c) == 1 for c in causes)  # one sentence per cause
    sentences = [next(iter(c)) for c in causes]
    assert len(sentences) == len(set(sentences)) < len(df)  # fewer causes than indicators, none repeated
    # The screen says each cause once and lists every indicator under it, each with its link.
    content = region.layout(context.warehouse(), parse(SEARCH), "09")
    said = [c.children for c in _walk(content) if getattr(c, "className", None) == "red-cause"]
    assert said == sentences
    names = [c for c in _walk(content) if getattr(c, "className", None) == "red-name"]
    assert len(names) == len(df) and all(n.href for n in names)


def test_a_budget_line_says_its_pace_and_the_stock_of_its_inputs_from_the_warehouse(app, sql):
    df = red("10").set_index("indicator_code")
    assert df.loc["PAN_B_HIERRO", "status"] == "critico"
    (executed, expected), *_ = sql(
        "select value, expected_pct from mart_indicator_status where indicator_code = 'PAN_B_HIERRO' "
        "and territory_code = '10' and period = ?",
        MONTH,
    )
    (normal, facilities, out), *_ = sql(
        "select normostock, facilities, desabastecido from mart_stock_summary "
        "where indicator_code = 'PAN_I_SULFATO_JARABE' and territory_code = '10' and period = ?",
        MONTH,
    )
    sentence = df.loc["PAN_B_HIERRO", "cause"]
    assert (
        f"ejecutado al {fmt.value(executed, 'pct')} contra {fmt.value(expected, 'pct')} esperado" in sentence
    )
    assert (
        f"Sulfato ferroso en jarabe Crítico ({normal} de {facilities} EESS en normostock; desabastecidos: {out})"
        in (sentence)
    )
    english = red("10", "en").set_index("indicator_code").loc["PAN_B_HIERRO", "cause"]
    assert english.startswith("Along the chain: Iron budget executed at")
    assert f"({normal} of {facilities} facilities in normal stock; out of stock: {out})" in english


def test_a_chain_that_contradicts_itself_says_so(app, sql):
    lights = dict(
        sql(
            "select indicator_code, status from mart_indicator_status where territory_code = '09' and period = ? "
            "and indicator_code in ('PAN_I_HIERRO_GOTAS', 'PAN_P_HIERRO')",
            MONTH,
        )
    )
    assert lights == {
        "PAN_I_HIERRO_GOTAS": "critico",
        "PAN_P_HIERRO": "adecuado",
    }  # the fixture's contradiction
    df = red("09").set_index("indicator_code")
    row = df.loc["PAN_I_HIERRO_GOTAS"]
    assert bool(row.contradiction)
    assert (
        "La cadena se contradice: Hierro en gotas está en Crítico y Suplemento de hierro en Adecuado"
        in row.cause
    )
    # The results the iron product feeds carry it too; a chain without it does not.
    assert bool(df.loc["PAN_ANEMIA", "contradiction"])
    assert not bool(df.loc["PAN_I_VAC_NEUMO", "contradiction"])
    assert "se contradice" not in df.loc["PAN_I_VAC_NEUMO", "cause"]


def test_the_page_shows_the_list_its_download_has_and_links_each_to_its_breakdown(app):
    wh = context.warehouse()
    f = parse(SEARCH)
    content = region.layout(wh, f, "09")
    items = [c for c in _walk(content) if str(getattr(c, "id", "")).startswith("red-PAN")]
    df = red("09")
    assert [i.id for i in items] == [f"red-{c}" for c in df.indicator_code]
    links = {
        c.children: c.href
        for c in _walk(content)
        if is_link(c) and getattr(c, "className", None) == "red-name"
    }
    assert (
        links["Hierro en gotas"].startswith("/region/09?")
        and "indicador=PAN_I_HIERRO_GOTAS" in links["Hierro en gotas"]
    )
    assert links["Hierro en gotas"].endswith("#region-drill")
    assert links["Presupuesto CRED"].startswith("/presupuesto/09")
    # Chain cards open the region's own breakdown, not the national ranking.
    boxes = [c for c in _walk(content) if is_link(c) and getattr(c, "className", None) == "box-name"]
    assert boxes and not [b for b in boxes if b.href.startswith("/indicador/")]
    downloaded = app.server.test_client().get("/export/region-rojo/09.csv" + SEARCH).data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(downloaded)))
    assert [r["Indicador (código)"] for r in rows] == list(df.indicator_code)
    assert [r["Causa en la cadena"] for r in rows] == list(df.cause)


def test_the_drill_down_opens_on_the_worst_indicator_with_a_lit_province(app, sql):
    """The rule (views/drill.opening_indicator): the worst red indicator reported per facility of which at least
    one province has a light; one whose every province is held back or unreported is passed over."""
    wh = context.warehouse()
    f = parse(SEARCH)
    cat = wh.snapshot.catalogue
    feeds = {i.code: i.feed for i in cat.indicators.values()}
    order = worst_first(cat, "0001", region_snapshot(wh, f, "09"))
    drillable = [c for c in order if feeds[c] in ("admin", "stock")]
    lit = {
        c
        for (c,) in sql(
            "select distinct indicator_code from mart_indicator_status where region_code = '09' "
            "and territory_level = 'provincia' and period = ? and status in ('critico', 'en_riesgo', 'adecuado')",
            MONTH,
        )
    }
    expected = next(c for c in drillable if c in lit)
    assert drill_indicator(wh, f, "09").code == expected
    # The URL's choice wins; without a region, the program's default stays.
    assert drill_indicator(wh, f.with_(indicator="PAN_P_CRED"), "09").code == "PAN_P_CRED"
    # Choosing the region's default writes nothing into the URL (no history entry).
    assert region_drill.choose_drill(
        expected, "territorio", None, None, None, None, SEARCH, "/region/09"
    ) == (region_drill.no_update)


@pytest.mark.parametrize("direction", ["up", "down"])
def test_drill_rows_come_worst_first_by_the_indicators_good_direction(app, direction):
    """The provinces of a region by CRED coverage (higher is better), and the same rows read as if lower were
    better (as anemia is): Crítico first, then within a light the worst value first."""
    wh = context.warehouse()
    ind = replace(wh.snapshot.catalogue.indicators["PAN_P_CRED"], direction=direction)
    f = parse(SEARCH + "&indicador=PAN_P_CRED")
    df = worst_rows(drill_table(wh, f, "08").sample(frac=1, random_state=1), ind)  # three lights here
    assert len(df) >= 3 and len(set(df.status)) >= 2
    ranks = [status(s).rank for s in df.status]
    assert ranks == sorted(ranks)
    for s in set(df.status):
        values = [v for v in df[df.status == s].value if not fmt.missing(v)]
        assert values == sorted(values, reverse=direction == "down")
