"""Exports read like a report: the Contexto names exactly the filters the rows followed (a filter on screen that a
view does not apply is not claimed; one it applies is), the scorecard's download follows the chain level, and the
data dates are of the period viewed, not of the latest load. On the small fixture warehouse, through the web's
downloads (the command line's are the same function)."""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pytest

from dashboard import context
from dashboard.views import VIEWS

PERIOD = "2026-09"
# Every filter the URL can carry, each with a value that exists in the fixture warehouse.
EVERY = "&nivel=product&producto=PAN_P_CRED&provincia=0901&arbol=territorio&indicador=PAN_P_CRED&desde=2025"


def _json(client, path: str) -> dict:
    r = client.get(path)
    assert r.status_code == 200, (path, r.data[:200])
    return json.loads(r.data)


def _filters(ctx: dict) -> set[str]:
    return set(ctx["Filtros"].split("; "))


@pytest.mark.parametrize(
    ("path", "applied"),
    [
        ("/export/resumen.json", {"nivel=product"}),
        ("/export/region/09.json", set()),
        ("/export/indicador/PAN_DCI.json", set()),
        ("/export/presupuesto-productos/09.json", set()),  # every product: the product filter is not applied
        ("/export/presupuesto-meses/09.json", {"producto=PAN_P_CRED"}),
        ("/export/presupuesto-cuellos.json", {"producto=PAN_P_CRED"}),
        ("/export/region-detalle/09.json", {"provincia=0901", "indicador=PAN_P_CRED"}),
    ],
)
def test_the_context_names_exactly_the_filters_its_rows_followed(app, path, applied):
    client = app.server.test_client()
    doc = _json(client, f"{path}?periodo={PERIOD}{EVERY}")
    assert _filters(doc["context"]) == {f"periodo={PERIOD}", *applied}
    link = doc["context"]["Enlace que reproduce la vista"]
    query = link.split("?", 1)[1] if "?" in link else ""
    assert set(query.split("&")) == {f"periodo={PERIOD}", *applied}  # the link reopens exactly these rows


def test_the_scorecard_download_follows_the_chain_level(app):
    client = app.server.test_client()
    cat = context.warehouse().snapshot.catalogue
    products = {i.code for i in cat.indicators_for(program="0001", level="product")}
    chosen = _json(client, f"/export/resumen.json?periodo={PERIOD}&nivel=product")
    every = _json(client, f"/export/resumen.json?periodo={PERIOD}")
    assert chosen["rows"] == [r for r in every["rows"] if r["indicador_codigo"] in products]
    assert {r["indicador_codigo"] for r in chosen["rows"]} & products  # not empty
    assert len(every["rows"]) > len(chosen["rows"]) and "Filtros" in every["context"]
    assert every["context"]["Filtros"] == f"periodo={PERIOD}"


def test_the_excel_context_is_the_jsons(app):
    client = app.server.test_client()
    path = f"/export/presupuesto-meses/09.%s?periodo={PERIOD}{EVERY}"
    doc = _json(client, path % "json")
    book = openpyxl.load_workbook(io.BytesIO(client.get(path % "xlsx").data))
    rows = dict(book["Contexto"].iter_rows(min_row=2, values_only=True))
    assert rows["Filtros"] == doc["context"]["Filtros"] == f"periodo={PERIOD}; producto=PAN_P_CRED"


@pytest.mark.parametrize("month", ["2026-06", PERIOD])
def test_data_dates_are_of_the_period_viewed(app, month):
    """June's budget download says its amounts are of June (the warehouse holds September's too)."""
    client = app.server.test_client()
    ctx = _json(client, f"/export/presupuesto-meses/09.json?periodo={month}")["context"]
    assert ctx["Datos de presupuesto (MEF–SIAF)"].startswith(f"hasta {month} · cargado el ")


def test_every_view_declares_only_filters_that_exist():
    from dashboard.state import KEYS

    for view in VIEWS.values():
        assert set(view.filters) <= set(KEYS) - {"program", "period", "lang"}, view.key


def test_a_trend_line_fills_its_box_oldest_first_and_skips_gaps():
    from dashboard.print_region import SPARK, spark_points

    points = [tuple(map(float, p.split(","))) for p in spark_points([10.0, None, 30.0, 20.0]).split()]
    w, h = SPARK
    assert [x for x, _y in points] == [0.0, w / 2, w]  # three values, the gap skipped
    assert points[0][1] == h - 1 and points[1][1] == 1.0  # the lowest at the foot, the highest at the top
    assert spark_points([5.0]) == "" and spark_points([]) == ""  # no line from one value


def test_the_region_page_prints_its_red_list_from_the_chains_lights(app):
    client = app.server.test_client()
    html = client.get(f"/imprimir?region=09&periodo={PERIOD}").get_data(as_text=True)
    chain = html.split('<table class="chain">')[1].split("</table>")[0]
    red = html.split('<ol class="red">')[1].split("</ol>")[0]
    lit = chain.count('class="pill s-critico"') + chain.count('class="pill s-en_riesgo"')
    assert red.count("<li>") == lit > 0
    order = re.findall(r"pill s-(critico|en_riesgo)", red)
    assert len(order) == lit and order == sorted(order, key=["critico", "en_riesgo"].index)  # worst first
    assert "Huancavelica" in html and "Cómo se decide cada luz en rojo" in html
    assert client.get("/imprimir?region=XX").status_code == 404


def test_the_command_line_applies_the_chain_level_as_the_web_does(app, small_db, tmp_path):
    import click
    from click.testing import CliRunner

    from dashboard.export.command import export

    main = click.Group(commands=[export])
    out = tmp_path / "resumen.json"
    args = ["export", "--db", str(small_db), "--periodo", PERIOD, "--nivel", "product", "--format", "json"]
    result = CliRunner().invoke(main, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    web = _json(app.server.test_client(), f"/export/resumen.json?periodo={PERIOD}&nivel=product")
    assert doc["rows"] == web["rows"] and doc["context"]["Filtros"] == "periodo=2026-09; nivel=product"
