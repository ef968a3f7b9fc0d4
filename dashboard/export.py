"""Exports of what a page shows — CSV, Excel and JSON — from the same query function as the page, so a
downloaded snapshot can never disagree with the screen. The filters are the page's own query string."""

from __future__ import annotations

import datetime as dt
import io

import flask
import pandas as pd
import xlsxwriter

from warehouse.rules import status

from . import context
from .i18n import level_name
from .state import parse

COLUMNS = {
    "es": [
        "territorio_codigo",
        "territorio",
        "indicador_codigo",
        "indicador",
        "nivel",
        "periodo",
        "valor",
        "unidad",
        "numerador",
        "denominador",
        "ic_inferior",
        "ic_superior",
        "cv",
        "meta",
        "estado",
        "referencial",
        "valor_anterior",
        "periodo_anterior",
        "fuente",
    ],
    "en": [
        "territory_code",
        "territory",
        "indicator_code",
        "indicator",
        "level",
        "period",
        "value",
        "unit",
        "numerator",
        "denominator",
        "ci_low",
        "ci_high",
        "cv",
        "target",
        "status",
        "referential",
        "previous_value",
        "previous_period",
        "source",
    ],
}


def _period(value, grain: str) -> str:
    if value is None or pd.isna(value):
        return ""
    d = pd.Timestamp(value).date()
    return str(d.year) if grain == "A" else d.strftime("%Y-%m")


def frame(snap: pd.DataFrame, lang: str = "es") -> pd.DataFrame:
    """The exported rows: one per territory × indicator, labelled with the catalogue, values rounded as shown."""
    wh = context.warehouse()
    cat, names = wh.snapshot.catalogue, wh.snapshot.names
    rows = []
    for r in snap.sort_values(["territory_code", "indicator_code"]).itertuples():
        ind = cat.indicators[r.indicator_code]
        rnd = lambda x, d=3: None if x is None or pd.isna(x) else round(float(x), d)  # noqa: E731
        rows.append(
            [
                r.territory_code,
                names.get(r.territory_code, r.territory_code),
                ind.code,
                ind.name.get(lang),
                level_name(ind.level, lang),
                _period(r.period, r.period_grain),
                rnd(r.value),
                ind.unit,
                rnd(r.numerator, 2),
                rnd(r.denominator, 2),
                rnd(r.ci_low),
                rnd(r.ci_high),
                rnd(r.cv),
                rnd(r.target),
                status(r.status).label.get(lang),
                bool(r.is_referential),
                rnd(r.prev_value),
                _period(r.prev_period, r.period_grain),
                ind.source.code,
            ]
        )
    return pd.DataFrame(rows, columns=COLUMNS["en" if lang == "en" else "es"])


def to_csv(df: pd.DataFrame) -> bytes:
    # UTF-8 with BOM so that Excel in Spanish opens accents correctly; comma-separated, dot decimals (es-PE).
    return df.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def to_xlsx(df: pd.DataFrame, sheet: str) -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "nan_inf_to_errors": True})
    book.set_properties({"title": "Semáforo PpR", "created": dt.datetime(2000, 1, 1)})
    ws = book.add_worksheet(sheet[:31])
    bold = book.add_format({"bold": True})
    ws.write_row(0, 0, list(df.columns), bold)
    for k, row in enumerate(df.itertuples(index=False), start=1):
        ws.write_row(k, 0, ["" if v is None or (isinstance(v, float) and pd.isna(v)) else v for v in row])
    ws.freeze_panes(1, 0)
    book.close()
    return buf.getvalue()


def _send(df: pd.DataFrame, name: str, fmt: str) -> flask.Response:
    if fmt == "csv":
        return flask.Response(
            to_csv(df),
            mimetype="text/csv",  # Flask adds "; charset=utf-8"
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    if fmt == "xlsx":
        return flask.Response(
            to_xlsx(df, name),
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    return flask.Response(df.to_json(orient="records", force_ascii=False), mimetype="application/json")


def _checked_filters():
    """The request's filters; an export of a program or period with no data is an error, not an empty file."""
    wh = context.warehouse()
    f = parse("?" + flask.request.query_string.decode())
    if f.program not in wh.snapshot.catalogue.programs:
        flask.abort(404, f"programa desconocido: {f.program}")
    if not wh.has_period(f.program, f.period):
        flask.abort(404, f"sin datos del programa {f.program} para el periodo {f.period}")
    return f, wh


def register(server: flask.Flask) -> None:
    from .pages import indicador, resumen

    @server.route("/export/resumen.<fmt>")
    def export_resumen(fmt: str):
        f, wh = _checked_filters()
        period = wh.resolve_period(f.program, f.period).strftime("%Y-%m")
        return _send(frame(resumen.table(wh, f), f.lang), f"semaforo_{f.program}_{period}", fmt)

    @server.route("/export/indicador/<code>.<fmt>")
    def export_indicador(code: str, fmt: str):
        f, wh = _checked_filters()
        ind = indicador.indicator_of(wh, code)
        if ind is None:
            flask.abort(404)
        period = wh.resolve_period(ind.program, f.period).strftime("%Y-%m")
        return _send(frame(indicador.table(wh, f, ind), f.lang), f"semaforo_{code}_{period}", fmt)

    @server.route("/api/resumen.json")
    def api_resumen():
        return export_resumen("json")
