"""Notices shown in place of content the current user may not see."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import flask
from dash import html

from ..i18n import t


def public_only(lang: str) -> dbc.Alert:
    """Where the public view stops: figures below the region level need signing in."""
    login = flask.has_request_context() and flask.current_app.config.get("SEMAFORO_LOGIN")
    return dbc.Alert(
        [
            t("public_only", lang),
            " ",
            html.A(
                t("login", lang),
                href="/ingresar" + ("?lang=en" if lang == "en" else ""),
                className="alert-link",
            ),
        ]
        if login
        else [t("public_only", lang)],
        color="secondary",
        className="public-only",
    )
