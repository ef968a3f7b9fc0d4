"""The regional scorecard as a printable page (/imprimir): one A4 landscape sheet from the browser's "Print → Save as
PDF", with the legend and the sources. Plain HTML from a Jinja template (autoescaped), no Dash: it must print the
same in any browser and needs no script. Its rows come from the view ``resumen`` (dashboard.views.indicators)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import flask
import jinja2

from warehouse.catalogue_model import LEVELS
from warehouse.rules import STATUS_MEANING, STATUSES, status

from . import context
from . import format as fmt
from .export.context import data_dates
from .format import PERU
from .i18n import lang_of, level_name, section, t
from .state import href, parse

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render() -> str:
    from .pages import resumen
    from .views import indicators as indicator_views

    wh = context.warehouse()
    f = wh.checked(parse("?" + flask.request.query_string.decode()))
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
    sources = section("export", lang)["sources"]
    sources = [
        f"{sources[k]} {d['period']} ({d['file']}, {d['loaded']})"
        for k, d in data_dates(wh).items()
        if k in sources
    ]
    program = cat.programs.get(f.program)
    return _ENV.get_template("scorecard_print.html").render(
        lang=lang,
        title=t("scorecard_title", lang),
        program=program.name.get(lang) if program else f.program,
        period=wh.period_label(f.program, f.period, lang),
        generated=dt.datetime.now(PERU).strftime("%d/%m/%Y %H:%M"),
        groups=groups,
        rows=rows,
        statuses=[
            {
                "code": s.code,
                "colour": s.colour,
                "text_colour": s.text_colour,
                "glyph": s.glyph,
                "label": s.label.get(lang),
                "meaning": STATUS_MEANING[s.code].get(lang),
            }
            for s in STATUSES.values()
        ],
        words=section("print", lang),
        sources=sources,
        link=flask.request.host_url.rstrip("/") + href("/", f),
        back=href("/", f),
    )


def register(server: flask.Flask) -> None:
    @server.route("/imprimir")
    def imprimir():
        return flask.Response(render(), mimetype="text/html")
