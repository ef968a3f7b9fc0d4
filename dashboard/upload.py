"""The administrator's upload page (/admin/cargar): load a source file through the same loader as ``semaforo load``
and show the same validation report. The upload is untrusted: bounded in size, checked for type by its first bytes
(not only its name), stored under a name of our own, and loaded while the app keeps serving (the writer builds the
next warehouse version beside the served one and swaps it in) — in a child process held to a memory and a time
limit (``dashboard.upload_job``), never in the worker that serves other users.

Nothing changes before the administrator has seen what would: an upload is first stored and previewed (the CLI's
``--dry-run``: rows loaded and rejected, what would be replaced or disappear), and loaded only on "Confirmar la
carga" — the very file previewed (its SHA-256 checked again), with the choices previewed; "Cancelar" deletes it.
A batch is undone as ``semaforo load --deshacer LOTE`` does, after a confirmation."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import secrets
import shutil
from pathlib import Path

import flask
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import secure_filename

from .config import ServeConfig
from .data import Warehouse
from .gate import check_csrf, csrf_token
from .security import TEMPLATES
from .upload_job import LOADERS, Limits, file_sha256, run_load, run_undo

log = logging.getLogger("semaforo.upload")

EXCEL_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # .xlsx (zip), .xls (OLE2)
SUFFIXES = {".csv": "texto", ".txt": "texto", ".xlsx": "excel", ".xls": "excel"}
PREVIEW = "vista_previa.json"  # beside a stored upload until it is confirmed or cancelled: what was previewed
UPLOAD_ID = re.compile(r"\d{4}-\d{2}-\d{2}/[0-9a-f]{16}")  # <date>/<random folder>: all a form may name


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


def stored_name(filename: str) -> str:
    """The upload's name as kept (and shown in the load history): ASCII letters, digits, '._-', at most 120
    characters with its extension — a file system refuses longer names (255 bytes)."""
    name = secure_filename(filename) or "archivo"
    suffix = Path(name).suffix[:10]
    return name[: 120 - len(suffix)].rstrip(".") + suffix if len(name) > 120 else name


def register(server: flask.Flask, wh: Warehouse, cfg: ServeConfig) -> None:
    limit = cfg.upload_max_mb << 20
    limits = Limits(cfg.upload_memory_mb, cfg.upload_seconds)

    @server.route("/admin/cargar", methods=["GET", "POST"])
    def upload():
        user = flask.g.get("semaforo_user")
        if user is None or not user.access.admin:
            return flask.Response(
                "Solo un administrador puede cargar archivos.\n", 403, mimetype="text/plain"
            )
        # The form is read only after the upload's own size limit is set (values would parse it under the app's).
        lang = "en" if flask.request.args.get("lang") == "en" else "es"
        page: dict = {"lines": [], "status": None, "chosen": "admin"}
        if flask.request.method == "POST":
            flask.request.max_content_length = limit
            try:
                check_csrf()
                lang = "en" if flask.request.form.get("lang", lang) == "en" else "es"
                action = flask.request.form.get("accion", "revisar")
                page["chosen"] = flask.request.form.get("fuente") or page["chosen"]
                if action == "revisar":
                    page.update(_preview(wh, cfg, limits, user.username))
                elif action == "confirmar":
                    page.update(_confirm(wh, cfg, limits, user.username))
                elif action == "cancelar":
                    page.update(_cancel(cfg, user.username))
                elif action == "deshacer":
                    page.update(_undo(wh, limits, user.username))
                else:
                    raise UploadRefused(f"Acción desconocida: {action[:20]!r}")
            except RequestEntityTooLarge:
                page.update(
                    lines=[("error", f"El archivo supera el máximo de {cfg.upload_max_mb} MB.")],
                    status="refused",
                )
            except UploadRefused as e:
                page.update(lines=[("error", str(e))], status="refused")
        html = TEMPLATES.get_template("upload.html").render(
            lang=lang,
            sources=[(k, LOADERS[k].description) for k in LOADERS],
            csrf=csrf_token(),
            max_mb=cfg.upload_max_mb,
            today=dt.date.today().isoformat(),
            user=user.name if user.is_authenticated else "",
            **page,
        )
        code = (
            200
            if page["status"] in (None, "loaded", "partial", "skipped", "cancelled", "preview", "undone")
            else 422
        )
        return flask.Response(html, code, mimetype="text/html")


def _flag(name: str) -> bool:
    return bool(flask.request.form.get(name))


def _preview(wh: Warehouse, cfg: ServeConfig, limits: Limits, username: str) -> dict:
    """Store the upload and say what loading it would do; nothing in the warehouse changes."""
    form = flask.request.form
    source = form.get("fuente", "")
    if source not in LOADERS:
        raise UploadRefused(f"Fuente desconocida: {source[:40]!r}")
    received = form.get("recibido") or None
    if received:
        try:
            received = dt.date.fromisoformat(received).isoformat()
        except ValueError:
            raise UploadRefused(f"Fecha de recepción inválida: {received[:20]!r} (AAAA-MM-DD)") from None
    upload = flask.request.files.get("archivo")
    if upload is None or not upload.filename:
        raise UploadRefused("Elija un archivo")
    name = stored_name(upload.filename)
    check_upload(name, upload.stream.read(8192))
    upload.stream.seek(0)
    # A folder of our own naming, the sanitised name inside it (the load history shows it): nothing in the upload
    # chooses where it is written.
    upload_id = f"{dt.date.today().isoformat()}/{secrets.token_hex(8)}"
    folder = cfg.uploads / upload_id
    folder.mkdir(parents=True)
    path = folder / name
    upload.save(path)
    choices = {
        "source": source,
        "strict": _flag("estricto"),
        "force": _flag("forzar"),
        "completo": _flag("completo"),
        "received": received,
    }
    log.info("vista previa web de %s por %s: %s (%d bytes)", source, username, name, path.stat().st_size)
    lines, status = run_load(wh.path, source, path, limits, preview=True, **_load_args(choices))
    if status not in (
        "loaded",
        "partial",
    ):  # refused: nothing to confirm (the file stays, as the log names it)
        return {"lines": lines, "status": status}
    (folder / PREVIEW).write_text(
        json.dumps({**choices, "name": name, "sha256": file_sha256(path), "user": username}), encoding="utf-8"
    )
    return {"lines": lines, "status": "preview", "pending": {"id": upload_id, "name": name, **choices}}


def _load_args(choices: dict) -> dict:
    return {k: choices[k] for k in ("strict", "force", "completo", "received")}


def _stored(cfg: ServeConfig) -> tuple[Path, dict]:
    """The stored upload a confirmation or cancellation names, and what was previewed of it."""
    upload_id = flask.request.form.get("carga", "")
    if not UPLOAD_ID.fullmatch(upload_id):
        raise UploadRefused("Carga desconocida: vuelva a subir el archivo")
    folder = cfg.uploads / upload_id
    try:
        previewed = json.loads((folder / PREVIEW).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise UploadRefused(
            "Esta carga ya se confirmó o se canceló, o su archivo ya no existe: vuelva a subirlo"
        ) from None
    return folder, previewed


def _confirm(wh: Warehouse, cfg: ServeConfig, limits: Limits, username: str) -> dict:
    """Load the file previewed, with the choices previewed, if it is still the very file previewed."""
    folder, previewed = _stored(cfg)
    path = folder / previewed["name"]
    sha = file_sha256(path) if path.is_file() else None
    if sha != previewed["sha256"]:
        shutil.rmtree(folder, ignore_errors=True)
        raise UploadRefused(
            f"{previewed['name']}: el archivo cambió desde la vista previa (SHA-256 distinto); no se cargó "
            "nada: vuelva a subirlo y revise de nuevo lo que reemplazaría"
        )
    (folder / PREVIEW).unlink()  # one confirmation per preview
    log.info("carga web de %s por %s: %s (confirmada)", previewed["source"], username, path.name)
    lines, status = run_load(wh.path, previewed["source"], path, limits, **_load_args(previewed))
    log.info("carga web %s: %s", path.name, status)
    return {"lines": lines, "status": status, "chosen": previewed["source"]}


def _cancel(cfg: ServeConfig, username: str) -> dict:
    folder, previewed = _stored(cfg)
    shutil.rmtree(folder)
    log.info("carga web de %s cancelada por %s: %s", previewed["source"], username, previewed["name"])
    return {
        "lines": [("ok", f"{previewed['name']}: carga cancelada; se borró el archivo y no se cambió nada")],
        "status": "cancelled",
        "chosen": previewed["source"],
    }


def _undo(wh: Warehouse, limits: Limits, username: str) -> dict:
    """First the batch to undo, for the administrator to confirm; then the undo, in the child process."""
    raw = flask.request.form.get("lote", "").strip()
    if not raw.isdigit() or len(raw) > 9:
        raise UploadRefused(f"Número de lote inválido: {raw[:20]!r}")
    batch_id = int(raw)
    if not _flag("confirmado"):
        row = wh.cursor.execute(
            "select batch_id, source, file_name, status, rows_loaded, started_at from etl_batch "
            "where batch_id = ?",
            [batch_id],
        ).fetchone()
        if row is None:
            raise UploadRefused(f"No existe el lote {batch_id}")
        keys = ("batch_id", "source", "file_name", "status", "rows_loaded", "started_at")
        return {"undo": dict(zip(keys, row, strict=True))}
    log.info("deshacer el lote %d por %s", batch_id, username)
    lines, status = run_undo(wh.path, batch_id, limits)
    log.info("deshacer el lote %d: %s", batch_id, status)
    return {"lines": lines, "status": "undone" if status == "loaded" else status}
