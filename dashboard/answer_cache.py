"""The pages' answers kept per warehouse version, as their layouts are (dashboard/layout_cache.py): a region
switch, a language toggle or a filter change often asks the server what was asked before by the same viewer —
every visitor of a public server, a user going back and forth — and each cost its queries, its components and
their JSON anew.

``/_dash-update-component`` answers a page's content callback (ANSWERED: the router, the language toggle and the
named pages' updates) from the pinned version's answer cache when the same request body came from the same viewer
(who they are and what they may see: :func:`dashboard.layout_cache.viewer`). The body is the whole question —
callback, inputs, state — and a version of the warehouse never changes, so nothing can go stale; the cache dies
with its version (``dashboard.data.Version``). Never for the administrator's pages (the upload form carries the
session's CSRF token). Off when the query cache is off (``cache_mb = 0``), as the bench's callback timings are
taken: a cached answer measures nothing."""

from __future__ import annotations

import json

import dash
import flask

from .data import Warehouse
from .layout_cache import viewer

ENDPOINT = "_dash-update-component"
# The callbacks whose answer is the same for everyone who sees the same, by one of their outputs: what they draw
# depends on the warehouse version, the request's URL and language, and the viewer only.
ANSWERED = frozenset(
    {
        "page.children",  # the router: a page opened from another one
        "shell.children",  # the language toggle
        "resumen-heading.children",
        "region-main.children",
        "region-trends.figure",
        "indicator-body.children",
        "budget-page.children",
        "logframe-body.children",
    }
)
PRIVATE = ("/admin",)  # pages with a form of the session's own (its CSRF token)


def _cacheable(body: bytes) -> bool:
    try:
        request = json.loads(body)
    except ValueError:
        return False
    output = request.get("output") if isinstance(request, dict) else None
    if not isinstance(output, str):
        return False
    # Dash names a callback of several outputs "..a.b...c.d.."
    if ANSWERED.isdisjoint(output[2:-2].split("...") if output.startswith("..") else [output]):
        return False
    paths = [
        i.get("value")
        for i in [*request.get("inputs", []), *request.get("state", [])]
        if isinstance(i, dict) and i.get("id") == "url" and i.get("property") == "pathname"
    ]
    return not any(isinstance(p, str) and p.startswith(PRIVATE) for p in paths)


def install(app: dash.Dash, wh: Warehouse) -> None:
    """Answer the ANSWERED callbacks from the pinned version's answer cache."""
    endpoint = app.config.routes_pathname_prefix + ENDPOINT
    answer = app.server.view_functions[endpoint]

    def cached_answer() -> flask.Response:
        v = wh.pinned
        body = flask.request.get_data(cache=True)
        if v is None or not wh.cache_bytes or not _cacheable(body):
            return answer()
        key = (body, viewer())
        with v.cache_lock:
            kept = v.answers.get(key)
        if kept is not None:
            return flask.Response(kept, mimetype="application/json")
        response = answer()
        if response.status_code == 200 and response.mimetype == "application/json":
            v.keep(v.answers, key, response.get_data())
        return response

    app.server.view_functions[endpoint] = cached_answer
