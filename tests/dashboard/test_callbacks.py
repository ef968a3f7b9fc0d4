"""The pages' callbacks, called directly as plain functions, against the demo warehouse: values, labels and
status text checked against the warehouse itself."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest
from dash import Patch, no_update
from plotly.utils import PlotlyJSONEncoder

from dashboard import app as shell
from dashboard import context
from dashboard.pages import indicador, marco_logico, region, resumen
from dashboard.state import parse

PERIOD = "2026-09"


def texts(component) -> str:
    """All the text a component tree would render."""
    return json.dumps(
        component.to_plotly_json() if hasattr(component, "to_plotly_json") else component,
        cls=PlotlyJSONEncoder,
        ensure_ascii=False,
    )


def test_resumen_update_shows_the_warehouse_values_and_statuses(app, sql):
    heading, kpis, figure, code, _options, _cols, rows, grid, _exports, legend, _budget = resumen.update(
        f"?periodo={PERIOD}", "/"
    )
    assert "setiembre 2026" in texts(heading)
    assert code == "PAN_DCI"
    ((value, status),) = sql(
        "select value, status from mart_indicator_status where indicator_code = 'PAN_DCI' "
        "and territory_code = 'PE' order by period desc limit 1"
    )
    kpi_text = texts(kpis)
    assert f"{value:.1f} %" in kpi_text
    assert {"en_riesgo": "En riesgo", "critico": "Crítico", "adecuado": "Adecuado"}[status] in kpi_text
    assert len(rows) == 26 and grid["pinnedTopRowData"][0]["territory_code"] == "PE"
    expected = dict(
        sql(
            "select territory_code, status from mart_indicator_status where indicator_code = 'PAN_DCI' "
            "and territory_level = 'region' and period = (select max(period) from mart_indicator_agg "
            "where indicator_code = 'PAN_DCI')"
        )
    )
    shown = {r["territory_code"]: r["PAN_DCI"]["s"] for r in rows}
    assert shown == expected
    assert isinstance(figure, Patch)  # new filters only recolour the map
    assert "de Onis et al., 2019" in texts(legend)  # the stunting rule, in words, from the catalogue


def test_a_period_change_leaves_the_legend_alone_a_language_rebuilds_it(app):
    shown = resumen.legend_key(parse(f"?periodo={PERIOD}"))
    *_, legend, _budget = resumen.update("?periodo=2026-06", "/", shown)
    assert legend is no_update  # its 27 kB of rules depend on the program and the language only
    *_, legend, _budget = resumen.update(f"?periodo={PERIOD}&lang=en", "/", shown)
    assert "Per facility, by months of supply" in texts(legend)


def test_the_budget_panel_is_redrawn_only_for_another_year_program_or_language(app):
    wh = context.warehouse()
    shown = resumen.budget_key(wh, parse(f"?periodo={PERIOD}"))
    assert shown == resumen.budget_key(wh, parse(f"?periodo={PERIOD[:4]}-03"))  # a month of the same year
    assert shown != resumen.budget_key(wh, parse("?periodo=2025-03"))
    *_, budget = resumen.update(f"?periodo={PERIOD}&nivel=product", "/", None, shown)
    assert budget is no_update  # the money against results does not follow the chain level
    *_, budget = resumen.update(f"?periodo={PERIOD}&lang=en", "/", None, shown)
    (key,) = [c for c in budget if getattr(c, "id", None) == "resumen-budget-key"]
    assert key.data == resumen.budget_key(wh, parse(f"?periodo={PERIOD}&lang=en")) != shown


def test_iron_supplementation_red_regions_match_the_warehouse(app, sql):
    *_, rows, _grid, _exports, _legend, _budget = resumen.update(f"?periodo={PERIOD}", "/")
    red = {r["territory_code"] for r in rows if r.get("PAN_P_HIERRO", {}).get("s") == "critico"}
    assert red == {
        c
        for (c,) in sql(
            "select territory_code from mart_indicator_status where indicator_code = "
            "'PAN_P_HIERRO' and territory_level = 'region' and period = date '2026-09-01' "
            "and status = 'critico'"
        )
    }
    assert red, "the demo should have regions red on iron supplementation this month"


@pytest.mark.demo
def test_budget_against_results_plots_spending_per_child_and_stunting(app, sql):
    *_, budget = resumen.update(f"?periodo={PERIOD}", "/")
    # The survey's last year (2025) closes before the budget's: the section compares that year.
    assert "2025" in texts(budget[1])
    figure = next(c for c in budget if getattr(c, "id", None) == "budget-results").figure
    (trace,) = figure["data"]
    # Every region is a point (named on hover: customdata[0]); only the farthest carry a label (text).
    points = dict(
        zip([c[0] for c in trace["customdata"]], zip(trace["x"], trace["y"], strict=True), strict=True)
    )
    assert 0 < sum(1 for x in trace["text"] if x) < 26
    expected = sql(
        "select r.name, b.numerator / p.children, s.value from mart_indicator_agg as b "
        "join core_region as r on r.region_code = b.territory_code "
        "join mart_population as p on p.territory_code = b.territory_code and p.year = 2025 "
        "and p.age_group = '<5' "
        "join mart_indicator_agg as s on s.territory_code = b.territory_code and s.indicator_code = 'PAN_DCI' "
        "and s.period = date '2025-01-01' "
        "where b.indicator_code = 'PAN_B_TOTAL' and b.period = date '2025-12-01'"
    )
    assert len(expected) == 26 and len(points) == 26
    for name, spent, dci in expected:
        assert points[name] == (round(spent), round(dci, 1))
    # National values are the dashed reference lines.
    assert len(figure["layout"]["shapes"]) == 2


def test_level_filter_and_english(app):
    _h, _k, _f, _c, _o, cols, rows, grid, _e, legend, _b = resumen.update(
        f"?periodo={PERIOD}&nivel=critical_input&lang=en", "/"
    )
    headers = [c["headerName"] for c in cols]
    assert headers == ["Region", "Critical inputs"]
    assert "Per facility, by months of supply" in texts(legend)  # each rule, in words, from the catalogue
    assert all(c["colId"].startswith("PAN_I_") for c in cols[1]["children"])
    # a cell's status word comes from the grid's context (once per grid), in the page's language
    assert grid["context"]["statuses"][rows[0]["PAN_I_HIERRO_GOTAS"]["s"]]["l"] in {
        "On track",
        "At risk",
        "Off track",
        "Not reported",
        "No data",
    }


@pytest.mark.demo
def test_late_region_shows_no_reportado_in_its_chain(app, sql):
    late = sql(
        "select territory_code from mart_indicator_status where indicator_code = 'PAN_P_CRED' and "
        "territory_level = 'region' and period = date '2026-09-01' and status = 'no_reportado' limit 1"
    )
    code = late[0][0]
    main, chain, key, _drill = region.update(f"?periodo={PERIOD}", f"/region/{code}", None)
    page = texts(main) + texts(chain)
    assert "No reportado" in page and "Cadena causal" in page
    assert key == region.main_key(parse(f"?periodo={PERIOD}"), code)


@pytest.mark.demo
def test_region_drill_down_to_districts_and_facilities(app, sql):
    ((province,),) = sql(
        "select province_code from core_province where department_code = '08' order by 1 limit 1"
    )
    *_, drill = region.update(
        f"?periodo=2026-08&indicador=PAN_P_HIERRO&provincia={province}", "/region/08", "x"
    )
    grid = next(c for c in _walk(drill) if getattr(c, "id", None) == "drill-grid")
    n = sql(
        "select count(*) from mart_indicator_agg where indicator_code = 'PAN_P_HIERRO' and territory_level = "
        "'distrito' and parent_code = ? and period = date '2026-08-01'",
        province,
    )[0][0]
    assert len(grid.rowData) == n > 0
    district = grid.rowData[0]["code"]
    *_, drill = region.update(
        f"?periodo=2026-08&indicador=PAN_I_HIERRO_GOTAS&provincia={province}&distrito={district}",
        "/region/08",
        "x",
    )
    grid = next(c for c in _walk(drill) if getattr(c, "id", None) == "drill-grid")
    facilities = sql(
        "select count(*) from raw_stock where indicator_code = 'PAN_I_HIERRO_GOTAS' and ubigeo = ? "
        "and period = date '2026-08-01'",
        district,
    )[0][0]
    assert len(grid.rowData) == facilities
    assert all(r["detail"] for r in grid.rowData)  # each facility shows its stock class


def test_indicator_page_ranks_every_region_with_confidence_intervals(app):
    body = indicador.update(f"?periodo={PERIOD}", "/indicador/PAN_DCI")
    ranking = next(c for c in _walk(body) if getattr(c, "id", None) == "indicator-ranking").figure
    trace = go.Figure(ranking).data[0]  # a plain dict on the wire: Plotly must accept it as it is
    assert len(trace.y) == 26
    assert trace.error_x.array is not None and all(v is not None and v >= 0 for v in trace.error_x.array)
    assert "(de Onis et al., 2019)" in texts(body)  # the rule, from the catalogue


def test_logframe_lists_every_element_with_national_status(app, sql):
    body = marco_logico.update(f"?periodo={PERIOD}", "/marco-logico")
    text = texts(body)
    for (objective,) in sql("select objective_es from core_element where program_code = '0001'"):
        assert objective in text
    assert "Resultado final" in text and "Actividades e insumos" in text


def test_filter_bar_and_url_stay_in_step(app):
    # A new program resets the period; choosing a region opens its page.
    search, path, *_ = _sync("?programa=0001&periodo=2026-05", "/", program="0002", trigger="f-program")
    assert search == "?programa=0002" and path is shell.no_update
    search, path, *_ = _sync("?periodo=2026-05", "/", region="09", trigger="f-region")
    assert path == "/region/09?periodo=2026-05" and search is shell.no_update  # opened as a page load
    # On the region page another region is drawn in place: only the path changes (the router draws its page),
    # the filters kept and the province of the other region dropped.
    search, path, in_place, *_ = _sync(
        "?periodo=2026-05&provincia=0901", "/region/09", region="08", trigger="f-region"
    )
    assert in_place == "/region/08" and search == "?periodo=2026-05" and path is shell.no_update
    assert (
        _sync("?periodo=2026-05", "/calidad/09", region="08", trigger="f-region")[1]
        == "/calidad/08?periodo=2026-05"
    )


def test_the_region_charts_are_sent_once_in_view_and_then_only_when_what_they_show_changes(app):
    from dashboard.pages import region_charts

    search = f"?periodo={PERIOD}"
    assert region_charts.draw(None, search, "/region/09", None) == (no_update,) * 3  # not yet in view
    trends, survey, keys = region_charts.draw(search, search, "/region/09", None)
    names = {tr["name"] for tr in trends["data"]} | {tr["name"] for tr in survey["data"]}
    assert {"Huancavelica", "Perú (nacional)"} <= names
    # another month of the same year: new trends, the yearly survey estimates left as drawn
    trends, survey, later = region_charts.draw("?periodo=2026-08", "?periodo=2026-08", "/region/09", keys)
    assert isinstance(trends, dict) and survey is no_update and later["survey"] == keys["survey"]
    # a province: nothing the charts show; another region's URL: its page is on its way
    province = search + "&provincia=0901"
    assert region_charts.draw(province, province, "/region/09", keys) == (no_update,) * 3
    assert region_charts.draw(search, search, "/region/10", keys) == (no_update,) * 3


def test_the_language_redraws_the_whole_shell_in_place(app):
    children, lang = shell.switch_language("en", f"?periodo={PERIOD}&lang=en", "/region/09")
    page = texts(children)
    assert lang == "en" and "Causal chain" in page and "Español" in page  # the page and the navbar
    assert "Cadena causal" not in page
    url = next(c for c in children if getattr(c, "id", None) == "url")
    assert (url.pathname, url.search) == ("/region/09", f"?periodo={PERIOD}&lang=en")  # not announced again


def _sync(search, pathname, program="0001", period="2026-05", level="all", region="PE", trigger="url"):
    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    context_value.set(AttributeDict(triggered_inputs=[{"prop_id": f"{trigger}.value", "value": None}]))
    return shell.sync_filters(search, pathname, program, period, level, region)


def _walk(component):
    stack = [component]
    while stack:
        c = stack.pop()
        if isinstance(c, list | tuple):
            stack.extend(c)
            continue
        yield c
        children = getattr(c, "children", None)
        if children is not None:
            stack.append(children)
