"""How a server is configured: defaults, then a TOML file (``semaforo.toml``, table ``[serve]``), then environment
variables ``SEMAFORO_<NAME>``, then the command line — each overriding the one before. One dataclass, validated
once at start so that a typo stops the server with the file and key named instead of surfacing on a request."""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

from pydantic import TypeAdapter, ValidationError

ANONYMOUS = ("ninguno", "publico", "nacional", "admin")


class ConfigError(ValueError):
    """A configuration value that cannot be used; the message names where it came from."""


@dataclass(frozen=True)
class ServeConfig:
    db: Path = Path("demo.duckdb")
    host: str = "127.0.0.1"
    port: int = 8050
    workers: int = 2  # processes; each keeps its own read-only connection and query cache
    threads: int = 4  # requests served at once by each process
    timeout: int = 300  # seconds a request may run: a web upload loads its file before answering
    geojson: Path | None = None
    regions: frozenset[str] | None = None  # a regional server: only these regions, for every user
    users_file: Path | None = None  # enables login (see dashboard.auth)
    # What a visitor who has not signed in is: ninguno (must sign in), publico, nacional or admin. Default: admin
    # when no login is configured (a single-user or closed-network install: everything, as before), else ninguno.
    anonymous: str = ""
    sso_header: str | None = None  # e.g. X-Remote-User, set by the ministry's single sign-on proxy
    trusted_proxies: tuple[str, ...] = ("127.0.0.1", "::1")  # only they may set sso_header
    proxies: int = 0  # reverse proxies in front whose X-Forwarded-* headers are trusted
    https: bool = False  # served over TLS (by the proxy): secure cookies, HSTS
    secret_key: str = field(default="", repr=False)  # signs session cookies; all workers must share it
    login_limit: str = "5 per minute"  # failed sign-ins per user name
    # failed sign-ins per address: looser, since a whole regional office may reach us through one NAT address
    login_limit_address: str = "20 per minute"
    # Where the failed sign-ins are counted; empty: the server's state file (below), shared by its workers.
    # memory:// counts per process (each worker apart); redis://host:6379 shares the count between servers.
    ratelimit_storage: str = ""
    # A small SQLite file shared by the workers: sign-in counters and session generations (default: beside the
    # warehouse, <db>.servidor.sqlite)
    state_file: Path | None = None
    upload_max_mb: int = 200
    # A web upload loads in a child process held to this memory (MB, address space) and these seconds (less than
    # `timeout`, so that the page can say why); a file that needs more is refused there, never in a worker.
    upload_memory_mb: int = 4096  # DuckDB alone reserves ~1.2 GB of address space
    upload_seconds: int = 0  # 0: 20 s less than `timeout`
    upload_dir: Path | None = None  # default: <db folder>/cargas
    cache_mb: int = 64  # per process and warehouse version
    # DuckDB's threads per query in each process; 0: its default, one per core. Under many users the workers and
    # their threads already fill the cores (README, "Rendimiento": measured both ways)
    duckdb_threads: int = 0
    log_level: str = "info"  # 'warning' drops the per-request lines (logger semaforo.access)

    @property
    def uploads(self) -> Path:
        return self.upload_dir or self.db.resolve().parent / "cargas"

    @property
    def shared_state(self) -> Path:
        return (self.state_file or self.db.resolve().with_suffix(".servidor.sqlite")).resolve()

    @property
    def limiter_storage(self) -> str:
        """Where failed sign-ins are counted: the state file when users sign in; without a users file nobody does,
        and nothing is written beside the warehouse."""
        if self.ratelimit_storage:
            return self.ratelimit_storage
        return f"sqlite://{self.shared_state}" if self.users_file else "memory://"


# Each field's declared type, and its validator: one place decides what a setting may hold.
_TYPES = get_type_hints(ServeConfig)
_ADAPTERS = {name: TypeAdapter(kind) for name, kind in _TYPES.items()}
_YES = ("si", "sí")  # what pydantic's booleans lack for Spanish speakers


def _coerce(name: str, value: Any, where: str) -> Any:
    """A value from TOML, an environment variable or the command line, as the field's declared type."""
    kind = _TYPES[name]
    optional = type(None) in get_args(kind)
    base = next((a for a in get_args(kind) if a is not type(None)), kind) if optional else kind
    collection = get_origin(base) in (frozenset, tuple)
    try:
        if value is None or value == "":
            if optional or base is str:
                return None if optional else ""
            raise ValueError("falta el valor")
        if collection:  # "09,LM" from the environment or the command line; a list from TOML
            items = value.split(",") if isinstance(value, str) else list(value)
            value = [str(c).strip() for c in items if str(c).strip()]
            if get_origin(base) is frozenset:  # region codes
                value = [c.upper() for c in value]
            if not value and optional:
                return None
        if base is bool and isinstance(value, str) and value.strip().lower() in _YES:
            value = True
        return _ADAPTERS[name].validate_python(value)
    except ValidationError as e:
        reason = e.errors()[0]["msg"]
        raise ConfigError(f"{where}: valor inválido para {name}: {value!r} ({reason})") from e
    except ValueError as e:
        raise ConfigError(f"{where}: valor inválido para {name}: {value!r} ({e})") from e


def load_config(file: Path | None = None, env: dict[str, str] | None = None, **cli: Any) -> ServeConfig:
    """The configuration from ``file`` (or ``SEMAFORO_CONFIG``), the environment and the command line (``None``
    values of ``cli`` are options not given)."""
    env = dict(os.environ if env is None else env)
    names = {f.name for f in fields(ServeConfig)}
    values: dict[str, Any] = {}
    file = file or (Path(env["SEMAFORO_CONFIG"]) if env.get("SEMAFORO_CONFIG") else None)
    if file is not None:
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise ConfigError(f"{file}: no se puede leer la configuración: {e}") from e
        section = data.get("serve", {})
        unknown = set(section) - names
        if unknown:
            raise ConfigError(f"{file}: claves desconocidas en [serve]: {', '.join(sorted(unknown))}")
        for k, v in section.items():
            values[k] = _coerce(k, v, f"{file} [serve] {k}")
            if (
                k in ("users_file", "geojson", "upload_dir", "db", "state_file")
                and values[k]
                and not values[k].is_absolute()
            ):
                values[k] = file.parent / values[k]  # relative to the file, not to where the server starts
    for k in names:
        if f"SEMAFORO_{k.upper()}" in env:
            values[k] = _coerce(k, env[f"SEMAFORO_{k.upper()}"], f"variable SEMAFORO_{k.upper()}")
    for k, v in cli.items():
        if v is not None:
            values[k] = _coerce(k, v, f"opción --{k}")
    cfg = replace(ServeConfig(), **values)
    if not cfg.anonymous:
        cfg = replace(cfg, anonymous="ninguno" if cfg.users_file or cfg.sso_header else "admin")
    if cfg.anonymous not in ANONYMOUS:
        raise ConfigError(f"anonymous debe ser uno de {', '.join(ANONYMOUS)}, no {cfg.anonymous!r}")
    if cfg.anonymous == "ninguno" and not (cfg.users_file or cfg.sso_header):
        raise ConfigError("anonymous = 'ninguno' exige iniciar sesión: indique users_file o sso_header")
    if cfg.users_file is not None and not cfg.users_file.is_file():
        raise ConfigError(f"no existe el archivo de usuarios {cfg.users_file}")
    if cfg.workers < 1 or cfg.threads < 1:
        raise ConfigError("workers y threads deben ser al menos 1")
    if cfg.duckdb_threads < 0:
        raise ConfigError("duckdb_threads debe ser 0 (uno por núcleo) o más")
    if not cfg.upload_seconds:
        cfg = replace(cfg, upload_seconds=max(cfg.timeout - 20, cfg.timeout // 2))
    if not 0 < cfg.upload_seconds < cfg.timeout:
        raise ConfigError(
            f"upload_seconds ({cfg.upload_seconds}) debe ser positivo y menor que timeout ({cfg.timeout}), "
            "para que la página de carga pueda decir por qué se detuvo"
        )
    if cfg.upload_memory_mb < 1536:
        raise ConfigError(
            f"upload_memory_mb ({cfg.upload_memory_mb}) debe ser al menos 1536: DuckDB no abre el almacén con menos"
        )
    if not cfg.secret_key:
        # Generated once in the parent process, before the workers fork: they share it. Sessions end when the
        # server restarts; set SEMAFORO_SECRET_KEY to keep them.
        cfg = replace(cfg, secret_key=secrets.token_hex(32))
    return cfg
