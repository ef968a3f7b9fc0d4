"""The dashboard's ``semaforo`` commands: ``serve`` (the web app under gunicorn), ``usuarios`` (the users file)
and ``export`` (a view with its filters, as the dashboard downloads it). Registered with the ETL's in
:mod:`semaforo.cli`; the web stack is imported only when one of them runs, so ``semaforo load`` never loads it."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from warehouse.command import EXIT_ERROR, err
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


COMMANDS: tuple[click.Command, ...] = (serve, usuarios)
# `semaforo export` reads the views (pandas, the dashboard's modules): imported only when it runs.
LAZY_COMMANDS = {"export": "dashboard.export.command:export"}
