"""The page for any URL the app does not know."""

from __future__ import annotations

from dash import dcc, html

from ..i18n import t
from ..state import href


def layout(wh, f, arg):
    return html.Div(
        [html.H1(t("not_found", f.lang)), dcc.Link(t("back_home", f.lang), href=href("/", f))],
        className="not-found",
    )
