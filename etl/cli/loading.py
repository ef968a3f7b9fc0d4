"""``semaforo load``: load source files into the warehouse, or undo a load (``--deshacer LOTE``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from warehouse.catalogue_model import CatalogueError
from warehouse.catalogue_read import load_catalogue
from warehouse.command import DB, EXIT_ERROR, err

from ..load import LoadReport, load_file, report_lines, undo_batch
from ..loaders import LOADERS


def print_report(r: LoadReport, limit: int = 200) -> None:
    for level, line in report_lines(r, limit):
        (click.echo if level == "ok" else err)(line)


@click.command()
@DB
@click.argument("source", required=False, type=click.Choice(sorted({*LOADERS, "budget", "survey"})))
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Rechazar el archivo entero si alguna fila tiene problemas.")
@click.option(
    "--force",
    is_flag=True,
    help="Cargar aunque el mismo archivo (SHA-256) ya esté cargado, o aunque rechace más filas que el umbral "
    "(settings.yaml, load.max_rejected_pct).",
)
@click.option(
    "--dry-run",
    "dry_run",
    is_flag=True,
    help="Simular: validar y decir qué se cargaría y qué se reemplazaría o desaparecería, sin cambiar nada.",
)
@click.option(
    "--completo",
    is_flag=True,
    help="El archivo reemplaza enteros los alcances que toca (mes × departamento…), aunque los cubra en parte.",
)
@click.option(
    "--suma-repetidas",
    "sum_repeated",
    is_flag=True,
    help="MEF: la fuente repite movimientos a propósito; sumar las líneas idénticas en vez de rechazarlas.",
)
@click.option(
    "--deshacer",
    "undo",
    type=int,
    metavar="LOTE",
    help="Deshacer el lote LOTE: quitar sus filas y reponer las que reemplazó.",
)
@click.option(
    "--hoja",
    "sheet",
    help="Hoja del libro Excel (por defecto la primera; para tablas INEI, todas las que tengan un cuadro).",
)
@click.option(
    "--indicador", "indicator", help="Código del indicador de una tabla INEI (si el título no basta)."
)
@click.option(
    "--programa", "program", help="Programa presupuestal de una tabla de Consulta Amigable sin esa columna."
)
@click.option(
    "--mes-corte",
    "cutoff_month",
    type=click.IntRange(1, 12),
    help="Mes al que corresponden montos anuales (Consulta Amigable, columnas por año).",
)
@click.option(
    "--recibido",
    "received",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Fecha en que se recibió el archivo (AAAA-MM-DD), para la oportunidad del reporte; por defecto, hoy.",
)
@click.option(
    "--desde",
    "since",
    help="Red de salud: mes AAAA-MM desde el que rige la red del archivo (por defecto, el mes actual).",
)
@click.option("--json", "as_json", is_flag=True, help="Informe en JSON.")
def load(
    db,
    source,
    files,
    strict,
    force,
    dry_run,
    completo,
    sum_repeated,
    undo,
    sheet,
    indicator,
    program,
    cutoff_month,
    received,
    since,
    as_json,
) -> None:
    """Cargar archivos de una fuente: admin, stock, budget, survey, territory, facilities, red,
    population, targets.
    Con --deshacer LOTE, deshacer un lote en vez de cargar."""
    if undo is not None:
        if source or files:
            raise click.UsageError("--deshacer LOTE no lleva fuente ni archivos")
        r = undo_batch(db, undo, echo=err)
        if as_json:
            click.echo(json.dumps(r.as_dict(), ensure_ascii=False, indent=2))
        else:
            (click.echo if r.status == "loaded" else err)(r.message)
        sys.exit(r.exit_code)
    if not source or not files:
        raise click.UsageError("indique la fuente y al menos un archivo (o --deshacer LOTE)")
    options = {
        k: v
        for k, v in {
            "sheet": sheet,
            "indicator": indicator,
            "program": program,
            "cutoff_month": cutoff_month,
            "received": received.date() if received else None,
            "since": since,
            "completo": completo or None,
            "sum_repeated": sum_repeated or None,
        }.items()
        if v is not None
    }
    if source not in LOADERS:
        err(f"la fuente {source!r} aún no tiene cargador")
        sys.exit(EXIT_ERROR)
    try:
        cat = load_catalogue()
    except CatalogueError as e:
        err(str(e))
        sys.exit(EXIT_ERROR)
    worst = 0
    reports = []
    for f in files:
        r = load_file(
            db,
            source,
            f,
            strict=strict,
            force=force,
            options=options,
            catalogue=cat,
            dry_run=dry_run,
            echo=lambda m: err(m) if not as_json else None,
        )
        reports.append(r)
        if not as_json:
            print_report(r)
        worst = max(worst, r.exit_code)
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in reports], ensure_ascii=False, indent=2))
    sys.exit(worst)
