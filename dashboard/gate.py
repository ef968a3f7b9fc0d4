"""The request gate: every request passes :class:`Gate` before any page, callback, export or endpoint runs. It
names the user (a session, or a trusted single-sign-on header), refuses those who must sign in, and sets the
request's :class:`~dashboard.access.Access`, which ``Warehouse.query`` applies to every read. Restricting in the
UI alone would leave crafted requests open; this is the one place it happens. Also the forms' CSRF token."""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Callable
from urllib.parse import urlsplit

import flask
import flask_login
import werkzeug

from .access import Access
from .auth import User, Users
from .config import ServeConfig

log = logging.getLogger("semaforo.auth")

# Paths anyone may fetch: the login page and the files it and the app's shell need, and the health check.
OPEN_PATHS = (
    "/ingresar",
    "/healthz",
    "/vendor/",
    "/theme/",
    "/assets/",
    "/_dash-component-suites/",
    "/favicon",
)


def anonymous_user(cfg: ServeConfig) -> User | None:
    """What a visitor who has not signed in is, or None when they must sign in."""
    if cfg.anonymous == "ninguno":
        return None
    return User("", "", cfg.anonymous, None, None, "anonimo")


def _peer(req: flask.Request) -> str:
    """The address of whoever connected to us, before any X-Forwarded-For rewriting."""
    orig = req.environ.get("werkzeug.proxy_fix.orig", {})
    return orig.get("REMOTE_ADDR") or req.environ.get("REMOTE_ADDR", "")


def safe_next(target: str | None) -> str:
    """A local path to return to after signing in; anything else (another site, a scheme) goes home."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
    ):
        return "/"
    return target


def is_open(path: str) -> bool:
    return path in ("/ingresar", "/healthz", "/favicon.ico") or any(
        path.startswith(p) for p in OPEN_PATHS if p.endswith("/")
    )


class Gate:
    """Identifies each request's user and sets what it may see (``flask.g.semaforo_user``; ``g.user`` is Flask-Login's)."""

    def __init__(self, cfg: ServeConfig, users: Users):
        self.cfg = cfg
        self.users = users
        self.anonymous = anonymous_user(cfg)

    def user(self) -> User | None:
        """The request's user: the signed-in session, else the trusted SSO header, else the anonymous visitor."""
        current = (
            flask_login.current_user._get_current_object()
        )  # the user, not the proxy (it changes on logout)
        if current is not None and current.is_authenticated:
            return current
        header = self.cfg.sso_header
        if header and (name := flask.request.headers.get(header, "").strip()):
            if _peer(flask.request) not in self.cfg.trusted_proxies:
                log.warning("cabecera %s de %s no confiable: ignorada", header, _peer(flask.request))
            else:
                user = self.users.get(name)
                if user is None:
                    log.warning(
                        "usuario %s del inicio de sesión único no está en el archivo de usuarios", name
                    )
                    flask.abort(flask.Response(f"El usuario {name} no tiene acceso a este tablero.\n", 403))
                return User(user.username, user.name, user.role, user.regions, None, "sso")
        return self.anonymous

    def __call__(self) -> werkzeug.Response | None:
        """Flask ``before_request``: None to go on, or the response that refuses the request."""
        path = flask.request.path
        if is_open(path):
            return None
        user = self.user()
        if user is None:
            if flask.request.method == "GET" and not path.startswith(("/_dash-", "/export/", "/api/")):
                return flask.redirect(flask.url_for("login", siguiente=flask.request.full_path.rstrip("?")))
            return flask.Response("Inicie sesión para ver estos datos.\n", 401, mimetype="text/plain")
        flask.g.semaforo_user = user
        return None


def current_user() -> User | None:
    """The user of the current request (None outside a request or before the gate)."""
    return flask.g.get("semaforo_user") if flask.has_request_context() else None


def current_access(default: Access) -> Callable[[], Access]:
    def access() -> Access:
        user = current_user()
        return user.access if user is not None else default

    return access


def same_token(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def csrf_token() -> str:
    """A per-session token that forms post back: a page on another site cannot read it, so cannot forge them."""
    token = flask.session.get("csrf")
    if not token:
        token = flask.session["csrf"] = secrets.token_urlsafe(32)
    return token


def check_csrf() -> None:
    if not same_token(flask.request.form.get("csrf"), flask.session.get("csrf")):
        flask.abort(flask.Response("Formulario vencido o de otro sitio: vuelva a abrir la página.\n", 400))
