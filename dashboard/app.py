"""The app shell: navbar, filter bar, page container, one ``dcc.Location``; pages live in ``dashboard.pages``.

Language is chosen per page load (``?lang=en``); every other filter lives in the query string and changes without
reloading. Bootstrap and its icons are served from the installed ``bootstrap-flask`` package (never a CDN, never
a copy in the repository), so the app works on a machine with no internet.
"""

from __future__ import annotations

import os
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit

import dash
import dash_bootstrap_components as dbc
import flask
import flask_bootstrap
from dash import Input, Output, State, ctx, dcc, html, no_update

from . import (
    callbacks,
    context,
    delivery,
    pages,
    printview,
    response_cache,
    security,
    shared_layouts,
    theme,
    upload,
)
from .access import region_ok
from .auth import Users
from .callbacks import callback, clientside
from .components.filter_bar import NATIONAL, filter_bar, period_options
from .components.region_map import load_shapes
from .components.shell import footer, nav_href, navbar
from .components.traffic_light import lights_css
from .config import ServeConfig, load_config
from .data import Warehouse
from .export import routes as export_routes
from .i18n import t
from .state import Filters, href, parse, serialise

# The top-level assets/ folder of a checkout, or where the wheel installs it (setup.py).
ASSETS = next(
    p
    for p in (Path(__file__).resolve().parent / "assets", Path(__file__).resolve().parents[1] / "assets")
    if p.is_dir()
)
VENDOR = Path(flask_bootstrap.__file__).parent / "static" / "bootstrap5"
# The package's version in the path: a new Bootstrap gets a new URL, so browsers may keep these for ever.
VENDOR_URL = f"/vendor/{version('bootstrap-flask')}"
STYLESHEETS = [
    f"{VENDOR_URL}/css/bootstrap.min.css",
    f"{VENDOR_URL}/css/font/bootstrap-icons.min.css",
    "/theme/lights.css",
]


def _vendor_routes(server: flask.Flask) -> None:
    @server.route("/vendor/<path:path>")
    def vendor(
        path: str,
    ):  # Bootstrap 5 and Bootstrap Icons from the installed package (login and upload pages)
        return flask.send_from_directory(VENDOR, path, max_age=86400)

    @server.route(f"{VENDOR_URL}/<path:path>")
    def vendor_versioned(path: str):  # the same under the package's version: kept by browsers for a year
        return flask.send_from_directory(VENDOR, path, max_age=31536000)

    @server.route("/theme/lights.css")
    def lights():
        return flask.Response(lights_css(), mimetype="text/css", headers={"Cache-Control": "max-age=3600"})


def shown_region_of(wh: Warehouse, pathname: str | None, f: Filters) -> str:
    """The region the filter bar shows: a regional page's own (its path), or the one a page of every region
    singles out (``?region=``), if it is one the user may see."""
    page, arg = pages.match(pathname)
    if page.region_in_query:
        arg = f.region
    elif not page.regional:
        arg = None
    return arg if arg is not None and region_ok(wh, arg) else NATIONAL


def shell(wh: Warehouse, pathname: str, search: str, known: bool = False) -> html.Div:
    """The page for ``pathname`` and ``search``; ``known`` when they are the browser's own URL (the Referer)."""
    return html.Div(
        shell_children(wh, pathname, search, known), id="shell", lang=context.filters(search).lang
    )


def shell_children(wh: Warehouse, pathname: str, search: str, known: bool = False) -> list:
    """What :func:`shell` holds: the locations, the navigation bar, the filter bar, the page and its footer."""
    f = context.filters(search)
    page, arg = pages.match(pathname)
    region = shown_region_of(wh, pathname, f)
    # With the URL it was rendered for, the Location does not announce it again on mount: the page's url
    # callbacks (its content, already here) are not run a second time, which costs a round trip and the page's
    # whole payload. Without it, the Location announces the browser's URL and the router renders the page.
    url = {"pathname": pathname, "search": search} if known else {}
    return [
        dcc.Location(id="url", refresh="callback-nav", **url),
        # Another page chosen in the region filter opens as a new page load (the region page swaps its region
        # in place: Page.region_in_place), its scripts read again but the page sent whole in one answer.
        dcc.Location(id="url-go", refresh=True),
        dcc.Store(id="page-key", data=pages.key_of(pathname)),
        dcc.Store(id="lang-wanted"),
        navbar(f, pathname),
        dbc.Container(
            [
                filter_bar(
                    wh,
                    f,
                    region,
                    level_disabled=not page.uses_level,
                    region_disabled=not page.region_filter,
                ),
                # a page change shows progress while its layout travels (not filter changes: their own)
                dcc.Loading(
                    html.Main(page.layout(wh, f, arg), id="page", className="page"),
                    target_components={"page": "children"},
                    delay_show=300,
                    type="circle",
                ),
                html.Footer(footer(wh, f.lang), className="footer"),
            ],
            fluid=True,
        ),
    ]


def page_url() -> tuple[str, str, bool]:
    """Path and query of the page being opened, and whether they are known. Dash asks for the layout from
    /_dash-layout, so the page's own URL is the request's Referer (same origin); without one, the router
    callback renders the page instead."""
    req = flask.request
    ref = urlsplit(req.referrer or "")
    if not ref.netloc or ref.netloc != req.host:
        return "/", "", False
    return (ref.path or "/"), ("?" + ref.query if ref.query else ""), True


def create_app(
    db: str | os.PathLike | None = None,
    geojson: str | os.PathLike | None = None,
    allowed: frozenset[str] | None = None,
    config: ServeConfig | None = None,
    share_layouts: bool = False,
) -> dash.Dash:
    """A Dash app serving warehouse ``db`` read-only; ``allowed`` restricts the regions every user may see (a
    regional server). ``config`` (``dashboard.config``) adds login, roles and the rest of production serving;
    without it, no login: every visitor sees everything. ``share_layouts``: a server's worker (``semaforo
    serve``), sharing page layouts with the others on disk and rendering the common ones before they are asked."""
    cfg = config or load_config(env={}, db=db, geojson=geojson, regions=allowed)
    wh = Warehouse(cfg.db, cfg.regions, cache_bytes=cfg.cache_mb << 20, threads=cfg.duckdb_threads)
    wh.snapshot  # noqa: B018 — open the file and fail now, not on the first request, if it is unusable
    known = set(wh.snapshot.regions.region_code)
    allowed = cfg.regions
    if allowed is not None and (not allowed or allowed - known):
        raise ValueError(
            f"regiones desconocidas: {', '.join(sorted(allowed - known)) or '(ninguna)'}; "
            f"códigos válidos: {', '.join(sorted(known))}"
        )
    users = Users(cfg.users_file, known)
    geojson = cfg.geojson
    if geojson:
        wh.shapes = load_shapes(Path(geojson), wh.snapshot.regions)
    context.set_warehouse(wh)
    theme.register()
    app = dash.Dash(
        __name__,
        assets_folder=str(ASSETS),
        external_stylesheets=STYLESHEETS,
        suppress_callback_exceptions=True,
        title="Semáforo PpR",
        update_title=None,
        serve_locally=True,
    )
    delivery.install(app)  # first: its after_request runs last, on the finished response
    _vendor_routes(app.server)
    export_routes.register(app.server)
    printview.register(app.server)
    upload.register(app.server, wh, cfg)
    callbacks.register(app)
    app.server.config["SEMAFORO_LOGIN"] = bool(cfg.users_file)
    security.install(app, wh, cfg, users)  # after the callbacks: the CSP lists their inline scripts' hashes
    base_index = app.interpolate_index

    def interpolate_index(**parts: str) -> str:
        # <html lang> of the page's language: screen readers and the browser's translate offer depend on it.
        lang = parse("?" + flask.request.query_string.decode()).lang
        # Until its scripts arrive (seconds on a provincial link) the page says it is loading, in its language.
        return (
            base_index(**parts)
            .replace("<html>", f'<html lang="{lang}">', 1)
            .replace(
                "Loading...", f'<span class="app-loading" role="status">{t("loading_app", lang)}</span>', 1
            )
        )

    app.interpolate_index = interpolate_index

    def layout():
        return shell(wh, *page_url())

    app.layout = layout
    shared = shared_layouts.for_server(app, wh) if share_layouts and wh.cache_bytes else None
    response_cache.install(app, wh, page_url, shared)
    # Dash finishes its setup (the script list that its component-file route checks against) on the first
    # request, flagging it done before it is: under threads, the next requests would then find no scripts
    # registered. Make that first request here, before any visitor's (a cheap one: /healthz reads the whole
    # warehouse once per version).
    app.server.test_client().get("/favicon.ico")
    if shared is not None:
        shared.seen(wh.version)  # its common layouts rendered before the first visitor asks
    return app


# --- shell callbacks ------------------------------------------------------------------------------------------


@callback(
    Output("page", "children"),
    Output("page-key", "data"),
    Input("url", "pathname"),
    State("url", "search"),
    State("page-key", "data"),
    # The layout is already the page of its URL; without a known URL the Location announces it and this runs.
    prevent_initial_call=True,
)
def route(pathname: str, search: str, current: str):
    """A new page skeleton (with its content) when the path changes; filters alone are left to the page."""
    key = pages.key_of(pathname)
    if key == current:
        return no_update, no_update
    page, arg = pages.match(pathname)
    return page.layout(context.warehouse(), context.filters(search), arg), key


# The language link changes the URL in place (assets/markup.js, as a dcc.Link does), and so may the back button.
# In the browser, a URL whose language is not the shell's asks for the shell in it; no request otherwise.
clientside(
    "language",
    Output("lang-wanted", "data"),
    Input("url", "search"),
    State("shell", "lang"),
    prevent_initial_call=True,
)


@callback(
    Output("shell", "children"),
    Output("shell", "lang"),
    Input("lang-wanted", "data"),
    State("url", "search"),
    State("url", "pathname"),
    prevent_initial_call=True,
)
def switch_language(wanted: str, search: str, pathname: str):
    """Every word of the shell and its page redrawn in the URL's language in one answer: no page load, no
    scripts read again (the pages' own callbacks may leave a language change to this one)."""
    pathname, search = pathname or "/", search or ""  # a script's request may leave them out
    return shell_children(context.warehouse(), pathname, search, known=True), context.filters(search).lang


@callback(
    Output("url", "search"),
    Output("url-go", "href"),
    Output("url", "pathname"),
    Output("f-program", "value"),
    Output("f-period", "value"),
    Output("f-period", "options"),
    Output("f-level", "value"),
    Output("f-region", "value"),
    Input("url", "search"),
    Input("url", "pathname"),
    Input("f-program", "value"),
    Input("f-period", "value"),
    Input("f-level", "value"),
    Input("f-region", "value"),
    prevent_initial_call=True,
)
def sync_filters(search, pathname, program, period, level, region):
    """Keep the filter bar and the URL in step, both ways (one callback, so the cycle is allowed). A region that
    leads to another page is opened as a page load (``url-go``), with the filters — or, from a page that swaps
    its region in place, by changing the path (the router then draws the new region's page)."""
    wh = context.warehouse()
    f = context.filters(search)
    trigger = ctx.triggered_id
    if trigger in ("url",):
        shown_region = shown_region_of(wh, pathname, f)
        return (
            no_update,
            no_update,
            no_update,
            f.program,
            f.period or wh.resolve_period(f.program, None).strftime("%Y-%m"),
            period_options(wh, f.program, f.lang),
            f.level or "all",
            shown_region or NATIONAL,
        )
    new = f.with_(program=program, period=period, level=None if level == "all" else level)
    if trigger == "f-program" and program != f.program:
        new = new.with_(period=None, indicator=None)
    new_path = in_place = no_update
    if trigger == "f-region":
        region = region or NATIONAL  # a cleared dropdown means the country
        page, arg = pages.match(pathname)
        if not page.region_filter:  # greyed out there: never a way off the page
            pass
        elif page.region_in_query:  # a page of every region singles it out in place
            new = new.with_(region=None if region == NATIONAL else region)
        elif region == NATIONAL and page.regional and arg:
            new_path = page.national_path
        elif region != NATIONAL and arg != region:
            new_path = f"{page.path}/{region}" if page.regional else f"/region/{region}"
            new = new.with_(province=None, district=None)
            if page.region_in_place:
                new_path, in_place = no_update, new_path
    if new_path is not no_update:
        new_path = href(new_path, new)
    return (
        # as filters, not text: see region.choose_drill; none when the page is left
        (serialise(new) or "?") if new != f and new_path is no_update else no_update,
        new_path,
        in_place,
        no_update,
        no_update,
        period_options(wh, new.program, new.lang) if trigger == "f-program" else no_update,
        no_update,
        no_update,
    )


@callback(
    Output("f-level", "disabled"),
    Output("f-region", "disabled"),
    Input("url", "pathname"),
    prevent_initial_call=True,
)
def filters_disabled(pathname: str | None) -> tuple[bool, bool]:
    """The chain-level and region filters are greyed out on pages they do not change, rather than silently doing
    nothing (or, for the region, leaving the page)."""
    page, _arg = pages.match(pathname)
    return not page.uses_level, not page.region_filter


@callback(
    [Output(f"nav-{p.key}", "href") for p in pages.PAGES if p.in_nav],
    Output("lang-switch", "href"),
    Input("url", "search"),
    Input("url", "pathname"),
    prevent_initial_call=True,
)
def nav_links(search, pathname):
    """Links keep the current filters; the language switch reloads the same view in the other language."""
    f = context.filters(search)
    pathname = pathname or "/"  # a location without a path (a script's request) is the home page
    return [nav_href(p, f, pathname) for p in pages.PAGES if p.in_nav] + [
        href(pathname, f, lang="en" if f.lang == "es" else "es")
    ]


@callback(
    Output("nav-collapse", "is_open"),
    Input("nav-toggle", "n_clicks"),
    Input("url", "pathname"),
    State("nav-collapse", "is_open"),
    prevent_initial_call=True,
)
def toggle_nav(n, pathname, is_open):
    """The phone's menu opens and closes with its button, and closes once a page is chosen."""
    return not is_open if ctx.triggered_id == "nav-toggle" else False
