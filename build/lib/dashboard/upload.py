"""The administrator's upload page (/admin/cargar): load a source file through the same loader as ``semaforo load``
and show the same validation report. The upload is untrusted: bounded in size, checked for type by its first bytes
(not only its name), stored under a name of our own, and loaded while the app keeps serving (the writer builds the
next warehouse version beside the served one and swaps it in)."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from pathlib import Path

import flask
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import secure_filename

from etl.load import load_file, report_lines
from etl.loaders import LOADERS

from .auth import check_csrf, csrf_token
from .config import ServeConfig
from .data import Warehouse
from .security import TEMPLATES

log = logging.getLogger("semaforo.upload")

EXCEL_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # .xlsx (zip), .xls (OLE2)
SUFFIXES = {".csv": "texto", ".txt": "texto", ".xlsx": "excel", ".xls": "excel"}


class UploadRefused(ValueError):
    pass


def check_upload(name: str, head: bytes) -> str:
    """The upload's kind ('texto' or 'excel') if its name and first bytes agree; UploadRefused otherwise."""
    suffix = Path(name).suffix.lower()
    kind = SUFFIXES.get(suffix)
    if kind is None:
        raise UploadRefused(
            f"{name}: tipo de archivo no admitido ({suffix or 'sin extensión'}); use CSV o Excel"
        )
    if kind == "excel" and not head.startswith(EXCEL_MAGIC):
        raise UploadRefused(f"{name}: no es un libro de Excel aunque su nombre termine en {suffix}")
    if kind == "texto":
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise UploadRefused(f"{name}: está en UTF-16 («texto Unicode» de Excel); guárdelo como CSV UTF-8")
        if b"\x00" in head:
            raise UploadRefused(f"{name}: contiene bytes binarios; no es un archivo de texto (CSV)")
        if head.startswith(EXCEL_MAGIC):
            raise UploadRefused(f"{name}: es un libro de Excel con nombre {suffix}; súbalo con su extensión")
    return kind


def register(server: flask.Flask, wh: Warehouse, cfg: ServeConfig) -> None:
    limit = cfg.upload_max_mb << 20

    @server.route("/admin/cargar", methods=["GET", "POST"])
    def upload():
        user = flask.g.get("semaforo_user")
        if user is None or not user.access.admin:
            return flask.Response(
                "Solo un administrador puede cargar archivos.\n", 403, mimetype="text/plain"
            )
        lines: list[tuple[str, str]] = []
        status, chosen = None, "admin"
        if flask.request.method == "POST":
            flask.request.max_content_length = limit
            try:
                chosen = flask.request.form.get("fuente") or chosen
                lines, status = _receive(wh, cfg, user.username)
            except RequestEntityTooLarge:
                lines, status = (
                    [("error", f"El archivo supera el máximo de {cfg.upload_max_mb} MB.")],
                    "refused",
                )
            except UploadRefused as e:
                lines, status = [("error", str(e))], "refused"
        html = TEMPLATES.get_template("upload.html").render(
            lang="es",
            sources=[(k, LOADERS[k].description) for k in LOADERS],
            csrf=csrf_token(),
            lines=lines,
            status=status,
            max_mb=cfg.upload_max_mb,
            today=dt.date.today().isoformat(),
            chosen=chosen,
            user=user.name if user.is_authenticated else "",
        )
        code = 200 if status in (None, "loaded", "partial", "skipped") else 422
        return flask.Response(html, code, mimetype="text/html")


def _receive(wh: Warehouse, cfg: ServeConfig, username: str) -> tuple[list[tuple[str, str]], str]:
    check_csrf()
    form = flask.request.form
    source = form.get("fuente", "")
    if source not in LOADERS:
        raise UploadRefused(f"Fuente desconocida: {source[:40]!r}")
    received = form.get("recibido") or None
    if received:
        try:
            received = dt.date.fromisoformat(received)
        except ValueError:
            raise UploadRefused(f"Fecha de recepción inválida: {received[:20]!r} (AAAA-MM-DD)") from None
    upload = flask.request.files.get("archivo")
    if upload is None or not upload.filename:
        raise UploadRefused("Elija un archivo")
    name = secure_filename(upload.filename) or "archivo"
    check_upload(name, upload.stream.read(8192))
    upload.stream.seek(0)
    # A folder of our own naming, the sanitised name inside it (the load history shows it): nothing in the upload
    # chooses where it is written.
    folder = cfg.uploads / dt.date.today().isoformat() / secrets.token_hex(8)
    folder.mkdir(parents=True)
    path = folder / name
    upload.save(path)
    log.info("carga web de %s por %s: %s (%d bytes)", source, username, path.name, path.stat().st_size)
    options = {"received": received} if received else None
    report = load_file(
        wh.path,
        source,
        path,
        strict=bool(form.get("estricto")),
        force=bool(form.get("forzar")),
        options=options,
    )
    log.info("carga web %s: %s, lote %s", path.name, report.status, report.batch_id)
    return report_lines(report), report.status
