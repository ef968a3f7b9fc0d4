"""Who is asking and what they may see. Optional login against a local users file (Argon2id hashes) or a trusted
single-sign-on header; roles *publico* (published region-level figures), *regional* (only its regions, down to
the facility), *nacional* (every territory) and *admin* (also data-quality details and the upload page).

The users file: read (re-read when it changes) and edited (``semaforo usuarios``). Every request passes the gate
(dashboard.gate), which names its user and sets what it may see.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

import argon2
import flask_login
import yaml

from warehouse.sync import territory_rows

from .access import Access

log = logging.getLogger("semaforo.auth")

ROLES = ("publico", "regional", "nacional", "admin")
ROLE_NAMES = {
    "publico": {"es": "Público", "en": "Public"},
    "regional": {"es": "Regional", "en": "Regional"},
    "nacional": {"es": "Nacional", "en": "National"},
    "admin": {"es": "Administrador", "en": "Administrator"},
}
_hasher = argon2.PasswordHasher()
# Checked against when the user name is unknown, so that a wrong name takes as long as a wrong password.
_DUMMY = _hasher.hash(secrets.token_hex(16))


@dataclass(frozen=True)
class User(flask_login.UserMixin):
    username: str
    name: str
    role: str
    regions: frozenset[str] | None = None  # a regional user's regions
    password_hash: str | None = field(default=None, repr=False)  # None: single sign-on only; never logged
    via: str = "anonimo"  # how the request was identified: sesion, sso, anonimo

    def get_id(self) -> str:
        return self.username

    @property
    def is_authenticated(self) -> bool:  # flask_login: an anonymous visitor is a User too, not signed in
        return self.via != "anonimo"

    @property
    def is_anonymous(self) -> bool:
        return self.via == "anonimo"

    @property
    def fingerprint(self) -> str:
        """What a session was granted on: a change of role, regions or password ends the user's sessions."""
        granted = f"{self.role}|{','.join(sorted(self.regions or ()))}|{self.password_hash or ''}"
        return hashlib.sha256(granted.encode()).hexdigest()[:32]

    @property
    def access(self) -> Access:
        return Access(
            regions=self.regions if self.role == "regional" else None,
            below_region=self.role != "publico",
            admin=self.role == "admin",
        )


class UsersFileError(ValueError):
    pass


class Users:
    """The users file (YAML), re-read when it changes so that an added user needs no restart:

    usuarios:
      - usuario: jperez
        nombre: Juana Pérez
        rol: regional
        regiones: ["09"]
        clave: $argon2id$v=19$…     # from `semaforo usuarios agregar`; absent: single sign-on only
    """

    def __init__(self, path: Path | None, known_regions: set[str] | None = None):
        self.path = path
        self.known = known_regions
        self._lock = threading.Lock()
        self._stamp: int | None = None
        self._users: dict[str, User] = {}
        if path is not None:
            self._users = read_users(path, known_regions)
            self._stamp = path.stat().st_mtime_ns

    def get(self, username: str) -> User | None:
        if self.path is None:
            return None
        stamp: int | None
        try:
            stamp = self.path.stat().st_mtime_ns
        except OSError:
            stamp = self._stamp
        if stamp != self._stamp:
            with self._lock:
                if stamp != self._stamp:
                    self._stamp = stamp  # tried once per change of the file: a broken file is logged once
                    try:
                        self._users = read_users(self.path, self.known)
                        log.info("usuarios releídos de %s: %d", self.path, len(self._users))
                    except (OSError, UsersFileError) as e:
                        log.error(
                            "no se pudo releer %s (%s); se siguen usando los usuarios anteriores",
                            self.path,
                            e,
                        )
        return self._users.get(username)

    def verify(self, username: str, password: str) -> User | None:
        """The user if the password is theirs; None otherwise, in about the same time either way."""
        user = self.get(username)
        hashed = user.password_hash if user and user.password_hash else _DUMMY
        try:
            _hasher.verify(hashed, password)
        except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
            return None
        return user if hashed is not _DUMMY else None


def read_users(path: Path, known_regions: set[str] | None = None) -> dict[str, User]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise UsersFileError(f"{path}: no se puede leer: {e}") from e
    users: dict[str, User] = {}
    for k, entry in enumerate(data.get("usuarios") or [], start=1):
        where = f"{path}, usuario n.º {k}"
        if not isinstance(entry, dict) or not entry.get("usuario"):
            raise UsersFileError(f"{where}: falta 'usuario'")
        name = str(entry["usuario"]).strip()
        role = str(entry.get("rol", "")).strip()
        if role not in ROLES:
            raise UsersFileError(f"{where} ({name}): rol {role!r} desconocido; use {', '.join(ROLES)}")
        # a code written as a bare number in YAML (01 → 1) is still the region's two-digit code
        regions = frozenset(_region_code(r) for r in entry.get("regiones") or []) or None
        if role == "regional" and not regions:
            raise UsersFileError(f"{where} ({name}): un usuario regional necesita 'regiones'")
        if role != "regional" and regions:
            raise UsersFileError(
                f"{where} ({name}): 'regiones' solo se usa con el rol regional (este es {role})"
            )
        if regions and known_regions is not None and regions - known_regions:
            raise UsersFileError(
                f"{where} ({name}): regiones desconocidas {', '.join(sorted(regions - known_regions))}"
            )
        hashed = entry.get("clave")
        if hashed is not None and not str(hashed).startswith("$argon2"):
            raise UsersFileError(
                f"{where} ({name}): 'clave' debe ser un hash Argon2 (semaforo usuarios agregar)"
            )
        if name in users:
            raise UsersFileError(f"{where}: usuario repetido {name}")
        users[name] = User(name, str(entry.get("nombre") or name), role, regions, hashed, "sesion")
    return users


def _region_code(value: object) -> str:
    code = str(value).strip().upper()
    return code.zfill(2) if code.isdigit() else code


MIN_PASSWORD = 10


def upsert_user(
    path: Path,
    username: str,
    role: str,
    regions: list[str],
    name: str | None,
    password: str | None,
    known_regions: set[str] | None = None,
) -> None:
    """Add or replace a user in the users file (created if missing), the password stored as an Argon2id hash;
    the file is checked as the server reads it before it is written, and replaced atomically."""
    if password is not None and len(password) < MIN_PASSWORD:
        raise UsersFileError(f"la contraseña debe tener al menos {MIN_PASSWORD} caracteres")
    data = _raw(path)
    entries = [e for e in data["usuarios"] if str(e.get("usuario")) != username]
    entry: dict = {"usuario": username, "nombre": name or username, "rol": role}
    if regions:
        entry["regiones"] = [_region_code(r) for r in regions]
    if password is not None:
        entry["clave"] = _hasher.hash(password)
    entries.append(entry)
    _write(path, {"usuarios": entries}, known_regions if known_regions is not None else region_codes())


def remove_user(path: Path, username: str) -> bool:
    data = _raw(path)
    entries = [e for e in data["usuarios"] if str(e.get("usuario")) != username]
    if len(entries) == len(data["usuarios"]):
        return False
    _write(path, {"usuarios": entries})
    return True


def region_codes() -> set[str]:
    """The 26 region codes (warehouse/territory/regions.csv, shipped with the package)."""
    return {row["region_code"] for row in territory_rows("regions.csv")}


def _raw(path: Path) -> dict:
    if not path.exists():
        return {"usuarios": []}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    data.setdefault("usuarios", [])
    return data


def _write(path: Path, data: dict, known_regions: set[str] | None = None) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(
        "# Usuarios del tablero Semáforo PpR: semaforo usuarios agregar|quitar ARCHIVO USUARIO\n"
        + yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    tmp.chmod(0o600)  # hashes only, but no one else needs to read them
    try:
        read_users(tmp, known_regions)
    except UsersFileError as e:
        tmp.unlink()
        raise UsersFileError(str(e).replace(str(tmp), str(path))) from None
    os.replace(tmp, path)
