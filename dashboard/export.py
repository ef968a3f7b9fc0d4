"""Downloads of what a page shows — CSV, Excel and JSON — built from the same query function as the page, so a
snapshot can never disagree with the screen. The filters are the page's own query string; the same snapshot comes
from the command line (``semaforo export``).

An Excel download explains itself: the table (traffic lights in their colours, statuses as words), then sheets
with its context (filters, the link that reopens the view, data date and load batch of every source, generation
time and program version), the definitions and rules of the indicators it involves, the meaning of each status,
and the load batches its figures come from. Text cells that a spreadsheet would run as a formula (``=``, ``+``,
``-``, ``@``…) are written as text: in Excel as string cells, in CSV behind an apostrophe (OWASP's advice).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from typing import Any, NoReturn

import flask
import pandas as pd
import xlsxwriter

from warehouse import query
from warehouse.batch_status import batch_status_words
from warehouse.rules import STATUS_MEANING, STATUSES, describe_rule, status
from warehouse.sources import SOURCES
from warehouse.version import program_version

from . import context
from . import format as fmt
from .data import Warehouse
from .format import PERU
from .i18n import level_name, scope_name
from .state import Filters, href, parse
from .tables import TABLES, Table, budget_scope, effective, labelled
from .tables import frame as table_frame

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

SNAPSHOT_COLUMNS = {  # key → (es heading, en heading, kind): the indicator snapshot's columns
    "territory_code": ("territorio_codigo", "territory_code", "code"),
    "territory": ("territorio", "territory", "text"),
    "indicator_code": ("indicador_codigo", "indicator_code", "code"),
    "indicator": ("indicador", "indicator", "text"),
    "level": ("nivel", "level", "text"),
    "period": ("periodo", "period", "code"),
    "value": ("valor", "value", "number"),
    "unit": ("unidad", "unit", "code"),
    "numerator": ("numerador", "numerator", "number"),
    "denominator": ("denominador", "denominator", "number"),
    "ci_low": ("ic_inferior", "ci_low", "number"),
    "ci_high": ("ic_superior", "ci_high", "number"),
    "cv": ("cv", "cv", "number"),
    "target": ("meta", "target", "number"),
    "status": ("estado", "status", "status"),
    "referential": ("referencial", "referential", "bool"),
    "prev_value": ("valor_anterior", "previous_value", "number"),
    "prev_period": ("periodo_anterior", "previous_period", "code"),
    "source": ("fuente", "source", "code"),
    "batch": ("lote", "batch", "batch"),
}
SNAPSHOT_HELP = {  # key → (es, en): what each column of the indicator snapshot means (the Columnas sheet)
    "territory_code": ("Código del territorio (PE = Perú; región INEI, LM/LR = Lima Metropolitana/Región).",
                       "Territory code (PE = Peru; INEI region, LM/LR = Lima Metropolitana/Region)."),
    "indicator_code": ("Código del indicador en el catálogo (hoja Definiciones).",
                       "Indicator code in the catalogue (Definitions sheet)."),
    "level": ("Nivel de la cadena causal: presupuesto, insumo, producto, resultado.",
              "Level of the causal chain: budget, input, product, result."),
    "period": ("Mes (AAAA-MM) de los registros, o año de la encuesta.", "Month (YYYY-MM) of records, or survey year."),
    "value": ("Valor del indicador en su unidad.", "Indicator value in its unit."),
    "numerator": ("Numerador (registros: casos; presupuesto: devengado).", "Numerator (records: cases; budget: accrued)."),
    "denominator": ("Denominador (registros: población objetivo; presupuesto: PIM).",
                    "Denominator (records: target population; budget: PIM)."),
    "ci_low": ("Límite inferior del intervalo de confianza al 95 % (encuesta).", "Lower bound of the 95% CI (survey)."),
    "ci_high": ("Límite superior del intervalo de confianza al 95 % (encuesta).", "Upper bound of the 95% CI (survey)."),
    "cv": ("Coeficiente de variación de la estimación (%); alto = referencial.",
           "Coefficient of variation of the estimate (%); high = referential."),
    "target": ("Meta de la región y año (o nacional, o la del catálogo).", "Target of the region and year (or national, or the catalogue's)."),
    "status": ("Semáforo (hoja Estados).", "Traffic light (Statuses sheet)."),
    "referential": ("La encuesta marca la estimación como referencial.", "The survey marks the estimate as referential."),
    "prev_value": ("Valor del periodo anterior (mes o año), para la tendencia.", "Value of the previous period, for the trend."),
    "prev_period": ("Periodo anterior.", "Previous period."),
    "source": ("Fuente del dato (hoja Definiciones).", "Source of the figure (Definitions sheet)."),
    "batch": ("Lote de carga del que viene el valor (hoja Lotes).", "Load batch the value comes from (Batches sheet)."),
}  # fmt: skip
COLUMNS = {  # headings per language, in order (tests and the JSON API read these)
    lang: [v[k] for v in SNAPSHOT_COLUMNS.values()] for k, lang in enumerate(("es", "en"))
}


@dataclass
class Snapshot:
    """One download: its rows, how each column reads, and what it needs to explain itself."""

    name: str  # file name, without extension
    title: str
    data: pd.DataFrame  # headings in the language, cells as exported
    kinds: dict[str, str]  # heading → tables.KINDS
    indicators: list[str] = field(default_factory=list)  # catalogue codes its figures involve
    sources: tuple[str, ...] = ()
    territory: str = "PE"
    period_text: str = ""
    link: str = ""
    notes: str = ""  # how to read it, for a reader who never saw the dashboard
    help: dict[str, str] = field(default_factory=dict)  # heading → what the column means
    filters: Filters | None = None  # as applied (an unknown product, say, dropped)
    level: str = ""  # the level of its rows, where it is one level of a tree (the drill-down)


def _period(value, grain: str) -> str:
    if value is None or pd.isna(value):
        return ""
    d = pd.Timestamp(value).date()
    return str(d.year) if grain == "A" else d.strftime("%Y-%m")


def frame(snap: pd.DataFrame, lang: str = "es") -> pd.DataFrame:
    """The indicator snapshot's rows: one per territory × indicator, labelled with the catalogue, values rounded
    as shown."""
    wh = context.warehouse()
    cat, names = wh.snapshot.catalogue, wh.snapshot.names
    rnd = lambda x, d=3: None if x is None or pd.isna(x) else round(float(x), d)  # noqa: E731
    rows = []
    for r in snap.sort_values(["territory_code", "indicator_code"]).itertuples():
        ind = cat.indicators[r.indicator_code]
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
                None if pd.isna(r.batch_id) else int(r.batch_id),
            ]
        )
    df = pd.DataFrame(rows, columns=COLUMNS["en" if lang == "en" else "es"], dtype=object)
    return df.where(df.notna(), None)


def indicator_snapshot(
    wh: Warehouse, f: Filters, snap: pd.DataFrame, name: str, title: str, link: str
) -> Snapshot:
    lang = "en" if f.lang == "en" else "es"
    data = frame(snap, lang)
    period = wh.resolve_period(f.program, f.period)
    return Snapshot(
        name=name,
        title=title,
        data=data,
        kinds={COLUMNS[lang][k]: v[2] for k, v in enumerate(SNAPSHOT_COLUMNS.values())},
        help={
            SNAPSHOT_COLUMNS[key][0 if lang == "es" else 1]: text[0 if lang == "es" else 1]
            for key, text in SNAPSHOT_HELP.items()
        },
        indicators=sorted(set(snap.indicator_code)),
        sources=tuple(sorted({wh.snapshot.catalogue.indicators[c].feed for c in set(snap.indicator_code)})),
        period_text=fmt.month(period, lang),
        link=link,
    )


def table_snapshot(table: Table, wh: Warehouse, f: Filters, region: str | None) -> Snapshot:
    """A declared table (dashboard.tables) as a download: exactly the rows of the page's grid."""
    lang = "en" if f.lang == "en" else "es"
    budget = table.page == "/presupuesto"
    if budget:
        f = effective(wh, f, region)
    df = table_frame(table, wh, f, region)
    cat = wh.snapshot.catalogue
    territory = region or "PE"
    if budget:
        scope = budget_scope(wh, f, region)
        indicators = [i.code for i in cat.indicators_for(program=f.program, level="budget")]
        indicators += [i.code for i in cat.indicators_for(program=f.program, level="final_result")]
        coverage = cat.elements[scope.element].coverage if scope and scope.element else None
        if coverage:
            indicators.append(coverage)
        if "coverage_indicator" in df:
            indicators += [c for c in df.coverage_indicator.dropna().unique()]
        when = (
            (
                fmt.MONTHS[lang][0]
                if scope.month == 1
                else f"{fmt.MONTHS[lang][0]}–{fmt.MONTHS[lang][scope.month - 1]}"
            )
            + f" {scope.year}"
            if scope
            else ""
        )
        stamp = f"{scope.period:%Y-%m}" if scope else ""
    else:
        period = wh.resolve_period(f.program, f.period)
        indicators = [
            c
            for k in ("indicator_code", "admin_indicator", "survey_indicator")
            if k in df
            for c in df[k].dropna().unique()
        ]
        when, stamp = fmt.month(period, lang), f"{period:%Y-%m}"
    return Snapshot(
        name=f"semaforo_{table.key}_{f.program}_{territory}_{stamp}",
        title=table.title.get(lang),
        data=labelled(table, df, lang),
        kinds={c.label.get(lang): c.kind for c in table.columns},
        indicators=list(dict.fromkeys(indicators)),
        sources=table.sources,
        territory=territory,
        period_text=when,
        link=href(table.page + (f"/{region}" if region else ""), f),
        notes=table.notes.get(lang) if table.notes else "",
        help={c.label.get(lang): c.help.get(lang) for c in table.columns if c.help},
        filters=f,
        level=str(df.territory_level.iloc[0]) if "territory_level" in df and len(df) else "",
    )


# --- writers ----------------------------------------------------------------------------------------------------


def safe_text(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, made inert with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM so that Excel in Spanish opens accents correctly; comma-separated, dot decimals (es-PE).
    Written cell by cell (pandas would turn a column of whole numbers with a gap into 1.0, 2.0…)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(df.columns)
    for row in df.itertuples(index=False):
        w.writerow(["" if v is None or (isinstance(v, float) and pd.isna(v)) else safe_text(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def _json_value(v: object) -> object:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return None
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    return v


def records(df: pd.DataFrame) -> list[dict]:
    return [{k: _json_value(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


def to_json(s: Snapshot, context_rows: list[tuple[str, str]]) -> bytes:
    doc = {"context": dict(context_rows), "columns": list(s.data.columns), "rows": records(s.data)}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


WORDS: dict[str, dict[str, Any]] = {  # per language: labels, and tables of labels by code
    "es": {
        "context": "Contexto",
        "definitions": "Definiciones",
        "statuses": "Estados",
        "batches": "Lotes",
        "field": "Campo",
        "value": "Valor",
        "view": "Vista",
        "program": "Programa",
        "territory": "Territorio",
        "period": "Periodo",
        "filters": "Filtros",
        "tree": "Árbol",
        "trees": {
            "territorio": "Territorio (región → provincia → distrito → establecimiento)",
            "red": "Red de salud (región → red → microred → establecimiento)",
        },
        "level": "Nivel de las filas",
        "link": "Enlace que reproduce la vista",
        "generated": "Generado",
        "version": "Versión de Semáforo PpR",
        "catalogue": "Versión del catálogo",
        "data": "Datos de {source}",
        "data_text": "hasta {period} · cargado el {loaded} (hora de Lima) · lote {batch} · {file}",
        "columns": "Columnas",
        "column_cols": ["Columna", "Qué es"],
        "batch_status": batch_status_words("es"),
        "no_data": "sin datos cargados",
        "rows": "Filas",
        "notes": "Cómo leerla",
        "def_cols": [
            "Código",
            "Indicador",
            "Nivel",
            "Unidad",
            "Numerador",
            "Denominador",
            "Fuente",
            "Regla del semáforo",
        ],
        "status_cols": ["Código", "Estado", "Significado", "Color"],
        "batch_cols": [
            "Lote",
            "Fuente",
            "Archivo",
            "SHA-256",
            "Cargado (hora de Lima)",
            "Estado",
            "Filas leídas",
            "Filas cargadas",
            "Filas rechazadas",
            "Alcance",
        ],
        "sources": {
            "budget": "presupuesto (MEF–SIAF)",
            "admin": "registros administrativos (HIS/SIGA)",
            "stock": "stock de insumos (SISMED)",
            "survey": "encuesta ENDES (INEI)",
            "population": "población (Padrón Nominal)",
            "targets": "metas",
        },
    },
    "en": {
        "context": "Context",
        "definitions": "Definitions",
        "statuses": "Statuses",
        "batches": "Batches",
        "field": "Field",
        "value": "Value",
        "view": "View",
        "program": "Program",
        "territory": "Territory",
        "period": "Period",
        "filters": "Filters",
        "tree": "Tree",
        "trees": {
            "territorio": "Territory (region → province → district → facility)",
            "red": "Health network (region → Red → MicroRed → facility)",
        },
        "level": "Level of the rows",
        "link": "Link that reopens the view",
        "generated": "Generated",
        "version": "Semáforo PpR version",
        "catalogue": "Catalogue version",
        "data": "Data: {source}",
        "data_text": "up to {period} · loaded {loaded} (Lima time) · batch {batch} · {file}",
        "columns": "Columns",
        "column_cols": ["Column", "What it is"],
        "batch_status": batch_status_words("en"),
        "no_data": "no data loaded",
        "rows": "Rows",
        "notes": "How to read it",
        "def_cols": [
            "Code",
            "Indicator",
            "Level",
            "Unit",
            "Numerator",
            "Denominator",
            "Source",
            "Traffic-light rule",
        ],
        "status_cols": ["Code", "Status", "Meaning", "Colour"],
        "batch_cols": [
            "Batch",
            "Source",
            "File",
            "SHA-256",
            "Loaded (Lima time)",
            "Status",
            "Rows read",
            "Rows loaded",
            "Rows rejected",
            "Scope",
        ],
        "sources": {
            "budget": "budget (MEF–SIAF)",
            "admin": "administrative records (HIS/SIGA)",
            "stock": "input stock (SISMED)",
            "survey": "ENDES survey (INEI)",
            "population": "population (nominal register)",
            "targets": "targets",
        },
    },
}


def context_rows(wh: Warehouse, f: Filters, s: Snapshot, generated: dt.datetime, base_url: str = "") -> list:
    f = s.filters or f
    lang = "en" if f.lang == "en" else "es"
    w = WORDS[lang]
    cat = wh.snapshot.catalogue
    prog = cat.programs.get(f.program)
    names = wh.snapshot.names
    filters = href("", f).lstrip("?").replace("&", "; ") or (
        "(por defecto)" if lang == "es" else "(defaults)"
    )
    rows = [
        (w["view"], s.title),
        (w["program"], f"{f.program} – {prog.name.get(lang) if prog else ''}"),
        (
            w["territory"],
            f"{names.get(s.territory, s.territory)} ({s.territory})"
            if s.territory != "PE" or wh.allowed is None
            else f"{scope_name(wh, None, lang)} ({', '.join(sorted(wh.allowed))}; y la cifra nacional, PE)"
            if lang == "es"
            else f"{scope_name(wh, None, lang)} ({', '.join(sorted(wh.allowed))}; and the national figure, PE)",
        ),
        (w["period"], s.period_text),
        (w["tree"], w["trees"]["red" if f.tree == "red" else "territorio"]),
        *([(w["level"], level_name(s.level, lang))] if s.level else []),
        (w["filters"], filters),
        (w["link"], base_url + s.link),
        (w["rows"], str(len(s.data))),
        *([(w["notes"], s.notes)] if s.notes else []),
        (w["generated"], generated.strftime("%Y-%m-%d %H:%M:%S %z")),
        (w["version"], program_version()),
        (w["catalogue"], cat.version),
    ]
    dates = data_dates(wh)
    for source in s.sources:
        d = dates.get(source)
        label = w["data"].format(source=w["sources"].get(source, source))
        rows.append(
            (
                label,
                w["data_text"].format(
                    period=d["period"], loaded=d["loaded"], batch=d["batch"], file=d["file"]
                )
                if d
                else w["no_data"],
            )
        )
    return rows


def visible_batches(wh: Warehouse) -> list[int]:
    """The batches whose files the current user may be told about: a regional user (or server) is not shown
    another region's files — their names, hashes and scopes (warehouse/queries/batches_visible.sql)."""
    return [int(b) for b in wh.query(query.batches_visible).batch_id]


def data_dates(wh: Warehouse) -> dict[str, dict]:
    """Per source: the latest period with data, and the latest batch that loaded it of those the user may be
    told about."""
    cur = wh.cursor
    periods = dict(
        cur.execute(
            " union all ".join(
                f"select '{s.name}', max({s.period}) from {s.table}" for s in SOURCES.values() if s.period
            )
        ).fetchall()
    )
    out = {}
    for source, batch, file, loaded in cur.execute(
        "select source, arg_max(batch_id, finished_at), arg_max(file_name, finished_at), max(finished_at) "
        "from etl_batch where status in ('loaded', 'partial') and list_contains(?, batch_id) group by source",
        [visible_batches(wh)],
    ).fetchall():
        out[source] = {
            "period": periods.get(source) or "–",
            "batch": batch,
            "file": file,
            # etl_batch keeps the loading machine's local time, without a zone: shown in Lima's
            "loaded": loaded.astimezone(PERU).strftime("%Y-%m-%d %H:%M") if loaded else "–",
        }
    return out


def _batch_ids(s: Snapshot) -> list[int]:
    ids: set[int] = set()
    for heading, kind in s.kinds.items():
        if kind == "batch" and heading in s.data:
            ids |= {int(v) for v in s.data[heading] if v is not None and not pd.isna(v)}
    return sorted(ids)


def to_xlsx(wh: Warehouse, f: Filters, s: Snapshot, context: list[tuple[str, str]]) -> bytes:
    lang = "en" if f.lang == "en" else "es"
    w = WORDS[lang]
    cat = wh.snapshot.catalogue
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(
        buf,
        {
            "in_memory": True,
            "nan_inf_to_errors": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    book.set_properties({"title": f"Semáforo PpR — {s.title}", "created": dt.datetime(2000, 1, 1)})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E8EDF2"})
    formats = {
        "soles": book.add_format({"num_format": "#,##0.00"}),
        "pct": book.add_format({"num_format": "0.0"}),
        "number": book.add_format({"num_format": "#,##0.0##"}),
        "count": book.add_format({"num_format": "#,##0"}),
    }
    fills = {
        st.label.get(lang): book.add_format({"bg_color": st.colour, "font_color": st.text_colour})
        for st in STATUSES.values()
    }
    wrap = book.add_format({"text_wrap": True, "valign": "top"})

    ws = book.add_worksheet(_sheet_name(s.title))
    headings = list(s.data.columns)
    ws.write_row(0, 0, headings, bold)
    for k, row in enumerate(s.data.itertuples(index=False), start=1):
        for j, v in enumerate(row):
            kind = s.kinds.get(headings[j], "text")
            if v is None or (isinstance(v, float) and pd.isna(v)):
                ws.write_blank(k, j, None)
            elif kind == "status":
                ws.write_string(k, j, str(v), fills.get(v))
            elif isinstance(v, bool):
                ws.write_boolean(k, j, v)
            elif isinstance(v, int | float):
                ws.write_number(k, j, v, formats.get(kind))
            else:
                ws.write_string(k, j, str(v))
    for j, h in enumerate(headings):
        width = max([len(str(h))] + [len(str(v)) for v in s.data[h].head(200) if v is not None])
        ws.set_column(j, j, min(max(width + 2, 10), 60))
    ws.freeze_panes(1, 0)
    if len(s.data):
        ws.autofilter(0, 0, len(s.data), len(headings) - 1)

    cs = book.add_worksheet(w["context"])
    cs.write_row(0, 0, [w["field"], w["value"]], bold)
    for k, (a, b) in enumerate(context, start=1):
        cs.write_string(k, 0, a)
        cs.write_string(k, 1, b, wrap)
    cs.set_column(0, 0, 34)
    cs.set_column(1, 1, 100)

    ds = book.add_worksheet(w["definitions"])
    ds.write_row(0, 0, w["def_cols"], bold)
    for k, code in enumerate(c for c in s.indicators if c in cat.indicators):
        ind = cat.indicators[code]
        ds.write_row(
            k + 1,
            0,
            [
                ind.code,
                ind.name.get(lang),
                level_name(ind.level, lang),
                ind.unit,
                ind.numerator.get(lang),
                ind.denominator.get(lang),
                f"{ind.source.publisher} {ind.source.code}",
                describe_rule(ind, cat, lang),
            ],
            wrap,
        )
    for j, width in enumerate((18, 45, 18, 8, 45, 45, 18, 80)):
        ds.set_column(j, j, width)

    ss = book.add_worksheet(w["statuses"])
    ss.write_row(0, 0, w["status_cols"], bold)
    for k, st in enumerate(STATUSES.values(), start=1):
        ss.write_string(k, 0, st.code)
        ss.write_string(k, 1, st.label.get(lang), fills[st.label.get(lang)])
        ss.write_string(k, 2, STATUS_MEANING[st.code].get(lang), wrap)
        ss.write_string(k, 3, st.colour)
    ss.set_column(0, 1, 16)
    ss.set_column(2, 2, 90)

    bs = book.add_worksheet(w["batches"])
    bs.write_row(0, 0, w["batch_cols"], bold)
    ids = _batch_ids(s)
    visible = visible_batches(wh)
    batches = wh.cursor.execute(
        "select batch_id, source, file_name, file_sha256, finished_at, status, "
        "rows_read, rows_loaded, rows_rejected, scope from etl_batch "
        "where (list_contains(?, batch_id) or batch_id in (select max(batch_id) from etl_batch "
        "where list_contains(?, source) and status in ('loaded', 'partial') and list_contains(?, batch_id) "
        "group by source)) and list_contains(?, batch_id) "
        "order by batch_id",
        [ids, list(s.sources), visible, visible],
    ).fetchall()
    for k, batch in enumerate(batches, start=1):
        cells = list(batch)
        cells[1] = w["sources"].get(cells[1], cells[1])
        cells[4] = (
            cells[4].astimezone(PERU).strftime("%Y-%m-%d %H:%M:%S") if cells[4] else None
        )  # Lima time, as everywhere
        cells[5] = w["batch_status"].get(cells[5], cells[5])
        bs.write_row(k, 0, ["" if v is None else v for v in cells])
    bs.set_column(1, 3, 36)
    bs.set_column(9, 9, 60)

    if s.help:
        hs = book.add_worksheet(w["columns"])
        hs.write_row(0, 0, w["column_cols"], bold)
        for k, (heading, meaning) in enumerate(s.help.items(), start=1):
            hs.write_string(k, 0, heading)
            hs.write_string(k, 1, meaning, wrap)
        hs.set_column(0, 0, 36)
        hs.set_column(1, 1, 100)
    book.close()
    return buf.getvalue()


def _sheet_name(title: str) -> str:
    """Excel's limit is 31 characters: cut at a word, not inside one."""
    clean = "".join(c for c in title if c not in set("[]:*?/\\"))
    if len(clean) <= 31:
        return clean or "Datos"
    return clean[:31].rsplit(" ", 1)[0].rstrip(",;") or clean[:31]


def render(
    wh: Warehouse, f: Filters, s: Snapshot, fmt_: str, generated: dt.datetime, base_url: str = ""
) -> bytes:
    """The snapshot's bytes in one format; ``generated`` is the only thing that differs between two runs."""
    if fmt_ == "csv":
        return to_csv(s.data)
    rows = context_rows(wh, f, s, generated, base_url)
    if fmt_ == "xlsx":
        return to_xlsx(wh, f, s, rows)
    return to_json(s, rows)


MIMETYPES = {
    "csv": "text/csv",  # Flask adds "; charset=utf-8"
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def _send(wh: Warehouse, f: Filters, s: Snapshot, fmt_: str) -> flask.Response:
    if fmt_ not in MIMETYPES:
        refuse(f"Formato desconocido: {fmt_} (csv, xlsx o json)")
    body = render(wh, f, s, fmt_, dt.datetime.now(PERU), flask.request.host_url.rstrip("/"))
    disposition = "attachment" if fmt_ != "json" else "inline"
    return flask.Response(
        body,
        mimetype=MIMETYPES[fmt_],
        headers={"Content-Disposition": f'{disposition}; filename="{s.name}.{fmt_}"'},
    )


def refuse(reason: str) -> NoReturn:
    """A 404 that says why, in words a person reads (not Flask's bare English page)."""
    flask.abort(flask.Response(reason + "\n", status=404, mimetype="text/plain"))


def _checked_filters() -> tuple[Filters, Warehouse]:
    """The request's filters; an export of a program or period with no data is an error, not an empty file."""
    wh = context.warehouse()
    f = parse("?" + flask.request.query_string.decode())
    if f.program not in wh.snapshot.catalogue.programs:
        refuse(f"Programa desconocido: {f.program}")
    if not wh.has_period(f.program, f.period):
        refuse(f"Sin datos del programa {f.program} para el periodo {f.period}")
    return f, wh


def resumen_snapshot(wh: Warehouse, f: Filters) -> Snapshot:
    from .pages import resumen

    period = wh.resolve_period(f.program, f.period).strftime("%Y-%m")
    title = "Indicadores por región" if f.lang != "en" else "Indicators by region"
    return indicator_snapshot(
        wh, f, resumen.table(wh, f), f"semaforo_{f.program}_{period}", title, href("/", f)
    )


def region_snapshot(wh: Warehouse, f: Filters, region: str) -> Snapshot:
    from .pages import region as region_page

    snap = region_page.chain_data(wh, f, region)[1]
    period = wh.resolve_period(f.program, f.period).strftime("%Y-%m")
    name = wh.snapshot.names.get(region, region)
    s = indicator_snapshot(
        wh, f, snap, f"semaforo_{f.program}_{region}_{period}", name, href(f"/region/{region}", f)
    )
    s.territory = region
    return s


def register(server: flask.Flask) -> None:
    from .pages import indicador
    from .pages.region import region_ok

    @server.route("/export/resumen.<fmt_>")
    def export_resumen(fmt_: str):
        f, wh = _checked_filters()
        return _send(wh, f, resumen_snapshot(wh, f), fmt_)

    @server.route("/export/region/<code>.<fmt_>")
    def export_region(code: str, fmt_: str):
        f, wh = _checked_filters()
        if not region_ok(wh, code):
            refuse(f"No hay una región «{code}» entre las que puede ver")
        return _send(wh, f, region_snapshot(wh, f, code), fmt_)

    @server.route("/export/indicador/<code>.<fmt_>")
    def export_indicador(code: str, fmt_: str):
        f, wh = _checked_filters()
        ind = indicador.indicator_of(wh, code)
        if ind is None:
            flask.abort(404)
        period = wh.resolve_period(ind.program, f.period).strftime("%Y-%m")
        s = indicator_snapshot(
            wh,
            f,
            indicador.table(wh, f, ind),
            f"semaforo_{code}_{period}",
            ind.short.get(f.lang),
            href(f"/indicador/{code}", f),
        )
        return _send(wh, f, s, fmt_)

    @server.route("/export/<key>.<fmt_>")
    @server.route("/export/<key>/<region>.<fmt_>")
    def export_table(key: str, fmt_: str, region: str | None = None):
        f, wh = _checked_filters()
        table = TABLES.get(key)
        if table is None:
            refuse(f"No hay una tabla «{key}»: {', '.join(TABLES)}")
        if region is not None and not region_ok(wh, region):
            refuse(f"No hay una región «{region}» entre las que puede ver")
        if table.page == "/calidad" and not wh.below_region:  # the page is not public: nor are its tables
            flask.abort(
                flask.Response(
                    "La vista pública no incluye la calidad de datos: ingrese con su usuario.\n",
                    403,
                    mimetype="text/plain",
                )
            )
        if table.admin_only and not wh.admin:
            refuse(
                "Esta tabla nombra archivos y valores de todas las regiones: solo para administradores del servidor nacional"
            )
        if table.page == "/presupuesto" and budget_scope(wh, f, region) is None:
            refuse(
                f"Sin ejecución presupuestal cargada del programa {f.program} para {f.period or 'el último año'}"
            )
        return _send(wh, f, table_snapshot(table, wh, f, region), fmt_)

    @server.route("/api/resumen.json")
    def api_resumen():
        f, wh = _checked_filters()
        body = json.dumps(records(resumen_snapshot(wh, f).data), ensure_ascii=False)
        return flask.Response(body, mimetype="application/json")
