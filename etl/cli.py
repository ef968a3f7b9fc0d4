"""``semaforo``: load source files, inspect the warehouse, build the demo, serve the dashboard.

The warehouse is ``--db FILE`` or the ``SEMAFORO_DB`` environment variable. Exit codes of ``load`` are documented
in :mod:`etl.load` and the README; an error no command anticipated exits 5 (:mod:`etl.crash`), never with a
traceback. The installed ``semaforo`` is :func:`run`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import duckdb

from warehouse.catalogue import CatalogueError, load_catalogue
from warehouse.db import WarehouseError, check_file

from . import crash
from .load import EXIT_ERROR, LoadReport, load_file, program_version, report_lines, undo_batch, writer_lock
from .loaders import LOADERS
from .status import warehouse_status

DB = click.option(
    "--db",
    envvar="SEMAFORO_DB",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Archivo DuckDB del almacén (o variable SEMAFORO_DB).",
)


def _err(msg: str) -> None:
    click.echo(msg, err=True)


def print_report(r: LoadReport, limit: int = 200) -> None:
    for level, line in report_lines(r, limit):
        (click.echo if level == "ok" else _err)(line)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(program_version(), prog_name="semaforo")
def main() -> None:
    """Semáforo PpR: almacén DuckDB y tablero del Presupuesto por Resultados (PAN 0001)."""


def run() -> None:
    """The ``semaforo`` command: :func:`main`, with an unexpected error as one line and its trace in a file, and
    Ctrl-C as exit 130 (click's own "Aborted!" would exit 1, which means a partial load here)."""
    try:
        code = main(standalone_mode=False)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except click.Abort:
        _err("Interrumpido (Ctrl-C)")
        sys.exit(crash.EXIT_INTERRUPTED)
    except Exception as e:
        crash.handle(e, sys.argv, program_version())
    sys.exit(code if isinstance(code, int) else 0)


@main.command()
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
        r = undo_batch(db, undo, echo=_err)
        if as_json:
            click.echo(json.dumps(r.as_dict(), ensure_ascii=False, indent=2))
        else:
            (click.echo if r.status == "loaded" else _err)(r.message)
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
        _err(f"la fuente {source!r} aún no tiene cargador")
        sys.exit(EXIT_ERROR)
    try:
        cat = load_catalogue()
    except CatalogueError as e:
        _err(str(e))
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
            echo=lambda m: _err(m) if not as_json else None,
        )
        reports.append(r)
        if not as_json:
            print_report(r)
        worst = max(worst, r.exit_code)
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in reports], ensure_ascii=False, indent=2))
    sys.exit(worst)


@main.command()
@DB
@click.option("--json", "as_json", is_flag=True, help="Resultado en JSON.")
def check(db, as_json) -> None:
    """Verificar el almacén entero: leer cada bloque de cada tabla y correr todas las restricciones.
    Sale con 0 si está íntegro, 4 si no (o si no se puede abrir)."""
    problems = check_file(db)
    if as_json:
        click.echo(json.dumps({"db": str(db), "ok": not problems, "problems": problems}, ensure_ascii=False))
    elif problems:
        _err(f"El almacén {db} NO está íntegro:")
        for p in problems:
            _err(f"  {p}")
    else:
        click.echo(
            f"Almacén {db}: íntegro (todas las tablas leídas enteras, todas las restricciones cumplidas)"
        )
    sys.exit(EXIT_ERROR if problems else 0)


@main.command()
@DB
@click.option("--json", "as_json", is_flag=True, help="Estado en JSON.")
def status(db, as_json) -> None:
    """Lotes cargados, filas por fuente y periodo, filas en cuarentena."""
    if not db.exists():
        _err(f"No existe el almacén {db}")
        sys.exit(EXIT_ERROR)
    try:
        s = warehouse_status(db)
    except (WarehouseError, duckdb.Error) as e:
        _err(f"No se puede leer el almacén {db}: {e}")
        sys.exit(EXIT_ERROR)
    # Every block read (not the constraints: `semaforo check`): a damaged warehouse is never reported as fine.
    s["damaged"] = check_file(db, constraints=False)
    if as_json:
        click.echo(json.dumps(s, ensure_ascii=False, indent=2, default=str))
        sys.exit(EXIT_ERROR if s["damaged"] else 0)
    if s["damaged"]:
        _err(
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


@main.command()
@click.option(
    "--engine",
    "engine_name",
    type=click.Choice(["duckdb", "spark"]),
    default="duckdb",
    show_default=True,
    help="Motor: DuckDB en este proceso, o Apache Spark (PySpark; local o --spark-master).",
)
@click.option(
    "--records",
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="Registros nominales: un CSV o Parquet, o una carpeta de ellos (Parquet particionado por año), o una "
    "carpeta de exportaciones del HIS-MINSA (ZIP o CSV: tramas, MaestroPaciente, maestros).",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Carpeta de salida: Parquet particionado por año (anio=AAAA/) para «semaforo load admin».",
)
@click.option("--indicador", "indicators", multiple=True, help="Solo estos indicadores (repetible).")
@click.option("--strict", is_flag=True, help="No calcular nada si algún registro tiene problemas.")
@click.option(
    "--desde",
    "since",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Primer día que cubre el extracto (por defecto, la primera atención).",
)
@click.option(
    "--hasta",
    "until",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Último día que cubre el extracto (por defecto, la última atención).",
)
@click.option("--spark-master", help="URL del clúster Spark (por defecto local[2] o SPARK_MASTER).")
@click.option("--threads", type=int, help="Hilos de DuckDB (por defecto, todos los núcleos).")
@click.option(
    "--memoria",
    "memory_limit",
    help="Memoria máxima de DuckDB, p. ej. 4GB (lo demás va a disco); por defecto, el 80 % de la RAM.",
)
@click.option(
    "--clave",
    "key_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Archivo con la clave que seudonimiza los documentos de las exportaciones del HIS (o SEMAFORO_CLAVE).",
)
@click.option("--json", "as_json", is_flag=True, help="Informe en JSON.")
def compute(
    engine_name,
    records,
    out,
    indicators,
    strict,
    since,
    until,
    spark_master,
    threads,
    memory_limit,
    key_file,
    as_json,
) -> None:
    """Calcular indicadores desde registros nominales (definiciones del catálogo) con DuckDB o Spark.

    Solo los agregados mensuales por establecimiento salen de aquí: los registros se quedan donde están.
    """
    from .records.compute import compute as run

    report = run(
        records,
        out,
        engine_name,
        list(indicators) or None,
        strict,
        since=since.date() if since else None,
        until=until.date() if until else None,
        echo=(lambda m: None) if as_json else _err,
        key_file=key_file,
        master=spark_master,
        threads=threads,
        memory_limit=memory_limit,
    )
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        for line in report.lines():
            (
                click.echo
                if report.status in ("computed", "partial") and not line.startswith(("aviso", "…"))
                else _err
            )(line)
    sys.exit(report.exit_code)


@main.command()
@DB
def migrate(db) -> None:
    """Aplicar migraciones pendientes y recrear vistas."""
    from warehouse.db import open_writer
    from warehouse.marts import refresh_all
    from warehouse.sync import sync_reference

    try:
        with writer_lock(db, _err), open_writer(db) as con:
            con.execute("begin")
            sync_reference(con, load_catalogue())
            refresh_all(con)
            con.execute("commit")
    except (WarehouseError, CatalogueError, duckdb.Error) as e:
        _err(f"No se puede migrar el almacén {db}: {e}")
        sys.exit(EXIT_ERROR)
    click.echo(f"{db}: al día")


@main.command()
@DB
@click.option(
    "--sources",
    type=click.Path(file_okay=False, path_type=Path),
    help="Carpeta donde guardar los archivos fuente generados (por defecto, una temporal).",
)
@click.option("--seed", type=int, default=2026, show_default=True, help="Semilla del generador.")
def demo(db, sources, seed) -> None:
    """Construir el almacén de demostración: generador → cargadores reales → almacén."""
    from .demo.build import build_demo

    failures = build_demo(db, sources, seed, echo=_err)
    sys.exit(1 if failures else 0)


@main.command()
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Archivo DuckDB del almacén (o SEMAFORO_DB, o 'db' en el archivo de configuración).",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Archivo de configuración TOML, tabla [serve] (o SEMAFORO_CONFIG). Ver README, 'Servir en producción'.",
)
@click.option("--port", type=int, help="Puerto (por defecto 8050).")
@click.option("--host", help="Dirección donde escuchar (por defecto 127.0.0.1).")
@click.option("--workers", type=int, help="Procesos (por defecto 2).")
@click.option("--threads", type=int, help="Hilos por proceso (por defecto 4).")
@click.option(
    "--geojson",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Límites departamentales (GeoJSON) para un mapa coroplético en lugar del mapa de mosaicos.",
)
@click.option(
    "--regiones",
    "regions",
    help="Regiones que este servidor muestra a todos, p. ej. '09' o '15,LM' (servidor regional); por defecto todas.",
)
@click.option(
    "--usuarios",
    "users_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Archivo de usuarios (YAML, claves Argon2): activa el inicio de sesión.",
)
@click.option(
    "--anonimo",
    "anonymous",
    type=click.Choice(["ninguno", "publico", "nacional", "admin"]),
    help="Qué ve quien no inició sesión (por defecto: todo sin archivo de usuarios; nada, con él).",
)
@click.option(
    "--debug", is_flag=True, help="Servidor de desarrollo de Dash (un proceso, recarga, sin gunicorn)."
)
def serve(
    db, config_file, port, host, workers, threads, geojson, regions, users_file, anonymous, debug
) -> None:
    """Servir el tablero sobre un almacén (gunicorn, varios procesos)."""
    from dashboard.auth import UsersFileError
    from dashboard.config import ConfigError, load_config
    from dashboard.serving import run
    from warehouse.db import WarehouseError

    try:
        cfg = load_config(
            config_file,
            db=db,
            port=port,
            host=host,
            workers=workers,
            threads=threads,
            geojson=geojson,
            regions=regions,
            users_file=users_file,
            anonymous=anonymous,
        )
        if debug:
            from dashboard.app import create_app

            create_app(config=cfg).run(host=cfg.host, port=cfg.port, debug=True)
            return
        run(cfg)
    except (WarehouseError, ValueError, ConfigError, UsersFileError) as e:
        _err(str(e))
        sys.exit(EXIT_ERROR)


@main.group()
def usuarios() -> None:
    """Administrar el archivo de usuarios del tablero (claves guardadas como hash Argon2id)."""


USERS_FILE = click.argument("archivo", type=click.Path(dir_okay=False, path_type=Path))


@usuarios.command("agregar")
@USERS_FILE
@click.argument("usuario")
@click.option("--rol", type=click.Choice(["publico", "regional", "nacional", "admin"]), required=True)
@click.option("--regiones", help="Para el rol regional: códigos de región, p. ej. '09' o '15,LM'.")
@click.option("--nombre", help="Nombre que muestra el tablero.")
@click.option(
    "--sin-clave", is_flag=True, help="Sin contraseña: solo por el inicio de sesión único (cabecera)."
)
@click.option("--clave", envvar="SEMAFORO_CLAVE", help="Contraseña (se pide sin mostrarla si no se da).")
def usuarios_agregar(archivo, usuario, rol, regiones, nombre, sin_clave, clave) -> None:
    """Agregar o reemplazar un usuario."""
    from dashboard.auth import upsert_user

    if not sin_clave and not clave:
        clave = click.prompt("Contraseña", hide_input=True, confirmation_prompt="Repita la contraseña")
    regions = [
        r.strip().upper().zfill(2) if r.strip().isdigit() else r.strip().upper()
        for r in (regiones or "").split(",")
        if r.strip()
    ]
    try:
        upsert_user(archivo, usuario, rol, regions, nombre, None if sin_clave else clave)
    except ValueError as e:
        _err(str(e))
        sys.exit(EXIT_ERROR)
    click.echo(f"{archivo}: usuario {usuario} ({rol}) guardado")


@usuarios.command("quitar")
@USERS_FILE
@click.argument("usuario")
def usuarios_quitar(archivo, usuario) -> None:
    """Quitar un usuario (su sesión termina en su siguiente pedido)."""
    from dashboard.auth import remove_user

    if not remove_user(archivo, usuario):
        _err(f"{archivo}: no hay un usuario {usuario}")
        sys.exit(EXIT_ERROR)
    click.echo(f"{archivo}: usuario {usuario} quitado")


# `semaforo export` is the dashboard's (dashboard/export/command.py: it reads the views); registered here until
# the command-line root of issue 21 composes both. It imports no web stack (no Dash, Flask or argon2).
from dashboard.export.command import export  # noqa: E402

main.add_command(export)


if __name__ == "__main__":
    run()
