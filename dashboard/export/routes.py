"""The web's downloads and JSON API of every view (dashboard.views): ``/export/<view>[/<arg>].<csv|xlsx|json>``
and ``/api/<view>[/<arg>]`` (the rows alone, as JSON), each refused by dashboard.access exactly as the command
line's ``semaforo export`` is."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import NoReturn

import flask

from .. import context
from ..access import Refusal, view_refusal
from ..format import PERU
from ..state import Filters, parse
from ..views import VIEWS, View
from .render import MIMETYPES, render
from .snapshot import Snapshot, snapshot
from .writers import records

log = logging.getLogger("semaforo.web")


def refuse(refusal: Refusal) -> NoReturn:
    """A 404 (or 403) that says why, in words a person reads (not Flask's bare English page); logged, as every
    refusal of access is (dashboard.security)."""
    user = flask.g.get("semaforo_user")
    who = f"{user.username or user.role} ({user.role})" if user else "-"
    log.warning("rechazado %s %s para %s: %s", flask.request.method, flask.request.path, who, refusal.reason)
    reason = refusal.reason[:1].upper() + refusal.reason[1:]
    flask.abort(flask.Response(reason + "\n", status=refusal.status, mimetype="text/plain"))


def requested(key: str, arg: str | None) -> tuple[Snapshot, Filters]:
    """The snapshot a request asks for, with the request's own query string as filters; or its refusal."""
    view: View | None = VIEWS.get(key)
    if view is None:
        refuse(Refusal(f"no hay una vista «{key}»: {', '.join(VIEWS)}"))
    wh = context.warehouse()
    f = parse("?" + flask.request.query_string.decode())
    if refusal := view_refusal(wh, view, f, arg):
        refuse(refusal)
    return snapshot(view, wh, f, arg), f


def register(server: flask.Flask) -> None:
    @server.route("/export/<key>.<fmt_>")
    @server.route("/export/<key>/<arg>.<fmt_>")
    def export(key: str, fmt_: str, arg: str | None = None):
        if fmt_ not in MIMETYPES:
            refuse(Refusal(f"formato desconocido: {fmt_} (csv, xlsx o json)"))
        s, f = requested(key, arg)
        wh = context.warehouse()
        body = render(wh, f, s, fmt_, dt.datetime.now(PERU), flask.request.host_url.rstrip("/"))
        disposition = "attachment" if fmt_ != "json" else "inline"
        return flask.Response(
            body,
            mimetype=MIMETYPES[fmt_],
            headers={"Content-Disposition": f'{disposition}; filename="{s.name}.{fmt_}"'},
        )

    @server.route("/api/<key>")
    @server.route("/api/<key>/<arg>")
    def api(key: str, arg: str | None = None):
        """The view's rows as a JSON list, headings in the language (``.json`` at the end is optional)."""
        if arg is not None:
            arg = arg.removesuffix(".json")
        else:
            key = key.removesuffix(".json")
        s, _f = requested(key, arg)
        rows = records(s.exact if s.exact is not None else s.data)  # as the JSON download: every decimal
        return flask.Response(json.dumps(rows, ensure_ascii=False), mimetype="application/json")
