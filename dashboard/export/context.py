"""What a download says about itself, read from the warehouse: the context sheet (filters, link, data date and
load batch of every source, generation time, versions), the definitions of its indicators, the statuses and the
load batches its figures come from — each as rows the pure writers (dashboard.export.writers) lay out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from warehouse.rules import STATUS_MEANING, STATUSES, describe_rule
from warehouse.sources import SOURCES
from warehouse.version import program_version

from ..data import Warehouse
from ..format import PERU
from ..i18n import lang_of, level_name, scope_name, section
from ..state import Filters, href
from .snapshot import Snapshot


@dataclass
class Sheets:
    """Everything a workbook holds besides its table: rows of text, in the download's language."""

    lang: str
    context: list[tuple[str, str]]
    definitions: list[list[str]]
    statuses: list[tuple[str, str, str, str, str]]  # code, label, meaning, colour, text colour
    batches: list[list[object]]


def context_rows(wh: Warehouse, f: Filters, s: Snapshot, generated: dt.datetime, base_url: str = "") -> list:
    f = s.filters or f
    lang = lang_of(f.lang)
    w = section("export", lang)
    cat = wh.snapshot.catalogue
    prog = cat.programs.get(f.program)
    names = wh.snapshot.names
    filters = href("", f).lstrip("?").replace("&", "; ") or w["defaults"]
    if s.territory != "PE" or wh.allowed is None:
        territory = f"{names.get(s.territory, s.territory)} ({s.territory})"
    else:
        territory = w["own_regions"].format(
            scope=scope_name(wh, None, lang), regions=", ".join(sorted(wh.allowed))
        )
    rows = [
        (w["view"], s.title),
        (w["program"], f"{f.program} – {prog.name.get(lang) if prog else ''}"),
        (w["territory"], territory),
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
    dates = data_dates(wh, s.upto or None)
    for source in s.sources:
        d = dates.get(source)
        label = w["data"].format(source=w["sources"].get(source, source))
        rows.append((label, w["data_text"].format(**d) if d else w["no_data"]))
    return rows


def visible_batches(wh: Warehouse) -> list[int]:
    """The batches whose files the current user may be told about: a regional user (or server) is not shown
    another region's files — their names, hashes and scopes (warehouse/queries/batches_visible.sql)."""
    return [int(b) for b in wh.read("batches_visible").batch_id]


def data_dates(wh: Warehouse, upto: str | None = None) -> dict[str, dict]:
    """Per source: the latest period with data up to ``upto`` ('YYYY-MM' or 'YYYY': the period viewed; None =
    any), and the batch that loaded its rows — of those the user may be told about. A source without periods (the
    territory, the registries) names its latest batch. Read once per warehouse version, batches seen and period:
    it groups every fact table by period (seconds of CPU at national scale, every download paid it)."""
    visible = visible_batches(wh)
    if upto is not None and len(upto) == 4:  # a year: its months too
        upto += "-12"
    found = wh.remembered(("data_dates", tuple(visible), upto), lambda cur: _dates(cur, visible, upto))
    return {
        r.source: {"period": r.period, "batch": int(r.batch), "file": r.file, "loaded": r.loaded}
        for r in found.itertuples(index=False)
    }


def _dates(cur: duckdb.DuckDBPyConnection, visible: list[int], upto: str | None) -> pd.DataFrame:
    dated = [s for s in SOURCES.values() if s.period]
    # Periods as text compare as dates do ('2026' <= '2026-09' < '2026-10'); the period's rows may come from
    # several batches (a month reloaded): the latest the user may see is named.
    periods = {
        source: (period, batch)
        for source, period, batch in cur.execute(
            " union all ".join(
                f"(select '{s.name}', p, max(batch_id) filter (where list_contains($visible, batch_id)) "
                f"from (select {s.period} as p, batch_id from {s.table}) "
                "where $upto is null or p <= $upto group by p order by p desc limit 1)"
                for s in dated
            ),
            {"visible": visible, "upto": upto},
        ).fetchall()
    }
    latest = {
        source: batch
        for source, batch in cur.execute(
            "select source, arg_max(batch_id, finished_at) from etl_batch "
            "where status in ('loaded', 'partial') and list_contains(?, batch_id) group by source",
            [visible],
        ).fetchall()
    }
    undated = {s.name for s in SOURCES.values() if not s.period}
    chosen = {s: b for s, b in latest.items() if s in undated}
    chosen |= {s: b for s, (_period, b) in periods.items() if b is not None}
    files = {
        batch: (file, loaded)
        for batch, file, loaded in cur.execute(
            "select batch_id, file_name, finished_at from etl_batch where list_contains(?, batch_id)",
            [list(chosen.values())],
        ).fetchall()
    }
    rows = []
    for source, batch in chosen.items():
        file, loaded = files.get(batch, ("–", None))
        rows.append(
            {
                "source": source,
                "period": periods[source][0] if source in periods else "–",
                "batch": batch,
                "file": file,
                # etl_batch keeps the loading machine's local time, without a zone: shown in Lima's
                "loaded": loaded.astimezone(PERU).strftime("%Y-%m-%d %H:%M") if loaded else "–",
            }
        )
    return pd.DataFrame(rows, columns=["source", "period", "batch", "file", "loaded"], dtype=object)


def _batch_ids(s: Snapshot) -> list[int]:
    ids: set[int] = set()
    for heading, kind in s.kinds.items():
        if kind == "batch" and heading in s.data:
            ids |= {int(v) for v in s.data[heading] if v is not None and not pd.isna(v)}
    return sorted(ids)


def batch_rows(wh: Warehouse, s: Snapshot, lang: str) -> list[list[object]]:
    """The batches the snapshot's rows name, and each of its sources' latest, of those the user may see."""
    w = section("export", lang)
    visible = visible_batches(wh)
    batches = wh.cursor.execute(
        "select batch_id, source, file_name, file_sha256, finished_at, status, "
        "rows_read, rows_loaded, rows_rejected, scope from etl_batch "
        "where (list_contains(?, batch_id) or batch_id in (select max(batch_id) from etl_batch "
        "where list_contains(?, source) and status in ('loaded', 'partial') and list_contains(?, batch_id) "
        "group by source)) and list_contains(?, batch_id) "
        "order by batch_id",
        [_batch_ids(s), list(s.sources), visible, visible],
    ).fetchall()
    out = []
    for batch in batches:
        cells = list(batch)
        cells[1] = w["sources"].get(cells[1], cells[1])
        # Lima time, as everywhere
        cells[4] = cells[4].astimezone(PERU).strftime("%Y-%m-%d %H:%M:%S") if cells[4] else None
        cells[5] = section("batch_status", lang).get(cells[5], cells[5])
        out.append(["" if v is None else v for v in cells])
    return out


def sheets(wh: Warehouse, f: Filters, s: Snapshot, generated: dt.datetime, base_url: str = "") -> Sheets:
    lang = lang_of((s.filters or f).lang)
    cat = wh.snapshot.catalogue
    definitions = [
        [
            ind.code,
            ind.name.get(lang),
            level_name(ind.level, lang),
            ind.unit,
            ind.numerator.get(lang),
            ind.denominator.get(lang),
            f"{ind.source.publisher} {ind.source.code}",
            describe_rule(ind, cat, lang),
        ]
        for ind in (cat.indicators[c] for c in s.indicators if c in cat.indicators)
    ]
    statuses = [
        (st.code, st.label.get(lang), STATUS_MEANING[st.code].get(lang), st.colour, st.text_colour)
        for st in STATUSES.values()
    ]
    return Sheets(
        lang, context_rows(wh, f, s, generated, base_url), definitions, statuses, batch_rows(wh, s, lang)
    )
