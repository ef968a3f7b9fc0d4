"""Answers kept per warehouse version: the morning the month lands, fifty colleagues open the same few pages, and
a region switch, a language toggle or a filter change often asks what was asked before by the same viewer. Each
answer (its queries, its components, their JSON) costs the same for every one of them.

One wrapper serves two of Dash's endpoints, with the same treatment:

- ``/_dash-layout``: a page (path and query, from the Referer) for a viewer;
- ``/_dash-update-component``: a page's content callback (ANSWERED: the router, the language toggle and the
  named pages' updates) for a request body — callback, inputs, state: the whole question — and a viewer.

The viewer is who they are and what they may see: a layout holds their regions' figures and their name in the
menu. An answer is kept as rendered and as sent in each encoding browsers asked for (Brotli, gzip), so that a hit
costs no compression (Brotli was half of a hit's CPU); each key is computed once, the others asking for it
meanwhile wait for it (``Flights``). Layouts are also shared by the server's worker processes through a folder
per version (:mod:`dashboard.shared_layouts`): one render per version and viewer for the whole server.

Nothing can go stale: a warehouse version never changes, and its caches die with it (``dashboard.data.Version``);
a load's new version starts empty. Never for the administrator's pages (the upload form carries the session's
CSRF token). Off when the query cache is off (``cache_mb = 0``), as the bench's callback timings are taken: a
cached answer measures nothing."""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable

import cachetools
import dash
import flask

from .data import Version, Warehouse
from .delivery import MIN_SIZE, compressed_answer, negotiated
from .gate import current_user
from .shared_layouts import SharedLayouts

LAYOUT = "_dash-layout"
UPDATE = "_dash-update-component"
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


def viewer() -> Hashable:
    """Whatever of the current request's user an answer shows or depends on."""
    user = current_user()
    if user is None:
        return None
    return (user.username, user.name, user.role, user.regions, user.via, user.access)


def answer(body: bytes, encoding: str | None) -> flask.Response:
    """An answer as sent (delivery's compression leaves an answer with a ``Content-Encoding`` as it is)."""
    r = flask.Response(body, mimetype="application/json", headers={"Vary": "Accept-Encoding"})
    if encoding is not None:
        r.headers["Content-Encoding"] = encoding
    return r


def rendered(render: Callable[[], flask.Response]) -> bytes | flask.Response:
    """``render()``'s body, or its response when it is not a 200 JSON answer (an error, a redirect: not kept)."""
    response = render()
    if response.status_code != 200 or response.mimetype != "application/json":
        return response
    return response.get_data()


def kept_answer(
    v: Version,
    store: cachetools.LRUCache,
    key: tuple,
    render: Callable[[], flask.Response],
    shared: SharedLayouts | None = None,
) -> flask.Response:
    """The answer to ``key`` in the request's encoding: from ``store`` (then ``shared``, the workers' folder) as
    sent before, else rendered once (``render``: the endpoint's own view) and kept raw and compressed. An answer
    that is not a 200 JSON is returned as it is and not kept."""
    encoding = negotiated(flask.request)
    with v.cache_lock:
        body = store.get((*key, encoding)) if encoding else None
        raw = store.get((*key, None))
    if body is not None:
        return answer(body, encoding)
    if raw is None:
        with v.flights.of(key):  # one computation of a key at a time in this process, the others wait for it
            with v.cache_lock:
                raw = store.get((*key, None))
            if raw is None:
                got = shared.get(v, key, lambda: rendered(render)) if shared else rendered(render)
                if isinstance(got, flask.Response):
                    return got
                raw = got
                v.keep(store, (*key, None), raw)
    if encoding is None or len(raw) < MIN_SIZE:
        return answer(raw, None)
    body = shared.encoded(v, key, raw, encoding) if shared is not None else compressed_answer(raw, encoding)
    v.keep(store, (*key, encoding), body)
    return answer(body, encoding)


def _cacheable(body: bytes) -> bool:
    """Whether a callback request asks one of the ANSWERED callbacks, for a page that is not an admin's."""
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


def install(
    app: dash.Dash,
    wh: Warehouse,
    page_url: Callable[[], tuple[str, str, bool]],
    shared: SharedLayouts | None = None,
) -> None:
    """Answer ``/_dash-layout`` (``page_url``: the page being opened) and the ANSWERED callbacks from the pinned
    version's caches; layouts also through ``shared``, the folder the server's workers share."""
    prefix = app.config.routes_pathname_prefix
    views = app.server.view_functions
    render_layout, render_update = views[prefix + LAYOUT], views[prefix + UPDATE]

    def layout() -> flask.Response:
        v = wh.pinned
        if v is None or not wh.cache_bytes:
            return render_layout()
        page = page_url()
        path = page[0]
        if path.startswith(PRIVATE):
            return render_layout()
        if shared is not None:
            shared.asked(v, page)
        return kept_answer(v, v.layouts, ("layout", page, viewer()), render_layout, shared)

    def update() -> flask.Response:
        v = wh.pinned
        body = flask.request.get_data(cache=True)
        if v is None or not wh.cache_bytes or not _cacheable(body):
            return render_update()
        return kept_answer(v, v.answers, ("answer", body, viewer()), render_update)

    views[prefix + LAYOUT] = layout
    views[prefix + UPDATE] = update
