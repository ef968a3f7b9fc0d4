"""Page layouts kept per warehouse version: the morning the month lands, fifty colleagues open the same few
pages, and each layout (its queries, its components, their JSON) costs the same for every one of them.

``/_dash-layout`` answers from the version's layout cache when the same page (path and query) was rendered for
the same viewer (who they are and what they may see: the layout holds their regions' figures and their name in
the menu), kept as rendered and as sent in each encoding browsers asked for (Brotli, gzip), so that a hit costs no
compression (Brotli was half of a hit's CPU). Nothing can go stale: a warehouse version never changes, and the cache dies with it
(``dashboard.data.Version``); a load's new version starts empty. Off when the query cache is off
(``cache_mb = 0``)."""

from __future__ import annotations

from collections.abc import Callable, Hashable

import dash
import flask

from .data import Warehouse
from .delivery import MIN_SIZE, compressed_answer, negotiated
from .gate import current_user

ENDPOINT = "_dash-layout"


def viewer() -> Hashable:
    """Whatever of the current request's user a layout shows or depends on."""
    user = current_user()
    if user is None:
        return None
    return (user.username, user.name, user.role, user.regions, user.via, user.access)


def answer(body: bytes, encoding: str | None) -> flask.Response:
    """A layout as sent (delivery's compression leaves an answer with a ``Content-Encoding`` as it is)."""
    r = flask.Response(body, mimetype="application/json", headers={"Vary": "Accept-Encoding"})
    if encoding is not None:
        r.headers["Content-Encoding"] = encoding
    return r


def install(app: dash.Dash, wh: Warehouse, page_url: Callable[[], tuple[str, str, bool]]) -> None:
    """Answer ``/_dash-layout`` from the pinned version's layout cache; ``page_url``: the page being opened."""
    endpoint = app.config.routes_pathname_prefix + ENDPOINT
    render = app.server.view_functions[endpoint]

    def layout() -> flask.Response:
        v = wh.pinned
        if v is None or not wh.cache_bytes:
            return render()
        page = (page_url(), viewer())
        encoding = negotiated(flask.request)
        with v.cache_lock:
            body = v.layouts.get((*page, encoding)) if encoding else None
            raw = v.layouts.get((*page, None))
        if body is None:
            if raw is None:
                with v.flights.of(
                    ("layout", *page)
                ):  # one render of a page at a time, the others wait for it
                    with v.cache_lock:
                        raw = v.layouts.get((*page, None))
                    if raw is None:
                        response = render()
                        if response.status_code != 200:
                            return response
                        raw = response.get_data()
                        v.keep(v.layouts, (*page, None), raw)
            if encoding is None or len(raw) < MIN_SIZE:
                return answer(raw, None)
            body = compressed_answer(raw, encoding)
            v.keep(v.layouts, (*page, encoding), body)
        return answer(body, encoding)

    app.server.view_functions[endpoint] = layout
