"""The server side of serving many users safely, installed on the app's Flask server by ``create_app``: sessions
and the login page (rate-limited), the request gate (``dashboard.auth``), each request pinned to one warehouse
version, security headers with a Content-Security-Policy that holds because nothing comes from a CDN, request
logs, refusals as plain 403s, and the health check a proxy or orchestrator polls."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from pathlib import Path

import dash
import flask
import flask_login
import jinja2
from dash.exceptions import DependencyException
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

from . import format as fmt
from .auth import ROLE_NAMES, Gate, User, Users, check_csrf, csrf_token, current_access, safe_next
from .config import ServeConfig
from .data import FULL_ACCESS, Forbidden, Warehouse

log = logging.getLogger("semaforo.web")
access_log = logging.getLogger("semaforo.access")

TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)

LOGIN_WORDS = {
    "es": {
        "title": "Ingresar",
        "user": "Usuario",
        "password": "Contraseña",
        "submit": "Ingresar",
        "failed": "Usuario o contraseña incorrectos.",
        "limited": "Demasiados intentos. Espere un minuto y vuelva a intentarlo.",
        "public": "Ver las cifras públicas sin ingresar",
    },
    "en": {
        "title": "Sign in",
        "user": "User name",
        "password": "Password",
        "submit": "Sign in",
        "failed": "Wrong user name or password.",
        "limited": "Too many attempts. Wait a minute and try again.",
        "public": "See the public figures without signing in",
    },
}


def content_security_policy(app: dash.Dash) -> dict[str, str | list[str]]:
    """Everything from this server; scripts only from files or the inline ones Dash itself writes (by hash);
    inline styles allowed because Plotly and the grid set them at run time."""
    return {
        "default-src": "'self'",
        "script-src": ["'self'", *app.csp_hashes()],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }


def install(app: dash.Dash, wh: Warehouse, cfg: ServeConfig, users: Users) -> None:
    server = app.server
    server.secret_key = cfg.secret_key
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=cfg.https,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=12),
        MAX_CONTENT_LENGTH=2 << 20,  # callbacks and forms; the upload route raises it for its own request
        RATELIMIT_STORAGE_URI=cfg.ratelimit_storage,
        RATELIMIT_HEADERS_ENABLED=True,
    )
    if cfg.proxies:
        n = cfg.proxies
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=n, x_proto=n, x_host=n, x_prefix=n)

    logins = flask_login.LoginManager(server)
    logins.login_view = "login"

    @logins.user_loader
    def load_user(username: str) -> User | None:
        return users.get(username)  # a user removed from the file is signed out on their next request

    gate = Gate(cfg, users)
    wh.access = current_access(FULL_ACCESS)

    @server.before_request
    def identify():
        flask.g.started = time.perf_counter()
        return gate()

    @server.before_request
    def callback_shape():
        """A callback body Dash would trip over (a script's, not a browser's) is a 400, not a 500."""
        if flask.request.method == "POST" and flask.request.path == "/_dash-update-component":
            body = flask.request.get_json(silent=True)
            if not (
                isinstance(body, dict)
                and isinstance(body.get("output"), str)
                and isinstance(body.get("inputs", []), list)
                and isinstance(body.get("state", []), list)
                and isinstance(body.get("changedPropIds", []), list)
            ):
                return flask.Response("Pedido de actualización mal formado.\n", 400, mimetype="text/plain")
        return None

    @server.before_request
    def pin_version():
        if flask.g.get("semaforo_user") is not None or flask.request.path == "/healthz":
            wh.pin()  # every query of this request reads the same version of the warehouse

    @server.teardown_request
    def release_version(_exc):
        wh.release()

    @server.after_request
    def log_request(resp: flask.Response) -> flask.Response:
        user = flask.g.get("semaforo_user")
        started = flask.g.get("started")
        access_log.info(
            "%s %s %s %s %d %.0fms v%s",
            flask.request.remote_addr,
            user.username or user.role if user else "-",
            flask.request.method,
            flask.request.path,
            resp.status_code,
            (time.perf_counter() - started) * 1000 if started else 0,
            wh.pinned.number if wh.pinned else "-",
        )
        return resp

    @server.errorhandler(DependencyException)
    def unknown_script(_e):  # a component-file path Dash does not serve: a 404, not a logged 500
        return flask.Response("No existe.\n", 404, mimetype="text/plain")

    @server.errorhandler(Forbidden)
    def forbidden(e: Forbidden):
        user = flask.g.get("semaforo_user")
        who = f"{user.username or user.role} ({user.role})" if user else "-"
        log.warning("rechazado %s %s para %s: %s", flask.request.method, flask.request.path, who, e)
        return flask.Response("No tiene acceso a estos datos.\n", 403, mimetype="text/plain")

    limiter = Limiter(get_remote_address, app=server, default_limits=[], storage_uri=cfg.ratelimit_storage)

    def _failed(response: flask.Response) -> bool:
        return response.status_code == 401

    def _login_key() -> str:
        return "usuario:" + flask.request.form.get("usuario", "").strip().lower()

    @server.route("/ingresar", methods=["GET", "POST"], endpoint="login")
    # Failed attempts count (a 401), per address and per user name: a guesser is slowed, a user who signs in
    # many times a day is not. Once over the limit every attempt is refused until the minute has passed.
    @limiter.limit(cfg.login_limit_address, methods=["POST"], deduct_when=_failed)
    @limiter.limit(cfg.login_limit, methods=["POST"], key_func=_login_key, deduct_when=_failed)
    def login():
        lang = "en" if flask.request.args.get("lang") == "en" else "es"
        target = safe_next(flask.request.args.get("siguiente"))
        failed = False
        if flask.request.method == "POST":
            check_csrf()
            name = flask.request.form.get("usuario", "").strip()
            user = users.verify(name, flask.request.form.get("clave", ""))
            if user is not None:
                flask.session.clear()  # a new session on sign-in: no fixation of an earlier one
                flask_login.login_user(user, remember=False)
                flask.session.permanent = True
                log.info("ingreso de %s (%s) desde %s", user.username, user.role, flask.request.remote_addr)
                return flask.redirect(target)
            log.warning("ingreso fallido para %r desde %s", name[:64], flask.request.remote_addr)
            failed = True
        html = TEMPLATES.get_template("login.html").render(
            w=LOGIN_WORDS[lang],
            lang=lang,
            failed=failed,
            csrf=csrf_token(),
            public=cfg.anonymous != "ninguno",
            username=flask.request.form.get("usuario", "")[:64] if failed else "",
        )
        return flask.Response(html, 401 if failed else 200, mimetype="text/html")

    @server.errorhandler(429)
    def too_many(e):
        lang = "en" if flask.request.args.get("lang") == "en" else "es"
        return flask.Response(LOGIN_WORDS[lang]["limited"] + "\n", 429, mimetype="text/plain")

    @server.route("/salir")
    def logout():
        user = flask.g.get("semaforo_user")
        flask_login.logout_user()
        flask.session.clear()
        if user is not None and user.is_authenticated:
            log.info("salida de %s", user.username)
        return flask.redirect("/ingresar" if cfg.anonymous == "ninguno" else "/")

    @server.route("/healthz")
    def healthz():
        """200 with the warehouse version served, or 503 when the warehouse cannot be read."""
        try:
            v = wh.version
            loaded = wh.snapshot.loaded
            last = loaded.loaded_at.max() if len(loaded) else None
            body = {
                "estado": "ok",
                "almacen": str(wh.path.name),
                # the same in every worker: when the file served was written, and its last batch
                "archivo": dt.datetime.fromtimestamp(v.stamp[1] / 1e9, tz=dt.UTC)
                .astimezone(fmt.PERU)
                .isoformat(),
                "ultimo_lote": wh.cursor.execute("select max(batch_id) from etl_batch").fetchone()[0],
                "ultima_carga": fmt.lima(last).isoformat() if last is not None else None,
                "aperturas_en_este_proceso": v.number,
                "proceso": os.getpid(),
            }
            return flask.jsonify(body)
        except Exception as e:  # the check reports any failure rather than raising it
            log.exception("healthz")
            return flask.jsonify({"estado": "error", "detalle": type(e).__name__}), 503

    Talisman(
        server,
        force_https=cfg.https,
        strict_transport_security=cfg.https,
        session_cookie_secure=cfg.https,
        content_security_policy=content_security_policy(app),
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        x_content_type_options=True,
    )


def role_name(user: User | None, lang: str) -> str:
    return ROLE_NAMES[user.role][lang] if user else ""
