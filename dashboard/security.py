"""The server side of serving many users safely, installed on the app's Flask server by ``create_app``: sessions
and the login page (rate-limited), the request gate (``dashboard.auth``), each request pinned to one warehouse
version, security headers with a Content-Security-Policy that holds because nothing comes from a CDN, request
logs, refusals as plain 403s, and the health check a proxy or orchestrator polls."""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import time
from pathlib import Path

import dash
import duckdb
import flask
import flask_login
import jinja2
from dash.exceptions import DependencyException
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman
from limits import parse as parse_limit
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from warehouse.db import WarehouseError, scalar

from . import format as fmt
from .access import FULL_ACCESS, Forbidden
from .auth import ROLE_NAMES, User, Users
from .callback_bodies import malformed_callback
from .config import ServeConfig
from .data import Warehouse
from .gate import Gate, check_csrf, csrf_token, current_access, safe_next
from .health import Health
from .i18n import section
from .shared_state import StateFile  # also registers the sqlite:// scheme of the login limits' storage

log = logging.getLogger("semaforo.web")
access_log = logging.getLogger("semaforo.access")

TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


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
        RATELIMIT_STORAGE_URI=cfg.limiter_storage,
        RATELIMIT_HEADERS_ENABLED=True,
    )
    if cfg.proxies:
        n = cfg.proxies
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=n, x_proto=n, x_host=n, x_prefix=n)

    logins = flask_login.LoginManager(server)
    logins.login_view = "login"
    # A signed cookie cannot be taken back, so each session names what it was granted on and the user's session
    # generation, checked on every request against the users file and the state file that all workers share.
    state = StateFile(cfg.shared_state) if cfg.users_file else None

    @logins.user_loader
    def load_user(username: str) -> User | None:
        user = users.get(username)  # a user removed from the file is signed out on their next request
        if user is None or state is None:
            return None
        if flask.session.get("concedido") != user.fingerprint:
            log.info("sesión de %s terminada: cambió su rol, sus regiones o su clave", username)
            return None
        if flask.session.get("generacion") != state.generation(username):
            return None  # signed out since (in this browser or another): every copy of the cookie ends
        return user

    gate = Gate(cfg, users)
    wh.access = current_access(FULL_ACCESS)

    @server.before_request
    def identify():
        flask.g.started = time.perf_counter()
        return gate()

    @server.before_request
    def callback_shape():
        """A callback body Dash or a callback would trip over (a script's, not a browser's) is a 400, not a 500."""
        if flask.request.method == "POST" and flask.request.path == "/_dash-update-component":
            reason = malformed_callback(flask.request, app.callback_map)
            if reason:
                log.info("pedido de actualización mal formado de %s: %s", flask.request.remote_addr, reason)
                return flask.Response(
                    f"Pedido de actualización mal formado: {reason}.\n", 400, mimetype="text/plain"
                )
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

    limiter = Limiter(get_remote_address, app=server, default_limits=[], storage_uri=cfg.limiter_storage)

    def _failed(response: flask.Response) -> bool:
        return response.status_code == 401

    def _login_key() -> str:
        # The user name *from this address*: a stranger who fails on purpose locks the name out of their own
        # address only, never the user out of theirs.
        name = flask.request.form.get("usuario", "").strip().lower()
        return f"usuario:{name}@{get_remote_address()}"

    per_name = parse_limit(cfg.login_limit)

    @server.route("/ingresar", methods=["GET", "POST"], endpoint="login")
    # Failed attempts count (a 401), per address and per user name and address: a guesser is slowed, a user who
    # signs in many times a day is not. Once over the limit every attempt is refused until the minute has passed.
    # A name that failed that often from many addresses is refused at each address that failed (StateFile).
    # The counts are kept in the server's state file, so they hold across its workers.
    @limiter.limit(cfg.login_limit_address, methods=["POST"], deduct_when=_failed)
    @limiter.limit(cfg.login_limit, methods=["POST"], key_func=_login_key, deduct_when=_failed)
    def login():
        lang = "en" if flask.request.args.get("lang") == "en" else "es"
        target = safe_next(flask.request.args.get("siguiente"))
        failed = False
        if flask.request.method == "POST":
            check_csrf()
            name = flask.request.form.get("usuario", "").strip()
            address = get_remote_address()
            if state and state.name_locked_for(name.lower(), address, per_name.amount, per_name.get_expiry()):
                flask.abort(429)
            user = users.verify(name, flask.request.form.get("clave", ""))
            if user is not None:
                flask.session.clear()  # a new session on sign-in: no fixation of an earlier one
                flask_login.login_user(user, remember=False)
                flask.session["concedido"] = user.fingerprint
                flask.session["generacion"] = state.generation(user.username) if state else 0
                flask.session.permanent = True
                log.info("ingreso de %s (%s) desde %s", user.username, user.role, flask.request.remote_addr)
                return flask.redirect(target)
            log.warning("ingreso fallido para %r desde %s", name[:64], flask.request.remote_addr)
            if state:
                state.record_failure(name.lower(), address)
            failed = True
        html = TEMPLATES.get_template("login.html").render(
            w=section("login", lang),
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
        return flask.Response(section("login", lang)["limited"] + "\n", 429, mimetype="text/plain")

    @server.route("/salir")
    def logout():
        user = flask.g.get("semaforo_user")
        flask_login.logout_user()
        flask.session.clear()
        # A link on another site may sign this browser out (a GET), but not end the user's other sessions.
        cross_site = flask.request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site")
        if user is not None and user.via == "sesion" and state is not None and not cross_site:
            state.end_sessions(user.username)  # every session of the user, in every worker and browser
            log.info("salida de %s: sus sesiones terminaron", user.username)
        return flask.redirect("/ingresar" if cfg.anonymous == "ninguno" else "/")

    health = Health()

    @server.route("/healthz")
    def healthz():
        """200 with the warehouse version served; 503 when it cannot be opened or cannot answer its queries (a
        corrupt block anywhere in it, or a connection that no longer answers)."""
        try:
            problem = health.problem(wh)
            if problem is not None:
                log.error("healthz: el almacén %s no responde: %s", wh.path, problem)
                return flask.jsonify({"estado": "error", "detalle": "el almacén no puede leerse entero"}), 503
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
                "ultimo_lote": scalar(wh.cursor, "select max(batch_id) from etl_batch"),
                "ultima_carga": fmt.lima(last).isoformat() if last is not None else None,
                "aperturas_en_este_proceso": v.number,
                "proceso": os.getpid(),
            }
            return flask.jsonify(body)
        except Exception as e:  # the check reports any failure rather than raising it
            log.exception("healthz")
            return flask.jsonify({"estado": "error", "detalle": type(e).__name__}), 503

    @server.errorhandler(duckdb.Error)
    @server.errorhandler(WarehouseError)
    def unreadable(e: Exception):
        """A page or callback on a warehouse that cannot be read: the reason in the log, a 503 to the user."""
        log.error("%s %s: el almacén no puede leerse: %s", flask.request.method, flask.request.path, e)
        return flask.Response(
            "El almacén de datos no puede leerse en este momento; el administrador fue avisado. "
            "/ The data warehouse cannot be read right now.\n",
            503,
            mimetype="text/plain",
        )

    @server.errorhandler(Exception)
    def internal(e: Exception):
        """Anything else unexpected: its traceback in the server's log under a reference, never to the user."""
        if isinstance(e, HTTPException):
            return e
        ref = secrets.token_hex(4)
        log.exception("error interno %s en %s %s", ref, flask.request.method, flask.request.path)
        return flask.Response(
            f"Error interno del servidor (referencia {ref}); quedó registrado. "
            f"/ Internal server error (reference {ref}).\n",
            500,
            mimetype="text/plain",
        )

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
