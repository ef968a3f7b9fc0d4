"""The page for any URL the app does not know, and the message for a known page given an unknown code."""

from __future__ import annotations

from dash import dcc, html

from ..i18n import t
from ..state import href


def layout(wh, f, arg):
    return html.Div(
        [html.H1(t("not_found", f.lang)), dcc.Link(t("back_home", f.lang), href=href("/", f))],
        className="not-found",
    )


def unknown_code(key: str, code: str | None, lang: str) -> list:
    """Before the chooser a page shows for a region or indicator code it does not know: a message naming the code
    (``key`` is its words' entry), so a mistyped or old link is not silently a list of choices."""
    if not code:
        return []
    return [html.P(t(key, lang, code=code), className="alert alert-warning unknown-code", role="alert")]
