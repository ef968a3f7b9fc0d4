"""Every view (dashboard.views) on the demo warehouse: its page grid, its CSV/Excel/JSON downloads, its JSON API
and ``semaforo export`` give the same rows with the same columns, and each is refused by the same rules."""

from __future__ import annotations

import csv
import io
import json

import click
import openpyxl
import pytest
from click.testing import CliRunner

from dashboard import context
from dashboard.components.table_grid import column_defs, records
from dashboard.export.command import export
from dashboard.pages import calidad, indicador, presupuesto
from dashboard.state import parse
from dashboard.views import VIEWS, View, frame
from tests.dashboard.clients import client_for
from tests.dashboard.test_callbacks import _walk

PERIOD = "2026-09"
main = click.Group(commands=[export])  # the command-line root registers dashboard.export.command.export

# The path argument and filters that give each view rows on the demo.
REQUESTS = {
    "resumen": (None, ""),
    "region": ("09", ""),
    "region-rojo": ("09", ""),
    "indicador": ("PAN_DCI", ""),
    "region-detalle": ("09", ""),
    "presupuesto-productos": ("09", ""),
    "presupuesto-meses": (None, ""),
    "presupuesto-unidades": ("09", ""),
    "presupuesto-regiones": (None, ""),
    "presupuesto-cambio": (None, ""),
    "presupuesto-cobertura-red": ("09", "&arbol=red"),
    "presupuesto-cuellos": (None, ""),
    "calidad-completitud": ("09", ""),
    "calidad-sin-reporte": (None, ""),
    "calidad-atipicos": ("10", ""),
    "calidad-triangulacion": (None, ""),
    "calidad-cargas": (None, ""),
    "calidad-cuarentena": (None, ""),
}
# The demo loads every file whole: no row in quarantine (tests/etl's damaged files fill that view).
EMPTY_ON_DEMO = {"calidad-cuarentena"}


def test_every_view_is_requested_here():
    assert set(REQUESTS) == set(VIEWS)


def _download(client, view: View, fmt: str):
    arg, extra = REQUESTS[view.key]
    path = f"/export/{view.key}" + (f"/{arg}" if arg else "") + f".{fmt}?periodo={PERIOD}{extra}"
    r = client.get(path)
    assert r.status_code == 200, (path, r.data[:300])
    return r


def _same(grid_value: object, kind: str, downloaded: str) -> bool:
    if grid_value is None:
        return downloaded == ""
    if kind in ("soles", "pct", "number"):
        return abs(float(grid_value) - float(downloaded)) < 1e-9
    if kind in ("status", "bool"):
        return downloaded != ""  # the grid keeps the code (its renderer draws the light), the file the word
    return str(grid_value) == downloaded.removeprefix(
        "'"
    )  # a formula-like text is written behind an apostrophe


@pytest.mark.demo  # every view has rows on the demo (the small warehouse has one month: no change, no outlier)
@pytest.mark.parametrize("key", list(REQUESTS))
def test_every_view_downloads_exactly_its_grid_rows_in_every_format(app, key):
    """The grid's rows (components.table_grid over views.frame) against the CSV, the Excel sheet, the JSON
    document and the JSON API of the same view and filters: same headings, same number of rows, same cells."""
    view = VIEWS[key]
    arg, extra = REQUESTS[key]
    wh = context.warehouse()
    f = parse(f"?periodo={PERIOD}{extra}")
    if view.effective:
        f = view.effective(wh, f, arg)
    df = frame(view, wh, f, arg)
    grid = records(view, df, "es")
    assert len(grid) > 0 or key in EMPTY_ON_DEMO, key
    client = app.server.test_client()
    labels = [c.label.get("es") for c in view.columns]  # Excel's headings: the screen's
    labels_ = [c.heading("es") for c in view.columns]  # the CSV's and JSON's: the columns' names

    table = list(csv.reader(io.StringIO(_download(client, view, "csv").data.decode("utf-8-sig"))))
    assert table[0] == labels_
    assert len(table) - 1 == len(grid)
    for c in view.screen:  # every column on screen, cell by cell, in the same order
        j = labels_.index(c.heading("es"))
        assert all(_same(g[c.key], c.kind, row[j]) for g, row in zip(grid, table[1:], strict=True)), (
            key,
            c.key,
        )

    book = openpyxl.load_workbook(io.BytesIO(_download(client, view, "xlsx").data))
    sheet = list(book.worksheets[0].iter_rows(values_only=True))
    assert list(sheet[0]) == labels and len(sheet) - 1 == len(grid)

    doc = json.loads(_download(client, view, "json").data)
    assert doc["columns"] == labels_ and len(doc["rows"]) == len(grid)
    api = client.get(f"/api/{key}" + (f"/{arg}" if arg else "") + f"?periodo={PERIOD}{extra}").get_json()
    assert api == doc["rows"]


@pytest.mark.parametrize("key", list(REQUESTS))
def test_a_views_grid_columns_are_its_download_columns(key):
    """The grid shows the view's screen columns, headed by the same labels as the download, in its order."""
    view = VIEWS[key]
    for lang in ("es", "en"):
        defs = column_defs(view, lang)
        assert [d["field"] for d in defs] == [c.key for c in view.columns if c.screen]
        headings = [c.label.get(lang) for c in view.columns]
        shown = [d["headerName"] for d in defs]
        assert shown == [h for h in headings if h in shown]  # a subsequence of the download's headings
        assert len(set(headings)) == len(headings), "two columns of a download with one heading"
        names = [c.heading(lang) for c in view.columns]  # the CSV's and JSON's
        assert len(set(names)) == len(names), "two columns of a download with one name"
        assert all(c.help is None or c.help.get(lang) for c in view.columns)


def _sections(component):
    return [c for c in _walk(component) if type(c).__name__ == "Section"]


@pytest.mark.parametrize(
    ("page", "arg", "search"),
    [
        (presupuesto, None, ""),
        (presupuesto, "09", ""),
        (presupuesto, "09", "&arbol=red"),
        (calidad, None, ""),
        (calidad, "10", ""),
        (indicador, "PAN_P_CRED", ""),
        (indicador, "PAN_DCI", ""),
    ],
)
def test_each_table_on_a_page_is_the_view_its_download_buttons_name(app, page, arg, search):
    """On the pages, every declared grid sits beside the downloads of the view whose columns it shows."""
    wh = context.warehouse()
    content = page.layout(wh, parse(f"?periodo={PERIOD}{search}"), arg)
    checked = 0
    for section in _sections(content):
        inner = list(_walk(section.children))
        grids = [c for c in inner if type(c).__name__ == "AgGrid" and "table-grid" in (c.className or "")]
        links = {
            c.id["view"].split("/")[2]
            for c in inner
            if isinstance(getattr(c, "id", None), dict) and c.id.get("type") == "export"
        }
        if len(grids) == 1 and len(links) == 1:
            view = VIEWS[links.pop()]
            assert [d["field"] for d in grids[0].columnDefs] == [c.key for c in view.screen], view.key
            checked += 1
    assert checked > 0


def test_the_drill_down_of_region_09_from_the_command_line(app, demo_db, tmp_path):
    """``semaforo export --vista region-detalle --region 09``: its provinces, the same bytes as the web's."""
    out = tmp_path / "detalle.csv"
    args = [
        "export",
        "--db",
        str(demo_db),
        "--periodo",
        PERIOD,
        "--vista",
        "region-detalle",
        "--region",
        "09",
    ]
    served = context.warehouse()
    try:
        r = CliRunner().invoke(main, [*args, "--format", "csv", "-o", str(out)])
    finally:
        context.set_warehouse(served)  # the command opened its own
    assert r.exit_code == 0, r.output
    lines = out.read_bytes().decode("utf-8-sig").splitlines()
    assert len(lines) - 1 >= 10
    assert {row["Código"][:2] for row in csv.DictReader(lines)} == {"09"}
    assert client_for(app).get(f"/export/region-detalle/09.csv?periodo={PERIOD}").data == out.read_bytes()


def test_the_export_command_lists_every_view_when_given_none(demo_db):
    r = CliRunner().invoke(main, ["export", "--vista"], env={"SEMAFORO_DB": ""})  # no warehouse needed
    assert r.exit_code == 0, r.output
    listed = [line.split()[0] for line in r.output.splitlines()]
    assert listed == list(VIEWS)
    wrong = CliRunner().invoke(
        main, ["export", "--db", str(demo_db), "--vista", "no-existe", "--format", "csv"]
    )
    assert (
        wrong.exit_code == 2
        and "vista desconocida: no-existe" in wrong.output
        and "region-detalle" in wrong.output
    )


@pytest.mark.parametrize("search", ["", "&provincia=0901", "&arbol=red"])
def test_the_drill_down_grid_and_its_download_buttons_give_the_same_rows(app, search):
    """The region page's drill-down grid (its own layout: lights, stock and quality marks) against the download
    its buttons link to: the same territories, in the same order, with the same figures."""
    from dashboard.pages import region_drill

    wh = context.warehouse()
    f = parse(f"?periodo={PERIOD}{search}")
    content = region_drill.drill_content(wh, f, "09")
    grid = next(c for c in _walk(content) if getattr(c, "id", None) == "drill-grid")
    link = next(
        c.href
        for c in _walk(content)
        if isinstance(getattr(c, "id", None), dict) and c.id.get("format") == "csv"
    )
    assert "indicador=" in link  # the indicator shown, named: the download is that grid's
    body = app.server.test_client().get(link).data.decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(body)))
    assert len(table) == len(grid.rowData) > 0
    assert [r["Código"] for r in table] == [r["code"] for r in grid.rowData]  # worst first in both
    by_code = {r["Código"]: r for r in table}
    for row in grid.rowData:
        got = by_code[row["code"]]
        assert got["Nombre"] == row["name"] or (got["Nombre"] == "" and row["name"] == row["code"])  # unnamed
        for key, heading in (("numerator", "Numerador"), ("denominator", "n (denominador)")):
            assert (row[key] is None) == (got[heading] == "")
            assert (
                row[key] is None or abs(row[key] - float(got[heading])) < 0.051
            )  # the grid shows one decimal


@pytest.mark.parametrize(
    ("code", "search"), [("PAN_P_CRED", ""), ("PAN_DCI", ""), ("PAN_P_CRED", "&region=09")]
)
def test_the_indicator_pages_grid_rows_are_its_downloads_rows(app, code, search):
    """The indicator page's grid reads only its screen's columns (indicator_screen: no denominators' sources):
    its rows, pinned and not, are the rows of the view's frame that every download writes, cell for cell."""
    from dashboard.views.indicators import INDICATOR, indicator_of, indicator_screen

    wh = context.warehouse()
    f = parse(f"?periodo={PERIOD}{search}")
    ind = indicator_of(wh, code)
    screen, whole = indicator_screen(wh, f, ind), frame(INDICATOR, wh, f, code)
    assert len(whole) > 0
    assert records(INDICATOR, screen, "es") == records(INDICATOR, whole, "es")
    assert screen.territory_code.tolist() == whole.territory_code.tolist()
    grid = next(
        c
        for c in _walk(indicador.layout(wh, f, code))
        if type(c).__name__ == "AgGrid" and c.id == "indicator-grid"
    )
    shown = grid.rowData + grid.dashGridOptions["pinnedTopRowData"]
    assert sorted(map(repr, shown)) == sorted(map(repr, records(INDICATOR, whole, "es")))
