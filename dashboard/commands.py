"""The dashboard's ``semaforo`` commands: ``serve`` (the web app under gunicorn), ``usuarios`` (the users file)
and ``export`` (a view with its filters, as the dashboard downloads it). Registered with the ETL's in
:mod:`semaforo.cli`; the web stack is imported only when one of them runs, so ``semaforo load`` never loads it."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import duckdb

from warehouse.command import DB, EXIT_ERROR, err
from warehouse.db import WarehouseError


@click.command()
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
    from .auth import UsersFileError
    from .config import ConfigError, load_config
    from .serving import run

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
            from .app import create_app

            create_app(config=cfg).run(host=cfg.host, port=cfg.port, debug=True)
            return
        run(cfg)
    except (WarehouseError, ValueError, ConfigError, UsersFileError) as e:
        err(str(e))
        sys.exit(EXIT_ERROR)


@click.group()
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
    from .auth import upsert_user

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
        err(str(e))
        sys.exit(EXIT_ERROR)
    click.echo(f"{archivo}: usuario {usuario} ({rol}) guardado")


@usuarios.command("quitar")
@USERS_FILE
@click.argument("usuario")
def usuarios_quitar(archivo, usuario) -> None:
    """Quitar un usuario (su sesión termina en su siguiente pedido)."""
    from .auth import remove_user

    if not remove_user(archivo, usuario):
        err(f"{archivo}: no hay un usuario {usuario}")
        sys.exit(EXIT_ERROR)
    click.echo(f"{archivo}: usuario {usuario} quitado")


@click.command()
@DB
@click.option(
    "--program", "--programa", "program", default="0001", show_default=True, help="Programa presupuestal."
)
@click.option("--region", help="Código de región (p. ej. 09 o LM); por defecto el país.")
@click.option(
    "--period", "--periodo", "period", help="Mes 'AAAA-MM' o año 'AAAA'; por defecto el último con datos."
)
@click.option(
    "--view",
    "--vista",
    "view",
    default="indicadores",
    show_default=True,
    help="'indicadores' (el tablero de indicadores), una tabla del presupuesto (presupuesto-productos, "
    "presupuesto-meses, presupuesto-unidades, presupuesto-regiones, presupuesto-cambio) o de la calidad de datos "
    "(calidad-completitud, calidad-sin-reporte, calidad-atipicos, calidad-triangulacion, calidad-cargas, "
    "calidad-cuarentena), o el detalle de una región (region-detalle, con --region y --arbol).",
)
@click.option(
    "--producto",
    "product",
    help="Producto del marco lógico (p. ej. PAN_P_CRED) para las tablas del presupuesto.",
)
@click.option("--desde", "since", help="Año base de la comparación entre años (presupuesto-cambio).")
@click.option(
    "--arbol",
    "tree",
    type=click.Choice(["territorio", "red"]),
    default="territorio",
    show_default=True,
    help="Árbol del detalle (region-detalle, calidad-completitud): territorio o red de salud.",
)
@click.option("--provincia", "province", help="Provincia del detalle (árbol territorio).")
@click.option("--distrito", "district", help="Distrito del detalle (árbol territorio).")
@click.option("--red", "red", help="Red del detalle (árbol red; código DISA_RED, p. ej. 13_01).")
@click.option("--microred", "microred", help="MicroRed del detalle (árbol red; código DISA_RED_MICRORED).")
@click.option("--indicador", "indicator", help="Indicador del detalle de la región (region-detalle).")
@click.option("--lang", type=click.Choice(["es", "en"]), default="es", show_default=True)
@click.option("--format", "fmt_", type=click.Choice(["xlsx", "csv", "json"]), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option(
    "--url",
    "base_url",
    envvar="SEMAFORO_URL",
    default="",
    help="Dirección del tablero (p. ej. https://semaforo.example.gob.pe) para que el enlace de la vista sea completo.",
)
def export(
    db,
    program,
    region,
    period,
    view,
    product,
    since,
    tree,
    province,
    district,
    red,
    microred,
    indicator,
    lang,
    fmt_,
    output,
    base_url,
) -> None:
    """Exportar una vista con sus filtros, igual que la descarga del tablero (Excel con hojas de contexto)."""
    import datetime as dt

    from . import context
    from . import export as exports
    from .data import Warehouse
    from .pages.region import region_ok
    from .state import Filters
    from .tables import TABLES

    try:
        wh = Warehouse(db)
        wh.snapshot  # noqa: B018 — fail here on an unusable warehouse
    except (WarehouseError, duckdb.Error, OSError) as e:
        err(f"No se puede abrir el almacén {db}: {e}")
        sys.exit(EXIT_ERROR)
    context.set_warehouse(wh)
    f = Filters(
        program=program,
        period=period,
        product=product,
        since=since,
        tree=tree,
        province=province,
        district=district,
        red=red,
        microred=microred,
        indicator=indicator,
        lang=lang,
    )
    if program not in wh.snapshot.catalogue.programs:
        raise click.BadParameter(f"programa desconocido: {program}", param_hint="--program")
    if not wh.has_period(program, period):
        raise click.BadParameter(f"sin datos del programa {program} para {period}", param_hint="--period")
    if region is not None and not region_ok(wh, region.upper()):
        raise click.BadParameter(f"región desconocida: {region}", param_hint="--region")
    region = region.upper() if region else None
    element = wh.snapshot.catalogue.elements.get(product) if product else None
    if product and (element is None or element.program != program or element.level != "product"):
        raise click.BadParameter(
            f"producto desconocido del programa {program}: {product}", param_hint="--producto"
        )
    if view == "indicadores":
        snapshot = exports.region_snapshot(wh, f, region) if region else exports.resumen_snapshot(wh, f)
    elif view in TABLES:
        from .tables import budget_scope

        if TABLES[view].page == "/region" and region is None:
            raise click.BadParameter(
                f"la vista {view} es el detalle de una región: indique --region", param_hint="--region"
            )

        if TABLES[view].page == "/presupuesto" and budget_scope(wh, f, region) is None:
            raise click.BadParameter(
                f"sin ejecución presupuestal de {program} para {period}", param_hint="--period"
            )
        snapshot = exports.table_snapshot(TABLES[view], wh, f, region)
    else:
        raise click.BadParameter(f"vista desconocida: {view}", param_hint="--view")
    output.write_bytes(
        exports.render(wh, f, snapshot, fmt_, dt.datetime.now(exports.PERU), base_url.rstrip("/"))
    )
    click.echo(f"{output}: {len(snapshot.data)} filas ({snapshot.title})")


COMMANDS: tuple[click.Command, ...] = (serve, usuarios, export)
