"""The download formats, written from a snapshot and its sheets with no warehouse at hand (pure: the same input
gives the same bytes). Text cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``…) are
written as text: in Excel as string cells, in CSV behind an apostrophe (OWASP's advice)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pandas as pd
import xlsxwriter

from ..i18n import section
from ..views.model import DECIMALS, on_screen
from .context import Sheets
from .snapshot import Snapshot

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, made inert with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and pd.isna(v))


def to_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM so that Excel in Spanish opens accents correctly; comma-separated, dot decimals (es-PE).
    Written cell by cell (pandas would turn a column of whole numbers with a gap into 1.0, 2.0…)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(df.columns)
    for row in df.itertuples(index=False):
        w.writerow(["" if _missing(v) else safe_text(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def _json_value(v: object) -> object:
    if _missing(v):
        return None
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    return v


def records(df: pd.DataFrame) -> list[dict]:
    return [{k: _json_value(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


def to_json(s: Snapshot, context: list[tuple[str, str]]) -> bytes:
    """The context, the columns' names and the rows with every number as the warehouse holds it."""
    data = s.exact if s.exact is not None else s.data
    doc = {"context": dict(context), "columns": list(data.columns), "rows": records(data)}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def sheet_name(title: str) -> str:
    """Excel's limit is 31 characters: cut at a word, not inside one."""
    clean = "".join(c for c in title if c not in set("[]:*?/\\"))
    if len(clean) <= 31:
        return clean or "Datos"
    return clean[:31].rsplit(" ", 1)[0].rstrip(",;") or clean[:31]


def to_xlsx(s: Snapshot, sheets: Sheets) -> bytes:
    """The table headed by the screen's labels (traffic lights in their colours, statuses as words, numbers
    rounded as on screen), then its context, the definitions of its indicators, the statuses, the load batches and
    each column's label, machine name (the CSV's and JSON's) and meaning."""
    w = section("export", sheets.lang)
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
        kind: book.add_format({"num_format": "#,##0" + ("." + "0" * d if d else "")})
        for kind, d in DECIMALS.items()
    }
    fills = {
        label: book.add_format({"bg_color": colour, "font_color": text})
        for _code, label, _meaning, colour, text in sheets.statuses
    }
    wrap = book.add_format({"text_wrap": True, "valign": "top"})

    ws = book.add_worksheet(sheet_name(s.title))
    headings = list(s.data.columns)
    ws.write_row(0, 0, [s.labels.get(h, h) for h in headings], bold)
    for k, row in enumerate(s.data.itertuples(index=False), start=1):
        for j, v in enumerate(row):
            kind = s.kinds.get(headings[j], "text")
            if _missing(v):
                ws.write_blank(k, j, None)
            elif kind == "status":
                ws.write_string(k, j, str(v), fills.get(v))
            elif isinstance(v, bool):
                ws.write_boolean(k, j, v)
            elif isinstance(v, int | float):
                ws.write_number(k, j, on_screen(v, kind), formats.get(kind))
            else:
                ws.write_string(k, j, str(v))
    for j, h in enumerate(headings):
        width = max([len(s.labels.get(h, h))] + [len(str(v)) for v in s.data[h].head(200) if v is not None])
        ws.set_column(j, j, min(max(width + 2, 10), 60))
    ws.freeze_panes(1, 0)
    if len(s.data):
        ws.autofilter(0, 0, len(s.data), len(headings) - 1)

    cs = book.add_worksheet(w["context"])
    cs.write_row(0, 0, [w["field"], w["value"]], bold)
    for k, (a, b) in enumerate(sheets.context, start=1):
        cs.write_string(k, 0, a)
        cs.write_string(k, 1, b, wrap)
    cs.set_column(0, 0, 34)
    cs.set_column(1, 1, 100)

    ds = book.add_worksheet(w["definitions"])
    ds.write_row(0, 0, w["def_cols"], bold)
    for k, cells in enumerate(sheets.definitions, start=1):
        ds.write_row(k, 0, cells, wrap)
    for j, width in enumerate((18, 45, 18, 8, 45, 45, 18, 80)):
        ds.set_column(j, j, width)

    ss = book.add_worksheet(w["statuses"])
    ss.write_row(0, 0, w["status_cols"], bold)
    for k, (code, label, meaning, colour, _text) in enumerate(sheets.statuses, start=1):
        ss.write_string(k, 0, code)
        ss.write_string(k, 1, label, fills[label])
        ss.write_string(k, 2, meaning, wrap)
        ss.write_string(k, 3, colour)
    ss.set_column(0, 1, 16)
    ss.set_column(2, 2, 90)

    bs = book.add_worksheet(w["batches"])
    bs.write_row(0, 0, w["batch_cols"], bold)
    for k, batch in enumerate(sheets.batches, start=1):
        bs.write_row(k, 0, batch)
    bs.set_column(1, 3, 36)
    bs.set_column(9, 9, 60)

    hs = book.add_worksheet(w["columns"])
    hs.write_row(0, 0, w["column_cols"], bold)
    for k, name in enumerate(headings, start=1):
        hs.write_string(k, 0, s.labels.get(name, name))
        hs.write_string(k, 1, name)
        if about := s.help.get(name):
            hs.write_string(k, 2, about, wrap)
    hs.set_column(0, 1, 36)
    hs.set_column(2, 2, 100)
    book.close()
    return buf.getvalue()
