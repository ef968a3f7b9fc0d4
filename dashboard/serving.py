"""``semaforo serve``: the app under gunicorn — several worker processes, each with threads — with request logs
and the configuration of ``dashboard.config``. Workers build their own app after forking (DuckDB connections do
not survive a fork); the master only checks the configuration and the warehouse first, so that a mistake stops
the server at start with a message instead of failing every worker."""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
from typing import Any

from gunicorn.app.base import BaseApplication

from .config import ServeConfig


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


class Server(BaseApplication):
    def __init__(self, cfg: ServeConfig):
        self.cfg_app = cfg
        super().__init__()

    def load_config(self) -> None:
        c = self.cfg_app
        settings: dict[str, Any] = {
            "bind": f"[{c.host}]:{c.port}" if ":" in c.host else f"{c.host}:{c.port}",
            "workers": c.workers,
            "threads": c.threads,
            "worker_class": "gthread",
            "timeout": c.timeout,
            "graceful_timeout": 30,
            "keepalive": 5,
            "accesslog": None,  # requests are logged by the app, with the user and warehouse version
            "errorlog": "-",
            "loglevel": c.log_level,
            "proc_name": "semaforo",
            "forwarded_allow_ips": ",".join(c.trusted_proxies),
            # Bound request lines and headers: a client cannot make a worker buffer megabytes of them.
            "limit_request_line": 8190,
            "limit_request_fields": 100,
            "limit_request_field_size": 8190,
            "worker_exit": worker_exit,
        }
        for key, value in settings.items():
            self.cfg.set(key, value)

    def load(self):
        configure_logging(self.cfg_app.log_level)
        from .app import create_app
        from .profiling import wrap

        return wrap(create_app(config=self.cfg_app, share_layouts=True).server)


def worker_exit(_arbiter: object, worker: Any) -> None:
    """A worker that served ends here, its requests answered, without the interpreter's own shutdown: that
    shutdown collected the DuckDB database in a forked worker and waited for ever on DuckDB's idle threads (seen
    after every bench part: workers orphaned once the master was killed, using memory and CPU), and it would also
    join a pending level-11 compression of a library file (``delivery.StaticCache``, tens of seconds). Nothing is
    lost: the warehouse is open read-only, the shared state commits each write, compressed files are renamed into
    place whole."""
    if not worker.booted:  # a failed boot keeps its exit code: the master stops on it
        return
    from . import profiling

    profiling.finish()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def check(cfg: ServeConfig) -> None:
    """What would stop every worker, checked once in the master with plain SQL (no app, no thread pools before
    the fork): the warehouse opens and is up to date, the regions, the users file and the GeoJSON are valid."""
    from warehouse.db import connect_readonly

    from .auth import read_users
    from .shared_state import StateFile

    con = connect_readonly(cfg.db)
    try:
        known = {r for (r,) in con.execute("select region_code from core_region").fetchall()}
    finally:
        con.close()
    if cfg.regions is not None and cfg.regions - known:
        raise ValueError(
            f"regiones desconocidas: {', '.join(sorted(cfg.regions - known))}; códigos válidos: {', '.join(sorted(known))}"
        )
    if cfg.users_file is not None:
        read_users(cfg.users_file, known)
        try:  # the workers share it: sign-in counts and session generations
            StateFile(cfg.shared_state)
        except sqlite3.Error as e:
            raise ValueError(
                f"no se puede usar el archivo de estado del servidor {cfg.shared_state} ({e}); "
                "indique uno en una carpeta con permiso de escritura (state_file)"
            ) from e
    if cfg.geojson is not None:  # a GeoJSON without usable region codes would serve an empty map
        from .components.region_map import load_shapes

        con = connect_readonly(cfg.db)
        try:
            regions = con.execute("select region_code, department_code, province_code from core_region").df()
        finally:
            con.close()
        load_shapes(cfg.geojson, regions)


def run(cfg: ServeConfig) -> None:
    configure_logging(cfg.log_level)
    log = logging.getLogger("semaforo.serve")
    check(cfg)
    if cfg.anonymous == "admin" and cfg.host not in ("127.0.0.1", "localhost", "::1"):
        log.warning(
            "sin inicio de sesión y escuchando en %s: cualquiera que llegue a este puerto ve todo y puede cargar "
            "archivos. Configure users_file o sso_header (README, 'Servir en producción').",
            cfg.host,
        )
    log.info(
        "sirviendo %s en http://%s:%d con %d procesos × %d hilos; visitantes sin sesión: %s",
        cfg.db,
        cfg.host,
        cfg.port,
        cfg.workers,
        cfg.threads,
        cfg.anonymous,
    )
    Server(cfg).run()
