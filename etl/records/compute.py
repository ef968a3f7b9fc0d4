"""``semaforo compute``: validate nominal records and compute every defined indicator, on one engine, into
year-partitioned Parquet — written beside the target and renamed over it only when complete."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from warehouse.catalogue_model import Catalogue, CatalogueError
from warehouse.catalogue_read import load_catalogue

from ..problems import LoadError
from . import compile as sql
from .checks import REPEATED, VALID_VIEW, problems_view, typed
from .definitions import Definitions, load_definitions
from .engines import engine, record_files
from .his import looks_like_his, read_his
from .output_folder import count_parquet, finish, remove_abandoned
from .pseudonym import load_key
from .report import PROBLEMS, SUMMARY, ComputeReport, read_problems, where

__all__ = ["PROBLEMS", "SUMMARY", "ComputeReport", "compute"]


def compute(
    records: Path,
    out: Path,
    engine_name: str = "duckdb",
    indicators: list[str] | None = None,
    strict: bool = False,
    catalogue: Catalogue | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    definitions: Definitions | None = None,
    echo: Callable[[str], None] = lambda _m: None,
    key_file: Path | None = None,
    **engine_options,
) -> ComputeReport:
    started = time.perf_counter()
    records, out = Path(records), Path(out)
    report = ComputeReport(engine_name, records.name, str(out))
    if records.is_dir() and out.resolve().is_relative_to(records.resolve()):
        report.message = f"la salida {out} está dentro de los registros {records}: elija otra carpeta"
        return report
    if out.exists() and not (out / SUMMARY).exists():
        report.message = f"{out} existe y no es una salida de semaforo compute: no se reemplaza"
        return report
    try:
        cat = catalogue or load_catalogue()
        defs = definitions or load_definitions(cat)
        chosen = defs.select(indicators)
    except CatalogueError as e:
        report.message = str(e)
        return report
    except ValueError as e:  # an indicator asked for that has no definition
        report.status, report.message = "refused", str(e)
        return report
    report.definitions = defs.digest
    remove_abandoned(out)
    work = out.with_name(f"{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    (work / "_scratch" / "tmp").mkdir(parents=True)
    eng = None
    step = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal step
        now = time.perf_counter()
        report.seconds_by_step[name] = round(now - step, 2)
        step = now

    try:
        if looks_like_his(records):
            key = load_key(key_file)  # refuses to go on without one
            echo("Leyendo las exportaciones del HIS-MINSA …")
            (work / "_scratch" / "his").mkdir()
            converted = work / "_scratch" / "his_registros.parquet"
            his = read_his(records, work / "_scratch" / "his", key, converted, **engine_options)
            report.found, kind, files, padron = his.found, "parquet", [converted], his.padron
            report.warnings += his.warnings
            shutil.rmtree(
                work / "_scratch" / "his"
            )  # the extracted CSVs: the converted file has what is needed
            lap("his")
        else:
            padron = None
            kind, files = record_files(records)
            report.found = [f"{records.name}: registros en el formato del proyecto ({kind.upper()})"]
        echo(f"Leyendo {len(files)} archivo(s) {kind.upper()} con {engine_name} …")
        eng = engine(engine_name, work / "_scratch", **engine_options)
        report.warnings += eng.register(kind, files)
        if padron:
            eng.register_padron(padron)
        for d in chosen:
            if d.denominator == "padron" and not padron:
                report.warnings.append(
                    f"{d.indicator}: sin Padrón Nominal, el denominador son las niñas y niños atendidos "
                    "(denominador_fuente = registros)"
                )
        eng.materialize("registros_tipados", typed(defs))
        eng.execute(problems_view(defs))
        eng.execute(VALID_VIEW)
        lap("lectura")
        echo("Validando …")
        report.rows_read, report.rows_rejected, flagged, earliest, latest = eng.rows(
            "select count(*), count(*) filter (where _malo), count(*) filter (where _malo or _sin_medida or _aviso), "
            "min(d_fecha_atencion) filter (where not _malo), max(d_fecha_atencion) filter (where not _malo) "
            "from registros_tipados"
        )[0]
        groups, copies, example = eng.rows(REPEATED)[0]
        if copies:
            report.warnings.append(
                f"{copies:,} registros repetidos (idénticos a otro en todas las columnas, en {groups:,} grupos; "
                f"p. ej. {where(example, records)}): no cambian ninguna cifra, cada definición cuenta niños y "
                "fechas distintos; conviene corregir el extracto"
            )
        if flagged:
            eng.write_csv("select * from problemas order by _archivo, _fila, columna", work / PROBLEMS)
            report.problems_total, report.problems, report.problem_kinds = read_problems(
                work / PROBLEMS, records
            )
        lap("validacion")
        valid = report.rows_read - report.rows_rejected
        if report.problems and (strict or valid == 0):
            report.status = "refused"
            report.message = (
                f"{records.name}: no se calculó nada ("
                + ("--strict: hay registros con problemas" if valid else "ningún registro válido")
                + ")"
            )
            return report
        first, last = _covered(earliest, latest, since, until, report)
        if first > last:
            report.status = "refused"
            report.message = f"{records.name}: no se calculó nada (ningún mes completo en los registros)"
            return report
        report.months = (sql.month_label(first), sql.month_label(last))
        echo(f"Calculando {len(chosen)} indicador(es) de {report.months[0]} a {report.months[1]} …")
        eng.write_parquet(sql.output_query(chosen, first, last, padron is not None), work / "datos")
        lap("calculo")
        for d in chosen:
            gone = [sql.month_label(m) for m in range(first, min(first + d.history_months, last + 1))]
            if gone:
                report.skipped[d.indicator] = gone
        counted = count_parquet(work / "datos")
        report.rows_out = {d.indicator: counted.get(d.indicator, 0) for d in chosen}
        report.status = "partial" if report.problems else "computed"
        report.seconds = time.perf_counter() - started
        finish(work, out, report, chosen)
    except LoadError as e:
        report.status, report.problems = "refused", e.problems
        report.problems_total = len(e.problems)
        report.message = f"{records.name}: no se calculó nada (no se pudo leer)"
    except Exception as e:  # the engine's own failure (a Spark job, a full disk): one line, nothing written
        line = (str(e).strip().splitlines() or [""])[0][:300]
        report.status = "error"
        report.message = (
            f"{records.name}: el motor {engine_name} falló, no se calculó nada: {type(e).__name__}: {line}"
        )
    finally:
        if eng is not None:
            eng.close()
        shutil.rmtree(work, ignore_errors=True)
    report.seconds = time.perf_counter() - started
    return report


EDGE_DAYS = 5  # an extract whose first or last attention is this close to the month's edge covers the month


def _covered(
    earliest: dt.date, latest: dt.date, since: dt.date | None, until: dt.date | None, report: ComputeReport
) -> tuple[int, int]:
    """(first, last) month indexes the records cover whole. A month at either end that the attentions only
    partly cover (an extract cut on the 5th) is left out and named — never published as if complete — unless
    --desde / --hasta declare the extract's span."""
    start, end = since or earliest, until or latest
    first = start.year * 12 + start.month - 1 + (0 if start.day <= (1 if since else EDGE_DAYS) else 1)
    month_end = (dt.date(end.year + end.month // 12, end.month % 12 + 1, 1) - dt.timedelta(days=1)).day
    last = end.year * 12 + end.month - 1 - (0 if end.day >= month_end - (0 if until else EDGE_DAYS) else 1)
    for month, edge, word in ((first - 1, start, "empiezan"), (last + 1, end, "terminan")):
        if sql.month_label(month) == f"{edge.year}-{edge.month:02d}":
            report.warnings.append(
                f"{sql.month_label(month)}: los registros {word} el {edge.isoformat()}: mes incompleto, sin cifras "
                "(si el extracto cubre el mes entero, declárelo con --desde / --hasta)"
            )
    return first, last
