"""The warehouse as a whole: ``semaforo check`` (is every block readable, every constraint met), ``status``
(batches, rows per source and period) and ``migrate`` (pending migrations, views, marts)."""

from __future__ import annotations

import json
import sys

import click
import duckdb

from warehouse.catalogue_model import CatalogueError
from warehouse.catalogue_read import load_catalogue
from warehouse.command import DB, EXIT_ERROR, err
from warehouse.db import WarehouseError, check_file

from ..load import writer_lock
from ..status import warehouse_status


@click.command()
@DB
@click.option("--json", "as_json", is_flag=True, help="Resultado en JSON.")
def check(db, as_json) -> None:
    """Verificar el almacén entero: leer cada bloque de cada tabla y correr todas las restricciones.
    Sale con 0 si está íntegro, 4 si no (o si no se puede abrir)."""
    problems = check_file(db)
    if as_json:
        click.echo(json.dumps({"db": str(db), "ok": not problems, "problems": problems}, ensure_ascii=False))
    elif problems:
        err(f"El almacén {db} NO está íntegro:")
        for p in problems:
            err(f"  {p}")
    else:
        click.echo(
            f"Almacén {db}: íntegro (todas las tablas leídas enteras, todas las restricciones cumplidas)"
        )
    sys.exit(EXIT_ERROR if problems else 0)


@click.command()
@DB
@click.option("--json", "as_json", is_flag=True, help="Estado en JSON.")
def status(db, as_json) -> None:
    """Lotes cargados, filas por fuente y periodo, filas en cuarentena."""
    if not db.exists():
        err(f"No existe el almacén {db}")
        sys.exit(EXIT_ERROR)
    try:
        s = warehouse_status(db)
    except (WarehouseError, duckdb.Error) as e:
        err(f"No se puede leer el almacén {db}: {e}")
        sys.exit(EXIT_ERROR)
    # Every block read (not the constraints: `semaforo check`): a damaged warehouse is never reported as fine.
    s["damaged"] = check_file(db, constraints=False)
    if as_json:
        click.echo(json.dumps(s, ensure_ascii=False, indent=2, default=str))
        sys.exit(EXIT_ERROR if s["damaged"] else 0)
    if s["damaged"]:
        err(
            f"ATENCIÓN: el almacén {db} está DAÑADO (restaure una copia de seguridad): "
            + "; ".join(s["damaged"])
        )
    click.echo(f"Almacén {db} — esquema v{s['schema_version']}, catálogo {s['catalogue_version']}")
    click.echo("\nFilas por fuente:")
    for src, info in s["sources"].items():
        click.echo(
            f"  {src:<11} {info['rows']:>12,} filas  {info['batches']:>4} lotes  "
            f"periodos {info['first_period'] or '–'} … {info['last_period'] or '–'}"
        )
    click.echo(f"\nMart de indicadores: {s['mart']['rows']:,} filas, {s['mart']['indicators']} indicadores")
    click.echo(f"Filas en cuarentena: {s['quarantine_rows']:,}")
    click.echo("\nÚltimos lotes:")
    for b in s["batches"][-15:]:
        click.echo(
            f"  {b['batch_id']:>5} {b['source']:<11} {b['status']:<10} {b['rows_loaded'] or 0:>10,} filas  "
            f"{b['rows_rejected'] or 0:>6,} rech.  {b['file_name']}"
        )
    sys.exit(EXIT_ERROR if s["damaged"] else 0)


@click.command()
@DB
def migrate(db) -> None:
    """Aplicar migraciones pendientes y recrear vistas."""
    from warehouse.db import open_writer
    from warehouse.marts import refresh_all
    from warehouse.sync import sync_reference

    try:
        with writer_lock(db, err), open_writer(db) as con:
            con.execute("begin")
            sync_reference(con, load_catalogue())
            refresh_all(con)
            con.execute("commit")
    except (WarehouseError, CatalogueError, duckdb.Error) as e:
        err(f"No se puede migrar el almacén {db}: {e}")
        sys.exit(EXIT_ERROR)
    click.echo(f"{db}: al día")
