"""The printable scorecards (/imprimir): the regions × key indicators matrix, or with ``?region=09`` that region's
own page (dashboard.print_region) — each one A4 landscape sheet from the browser's "Print → Save as PDF", with the
legend, the rules in the catalogue's words and the sources of the month printed. Plain HTML from Jinja templates
(autoescaped), no Dash: it must print the same in any browser and needs no script. The matrix's rows come from the
view ``resumen`` (dashboard.views.indicators)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import flask

from warehouse.catalogue_model import LEVELS
from warehouse.rules import status

from . import context, print_parts, print_region
from . import format as fmt
from .access import region_ok
from .data import Warehouse
from .format import PERU
from .i18n import lang_of, level_name, section, t
from .state import Filters, href, parse


def national(wh: Warehouse, f: Filters) -> dict[str, Any]:
    from .pages import resumen
    from .views import indicators as indicator_views

    lang = lang_of(f.lang)
    cat = wh.snapshot.catalogue
    snap = indicator_views.snapshot(wh, f)  # the rows of the view 'resumen'
    codes = resumen.scorecard_indicators(wh, f)
    indicators = [cat.indicators[c] for c in codes]
    groups = [
        {
            "name": level_name(level, lang),
            "columns": [
                {"short": i.short.get(lang), "name": i.name.get(lang)} for i in indicators if i.level == level
            ],
        }
        for level in reversed(LEVELS)
        if any(i.level == level for i in indicators)
    ]
    ordered = [i for level in reversed(LEVELS) for i in indicators if i.level == level]
    cells = {(r.territory_code, r.indicator_code): r for r in snap.itertuples()}
    rows = []
    for code in ["PE", *resumen.region_codes(wh)]:
        row: dict[str, Any] = {"name": wh.snapshot.names.get(code, code), "cells": []}
        for ind in ordered:
            r = cells.get((code, ind.code))
            s = status(r.status if r is not None else None)
            text = "" if r is None or fmt.missing(r.value) else fmt.value(r.value, ind.unit)
            if r is not None and r.status == "referencial":
                text = f"({text})"
            row["cells"].append(
                {"status": s.code, "glyph": s.glyph, "text": text, "label": s.label.get(lang)}
            )
        rows.append(row)
    program = cat.programs.get(f.program)
    period = wh.resolve_period(f.program, f.period)
    return {
        "lang": lang,
        "title": t("scorecard_title", lang),
        "program": program.name.get(lang) if program else f.program,
        "period": wh.period_label(f.program, f.period, lang),
        "groups": groups,
        "rows": rows,
        "statuses": print_parts.legend(lang),
        "rules": print_parts.rules(ordered, cat, lang),
        "words": section("print", lang),
        "sources": print_parts.sources(wh, f"{period:%Y-%m}", lang),
    }


def render() -> str:
    wh = context.warehouse()
    # ?region= is read here (upper-cased), not as a filter: the links below add it once
    f = wh.checked(parse("?" + flask.request.query_string.decode())).with_(region=None)
    region = flask.request.args.get("region", "").upper() or None
    if region is not None and not region_ok(wh, region):
        reason = section("print", f.lang)["unknown_region"].format(code=region)
        flask.abort(flask.Response(reason + "\n", status=404, mimetype="text/plain"))
    if region is None:
        template, page, back = "scorecard_print.html", national(wh, f), href("/", f)
    else:
        template, page, back = (
            "region_print.html",
            print_region.page(wh, f, region),
            href(f"/region/{region}", f),
        )
    link = href("/imprimir", f) + (f"{'&' if href('', f) else '?'}region={region}" if region else "")
    return print_parts.TEMPLATES.get_template(template).render(
        **page,
        generated=dt.datetime.now(PERU).strftime("%d/%m/%Y %H:%M"),
        link=flask.request.host_url.rstrip("/") + link,
        back=back,
    )


def register(server: flask.Flask) -> None:
    @server.route("/imprimir")
    def imprimir():
        return flask.Response(render(), mimetype="text/html")
