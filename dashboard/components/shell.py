"""The shell's navigation bar (pages, language, the signed-in user's menu) and its footer (data date, sources)."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import flask
from dash import html
from dash.development.base_component import Component

from .. import pages
from ..components.attrs import ARIA_HIDDEN, aria_label
from ..components.markup import LINK
from ..data import Warehouse
from ..format import PERU
from ..gate import current_user
from ..i18n import t
from ..security import role_name
from ..state import Filters, href


def nav_href(target: pages.Page, f: Filters, pathname: str | None) -> str:
    """A navigation link keeps the filters, and the region chosen (a regional page's path, or ``?region=`` on a page
    of every region) when the page it opens takes one."""
    page, arg = pages.match(pathname)
    region = arg if page.regional else f.region if page.region_in_query else None
    if target.regional and region:
        return href(f"{target.path}/{region}", f, region=None)
    return href(target.path, f, region=region if target.region_in_query else None)


def navbar(f: Filters, pathname: str) -> dbc.Navbar:
    lang = f.lang
    links = [
        dbc.NavItem(
            dbc.NavLink(
                t(p.title_key, lang),
                href=nav_href(p, f, pathname),
                id=f"nav-{p.key}",
                active="exact" if p.path == "/" else "partial",
            )
        )
        for p in pages.PAGES
        if p.in_nav
    ]
    other = "en" if lang == "es" else "es"
    _in_place: dict[str, Any] = {LINK: "stay"}
    switch = html.A(
        t("language", lang),
        href=href(pathname, f, lang=other),
        className="btn btn-sm btn-outline-light",
        id="lang-switch",
        lang=other,
        # in place (assets/markup.js): the shell's language callback redraws the words, the scroll stays
        **_in_place,
    )
    return dbc.Navbar(
        dbc.Container(
            [
                html.A(
                    [
                        html.Span("●", className="brand-dot", **ARIA_HIDDEN),
                        html.Span(t("app_title", lang), className="brand-name"),
                        html.Span(t("app_subtitle", lang), className="brand-sub d-none d-md-inline"),
                    ],
                    href=href("/", f),
                    className="navbar-brand",
                ),
                # Bootstrap's toggler as a plain button: dbc.NavbarToggler takes no accessible name
                html.Button(
                    html.Span(className="navbar-toggler-icon"),
                    id="nav-toggle",
                    type="button",
                    className="navbar-toggler",
                    **aria_label(t("menu", lang)) | {"aria-controls": "nav-collapse"},
                ),
                dbc.Collapse(
                    dbc.Nav(links, navbar=True, className="me-auto"), id="nav-collapse", navbar=True
                ),
                *user_menu(lang),
                switch,
            ],
            fluid=True,
        ),
        color="dark",
        dark=True,
        expand="lg",  # one line from 992 px (a laptop at 125 %: 1,093 px); the menu button below
        className="mb-2",
    )


def user_menu(lang: str) -> list:
    """Who is signed in (and their role), how to leave, and the administrator's upload page; a sign-in link for
    an anonymous visitor when the server has logins."""
    user = current_user()
    if user is None:
        return []
    items: list[Component] = []
    if user.access.admin:
        items.append(
            html.A(
                t("upload", lang),
                href="/admin/cargar" + ("?lang=en" if lang == "en" else ""),
                className="btn btn-sm btn-outline-light me-2",
                id="nav-upload",
            )
        )
    if user.is_authenticated:
        items.append(
            html.Span(
                [html.I(className="bi bi-person-circle me-1"), user.name, f" · {role_name(user, lang)}"],
                className="navbar-text text-light small me-2",
                id="nav-user",
            )
        )
        if user.via == "sesion":
            items.append(
                html.A(
                    t("logout", lang),
                    href="/salir",
                    className="btn btn-sm btn-outline-light me-2",
                    id="nav-logout",
                )
            )
    elif flask.current_app.config.get("SEMAFORO_LOGIN"):
        if user.role == "publico":
            items.append(
                html.Span(t("public_view", lang), className="badge text-bg-warning me-2", id="nav-public")
            )
        items.append(
            html.A(
                t("login", lang),
                href="/ingresar" + ("?lang=en" if lang == "en" else ""),
                className="btn btn-sm btn-outline-light me-2",
                id="nav-login",
            )
        )
    return items


def footer(wh: Warehouse, lang: str) -> list:
    loaded = wh.snapshot.loaded
    when = loaded.loaded_at.max() if len(loaded) else None
    return [
        # etl_batch keeps the loading machine's local time without a zone: shown in Lima's, as exports do
        html.Small(
            t("footer_loaded", lang, when=when.to_pydatetime().astimezone(PERU).strftime("%d/%m/%Y %H:%M"))
            if when is not None
            else t("footer_loaded", lang, when="–")
        ),
        html.Small(" · " + t("footer_sources", lang)),
    ]
